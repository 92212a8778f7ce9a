/**
 * Uploads straight to the document store (issue 14, item 1), on the local stack: announce, post the file with the
 * signed form to the local stand-in for S3, complete. Races of completions, double clicks and the signed form's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from '../fixtures/unreadable-pdfs.ts';
import { portalTokenFromOutbox, registerVendor, startAssessmentFor, uploadVia } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { s3ErrorOf } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack.dispose());

async function openPortal(contact: string): Promise<{ id: string; portal: string }> {
  const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: contact }));
  return { id, portal: await portalTokenFromOutbox(stack, contact) };
}

/** Announces an upload and posts the file, without completing it. */
async function postedUpload(portal: string, bytes: Uint8Array, fileName: string): Promise<string> {
  const started = await stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName, contentType: 'application/pdf', size: bytes.byteLength, kind: 'other' } });
  expect(started.status, await started.clone().text()).toBe(201);
  const { uploadId, upload } = (await started.json()) as { uploadId: string; upload: { url: string; fields: Record<string, string> } };
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.set(name, value);
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), fileName);
  const posted = await stack.http.app.request(upload.url, { method: 'POST', body: form });
  expect(posted.status, await posted.clone().text()).toBe(204);
  return uploadId;
}

const complete = (portal: string, uploadId: string) => stack.call('POST', '/api/portal/documents', { token: portal, body: { uploadId } });

describe('completing uploads', () => {
  it('keeps at most 20 documents when 22 completions race, and deletes the files of the refused ones', async () => {
    const { id, portal } = await openPortal('race@vendor.example');
    const pdf = await textPdf({ pages: 1 });
    const uploadIds = await Promise.all(Array.from({ length: 22 }, (_, i) => postedUpload(portal, pdf, `evidence-${i}.pdf`)));
    const answers = await Promise.all(uploadIds.map((uploadId) => complete(portal, uploadId)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    const refused = uploadIds.filter((_, i) => answers[i]!.status === 409);
    for (const [i, answer] of answers.entries()) if (answer.status === 409) expect(await answer.json(), uploadIds[i]).toMatchObject({ code: 'too-many-documents' });
    const documents = await stack.deps.assessments.listDocuments(id);
    expect(documents).toHaveLength(20);
    for (const uploadId of refused) expect(await stack.deps.documents.describeDocument(`assessments/${id}/${uploadId}.pdf`)).toBeNull();
  });

  it('answers the same document to a double click, and keeps its file', async () => {
    const { id, portal } = await openPortal('double@vendor.example');
    const uploadId = await postedUpload(portal, await textPdf({ pages: 2 }), 'report.pdf');
    const [a, b] = await Promise.all([complete(portal, uploadId), complete(portal, uploadId)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [first, second] = (await Promise.all([a.json(), b.json()])) as { id: string }[];
    expect(first!.id).toBe(uploadId);
    expect(second!.id).toBe(uploadId);
    expect(await stack.deps.assessments.listDocuments(id)).toHaveLength(1);
    expect(await stack.deps.documents.describeDocument(`assessments/${id}/${uploadId}.pdf`)).toMatchObject({ contentType: 'application/pdf' });
    expect((await complete(portal, uploadId)).status).toBe(200);
  });

  it('answers upload-incomplete when the file was never posted, and 404 for an unknown upload', async () => {
    const { portal } = await openPortal('incomplete@vendor.example');
    const started = await stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName: 'r.pdf', contentType: 'application/pdf', size: 10, kind: 'other' } });
    const { uploadId } = (await started.json()) as { uploadId: string };
    const res = await complete(portal, uploadId);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'upload-incomplete' });
    expect((await complete(portal, 'no-such-upload')).status).toBe(404);
  });

  it('does not complete the upload of another assessment', async () => {
    const first = await openPortal('first@vendor.example');
    const second = await openPortal('second@vendor.example');
    const uploadId = await postedUpload(first.portal, await textPdf({ pages: 1 }), 'mine.pdf');
    expect((await complete(second.portal, uploadId)).status).toBe(404);
    expect(await stack.deps.assessments.listDocuments(second.id)).toEqual([]);
  });
});

describe('the local stand-in for S3', () => {
  async function signedForm(portal: string): Promise<Record<string, string> & { url: string }> {
    const started = await stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName: 'r.pdf', contentType: 'application/pdf', size: 100, kind: 'other' } });
    const { upload } = (await started.json()) as { upload: { url: string; fields: Record<string, string> } };
    return { ...upload.fields, url: upload.url };
  }
  const post = (url: string, fields: Record<string, string>, bytes: Uint8Array) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('file', new Blob([new Uint8Array(bytes)]), 'r.pdf');
    return stack.http.app.request(url, { method: 'POST', body: form });
  };

  it('refuses a form whose key was changed (AccessDenied: the policy condition fails)', async () => {
    const { portal } = await openPortal('key@vendor.example');
    const { url, ...fields } = await signedForm(portal);
    const res = await post(url, { ...fields, key: 'assessments/elsewhere/x.pdf' }, await textPdf());
    expect(res.status).toBe(403);
    expect(await s3ErrorOf(res)).toMatchObject({ code: 'AccessDenied' });
  });

  it('refuses a form whose content type was changed', async () => {
    const { portal } = await openPortal('type@vendor.example');
    const { url, ...fields } = await signedForm(portal);
    const res = await post(url, { ...fields, 'Content-Type': 'text/html' }, await textPdf());
    expect(res.status).toBe(403);
    expect(await s3ErrorOf(res)).toMatchObject({ code: 'AccessDenied', message: expect.stringContaining('Content-Type') });
  });

  it('refuses a policy that was rewritten (SignatureDoesNotMatch)', async () => {
    const { portal } = await openPortal('policy@vendor.example');
    const { url, ...fields } = await signedForm(portal);
    const policy = JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    policy.conditions = policy.conditions.map((c) => (Array.isArray(c) ? ['content-length-range', 1, 10 ** 10] : c));
    const res = await post(url, { ...fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') }, await textPdf());
    expect(res.status).toBe(403);
    expect(await s3ErrorOf(res)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses an empty file (EntityTooSmall)', async () => {
    const { portal } = await openPortal('empty@vendor.example');
    const { url, ...fields } = await signedForm(portal);
    const res = await post(url, fields, new Uint8Array(0));
    expect(res.status).toBe(400);
    expect(await s3ErrorOf(res)).toMatchObject({ code: 'EntityTooSmall' });
  });

  it('serves a reviewer the file through a signed download URL, and refuses one whose file name was changed', async () => {
    const { id, portal } = await openPortal('download@vendor.example');
    const steps = await uploadVia(stack, portal, await textPdf(), { fileName: 'named.pdf' });
    expect(steps.last.status).toBe(201);
    const redirect = await stack.call('GET', `/api/assessments/${id}/documents/${steps.uploadId}/file`, { token: await stack.tokenFor('security') });
    expect(redirect.status).toBe(302);
    const url = redirect.headers.get('location')!;
    const file = await stack.http.app.request(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="named.pdf"; filename*=UTF-8''named.pdf`);
    expect(new TextDecoder().decode((await file.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const tampered = await stack.http.app.request(url.replace('name=named.pdf', 'name=other.pdf'));
    expect(tampered.status).toBe(403);
    expect(await s3ErrorOf(tampered)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});
