/** The whole assessment lifecycle on the local runner: the synthesized state machine, dynalite, the real analyzer. */
import { afterEach, describe, expect, it } from 'vitest';
import { answerEverything, assessmentOf, corpusPdf, freshCleanReportPdf, isCleanType2, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { createPdfTextExtractor } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
import { DocumentUnreadableError } from '../../shared/domain/soc2/errors.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

const CONTACT = 'security@acme.example';

describe('assessment workflow', () => {
  it('runs the happy path: invite, answer, upload, submit, analyze, score, review, approve, schedule', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack, { criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'] });
    const id = await startAssessmentFor(stack, vendorId);
    expect((await assessmentOf(stack, id)).assessment.status).toBe('awaiting-vendor');

    const portal = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, portal);
    expect((await upload(stack, portal, await corpusPdf(isCleanType2))).status).toBe(201);
    const submitted = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    await stack.settle();

    const reviewed = await assessmentOf(stack, id);
    expect(reviewed.assessment.status).toBe('awaiting-review');
    expect(reviewed.waitingAt).toBe('AwaitSecurityReview');
    expect(reviewed.documents[0]).toMatchObject({ analysisStatus: 'analyzed', analysis: { documentKind: 'soc2', reportType: 'type2' } });

    const security = await stack.tokenFor('security');
    const docId = ((await (await stack.call('GET', `/api/assessments/${id}`, { token: security })).json()) as { documents: { id: string }[] }).documents[0]!.id;
    const redirect = await stack.call('GET', `/api/assessments/${id}/documents/${docId}/file`, { token: security });
    expect(redirect.status).toBe(302);
    const file = await stack.http.app.request(redirect.headers.get('location')!);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="soc2-report\.pdf"/);
    expect(new TextDecoder().decode((await file.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const scored = (await (await stack.call('GET', `/api/assessments/${id}/score`, { token: security })).json()) as { policyVersion: string; score: { score: number; rating: string; contributions: { points: number; source: { kind: string } }[] } };
    expect(scored.policyVersion).toMatch(/\S/);
    expect(scored.score.contributions.reduce((sum, c) => sum + c.points, 0)).toBe(scored.score.score);
    expect(scored.score.contributions.some((c) => c.source.kind === 'document')).toBe(true);

    const decision = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'approved', comment: 'Clean Type II report, answers consistent.' } });
    expect(decision.status, await decision.clone().text()).toBe(200);
    await stack.settle();

    const final = await assessmentOf(stack, id);
    expect(final.assessment.status).toBe('approved');
    expect(final.assessment.nextReviewDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(final.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['assessment.started', 'assessment.invited', 'assessment.submitted', 'document.analyzed', 'assessment.decided', 'assessment.finalized']));
    expect((await stack.call('GET', '/api/portal/assessment', { token: portal })).status).toBe(200);

    const register = await stack.call('GET', '/api/risk-register?format=csv', { token: security });
    expect(register.headers.get('content-type')).toContain('text/csv');
    const csv = await register.text();
    expect(csv.split('\r\n')[0]).toContain('vendorName,tier,criticality,status,rating');
    expect(csv).toContain(`${vendorId}`);
    expect(csv).toContain(final.assessment.nextReviewDate!);
  });

  it('approves automatically when policy allows: low residual risk and no high findings', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack, { criticality: 'low', dataClassification: 'public' });
    const id = await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, portal);
    expect((await upload(stack, portal, await freshCleanReportPdf())).status).toBe(201);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    const final = await assessmentOf(stack, id);
    expect(final.assessment.status).toBe('approved');
    expect(final.assessment.lastDecision).toMatchObject({ decision: 'approved', automatic: true });
    expect(final.assessment.nextReviewDate).not.toBeNull();
  });

  it('refuses an encrypted upload at once, in words, so that it never reaches the analysis', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack);
    await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    const res = await upload(stack, portal, await corpusPdf((e) => e.expectedError === 'encrypted'), 'locked.pdf');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'document-encrypted', title: expect.stringContaining('password') });
  });

  it('reaches review past a transient analyzer failure, and reads the file again when security retries', async () => {
    const real = createPdfTextExtractor();
    let calls = 0;
    const flaky = {
      extractPages: (bytes: Uint8Array, options?: { signal?: AbortSignal }) => {
        calls++;
        return calls === 1 ? Promise.reject(new DocumentUnreadableError('timeout', 'Analysis was aborted after 60 s.')) : real.extractPages(bytes, options);
      },
    };
    stack = await startTestStack({ textExtractor: flaky });
    const id = await startAssessmentFor(stack, await registerVendor(stack));
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, portal);
    expect((await upload(stack, portal, await corpusPdf(isCleanType2))).status).toBe(201);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    const first = await assessmentOf(stack, id);
    expect(first.assessment.status).toBe('awaiting-review');
    expect(first.documents[0]!.analysisStatus).toBe('failed');
    expect((await stack.call('POST', `/api/assessments/${id}/retry`, { token: await stack.tokenFor('procurement') })).status).toBe(200);
    await stack.settle();
    const resumed = await assessmentOf(stack, id);
    expect(resumed.assessment.status).toBe('awaiting-review');
    expect(resumed.documents[0]!.analysisStatus).toBe('analyzed');
  });

  it('reminds with a rotated link, escalates, then marks overdue when the vendor stays silent', async () => {
    stack = await startTestStack({ env: { TRUSTGATE_REMINDER_INTERVAL_SECONDS: '1', TRUSTGATE_MAX_REMINDERS: '2' } });
    const vendorId = await registerVendor(stack);
    const id = await startAssessmentFor(stack, vendorId);
    const first = await portalTokenFromOutbox(stack, CONTACT);
    // Two 1-second reminder intervals, then escalation, then overdue: poll rather than sleep a fixed time.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(await assessmentOf(stack, id)).assessment.reminders.overdue) await new Promise((r) => setTimeout(r, 200));
    await stack.settle();

    const later = await assessmentOf(stack, id);
    expect(later.assessment.reminders).toEqual({ sent: 2, escalated: true, overdue: true });
    expect(later.assessment.status).toBe('overdue');
    const purposes = (await stack.outbox()).map((m) => m.purpose);
    expect(purposes.filter((p) => p === 'reminder')).toHaveLength(2);
    expect(purposes).toEqual(expect.arrayContaining(['escalation', 'overdue']));
    expect((await stack.call('GET', '/api/portal/assessment', { token: first })).status).toBe(410);
    const newest = await portalTokenFromOutbox(stack, CONTACT);
    expect((await stack.call('GET', '/api/portal/assessment', { token: newest })).status).toBe(200);
  });

  it('sends the assessment back to the vendor on changes-requested, with the same link', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack);
    const id = await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, portal);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    const ask = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'changes-requested', comment: 'Please upload your SOC 2 report.' } });
    expect(ask.status).toBe(200);
    await stack.settle();

    const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { status: string; changesRequested: string; locked: boolean };
    expect(view).toMatchObject({ status: 'changes-requested', changesRequested: 'Please upload your SOC 2 report.', locked: false });
    expect((await upload(stack, portal, await corpusPdf(isCleanType2))).status).toBe(201);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    expect((await assessmentOf(stack, id)).assessment.status).toBe('awaiting-review');
  });

  it('cancels a waiting assessment: the link stops working and the workflow ends', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack);
    const id = await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    const res = await stack.call('POST', `/api/assessments/${id}/cancel`, { token: await stack.tokenFor('procurement'), body: { reason: 'Contract not signed' } });
    expect(res.status).toBe(200);
    await stack.settle();
    expect(stack.workflow.runningExecutions).toBe(0);
    expect((await assessmentOf(stack, id)).assessment.status).toBe('cancelled');
    expect((await stack.call('GET', '/api/portal/assessment', { token: portal })).status).toBe(410);
  });

  it('resumes a waiting assessment after the local runtime restarts, and completes it', async () => {
    stack = await startTestStack({ persist: true });
    const dataDir = stack.config.dataDir;
    const vendorId = await registerVendor(stack);
    const id = await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    await stack.close();

    stack = await startTestStack({ persist: true, dataDir });
    await stack.settle();
    expect(stack.workflow.runningExecutions).toBe(1);
    await answerEverything(stack, portal);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    expect((await assessmentOf(stack, id)).assessment.status).toBe('awaiting-review');
  });
});
