/** Portal tokens open one assessment's portal routes and nothing else; staff tokens do not open the portal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalTokenFromOutbox, registerVendor, startAssessmentFor, upload, uploadVia } from '../support/journey.ts';
import { s3ErrorOf } from '../support/uploads.ts';
import { textPdf } from '../fixtures/unreadable-pdfs.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let portal: string;
let otherPortal: string;
let assessmentId: string;

beforeAll(async () => {
  stack = await startTestStack();
  assessmentId = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'one@vendor-one.example' }));
  portal = await portalTokenFromOutbox(stack, 'one@vendor-one.example');
  await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'two@vendor-two.example' }));
  otherPortal = await portalTokenFromOutbox(stack, 'two@vendor-two.example');
});
afterAll(async () => stack.dispose());

const samplePath = (path: string) => path.replace(/:[^/]+/g, assessmentId);

describe('portal access', () => {
  it('opens only its own assessment', async () => {
    const mine = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { assessmentId: string };
    const theirs = (await (await stack.call('GET', '/api/portal/assessment', { token: otherPortal })).json()) as { assessmentId: string };
    expect(mine.assessmentId).toBe(assessmentId);
    expect(theirs.assessmentId).not.toBe(assessmentId);
  });

  it('shows the vendor no internal data: no score, findings, requester notes or reminders', async () => {
    const text = await (await stack.call('GET', '/api/portal/assessment', { token: portal })).text();
    for (const word of ['score', 'rating', 'findings', 'requestedBy', 'reminders', 'inherentRisk', 'attentionReason', 'procurement@example.com']) {
      expect(text, word).not.toContain(word);
    }
  });

  it('answers 403 to a portal token on every staff route', async () => {
    for (const entry of stack.http.accessTable.filter((e) => e.access.kind === 'staff')) {
      const res = await stack.call(entry.method, samplePath(entry.path), { token: portal, ...(entry.method === 'GET' ? {} : { body: {} }) });
      expect(res.status, `${entry.method} ${entry.path}`).toBe(403);
    }
  });

  it('answers 403 to a staff token on every portal route', async () => {
    const token = await stack.tokenFor('admin');
    for (const entry of stack.http.accessTable.filter((e) => e.access.kind === 'portal')) {
      const res = await stack.call(entry.method, entry.path, { token, ...(entry.method === 'GET' ? {} : { body: {} }) });
      expect(res.status, `${entry.method} ${entry.path}`).toBe(403);
    }
  });

  it('answers 404 to a well-formed token that was never issued', async () => {
    const res = await stack.call('GET', '/api/portal/assessment', { token: `tgp_${'A'.repeat(43)}` });
    expect(res.status).toBe(404);
  });

  it('refuses a draft answer to a question of another questionnaire, naming it', async () => {
    const res = await stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'saas-lite', answers: { 'no-such-question': { value: 'yes' } } } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('answers.no-such-question');
  });

  it('refuses an upload that is not a PDF, deletes the posted file and records nothing', async () => {
    const steps = await uploadVia(stack, portal, new TextEncoder().encode('<html>not a pdf</html>'), { fileName: '../../etc/passwd.pdf', kind: 'other' });
    expect(steps.posted?.status).toBe(204);
    expect(steps.last.status).toBe(400);
    expect(await steps.last.json()).toMatchObject({ code: 'not-a-pdf' });
    const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { assessmentId: string; documents: unknown[] };
    expect(view.documents).toEqual([]);
    expect(await stack.deps.documents.describeDocument(`assessments/${view.assessmentId}/${steps.uploadId}.pdf`)).toBeNull();
  });

  it('strips path characters from an uploaded file name', async () => {
    const res = await upload(stack, portal, await textPdf({ pages: 1 }), '../../etc/evil.pdf', 'other');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ fileName: 'evil.pdf' });
  });

  it('refuses to start an upload over the limit with 413 file-too-large, saying the limit', async () => {
    const res = await stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName: 'huge.pdf', contentType: 'application/pdf', size: stack.deps.maxUploadBytes + 1, kind: 'soc2-report' } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'file-too-large', title: expect.stringContaining('at most 50 MB') });
  });

  it('refuses to start an upload of another content type with not-a-pdf', async () => {
    const res = await stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName: 'report.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 1000, kind: 'other' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'not-a-pdf' });
  });

  it('refuses a post over the signed size range at the store (EntityTooLarge), when the browser declared less', async () => {
    const steps = await uploadVia(stack, portal, new Uint8Array(stack.deps.maxUploadBytes + 1024 * 1024), { fileName: 'huge.pdf', declaredSize: 1000 });
    expect(steps.started.status).toBe(201);
    expect(steps.posted?.status).toBe(400);
    expect(await s3ErrorOf(steps.posted!)).toMatchObject({ code: 'EntityTooLarge' });
    const completed = await stack.call('POST', '/api/portal/documents', { token: portal, body: { uploadId: steps.uploadId } });
    expect(completed.status).toBe(409);
    expect(await completed.json()).toMatchObject({ code: 'upload-incomplete' });
  });

  it('refuses to submit with required questions unanswered, listing each', async () => {
    const res = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('answers-incomplete');
    expect(body.errors.length).toBeGreaterThan(5);
  });
});
