/** Runs the daily sweep outside the request that asks for it (in AWS: the sweep function, invoked asynchronously). */
export interface SweepRunner {
  /** Requests one sweep run and returns once the request is accepted; the run itself happens afterwards. */
  requestSweep(requestedBy: string): Promise<{ runId: string }>;
}
