/** Steps of the assessment journey, through the API, shared by the workflow tests. */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { buildCorpus } from '../fixtures/soc2-corpus/corpus.ts';
import { renderReport } from '../fixtures/soc2-corpus/render-report.ts';
import { corpusSpecs } from '../fixtures/soc2-corpus/specs.ts';
import type { SocReportSpec } from '../fixtures/soc2-corpus/spec-types.ts';
import { safestAnswers } from './answers.ts';
import { sampleIntake, type TestStack } from './test-stack.ts';
import { uploadSteps, type UploadOptions, type UploadSteps } from './uploads.ts';

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function registerVendor(stack: TestStack, overrides: Record<string, unknown> = {}): Promise<string> {
  const token = await stack.tokenFor('procurement');
  const res = await stack.call('POST', '/api/vendors', { token, body: sampleIntake({ name: `Vendor ${Math.random().toString(36).slice(2, 10)}`, ...overrides }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

export async function startAssessmentFor(stack: TestStack, vendorId: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: inDays(30), ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  await stack.settle();
  return id;
}

/** The portal token from the newest mail to `to` that carries a portal link. */
export async function portalTokenFromOutbox(stack: TestStack, to: string): Promise<string> {
  const mail = (await stack.outbox()).find((m) => m.to.includes(to) && /#token=tgp_/.test(m.text));
  expect(mail, `a portal link mailed to ${to}`).toBeDefined();
  return /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
}

export async function answerEverything(stack: TestStack, portalToken: string): Promise<void> {
  const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portalToken })).json()) as { questionnaires: { template: { id: string } }[] };
  for (const q of view.questionnaires) {
    const res = await stack.call('PUT', '/api/portal/answers', { token: portalToken, body: { templateId: q.template.id, answers: safestAnswers(getTemplate(q.template.id)!) } });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}

let corpus: Awaited<ReturnType<typeof buildCorpus>> | null = null;
/** A generated SOC 2 Type II report (or another corpus file matching `pick`). */
export async function corpusPdf(pick: (entry: Awaited<ReturnType<typeof buildCorpus>>[number]) => boolean): Promise<Buffer> {
  corpus ??= await buildCorpus();
  const entry = corpus.find(pick);
  expect(entry, 'a matching corpus file').toBeDefined();
  return readFile(entry!.file);
}

/** A SOC 2 Type II report with no exceptions and no carve-outs, whose period ended a month ago. */
export async function freshCleanReportPdf(): Promise<Buffer> {
  const base = corpusSpecs.find((s): s is SocReportSpec => s.id === 'classic-01-unqualified')!;
  const spec: SocReportSpec = { ...base, id: 'fresh-clean', exceptions: [], subservice: [], periodStart: inDays(-396), periodEnd: inDays(-31), reportDate: inDays(-14) };
  return (await renderReport(spec)).bytes;
}

export const isCleanType2 = (e: { labels: { documentKind?: string; reportType?: string | null; opinion?: string | null } | null }) =>
  e.labels?.documentKind === 'soc2' && e.labels.reportType === 'type2' && e.labels.opinion === 'unqualified';

/** The two-step upload the portal page makes, through the in-process app (the local store's form endpoint included). */
export async function uploadVia(stack: TestStack, portalToken: string, bytes: Uint8Array, options: UploadOptions = {}): Promise<UploadSteps> {
  return uploadSteps(
    {
      api: (method, path, body) => stack.call(method, path, { token: portalToken, body }),
      postForm: (url, form) => Promise.resolve(stack.http.app.request(url, { method: 'POST', body: form })),
    },
    bytes,
    options,
  );
}

/** Uploads a PDF the way the portal page does; the answer of the last step taken (201 and the document when it went through). */
export async function upload(stack: TestStack, portalToken: string, bytes: Uint8Array, fileName = 'soc2-report.pdf', kind = 'soc2-report'): Promise<Response> {
  return (await uploadVia(stack, portalToken, bytes, { fileName, kind })).last;
}

export async function assessmentOf(stack: TestStack, id: string) {
  const res = await stack.call('GET', `/api/assessments/${id}`, { token: await stack.tokenFor('security') });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    assessment: { status: string; nextReviewDate: string | null; attentionReason: string | null; reminders: { sent: number; escalated: boolean; overdue: boolean }; lastDecision: { decision: string; automatic: boolean } | null };
    documents: { analysisStatus: string; analysis: { documentKind: string; reportType: string | null } | null }[];
    timeline: { action: string; summary: string }[];
    waitingAt: string | null;
  };
}
