/**
 * The register's CSV as an export job (issue 15): asked for through the API, written to the document store a page at a
 * time, downloaded through its signed link; the same file as the streamed CSV. Where an answer is buffered (AWS), the
 * direct CSV over its limit is refused with a stable code that names the export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../shared/adapters/aws/s3-document-store.ts';
import { startLocalS3 } from '../support/local-aws-standins.ts';
import { runRegisterExport, type RegisterExportView } from '../../shared/app/register-exports.ts';
import { createApp } from '../../shared/http/app.ts';
import type { AppDeps } from '../../shared/app/deps.ts';
import { backgroundTasks, inProcessJobs } from '../../shared/composition/background-tasks.ts';
import { bulkLoadScalePortfolio } from '../support/portfolio.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

/** More than two pages of the register (100 lines a page). */
const VENDORS = 230;
const clock = new TestClock();
let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  token = await stack.tokenFor('security');
  await bulkLoadScalePortfolio(stack, { count: VENDORS, today: clock.now().toISOString().slice(0, 10) });
}, 60_000);
afterAll(async () => stack.dispose());

const requestExport = async (body: unknown, as = token) => stack.call('POST', '/api/risk-register/exports', { token: as, body });

async function finished(id: string): Promise<RegisterExportView> {
  let job: RegisterExportView;
  await expect
    .poll(
      async () => {
        const res = await stack.call('GET', `/api/risk-register/exports/${id}`, { token });
        expect(res.status).toBe(200);
        job = (await res.json()) as RegisterExportView;
        return job.status;
      },
      { timeout: 20_000 },
    )
    .toMatch(/^(succeeded|failed)$/);
  return job!;
}

/** Follows a signed link as a browser does: no bearer token. */
async function download(url: string): Promise<Response> {
  const { pathname, search } = new URL(url, 'http://localhost');
  return stack.call('GET', `${pathname}${search}`, { token: null });
}

describe('register export job', () => {
  it('writes the whole register, the same lines as the streamed CSV, and hands a signed link to it', async () => {
    const res = await requestExport({});
    expect(res.status, await res.clone().text()).toBe(202);
    const queued = (await res.json()) as RegisterExportView;
    expect(res.headers.get('location')).toBe(`/api/risk-register/exports/${queued.id}`);
    expect(queued).toMatchObject({ status: 'queued', downloadUrl: null, query: { sort: 'name', order: 'asc' }, fileName: `risk-register-${clock.now().toISOString().slice(0, 10)}.csv` });

    const job = await finished(queued.id);
    expect(job).toMatchObject({ status: 'succeeded', lines: VENDORS, error: null, expired: false, version: 3 });
    const file = await download(job.downloadUrl!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(job.fileName);
    const text = await file.text();
    expect(Buffer.byteLength(text)).toBe(job.bytes);
    const streamed = await (await stack.call('GET', '/api/risk-register?format=csv', { token })).text();
    expect(text).toBe(streamed);
    expect(text.trimEnd().split('\r\n')).toHaveLength(VENDORS + 1);

    const trail = (await stack.deps.auditLog.listAuditEventsFor({ type: 'register-export', id: queued.id }, { limit: 10 })).items.map((e) => e.action);
    expect(trail).toEqual(['register-export.requested', 'register-export.started', 'register-export.finished']);
  });

  it('applies the filters and order of the register, and names the file after them', async () => {
    const queued = (await (await requestExport({ tier: 2, sort: 'name', order: 'desc' })).json()) as RegisterExportView;
    const job = await finished(queued.id);
    expect(job.fileName).toBe(`risk-register-tier-2-${clock.now().toISOString().slice(0, 10)}.csv`);
    const text = await (await download(job.downloadUrl!)).text();
    const streamed = await (await stack.call('GET', '/api/risk-register?format=csv&tier=2&order=desc', { token })).text();
    expect(text).toBe(streamed);
    expect(job.lines).toBe(streamed.trimEnd().split('\r\n').length - 1);
    expect(job.lines).toBeGreaterThan(0);
    expect(job.lines).toBeLessThan(VENDORS);
  });

  it('refuses bad filters before it records a job, with stable codes', async () => {
    const unserved = await requestExport({ tier: 2, sort: 'next-review' });
    expect(unserved.status).toBe(400);
    expect(((await unserved.json()) as { code: string }).code).toBe('unsupported-register-query');
    for (const body of [{ tier: 7 }, { rating: 'dreadful' }, { format: 'xlsx' }, { sort: 'name', extra: true }]) {
      const res = await requestExport(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('validation-failed');
    }
  });

  it('answers 404 for an unknown export, and keeps exports from vendors and anonymous callers', async () => {
    const missing = await stack.call('GET', '/api/risk-register/exports/no-such-export', { token });
    expect(missing.status).toBe(404);
    expect((await stack.call('POST', '/api/risk-register/exports', { token: null, body: {} })).status).toBe(401);
  });

  it('does not run a job twice, and stops handing out its link once the file is no longer kept', async () => {
    const queued = (await (await requestExport({ overdue: true, sort: 'next-review' })).json()) as RegisterExportView;
    const job = await finished(queued.id);
    expect(job.status).toBe('succeeded');
    // A second run (a redelivered job) finds it finished and writes nothing.
    expect((await runRegisterExport(stack.deps, queued.id)).version).toBe(job.version);
    clock.advanceDays(2);
    try {
      const later = (await (await stack.call('GET', `/api/risk-register/exports/${queued.id}`, { token })).json()) as RegisterExportView;
      expect(later).toMatchObject({ status: 'succeeded', expired: true, downloadUrl: null });
    } finally {
      clock.advanceDays(-2);
    }
  });

  it('fails the job, with the reason and nothing under its key, when the store refuses the file', async () => {
    const documents = Object.assign(Object.create(stack.deps.documents) as typeof stack.deps.documents, { putDocumentStream: () => Promise.reject(new Error('the bucket said no')) });
    const refusing = { ...stack.deps, documents, jobs: { dispatch: () => Promise.resolve() } };
    const http = createApp(refusing, { error: () => {} });
    const res = await http.app.request('/api/risk-register/exports', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    const queued = (await res.json()) as RegisterExportView;
    const failed = await runRegisterExport(refusing, queued.id);
    expect(failed).toMatchObject({ status: 'failed', error: 'the bucket said no', documentKey: null, bytes: null });
    expect(await stack.deps.documents.describeDocument(`exports/register/${queued.id}.csv`)).toBeNull();
  });
});

describe('the direct CSV where answers are buffered', () => {
  it('answers the CSV while it fits, and 422 register-csv-too-large naming the export once it does not', async () => {
    const full = await (await stack.call('GET', '/api/risk-register?format=csv', { token })).text();
    const limited = (max: number) => createApp({ ...stack.deps, inlineCsvMaxBytes: max }, { error: () => {} }).app.request('/api/risk-register?format=csv', { headers: { authorization: `Bearer ${token}` } });
    const fits = await limited(Buffer.byteLength(full));
    expect(fits.status).toBe(200);
    expect(await fits.text()).toBe(full);
    const over = await limited(Buffer.byteLength(full) - 1);
    expect(over.status).toBe(422);
    const problem = (await over.json()) as { code: string; title: string };
    expect(problem.code).toBe('register-csv-too-large');
    expect(problem.title).toContain('POST /api/risk-register/exports');
  });
});

describe('in AWS: the export to S3, the direct CSV refused past its limit', () => {
  it('writes the file as a multipart upload, downloads it from the signed S3 link, and points the too-large CSV at it', async () => {
    const s3 = await startLocalS3('trustgate-exports');
    try {
      // Parts of 8 KiB (S3 itself needs 5 MiB): the register's CSV here takes several.
      const documents = new S3DocumentStore(s3.client, 'trustgate-exports', undefined, 8 * 1024);
      // Its jobs run with these deps (the S3 store), as the jobs function's would.
      const awsDeps: AppDeps = { ...stack.deps, documents, inlineCsvMaxBytes: 10_000, jobs: inProcessJobs(backgroundTasks(), () => awsDeps) };
      const aws = createApp(awsDeps, { error: () => {} }).app;
      const call = (method: string, path: string) => aws.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      const direct = await call('GET', '/api/risk-register?format=csv');
      expect(direct.status).toBe(422);
      expect(((await direct.json()) as { code: string }).code).toBe('register-csv-too-large');

      const queued = (await (await call('POST', '/api/risk-register/exports')).json()) as RegisterExportView;
      let job = queued;
      await expect.poll(async () => (job = (await (await call('GET', `/api/risk-register/exports/${queued.id}`)).json()) as RegisterExportView).status, { timeout: 20_000 }).toBe('succeeded');
      expect(job.bytes).toBeGreaterThan(2 * 8 * 1024);
      const file = await fetch(job.downloadUrl!);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toContain(job.fileName);
      const streamed = await (await stack.call('GET', '/api/risk-register?format=csv', { token })).text();
      expect(await file.text()).toBe(streamed);
    } finally {
      await s3.close();
    }
  });
});
