/**
 * Work a request asks for and does not wait for (an audit verification, a register export): its job record is written
 * first, queued, then the job is dispatched by kind and id. Locally it runs in the same process after the answer; in
 * AWS it is handed to the jobs function (a one-task state machine invokes it asynchronously), so a frozen or recycled
 * API Lambda never strands it (docs/adr/0017).
 */
export const BACKGROUND_JOB_KINDS = ['audit-verification', 'register-export'] as const;
export type BackgroundJobKind = (typeof BACKGROUND_JOB_KINDS)[number];

export interface BackgroundJob {
  kind: BackgroundJobKind;
  id: string;
}

export interface BackgroundJobs {
  /** Hands the job over and returns once it is accepted (not done); dispatching the same job twice runs it once. */
  dispatch(job: BackgroundJob): Promise<void>;
}
