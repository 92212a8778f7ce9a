/** Concurrent writers: nothing is lost, conflicts are retried or reported, never silently dropped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textPdf } from '../fixtures/unreadable-pdfs.ts';
import { getTemplate } from '../../questionnaires/library.ts';
import { safestAnswers } from '../support/answers.ts';
import { analyzeEvidence } from '../../shared/app/analyze-evidence.ts';
import { assessmentOf, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let portal: string;
let assessmentId: string;

beforeAll(async () => {
  stack = await startTestStack();
  assessmentId = await startAssessmentFor(stack, await registerVendor(stack, { criticality: 'low', dataClassification: 'internal' }));
  portal = await portalTokenFromOutbox(stack, 'security@acme.example');
});
afterAll(async () => stack.dispose());

describe('concurrent draft saves on one assessment', () => {
  it('keeps every answer whose save succeeded, and reports the others as conflicts', async () => {
    const answers = Object.entries(safestAnswers(getTemplate('saas-lite')!));
    const saves = Array.from({ length: 50 }, (_, i) => answers[i % answers.length]!);
    const results = await Promise.all(
      saves.map(([questionId, entry]) => stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'saas-lite', answers: { [questionId]: entry } } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409), statuses.join(',')).toBe(true);
    const saved = new Set(saves.filter((_, i) => statuses[i] === 200).map(([q]) => q));
    const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { answersVersion: number; questionnaires: { template: { id: string }; answers: Record<string, unknown> }[] };
    const stored = view.questionnaires.find((q) => q.template.id === 'saas-lite')!.answers;
    for (const q of saved) expect(stored, q).toHaveProperty(q);
    expect(view.answersVersion).toBe(1 + statuses.filter((s) => s === 200).length);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(45);
  });

  it('records one audit event per successful save', async () => {
    const view = (await (await stack.call('GET', `/api/assessments/${assessmentId}`, { token: await stack.tokenFor('security') })).json()) as { timeline: { action: string }[]; answers: { version: number } };
    expect(view.timeline.filter((e) => e.action === 'answers.saved').length).toBe(view.answers.version - 1);
  });

  it('refuses a save over newer answers when If-Match is stale', async () => {
    const res = await stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'saas-lite', answers: {} }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(412);
    expect(await res.json()).toMatchObject({ code: 'version-mismatch' });
  });
});

describe('concurrent writers of one assessment share its audit chain', () => {
  it('records every one of 20 parallel uploads (the most an assessment holds), each with its audit event', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { criticality: 'low', dataClassification: 'internal' }));
    const link = (await portalLinks(stack)).at(-1)!;
    const pdf = await textPdf({ title: 'Parallel evidence' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => upload(stack, link, pdf, `report-${i}.pdf`, 'other')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const view = await assessmentOf(stack, id);
    expect(view.documents).toHaveLength(20);
    expect(view.timeline.filter((e) => e.action === 'document.uploaded')).toHaveLength(20);
  }, 120_000);

  it('answers 30 parallel uploads with 201 or too-many-documents, never a write conflict', async () => {
    await startAssessmentFor(stack, await registerVendor(stack, { criticality: 'low', dataClassification: 'internal' }));
    const link = (await portalLinks(stack)).at(-1)!;
    const pdf = await textPdf({ title: 'Parallel evidence' });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => upload(stack, link, pdf, `report-${i}.pdf`, 'other')));
    const codes = await Promise.all(results.map(async (r) => (r.status === 201 ? 201 : ((await r.json()) as { code: string }).code)));
    expect(codes.filter((c) => c !== 201 && c !== 'too-many-documents')).toEqual([]);
    expect(codes.filter((c) => c === 201).length).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('records the analyses of 3 reports analysed at the same time', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { criticality: 'low', dataClassification: 'internal' }));
    const link = (await portalLinks(stack)).at(-1)!;
    const report = await freshCleanReportPdf();
    const uploaded = [];
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) uploaded.push(((await (await upload(stack, link, report, name)).json()) as { id: string }).id);
    const results = await Promise.allSettled(uploaded.map((documentId) => analyzeEvidence(stack.deps, { assessmentId: id, documentId })));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : String(r.reason)))).toEqual(['analyzed', 'analyzed', 'analyzed']);
    const view = await assessmentOf(stack, id);
    expect(view.documents.map((d) => d.analysisStatus)).toEqual(['analyzed', 'analyzed', 'analyzed']);
    expect(view.timeline.filter((e) => e.action === 'document.analyzed')).toHaveLength(3);
  }, 120_000);
});

/** Portal tokens mailed so far, oldest first. */
async function portalLinks(s: TestStack): Promise<string[]> {
  return (await s.outbox()).map((m) => /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(m.text)?.[1]).filter((t): t is string => !!t).reverse();
}
