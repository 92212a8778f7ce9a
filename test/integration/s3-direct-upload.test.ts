/**
 * Issue 14, item 1, against a real S3 implementation (s3rver, in-process on loopback): a 50 MB report goes from the
 * upload intent through a presigned POST to S3, is completed, submitted and analyzed; a 60 MB one is refused; the
 * reviewer's download is a 302 to a presigned GET that works. Only AWS itself is stood in for.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../shared/adapters/aws/s3-document-store.ts';
import { UPLOAD_FORM_SECONDS } from '../../shared/app/portal.ts';
import { writePaddedPdf } from '../fixtures/large-pdf.ts';
import { answerEverything, assessmentOf, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startLocalS3 } from '../support/local-aws-standins.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { uploadSteps, type UploadTransport } from '../support/uploads.ts';

const BUCKET = 'trustgate-documents';
const MB = 1024 * 1024;

let s3: Awaited<ReturnType<typeof startLocalS3>>;
let stack: TestStack;
let dir: string;
let report50: Buffer;
let report60: Buffer;

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  stack = await startTestStack({ documents: new S3DocumentStore(s3.client, BUCKET) });
  dir = await mkdtemp(join(tmpdir(), 'trustgate-large-pdf-'));
  const small = await freshCleanReportPdf();
  await writePaddedPdf(small, 50 * MB, join(dir, 'report-50mb.pdf'));
  await writePaddedPdf(small, 60 * MB, join(dir, 'report-60mb.pdf'));
  report50 = await readFile(join(dir, 'report-50mb.pdf'));
  report60 = await readFile(join(dir, 'report-60mb.pdf'));
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The browser's transport: the API in-process, the form posted over HTTP to s3rver. */
const viaS3 = (portal: string): UploadTransport => ({
  api: (method, path, body) => stack.call(method, path, { token: portal, body }),
  postForm: (url, form) => fetch(url, { method: 'POST', body: form }),
});

async function openPortal(contact: string): Promise<{ id: string; portal: string }> {
  const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: contact }));
  return { id, portal: await portalTokenFromOutbox(stack, contact) };
}

const objectExists = async (key: string) =>
  s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    (error: { $metadata?: { httpStatusCode?: number } }) => (error.$metadata?.httpStatusCode === 404 ? false : Promise.reject(error as Error)),
  );

describe('a 50 MB report through S3', () => {
  let id: string;
  let documentId: string;

  it('is posted to S3 with the presigned form and completed after the object is checked', async () => {
    expect(report50.byteLength).toBe(50 * MB);
    let portal: string;
    ({ id, portal } = await openPortal('large@vendor.example'));
    await answerEverything(stack, portal);
    const steps = await uploadSteps(viaS3(portal), report50, { fileName: 'SOC 2 Type II 2026.pdf' });
    expect(steps.started.status).toBe(201);
    expect(steps.posted?.status, await steps.posted?.clone().text()).toBe(204);
    expect(steps.completed?.status, await steps.completed?.clone().text()).toBe(201);
    const document = (await steps.completed!.json()) as { id: string; size: number; fileName: string; analysisStatus: string; pageCount: number };
    expect(document).toMatchObject({ size: 50 * MB, fileName: 'SOC 2 Type II 2026.pdf', analysisStatus: 'pending' });
    expect(document.pageCount).toBeGreaterThan(3);
    documentId = document.id;
    expect(await objectExists(`assessments/${id}/${documentId}.pdf`)).toBe(true);

    const submitted = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    await stack.settle();
    // Under load settle() has been seen to return while an analysis still ran (hardening and fuzz fixtures too): wait for it.
    let view = await assessmentOf(stack, id);
    for (const deadline = Date.now() + 120_000; view.documents[0]?.analysisStatus === 'pending' && Date.now() < deadline; view = await assessmentOf(stack, id)) {
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(view.documents[0]).toMatchObject({ analysisStatus: 'analyzed', analysis: { documentKind: 'soc2', reportType: 'type2' } });
  }, 180_000);

  it('downloads for a reviewer through a 302 to a presigned GET, as an attachment', async () => {
    const redirect = await stack.call('GET', `/api/assessments/${id}/documents/${documentId}/file`, { token: await stack.tokenFor('security') });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${s3.endpoint}/${BUCKET}/assessments/${id}/${documentId}\\.pdf\\?`));
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('300');
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="SOC_2_Type_II_2026.pdf"; filename*=UTF-8''SOC%202%20Type%20II%202026.pdf`);
    const body = Buffer.from(await file.arrayBuffer());
    expect(body.byteLength).toBe(50 * MB);
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('the signed form', () => {
  it('fixes the key, the size range, the content type and a 15-minute expiry in the policy', async () => {
    const { id, portal } = await openPortal('policy@vendor.example');
    const started = await stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName: 'r.pdf', contentType: 'application/pdf', size: 1000, kind: 'soc2-report' } });
    const { uploadId, upload } = (await started.json()) as { uploadId: string; upload: { url: string; fields: Record<string, string> } };
    expect(upload.url).toBe(`${s3.endpoint}/${BUCKET}`);
    expect(upload.fields.key).toBe(`assessments/${id}/${uploadId}.pdf`);
    const policy = JSON.parse(Buffer.from(upload.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([['content-length-range', 1, 50 * MB], ['eq', '$Content-Type', 'application/pdf'], { key: `assessments/${id}/${uploadId}.pdf` }, { bucket: BUCKET }]),
    );
    const lifetime = Date.parse(policy.expiration) - Date.now();
    expect(lifetime).toBeGreaterThan((UPLOAD_FORM_SECONDS - 60) * 1000);
    expect(lifetime).toBeLessThanOrEqual(UPLOAD_FORM_SECONDS * 1000);
  });

  it('carries the KMS fields in the form and in the policy when the bucket has a key', async () => {
    const store = new S3DocumentStore(s3.client, BUCKET, 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const form = await store.createUploadUrl('assessments/k/upload.pdf', 'application/pdf', { maxBytes: MB, expiresInSeconds: 60 });
    expect(form.fields).toMatchObject({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toEqual(expect.arrayContaining([{ 'x-amz-server-side-encryption': 'aws:kms' }, { 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }]));
  });

  it('reports an object stored without the bucket key as not encrypted as required (HeadObject)', async () => {
    const store = new S3DocumentStore(s3.client, BUCKET, '1234abcd-12ab-34cd-56ef-1234567890ab');
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'assessments/k/plain.pdf', Body: '%PDF-1.7', ContentType: 'application/pdf' }));
    expect(await store.describeDocument('assessments/k/plain.pdf')).toEqual({ size: 8, contentType: 'application/pdf', encryptedAsRequired: false });
    expect(await new S3DocumentStore(s3.client, BUCKET).describeDocument('assessments/k/plain.pdf')).toMatchObject({ encryptedAsRequired: true });
  });
});

describe('a 60 MB report', () => {
  it('is refused when the upload is announced, saying the limit', async () => {
    const { portal } = await openPortal('huge@vendor.example');
    const steps = await uploadSteps(viaS3(portal), report60, { fileName: 'huge.pdf' });
    expect(steps.started.status).toBe(413);
    expect(await steps.started.json()).toMatchObject({ code: 'file-too-large', title: 'The file is 60.0 MB; at most 50 MB can be uploaded' });
    expect(steps.posted).toBeNull();
  });

  it('posted under a smaller declared size, is refused at completion and deleted from S3 (s3rver does not enforce content-length-range; S3 does)', async () => {
    const { id, portal } = await openPortal('liar@vendor.example');
    const steps = await uploadSteps(viaS3(portal), report60, { fileName: 'huge.pdf', declaredSize: 1000 });
    expect(steps.posted?.status).toBe(204);
    expect(steps.completed?.status).toBe(413);
    expect(await steps.completed!.json()).toMatchObject({ code: 'file-too-large', title: 'The file is 60.0 MB; at most 50 MB can be uploaded' });
    expect(await objectExists(`assessments/${id}/${steps.uploadId}.pdf`)).toBe(false);
    expect(await stack.deps.assessments.listDocuments(id)).toEqual([]);
  }, 60_000);
});
