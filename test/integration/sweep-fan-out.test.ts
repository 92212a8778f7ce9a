/**
 * The sweep fanned out as in AWS (docs/adr/0014): the planner sends the due list in batches through the real SQS client
 * (to a stand-in speaking SQS's JSON protocol), and each message, delivered as the queue's event source delivers it,
 * is swept by `sweepVendorBatch`. A redelivered message and a second planning run the same day do nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsSweepBatchQueue } from '../../shared/adapters/aws/sqs-sweep-queue.ts';
import { planDailySweep, SWEEP_LIMITS, sweepVendorBatch, type SweepBatch } from '../../shared/app/sweep.ts';
import { addDays } from '../../shared/domain/assessment.ts';
import { startLocalSqs } from '../support/local-aws-standins.ts';
import { seedDecidedVendors } from '../support/portfolio.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

const clock = new TestClock();
/** More than two batches of 25 fall due on the same day. */
const DUE = 60;
const NOT_DUE = 15;
let stack: TestStack;
let sqs: Awaited<ReturnType<typeof startLocalSqs>>;
let dueIds: string[];
const decidedOn = clock.now().toISOString().slice(0, 10);
const noPause = () => Promise.resolve();

beforeAll(async () => {
  stack = await startTestStack({ clock });
  sqs = await startLocalSqs();
  const ids = await seedDecidedVendors(stack.deps, { count: DUE + NOT_DUE, decidedAt: `${decidedOn}T09:00:00.000Z`, nextReviewDate: (i) => addDays(decidedOn, i < DUE ? 40 : 300) });
  dueIds = ids.slice(0, DUE);
  // The day of the decision every vendor is looked at once: sweep that day away first, as it would have been.
  const queue = new SqsSweepBatchQueue(sqs.client, sqs.queueUrl, noPause);
  await planDailySweep(stack.deps, queue);
  for (const body of sqs.messages.splice(0)) await sweepVendorBatch(stack.deps, JSON.parse(body) as SweepBatch);
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
  await sqs?.close();
});

describe('the sweep fanned out through the queue', () => {
  it('sends the due list in batches of 25, 10 messages to a call, and sweeps nothing itself', async () => {
    clock.advanceDays(40);
    const calls = sqs.calls;
    const plan = await planDailySweep(stack.deps, new SqsSweepBatchQueue(sqs.client, sqs.queueUrl, noPause));
    expect(plan).toMatchObject({ batches: Math.ceil(DUE / SWEEP_LIMITS.batchSize), vendors: DUE, workflowsStarted: [] });
    expect(sqs.calls - calls).toBe(1);
    const batches = sqs.messages.map((m) => JSON.parse(m) as SweepBatch);
    expect(batches.map((b) => b.vendorIds.length)).toEqual([25, 25, 10]);
    expect(batches.flatMap((b) => b.vendorIds).sort()).toEqual([...dueIds].sort());
    expect(new Set(batches.map((b) => `${b.today} ${b.runId}`))).toEqual(new Set([`${plan.today} ${plan.runId}`]));
    for (const id of dueIds) expect((await stack.deps.assessments.listAssessments({ vendorId: id, openOnly: true }, { limit: 1 })).items).toHaveLength(0);
  });

  it('sweeps each delivered batch: a reassessment per due vendor, once, even when a message is delivered twice', async () => {
    const batches = sqs.messages.splice(0).map((m) => JSON.parse(m) as SweepBatch);
    let started = 0;
    for (const batch of batches) started += (await sweepVendorBatch(stack.deps, batch)).reassessmentsStarted.length;
    expect(started).toBe(DUE);
    const redelivered = await sweepVendorBatch(stack.deps, batches[0]!);
    expect(redelivered).toMatchObject({ vendorsChecked: 0, reassessmentsStarted: [] });
    for (const id of dueIds) expect((await stack.deps.assessments.listAssessments({ vendorId: id, openOnly: true }, { limit: 5 })).items).toHaveLength(1);
    await stack.settle();
  });

  it('plans nothing when run again the same day (the scheduler retrying)', async () => {
    const plan = await planDailySweep(stack.deps, new SqsSweepBatchQueue(sqs.client, sqs.queueUrl, noPause));
    expect(plan).toMatchObject({ batches: 0, vendors: 0 });
    expect(sqs.messages).toEqual([]);
  });
});

describe('the SQS adapter', () => {
  const batch = (i: number): SweepBatch => ({ today: '2026-12-01', runId: 'r', vendorIds: [`v${i}`] });

  it('sends again the entries SQS refused, and every batch arrives once', async () => {
    sqs.messages.splice(0);
    sqs.refuseNext(3);
    await new SqsSweepBatchQueue(sqs.client, sqs.queueUrl, noPause).sendBatches(Array.from({ length: 12 }, (_, i) => batch(i)));
    expect(sqs.messages.map((m) => (JSON.parse(m) as SweepBatch).vendorIds[0]).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `v${i}`).sort());
  });

  it('fails the planning run when SQS keeps refusing, or refuses an entry as malformed', async () => {
    sqs.messages.splice(0);
    sqs.refuseNext(1_000);
    await expect(new SqsSweepBatchQueue(sqs.client, sqs.queueUrl, noPause).sendBatches([batch(1), batch(2)])).rejects.toThrow(/refused 2 sweep batch\(es\) after 4 attempts/);
    sqs.refuseNext(0);
    sqs.refuseAsSender(true);
    try {
      await expect(new SqsSweepBatchQueue(sqs.client, sqs.queueUrl, noPause).sendBatches([batch(3)])).rejects.toThrow(/InvalidParameterValue/);
    } finally {
      sqs.refuseAsSender(false);
    }
    expect(sqs.messages).toEqual([]);
  });
});
