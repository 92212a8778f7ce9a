/** Portal tokens open one assessment's portal routes and nothing else; staff tokens do not open the portal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
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

  it('refuses an upload that is not a PDF, and stores nothing', async () => {
    const form = new FormData();
    form.set('kind', 'other');
    form.set('file', new File([new TextEncoder().encode('<html>not a pdf</html>')], '../../etc/passwd.pdf', { type: 'application/pdf' }));
    const res = await stack.call('POST', '/api/portal/documents', { token: portal, body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'not-a-pdf' });
    const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { documents: unknown[] };
    expect(view.documents).toEqual([]);
  });

  it('strips path characters from an uploaded file name', async () => {
    const form = new FormData();
    form.set('kind', 'other');
    form.set('file', new File([new Uint8Array(await textPdf({ pages: 1 }))], '../../etc/evil.pdf', { type: 'application/pdf' }));
    const res = await stack.call('POST', '/api/portal/documents', { token: portal, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ fileName: 'evil.pdf' });
  });

  it('refuses a file over the upload limit with 413, before reading it', async () => {
    const form = new FormData();
    form.set('kind', 'soc2-report');
    form.set('file', new File([new Uint8Array(stack.deps.maxUploadBytes + 1024 * 1024)], 'huge.pdf', { type: 'application/pdf' }));
    const res = await stack.call('POST', '/api/portal/documents', { token: portal, body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload-too-large' });
  });

  it('refuses to submit with required questions unanswered, listing each', async () => {
    const res = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('answers-incomplete');
    expect(body.errors.length).toBeGreaterThan(5);
  });
});
