/** Reading and changing assessments with their audit events; the helpers every assessment use case shares. */
import type { Assessment } from '../domain/assessment.ts';
import { ConcurrentUpdateError, NotFoundError } from '../domain/errors.ts';
import type { Actor } from './audit-events.ts';
import { eventOf } from './audit-events.ts';
import type { AppDeps } from './deps.ts';

type Deps = Pick<AppDeps, 'assessments' | 'clock' | 'ids'>;

/** The assessment, or NotFoundError. */
export async function loadAssessment(deps: Pick<AppDeps, 'assessments'>, id: string): Promise<Assessment> {
  const assessment = await deps.assessments.getAssessment(id);
  if (!assessment) throw new NotFoundError('Assessment', id);
  return assessment;
}

/**
 * Applies `change` to the current assessment and stores it with its audit event, conditional on the version read.
 * A concurrent change makes it read again and re-apply `change` (which may then refuse), up to 3 times.
 */
export async function changeAssessment(
  deps: Deps,
  id: string,
  actor: Actor,
  action: string,
  change: (current: Assessment, now: string) => { next: Assessment; summary: string } | null,
): Promise<Assessment> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadAssessment(deps, id);
    const now = deps.clock.now().toISOString();
    const result = change(current, now);
    if (!result) return current;
    const event = eventOf(deps, actor, action, { type: 'assessment', id }, result.summary, { targetVersion: result.next.version, at: now });
    try {
      await deps.assessments.replaceAssessment(result.next, current.version, event);
      return result.next;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 3) continue;
      throw error;
    }
  }
}

export const assessmentUrl = (deps: Pick<AppDeps, 'publicBaseUrl'>, id: string) => `${deps.publicBaseUrl}/assessments/${id}`;
export const portalUrl = (deps: Pick<AppDeps, 'publicBaseUrl'>, token: string) => `${deps.publicBaseUrl}/portal/open#token=${token}`;
