/** Cancel, decide, start and the open-assessment rule act atomically with the workflow (issue 13, items 6 and 7). */
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../shared/app/audit-events.ts';
import { recordDecision, runWorkflowStep } from '../../shared/app/workflow-steps.ts';
import type { AssessmentWorkflow } from '../../shared/ports/assessment-workflow.ts';
import { answerEverything, assessmentOf, inDays, portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

const CONTACT = 'security@acme.example';

/** The stack's workflow with one method replaced. */
function withWorkflow(s: TestStack, change: Partial<AssessmentWorkflow>): void {
  const real = s.workflow;
  s.deps.workflow = {
    startExecution: (i) => real.startExecution(i),
    stopExecution: (id, cause) => real.stopExecution(id, cause),
    sendTaskSuccess: (t, o) => real.sendTaskSuccess(t, o),
    sendTaskFailure: (t, e, c) => real.sendTaskFailure(t, e, c),
    ...change,
  };
}

async function toReview(s: TestStack): Promise<string> {
  const id = await startAssessmentFor(s, await registerVendor(s, { criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'] }));
  const portal = await portalTokenFromOutbox(s, CONTACT);
  await answerEverything(s, portal);
  expect((await s.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
  await s.settle();
  expect((await assessmentOf(s, id)).waitingAt).toBe('AwaitSecurityReview');
  return id;
}

describe('one open assessment per vendor', () => {
  it('starts exactly one of 20 parallel starts and answers the others 409 naming the open one', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack);
    const token = await stack.tokenFor('procurement');
    const answers = await Promise.all(Array.from({ length: 20 }, () => stack!.call('POST', '/api/assessments', { token, body: { vendorId, dueDate: inDays(30) } })));
    const created = answers.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const openId = ((await created[0]!.json()) as { id: string }).id;
    const refused = await Promise.all(answers.filter((r) => r.status !== 201).map((r) => r.json() as Promise<{ status: number; code: string; title: string }>));
    expect(refused).toHaveLength(19);
    for (const problem of refused) expect(problem).toMatchObject({ status: 409, code: 'assessment-open', title: expect.stringContaining(openId) });
    await stack.settle();
    expect((await stack.outbox()).filter((m) => m.purpose === 'invite')).toHaveLength(1);
  });

  it('lets the vendor be assessed again once the open assessment is decided', async () => {
    stack = await startTestStack();
    const id = await toReview(stack);
    const decided = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'approved', comment: 'Fine.' } });
    expect(decided.status).toBe(200);
    await stack.settle();
    expect((await assessmentOf(stack, id)).assessment.status).toBe('approved');
    const vendorId = (await stack.deps.assessments.getAssessment(id))!.vendorId;
    const again = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: inDays(30) } });
    expect(again.status, await again.clone().text()).toBe(201);
  });

  it('lets the vendor be assessed again once the open assessment is cancelled', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack);
    const first = await startAssessmentFor(stack, vendorId);
    expect((await stack.call('POST', `/api/assessments/${first}/cancel`, { token: await stack.tokenFor('procurement'), body: { reason: 'Wrong contact' } })).status).toBe(200);
    const again = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: inDays(30) } });
    expect(again.status).toBe(201);
  });
});

describe('cancel', () => {
  it('stops the execution and marks its record stopped, so no restart resumes it', async () => {
    stack = await startTestStack();
    const id = await startAssessmentFor(stack, await registerVendor(stack));
    expect((await stack.call('POST', `/api/assessments/${id}/cancel`, { token: await stack.tokenFor('procurement'), body: { reason: 'Contract not signed' } })).status).toBe(200);
    await stack.settle();
    expect(stack.workflow.runningExecutions).toBe(0);
    expect(await stack.executions.getExecution(`assessment-${id}`)).toMatchObject({ status: 'stopped' });
    expect(await stack.executions.listRunningExecutions()).toEqual([]);
  });

  it('makes every step refuse the cancelled assessment with an error named AssessmentCancelled, mailing nothing', async () => {
    stack = await startTestStack();
    const id = await startAssessmentFor(stack, await registerVendor(stack));
    expect((await stack.call('POST', `/api/assessments/${id}/cancel`, { token: await stack.tokenFor('procurement'), body: { reason: 'Contract not signed' } })).status).toBe(200);
    const mailsBefore = (await stack.outbox()).length;
    for (const step of ['remind', 'invite', 'escalate', 'score', 'finalize'] as const) {
      await expect(runWorkflowStep(stack.deps, { step, assessmentId: id, remindersBefore: { sent: 0, escalated: false, overdue: false } }), step).rejects.toMatchObject({ name: 'AssessmentCancelled', code: 'assessment-cancelled' });
    }
    expect((await stack.outbox()).length).toBe(mailsBefore);
  });
});

describe('decide', () => {
  it('changes nothing when the decision cannot be delivered to the workflow', async () => {
    stack = await startTestStack();
    const id = await toReview(stack);
    withWorkflow(stack, { sendTaskSuccess: () => Promise.reject(new Error('Step Functions is unreachable')) });
    const res = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'approved', comment: 'Fine.' } });
    expect(res.status).toBe(500);
    const after = await assessmentOf(stack, id);
    expect(after.assessment.status).toBe('awaiting-review');
    expect(after.assessment.lastDecision).toBeNull();
    expect(after.waitingAt).toBe('AwaitSecurityReview');
  });

  it('records a delivered decision through the workflow even when the request never records it', async () => {
    stack = await startTestStack();
    const id = await toReview(stack);
    const pending = (await stack.deps.assessments.getPendingTask(id))!;
    // What the API sends before it records anything; here the request "dies" right after sending.
    const decidedAt = new Date().toISOString();
    await stack.workflow.sendTaskSuccess(pending.token, { decision: 'approved', comment: 'Clean.', conditions: [], decidedBy: 'security@example.com', decidedAt, automatic: false });
    for (let i = 0; i < 100 && (await assessmentOf(stack, id)).assessment.nextReviewDate === null; i++) await new Promise((r) => setTimeout(r, 100));
    const after = await assessmentOf(stack, id);
    expect(after.assessment.status).toBe('approved');
    expect(after.assessment.lastDecision).toMatchObject({ decision: 'approved', decidedBy: 'security@example.com', decidedAt });
    expect(after.assessment.nextReviewDate).not.toBeNull();
    expect(after.timeline.filter((e) => e.action === 'assessment.decided')).toHaveLength(1);
    const vendorId = (await stack.deps.assessments.getAssessment(id))!.vendorId;
    const again = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: inDays(30) } });
    expect(again.status, await again.clone().text()).toBe(201);
  });
});

describe('finalize', () => {
  it('writes one finalized event for a rejection when it runs again after dying before its mail', async () => {
    stack = await startTestStack();
    const id = await toReview(stack);
    // The decision recorded as RecordDecision would; Finalize is then run by hand, twice, as a Retry would.
    await recordDecision(stack.deps, id, SYSTEM, { decision: 'rejected', comment: 'No SOC 2 report.', conditions: [], decidedBy: 'security@example.com', decidedAt: new Date().toISOString(), automatic: false });
    const mailer = stack.deps.mailer;
    let refused = 0;
    stack.deps.mailer = {
      sendMail: (mail) => (mail.purpose === 'decision' && refused++ === 0 ? Promise.reject(new Error('mail relay down')) : mailer.sendMail(mail)),
      wasSent: (key) => mailer.wasSent(key),
    };
    const event = { step: 'finalize' as const, assessmentId: id, remindersBefore: { sent: 0, escalated: false, overdue: false } };
    await expect(runWorkflowStep(stack.deps, event)).rejects.toThrow('mail relay down');
    await runWorkflowStep(stack.deps, event);
    const after = await assessmentOf(stack, id);
    expect(after.assessment.status).toBe('rejected');
    expect(after.timeline.filter((e) => e.action === 'assessment.finalized').length).toBeLessThanOrEqual(1);
    expect((await stack.outbox()).filter((m) => m.purpose === 'decision')).toHaveLength(1);
  });
});

describe('start', () => {
  it('cancels the assessment and answers 503 when the workflow cannot start, leaving nothing inviting', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack);
    withWorkflow(stack, { startExecution: () => Promise.reject(new Error('Step Functions is unreachable')) });
    const res = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: inDays(30) } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('workflow-unavailable');
    const list = await stack.deps.assessments.listAssessments({ vendorId }, { limit: 10 });
    expect(list.items.map((a) => a.status)).toEqual(['cancelled']);
  });

  it('has the sweep start the workflow of an assessment whose start never happened', async () => {
    const clock = new TestClock();
    stack = await startTestStack({ clock });
    const vendorId = await registerVendor(stack);
    // The process "dies" between recording the assessment and starting its workflow.
    withWorkflow(stack, { startExecution: () => Promise.resolve('never-started') });
    const res = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: inDays(30) } });
    const { id } = (await res.json()) as { id: string };
    withWorkflow(stack, {});
    clock.advanceDays(1 / 96);
    const sweep = (await (await stack.call('POST', '/api/admin/sweep', { token: await stack.tokenFor('admin') })).json()) as { workflowsStarted: string[] };
    expect(sweep.workflowsStarted).toEqual([id]);
    await stack.settle();
    expect((await assessmentOf(stack, id)).assessment.status).toBe('awaiting-vendor');
    expect((await stack.outbox()).filter((m) => m.purpose === 'invite')).toHaveLength(1);
  });
});
