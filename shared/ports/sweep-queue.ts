/** One unit of the sweep's fan-out: the vendors one worker sweeps (an SQS message in AWS, a slice of the due list locally). */
export interface SweepBatch {
  today: string;
  runId: string;
  vendorIds: string[];
}

/** Where the planner hands the day's batches to the workers (AWS: the sweep-batches queue, docs/adr/0014). */
export interface SweepBatchQueue {
  /** Sends every batch, or throws once some could not be sent after retries (those sent stay sent: batches are idempotent). */
  sendBatches(batches: SweepBatch[]): Promise<void>;
}
