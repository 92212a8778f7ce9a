/**
 * Issue 14, item 1, from the portal page: Chromium uploads a 50 MB report with the page's own code straight to a real
 * S3 implementation (s3rver on loopback, a CORS rule for the app's origin as the stack sets on the bucket), the API
 * completes it after checking the object, and the workflow analyzes it; a 60 MB file is refused in words before
 * anything is sent. Only AWS itself is stood in for: the app runs in-process with the S3 document store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import S3rver from 's3rver';
import { afterAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../shared/adapters/aws/s3-document-store.ts';
import { createApp } from '../../shared/http/app.ts';
import { writePaddedPdf } from '../fixtures/large-pdf.ts';
import { launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { answerEverything, assessmentOf, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { serveOverNode, type ServedApp } from '../support/node-adapter.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const BUCKET = 'trustgate-documents';
const MB = 1024 * 1024;
const CONTACT = 'security@s3-upload.example';

let dir: string | undefined;
let s3rver: S3rver | undefined;
let s3: S3Client | undefined;
let stack: TestStack | undefined;
let served: ServedApp | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await stack?.dispose();
  s3?.destroy();
  await s3rver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The bucket's CORS rule as the stack writes it (infra/trustgate-stack.ts): POST and GET from the app's origin. */
const corsFor = (origin: string) => `<CORSConfiguration><CORSRule><AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

describe('a 50 MB report from the portal page to S3', () => {
  it('goes from the page straight to the bucket, is completed and analyzed; a 60 MB file is refused in words', { timeout: 300_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustgate-s3-browser-'));
    const small = await freshCleanReportPdf();
    const [file50, file60] = [join(dir, 'acme-soc2-50mb.pdf'), join(dir, 'acme-soc2-60mb.pdf')];
    await Promise.all([writePaddedPdf(small, 50 * MB, file50), writePaddedPdf(small, 60 * MB, file60)]);

    // The bucket's CORS rule names the app's origin; its port is chosen when the app listens, so the rule allows any
    // loopback port (S3 takes one * in an AllowedOrigin).
    s3rver = new S3rver({ port: 0, address: '127.0.0.1', directory: join(dir, 's3'), silent: true, configureBuckets: [{ name: BUCKET, configs: [corsFor('http://127.0.0.1:*')] }] });
    const { port } = await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    // The whole stack on the S3 store (the API, the workflow's analyzer); the pages may post to the bucket's origin.
    stack = await startTestStack({ documents: new S3DocumentStore(s3, BUCKET) });
    const app = createApp({ ...stack.deps, documentsOrigin: endpoint }, { error: () => undefined });
    [served, browser] = await Promise.all([serveOverNode(app.app.fetch), launchChromium()]);
    const appOrigin = served.url;

    const id = await startAssessmentFor(stack, await registerVendor(stack, { name: 'Acme S3', contactEmail: CONTACT }));
    const portalToken = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, portalToken);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: appOrigin });
    const portal = await context.newPage();
    const errors: string[] = [];
    portal.on('pageerror', (error) => errors.push(error.message));
    await portal.goto(`/portal/open#token=${portalToken}`);
    await portal.getByRole('button', { name: 'Open the assessment' }).click();
    await portal.waitForURL((url) => url.pathname === '/portal');
    await expect.poll(() => portal.locator('h1').textContent(), { timeout: 15_000 }).toContain('Acme S3');

    // 60 MB: more than the limit the API announced, refused by the page before anything is sent.
    await portal.getByLabel('Kind of document').selectOption('soc2-report');
    await portal.locator('#f-file').setInputFiles(file60);
    await expect.poll(() => portal.locator('#upload-errors').textContent(), { timeout: 15_000 }).toMatch(/larger than|at most 50 MB/);

    // 50 MB: announced to the API, posted to the bucket (not the API), completed.
    const posts: string[] = [];
    portal.on('request', (request) => void (request.method() === 'POST' && posts.push(`${new URL(request.url()).origin === endpoint ? 's3' : 'app'} ${new URL(request.url()).pathname}`)));
    await portal.locator('#f-file').setInputFiles(file50);
    await expect.poll(() => portal.locator('#documents').textContent(), { timeout: 120_000 }).toContain('acme-soc2-50mb.pdf');
    expect(posts).toEqual(['app /api/portal/uploads', `s3 /${BUCKET}`, 'app /api/portal/documents']);
    await screenshotAtWidths(portal, 's3-upload-01-stored');

    // The stored object is the file, and the workflow analyzes it after submit.
    expect((await stack.call('POST', '/api/portal/submit', { token: portalToken })).status).toBe(200);
    await stack.settle();
    const view = await assessmentOf(stack, id);
    expect(view.documents).toHaveLength(1);
    expect(view.documents[0]).toMatchObject({ analysisStatus: 'analyzed', analysis: { documentKind: 'soc2', reportType: 'type2' } });
    expect(errors).toEqual([]);
  });
});
