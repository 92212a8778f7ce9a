/** Corrections of extracted facts through the API: applied, scored again, audited, reverted, guarded, exported. */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli.ts';
import type { CliIo } from '../../shared/cli/cli-io.ts';
import { answerEverything, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let security: string;
let procurement: string;
let admin: string;
let pdf: Buffer;
let dir: string;
/** Waits for review: a clean, fresh SOC 2 Type 2 report and a document of kind "other". */
const review = { id: '', documentId: '', otherDocumentId: '' };
/** Approved automatically: decided, so closed to corrections. */
const approved = { id: '', documentId: '' };

interface View {
  version: number;
  original: { opinion: string; exceptions: unknown[] | null };
  corrections: { field: string; value: unknown; reason: string; correctedBy: string; correctedAt: string }[];
  effective: { opinion: string; exceptions: unknown[] | null; evidence: Record<string, unknown> };
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

async function submitted(vendor: Record<string, unknown>, contactEmail: string, extra?: (portal: string) => Promise<void>): Promise<{ id: string; documents: { id: string; kind: string }[] }> {
  const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail, ...vendor }));
  const portal = await portalTokenFromOutbox(stack, contactEmail);
  await answerEverything(stack, portal);
  expect((await upload(stack, portal, pdf)).status).toBe(201);
  await extra?.(portal);
  expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
  await stack.settle();
  const view = (await (await stack.call('GET', `/api/assessments/${id}`, { token: security })).json()) as { documents: { id: string; kind: string }[] };
  return { id, documents: view.documents };
}

beforeAll(async () => {
  stack = await startTestStack();
  [security, procurement, admin] = await Promise.all([stack.tokenFor('security'), stack.tokenFor('procurement'), stack.tokenFor('admin')]);
  pdf = Buffer.from(await freshCleanReportPdf());
  dir = await mkdtemp(join(tmpdir(), 'trustgate-corpus-'));
  const a = await submitted({ criticality: 'critical', dataClassification: 'restricted', dataTypes: ['personal', 'payment'] }, 'corrections@vendor.example', async (portal) => {
    expect((await upload(stack, portal, pdf, 'pen-test-summary.pdf', 'other')).status).toBe(201);
  });
  review.id = a.id;
  review.documentId = a.documents.find((d) => d.kind === 'soc2-report')!.id;
  review.otherDocumentId = a.documents.find((d) => d.kind === 'other')!.id;
  const b = await submitted({ criticality: 'low', dataClassification: 'internal' }, 'approved@vendor.example');
  approved.id = b.id;
  approved.documentId = b.documents[0]!.id;
}, 120_000);
afterAll(async () => {
  await stack.dispose();
  await rm(dir, { recursive: true, force: true });
});

const base = (a = review.id, d = review.documentId) => `/api/assessments/${a}/documents/${d}/corrections`;
const correct = (field: string, body: unknown, options: { token?: string; headers?: Record<string, string>; assessment?: string; document?: string } = {}) =>
  stack.call('PUT', `${base(options.assessment, options.document)}/${field}`, { token: options.token ?? security, body, ...(options.headers ? { headers: options.headers } : {}) });
const revert = (field: string, reason: string, headers?: Record<string, string>) =>
  stack.call('DELETE', `${base()}/${field}?reason=${encodeURIComponent(reason)}`, { token: security, ...(headers ? { headers } : {}) });
const corrections = async () => (await (await stack.call('GET', base(), { token: security })).json()) as View;
const score = async () => ((await (await stack.call('GET', `/api/assessments/${review.id}/score`, { token: security })).json()) as { score: { score: number; rating: string } }).score;
const findings = async () => ((await (await stack.call('GET', `/api/assessments/${review.id}/findings`, { token: security })).json()) as { items: { id: string; title: string; severity: string; status: string }[] }).items;
const timeline = async () =>
  ((await (await stack.call('GET', `/api/assessments/${review.id}`, { token: security })).json()) as { timeline: { action: string; actor: string; summary: string; changes: Record<string, { from: unknown; to: unknown }> | null }[] }).timeline;

describe('correcting a field', () => {
  it('waits for review before the first correction, with nothing corrected', async () => {
    const res = await stack.call('GET', base(), { token: procurement });
    const view = (await res.json()) as View;
    expect([res.status, res.headers.get('etag'), view.corrections, view.effective.opinion, view.original.opinion]).toEqual([200, `"${view.version}"`, [], 'unqualified', 'unqualified']);
  });

  it('scores again from a corrected opinion: a qualified opinion raises the residual risk and a high finding', async () => {
    const before = await score();
    const res = await correct('opinion', { value: 'qualified', reason: 'Page 5 holds a "Basis for Qualified Opinion" paragraph the analyzer missed' });
    expect(res.status, await res.clone().text()).toBe(200);
    const after = await score();
    expect(after.score).toBeGreaterThan(before.score);
    expect((await findings()).find((f) => /^Qualified opinion/.test(f.title))).toMatchObject({ severity: 'high', status: 'open' });
  });

  it('keeps the analysis as extracted beside the correction and the effective facts', async () => {
    const view = await corrections();
    expect([view.original.opinion, view.effective.opinion, view.corrections[0]]).toEqual([
      'unqualified',
      'qualified',
      { field: 'opinion', value: 'qualified', reason: expect.stringMatching(/^Page 5/), correctedBy: 'security@example.com', correctedAt: expect.any(String) },
    ]);
    const assessment = (await (await stack.call('GET', `/api/assessments/${review.id}`, { token: security })).json()) as { documents: { id: string; analysis: { opinion: string }; effectiveAnalysis: { opinion: string } }[] };
    const doc = assessment.documents.find((d) => d.id === review.documentId)!;
    expect([doc.analysis.opinion, doc.effectiveAnalysis.opinion]).toEqual(['unqualified', 'qualified']);
  });

  it('audits who, when, the field, the old and new value and the reason, then the new score', async () => {
    const events = await timeline();
    const corrected = events.find((e) => e.action === 'document.corrected');
    expect(corrected).toMatchObject({ actor: 'security@example.com', changes: { opinion: { from: 'unqualified', to: 'qualified' } }, summary: expect.stringContaining('Reason: Page 5 holds') });
    expect(events.find((e) => e.action === 'assessment.rescored')?.summary).toMatch(/^opinion of soc2-report\.pdf corrected: residual risk [\d.]+ \(\w+\) → [\d.]+ \(\w+\)/);
  });

  it('raises a finding for an exception added by hand', async () => {
    const res = await correct('exceptions', { value: [{ controlId: 'CC6.2-01', criteria: ['CC6.2'], description: 'Access of 3 of 25 leavers was not removed within the required time', page: 41 }], reason: 'The exception table on page 41 was not read' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await findings()).some((f) => /^Exception on CC6\.2 \(control CC6\.2-01\)/.test(f.title))).toBe(true);
  });

  it('lets a later correction of the same field supersede the earlier one', async () => {
    await correct('serviceAuditor', { value: 'First Guess LLP', reason: 'Signature block' });
    await correct('serviceAuditor', { value: 'Example Assurance LLP', reason: 'The signature block on page 6 names the firm' });
    const view = await corrections();
    expect(view.corrections.filter((c) => c.field === 'serviceAuditor').map((c) => c.value)).toEqual(['Example Assurance LLP']);
  });
});

describe('refusals', () => {
  it('refuses procurement with 403', async () => {
    expect((await correct('opinion', { value: 'adverse', reason: 'not my job' }, { token: procurement })).status).toBe(403);
  });

  it('lets admin correct', async () => {
    expect((await correct('systemName', { value: 'Acme Platform', reason: 'Section III names the system' }, { token: admin })).status).toBe(200);
  });

  it('refuses a value outside the field’s type with 400 invalid-correction-value naming the value', async () => {
    const res = await correct('period', { value: { start: '2025-02-30', end: '2025-12-31' }, reason: 'dates' });
    expect([res.status, await res.json()]).toEqual([400, expect.objectContaining({ code: 'invalid-correction-value', errors: [{ path: 'value.start', message: expect.any(String) }] })]);
  });

  it('refuses a field that is not correctable with 400 unknown-field', async () => {
    const res = await correct('controlsTested', { value: 3, reason: 'count' });
    expect([res.status, ((await res.json()) as Problem).code]).toEqual([400, 'unknown-field']);
  });

  it('refuses a correction without a reason', async () => {
    const res = await correct('opinion', { value: 'adverse', reason: '' });
    expect([res.status, ((await res.json()) as Problem).errors?.[0]?.path]).toEqual([400, 'reason']);
  });

  it('refuses a stale If-Match with 412 version-mismatch and changes nothing', async () => {
    const before = await corrections();
    const res = await correct('opinion', { value: 'adverse', reason: 'stale copy' }, { headers: { 'if-match': `"${before.version - 1}"` } });
    expect([res.status, ((await res.json()) as Problem).code]).toEqual([412, 'version-mismatch']);
    expect(await corrections()).toEqual(before);
  });

  it('takes a current If-Match and answers the new ETag', async () => {
    const { version } = await corrections();
    const res = await correct('reportType', { value: 'type2', reason: 'Confirmed: Type 2 on the cover' }, { headers: { 'if-match': `"${version}"` } });
    expect([res.status, res.headers.get('etag')]).toEqual([200, `"${version + 1}"`]);
  });

  it('refuses a document without an analysis with 409 document-not-analyzed', async () => {
    const res = await correct('opinion', { value: 'qualified', reason: 'x' }, { document: review.otherDocumentId });
    expect([res.status, ((await res.json()) as Problem).code]).toEqual([409, 'document-not-analyzed']);
  });

  it('refuses corrections once the assessment is decided with 409 corrections-closed', async () => {
    const res = await correct('opinion', { value: 'qualified', reason: 'too late' }, { assessment: approved.id, document: approved.documentId });
    expect([res.status, ((await res.json()) as Problem).code]).toEqual([409, 'corrections-closed']);
  });
});

describe('reverting', () => {
  it('takes the field back to what the analyzer read and scores again', async () => {
    await correct('exceptions', { value: [], reason: 'Back to none while we check' });
    const corrected = await score();
    const res = await revert('opinion', 'The qualification concerned another report');
    expect(res.status, await res.clone().text()).toBe(200);
    const view = (await res.json()) as View;
    expect([view.effective.opinion, view.corrections.some((c) => c.field === 'opinion')]).toEqual(['unqualified', false]);
    expect((await score()).score).toBeLessThan(corrected.score);
    expect((await timeline()).find((e) => e.action === 'document.correction-reverted')).toMatchObject({ changes: { opinion: { from: 'qualified', to: 'unqualified' } }, summary: expect.stringContaining('Reason: The qualification') });
  });

  it('reverts with a current If-Match, back to the score before the correction', async () => {
    const before = await score();
    const corrected = (await (await correct('opinion', { value: 'adverse', reason: 'Trying the adverse reading' })).json()) as View;
    expect((await score()).score).toBeGreaterThan(before.score);
    const res = await revert('opinion', 'Not adverse after all', { 'if-match': `"${corrected.version}"` });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await score()).toEqual(before);
  });

  it('answers 404 correction-not-found for a field that carries no correction', async () => {
    const res = await revert('opinion', 'again');
    expect([res.status, ((await res.json()) as Problem).code]).toEqual([404, 'correction-not-found']);
  });
});

describe('corpus case', () => {
  it('exports the corrected facts as a label for the document, with its sha256', async () => {
    await correct('opinion', { value: 'qualified', reason: 'Re-read: it is qualified after all' });
    const res = await stack.call('GET', `${base()}/corpus-case`, { token: security });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="soc2-report.label.json"');
    const body = (await res.json()) as { caseName: string; label: Record<string, unknown>; document: { sha256: string } };
    expect(body.caseName).toBe('soc2-report');
    expect(body.label).toMatchObject({ documentKind: 'soc2', reportType: 'type2', opinion: 'qualified', serviceAuditor: 'Example Assurance LLP', exceptionCriteria: [] });
    expect(body.document.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('refuses the export to procurement', async () => {
    expect((await stack.call('GET', `${base()}/corpus-case`, { token: procurement })).status).toBe(403);
  });

  it('adds the download and the PDF to a corpus folder with `trustgate corpus add`', async () => {
    const labelFile = join(dir, 'download.json');
    await writeFile(labelFile, await (await stack.call('GET', `${base()}/corpus-case`, { token: security })).text());
    await writeFile(join(dir, 'report.pdf'), pdf);
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t), cwd: dir, env: {} };
    const code = await main(['corpus', 'add', 'acme-qualified-2026', '--label', 'download.json', '--pdf', 'report.pdf', '--dir', 'corpus'], io);
    expect([code, out.join('\n')]).toEqual([0, expect.stringMatching(/^Added acme-qualified-2026 in /)]);
    const labels = JSON.parse(await readFile(join(dir, 'corpus', 'labels.json'), 'utf8')) as Record<string, { opinion: string }>;
    expect(labels['acme-qualified-2026']?.opinion).toBe('qualified');
    expect((await readFile(join(dir, 'corpus', 'acme-qualified-2026.pdf'))).equals(pdf)).toBe(true);
  });
});
