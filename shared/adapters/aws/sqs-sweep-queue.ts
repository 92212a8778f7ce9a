/**
 * The sweep's fan-out in AWS (docs/adr/0014): the planner sends each `SweepBatch` as one message of the sweep-batches
 * queue, 10 to a SendMessageBatch call; the queue's event source runs the sweep function once per message, with
 * bounded concurrency, redelivery and a dead-letter queue. Entries SQS refuses are sent again a few times; what is
 * still refused then fails the planning run (the scheduler retries it, and batches already sent are idempotent).
 */
import { SendMessageBatchCommand, type BatchResultErrorEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { SweepBatch, SweepBatchQueue } from '../../ports/sweep-queue.ts';

/** SendMessageBatch takes at most 10 entries. */
const ENTRIES_PER_CALL = 10;
const ATTEMPTS = 4;

export class SqsSweepBatchQueue implements SweepBatchQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async sendBatches(batches: SweepBatch[]): Promise<void> {
    for (let i = 0; i < batches.length; i += ENTRIES_PER_CALL) await this.sendEntries(batches.slice(i, i + ENTRIES_PER_CALL), i);
  }

  private async sendEntries(batches: SweepBatch[], offset: number): Promise<void> {
    let pending = batches.map((batch, k) => ({ Id: `b${offset + k}`, MessageBody: JSON.stringify(batch) }));
    let refused: BatchResultErrorEntry[] = [];
    for (let attempt = 1; pending.length > 0 && attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await this.pause(100 * 2 ** attempt);
      const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
      refused = out.Failed ?? [];
      // A sender's fault (a malformed entry) will not pass on a retry.
      const senderFault = refused.find((f) => f.SenderFault);
      if (senderFault) throw new Error(`SQS refused sweep batch ${senderFault.Id}: ${senderFault.Code} ${senderFault.Message ?? ''}`.trim());
      const again = new Set(refused.map((f) => f.Id));
      pending = pending.filter((e) => again.has(e.Id));
    }
    if (pending.length > 0) throw new Error(`SQS refused ${pending.length} sweep batch(es) after ${ATTEMPTS} attempts: ${refused.map((f) => `${f.Id} ${f.Code}`).join(', ')}`);
  }
}
