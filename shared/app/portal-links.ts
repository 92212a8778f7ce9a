/** Issuing portal links: a new token replaces the assessment's earlier ones. */
import type { Assessment } from '../domain/assessment.ts';
import { portalLinkExpiry } from '../domain/portal.ts';
import { eventOf, type Actor } from './audit-events.ts';
import { portalUrl } from './assessment-store.ts';
import type { AppDeps } from './deps.ts';

/** Mints a token for the assessment, stores its hash (revoking earlier tokens) and returns the link to mail. */
export async function issuePortalLink(deps: Pick<AppDeps, 'assessments' | 'portalTokens' | 'clock' | 'ids' | 'publicBaseUrl'>, assessment: Assessment, actor: Actor, why: string): Promise<string> {
  const now = deps.clock.now().toISOString();
  const { token, hash } = deps.portalTokens.mint();
  const expiresAt = portalLinkExpiry(assessment.dueDate, now.slice(0, 10));
  await deps.assessments.issuePortalToken(
    { tokenHash: hash, assessmentId: assessment.id, createdAt: now, expiresAt, revokedAt: null, revokedReason: null },
    { reason: 'rotated', at: now },
    eventOf(deps, actor, 'assessment.portal-link-issued', { type: 'assessment', id: assessment.id }, `New portal link (${why}); earlier links revoked; valid until ${expiresAt.slice(0, 10)}`, { at: now }),
  );
  return portalUrl(deps, token);
}
