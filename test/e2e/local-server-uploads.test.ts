/**
 * Issue 14, item 1, through the running local server (npm start's process): the same two-step upload the portal
 * page makes and the same client code as against S3, here posting to the server's stand-in for S3 over HTTP. A 50 MB
 * report is stored and analyzed, a 60 MB one refused by the signed form's size range, the download is a 302.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { writePaddedPdf } from '../fixtures/large-pdf.ts';
import { safestAnswers } from '../support/answers.ts';
import { freshCleanReportPdf } from '../support/journey.ts';
import { runCli, startServerProcess, type RunningServer } from '../support/processes.ts';
import { s3ErrorOf, uploadSteps, type UploadTransport } from '../support/uploads.ts';

const MB = 1024 * 1024;
let dir: string;
let server: RunningServer;
let staff: string;
let portal: string;
let assessmentId: string;
let report50: Buffer;
let report60: Buffer;

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 250));
  }
}

const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustgate-uploads-e2e-'));
  const small = await freshCleanReportPdf();
  await writePaddedPdf(small, 50 * MB, join(dir, 'report-50mb.pdf'));
  await writePaddedPdf(small, 60 * MB, join(dir, 'report-60mb.pdf'));
  report50 = await readFile(join(dir, 'report-50mb.pdf'));
  report60 = await readFile(join(dir, 'report-60mb.pdf'));
  const dataDir = join(dir, 'data');
  server = await startServerProcess({ TRUSTGATE_DATA_DIR: dataDir, PORT: '0' });
  staff = (await runCli(['token', '--role', 'procurement'], { TRUSTGATE_DATA_DIR: dataDir })).stdout.trim().split('\n').at(-1)!;
  const vendor = (await (await fetch(`${server.url}/api/vendors`, { method: 'POST', headers: json(staff), body: JSON.stringify({ name: 'Large Files Ltd', website: 'https://large.example', contactEmail: 'sec@large.example', criticality: 'medium', dataClassification: 'internal' }) })).json()) as { id: string };
  const started = await fetch(`${server.url}/api/assessments`, { method: 'POST', headers: json(staff), body: JSON.stringify({ vendorId: vendor.id, dueDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10) }) });
  assessmentId = ((await started.json()) as { id: string }).id;
  portal = await waitFor(async () => {
    const outbox = (await (await fetch(`${server.url}/api/dev/outbox`, { headers: json(staff) })).json()) as { items: { text: string }[] };
    return /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(outbox.items.map((m) => m.text).join('\n'))?.[1] ?? null;
  });
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** What the browser does: the API with the portal token, the signed form posted to the URL it names (here relative). */
const viaServer = (): UploadTransport => ({
  api: (method, path, body) => fetch(`${server.url}${path}`, { method, headers: json(portal), body: JSON.stringify(body) }),
  postForm: (url, form) => fetch(new URL(url, server.url), { method: 'POST', body: form }),
});

describe('uploads through the running local server', () => {
  it('refuses a 60 MB report: at the intent with file-too-large, and at the store with EntityTooLarge when under-declared', { timeout: 60_000 }, async () => {
    const declared = await uploadSteps(viaServer(), report60, { fileName: 'huge.pdf' });
    expect(declared.started.status).toBe(413);
    expect(await declared.started.json()).toMatchObject({ code: 'file-too-large', title: 'The file is 60.0 MB; at most 50 MB can be uploaded' });
    const lying = await uploadSteps(viaServer(), report60, { fileName: 'huge.pdf', declaredSize: 1000 });
    expect(lying.started.status).toBe(201);
    expect(lying.posted?.status).toBe(400);
    expect(await s3ErrorOf(lying.posted!)).toMatchObject({ code: 'EntityTooLarge' });
    const completed = await viaServer().api('POST', '/api/portal/documents', { uploadId: lying.uploadId });
    expect(completed.status).toBe(409);
    expect(await completed.json()).toMatchObject({ code: 'upload-incomplete' });
  });

  it('stores a 50 MB report posted with the signed form, and the workflow analyzes it after submit', { timeout: 240_000 }, async () => {
    const steps = await uploadSteps(viaServer(), report50, { fileName: 'soc2-2026.pdf' });
    expect(steps.posted?.status, await steps.posted?.clone().text()).toBe(204);
    expect(steps.completed?.status, await steps.completed?.clone().text()).toBe(201);
    expect(await steps.completed!.json()).toMatchObject({ size: 50 * MB, fileName: 'soc2-2026.pdf', analysisStatus: 'pending' });

    const view = (await (await fetch(`${server.url}/api/portal/assessment`, { headers: json(portal) })).json()) as { questionnaires: { template: { id: string } }[] };
    for (const q of view.questionnaires) {
      const saved = await fetch(`${server.url}/api/portal/answers`, { method: 'PUT', headers: json(portal), body: JSON.stringify({ templateId: q.template.id, answers: safestAnswers(getTemplate(q.template.id)!) }) });
      expect(saved.status).toBe(200);
    }
    expect((await fetch(`${server.url}/api/portal/submit`, { method: 'POST', headers: json(portal) })).status).toBe(200);
    const documents = await waitFor(async () => {
      const a = (await (await fetch(`${server.url}/api/assessments/${assessmentId}`, { headers: json(staff) })).json()) as { documents: { analysisStatus: string; analysis: { documentKind: string } | null }[] };
      return a.documents.every((d) => d.analysisStatus !== 'pending') ? a.documents : null;
    }, 180_000);
    expect(documents).toEqual([expect.objectContaining({ analysisStatus: 'analyzed', analysis: expect.objectContaining({ documentKind: 'soc2' }) })]);
  });

  it('downloads it for a reviewer through a 302 to a signed URL of the local server', async () => {
    const security = (await runCli(['token', '--role', 'security'], { TRUSTGATE_DATA_DIR: join(dir, 'data') })).stdout.trim().split('\n').at(-1)!;
    const listed = (await (await fetch(`${server.url}/api/assessments/${assessmentId}`, { headers: json(security) })).json()) as { documents: { id: string }[] };
    const redirect = await fetch(`${server.url}/api/assessments/${assessmentId}/documents/${listed.documents[0]!.id}/file`, { headers: json(security), redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const file = await fetch(new URL(redirect.headers.get('location')!, server.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="soc2-2026\.pdf"/);
    expect((await file.arrayBuffer()).byteLength).toBe(50 * MB);
  });
});
