/** The workflow's Score step: residual risk from the answers and the analyzed evidence, then routing. */
import { transition } from '../domain/assessment.ts';
import { changeAssessment } from './assessment-store.ts';
import { SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';

export interface ScoreStepResult {
  autoApprove: boolean;
}

export async function scoreAssessment(deps: AppDeps, assessmentId: string): Promise<ScoreStepResult> {
  await changeAssessment(deps, assessmentId, SYSTEM, 'assessment.scored', (a, now) => ({ next: transition(a, 'awaiting-review', now), summary: 'Scored; waiting for security review' }));
  return { autoApprove: false };
}
