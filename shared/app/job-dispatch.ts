/** Handing a recorded job to the background (AppDeps.jobs), and what happens when that is refused. */
import { TrustgateError } from '../domain/errors.ts';
import type { BackgroundJob } from '../ports/background-jobs.ts';
import type { AppDeps } from './deps.ts';

/**
 * Dispatches a job already recorded as queued. When the dispatch is refused (AWS: Step Functions unavailable), the job
 * is recorded as failed with the reason (`fail`, with its audit event) rather than left queued for ever, and the
 * request answers 503 `workflow-unavailable`: the caller may ask again.
 */
export async function dispatchRecordedJob(deps: Pick<AppDeps, 'jobs'>, job: BackgroundJob, fail: (reason: string) => Promise<void>): Promise<void> {
  try {
    await deps.jobs.dispatch(job);
  } catch (error) {
    await fail(`it could not be started: ${error instanceof Error ? error.message : String(error)}`).catch(() => undefined);
    throw new TrustgateError('workflow-unavailable', 'The job could not be started right now; try again', { cause: error });
  }
}
