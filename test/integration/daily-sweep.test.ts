/** The daily sweep: notices before evidence goes stale, reassessments when the review falls due, each once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerEverything, assessmentOf, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
const clock = new TestClock();
let vendorId: string;
let nextReview: string;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  vendorId = await registerVendor(stack, { criticality: 'low', dataClassification: 'public' });
  const id = await startAssessmentFor(stack, vendorId);
  const portal = await portalTokenFromOutbox(stack, 'security@acme.example');
  await answerEverything(stack, portal);
  await upload(stack, portal, await freshCleanReportPdf());
  await stack.call('POST', '/api/portal/submit', { token: portal });
  await stack.settle();
  const done = await assessmentOf(stack, id);
  expect(done.assessment.status).toBe('approved');
  nextReview = done.assessment.nextReviewDate!;
});
afterAll(async () => stack.dispose());

const sweep = async () => {
  const res = await stack.call('POST', '/api/admin/sweep', { token: await stack.tokenFor('admin') });
  expect(res.status).toBe(200);
  return (await res.json()) as { reassessmentsStarted: { vendorId: string; assessmentId: string }[]; noticesSent: { vendorId: string; kind: string }[] };
};
const daysUntil = (date: string) => Math.round((Date.parse(`${date}T12:00:00Z`) - clock.now().getTime()) / 86_400_000);

describe('daily sweep', () => {
  it('does nothing while the evidence is fresh', async () => {
    const report = await sweep();
    expect(report.noticesSent.filter((n) => n.vendorId === vendorId)).toEqual([]);
    expect(report.reassessmentsStarted).toEqual([]);
  });

  it('tells procurement once when the SOC 2 report is about to be 12 months old', async () => {
    clock.advanceDays(daysUntil(nextReview) - 20);
    const first = await sweep();
    expect(first.noticesSent).toEqual([expect.objectContaining({ vendorId, kind: 'report-expiring' })]);
    expect((await stack.outbox()).some((m) => m.purpose === 'report-expiring' && m.to.includes('procurement@example.com'))).toBe(true);
    expect((await sweep()).noticesSent).toEqual([]);
  });

  it('starts one reassessment when the review falls due, and invites the vendor', async () => {
    clock.advanceDays(daysUntil(nextReview) + 1);
    const report = await sweep();
    expect(report.reassessmentsStarted).toEqual([{ vendorId, assessmentId: expect.any(String) }]);
    await stack.settle();
    const again = await assessmentOf(stack, report.reassessmentsStarted[0]!.assessmentId);
    expect(again.assessment.status).toBe('awaiting-vendor');
    expect((await sweep()).reassessmentsStarted).toEqual([]);
  });
});
