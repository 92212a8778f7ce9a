/**
 * Reassessment that respects the vendor's time (issue 18, item 2): the last approved answers open the next
 * assessment, the vendor confirms or edits each section, and security sees what changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { runDailySweep } from '../../shared/app/sweep.ts';
import { answerEverything, assessmentOf, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

const CONTACT = 'security@acme.example';

interface PortalView {
  questionnaires: { template: { id: string; sections: { id: string; questions: { id: string; type: string }[] }[] }; answers: Record<string, { value: unknown }> }[];
  carriedOver: { answeredOn: string; sections: Record<string, Record<string, string>>; evidence: { carried: string[]; askAgain: { fileName: string; reason: string }[] } } | null;
}

async function approvedOnce(s: TestStack): Promise<{ vendorId: string; firstId: string; report: Buffer }> {
  // Tier 1: the baseline security questionnaire (and privacy, for personal data).
  const vendorId = await registerVendor(s, { criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'] });
  const firstId = await startAssessmentFor(s, vendorId);
  const portal = await portalTokenFromOutbox(s, CONTACT);
  await answerEverything(s, portal);
  const report = await freshCleanReportPdf();
  expect((await upload(s, portal, report)).status).toBe(201);
  expect((await s.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
  await s.settle();
  // A clean fresh report and the safest answers may be approved automatically; otherwise security approves.
  if ((await assessmentOf(s, firstId)).assessment.status === 'awaiting-review') {
    const decided = await s.call('POST', `/api/assessments/${firstId}/decision`, { token: await s.tokenFor('security'), body: { decision: 'approved', comment: 'Fine.' } });
    expect(decided.status, await decided.clone().text()).toBe(200);
    await s.settle();
  }
  expect((await assessmentOf(s, firstId)).assessment.status).toBe('approved');
  return { vendorId, firstId, report };
}

const portalView = async (s: TestStack, token: string) => (await (await s.call('GET', '/api/portal/assessment', { token })).json()) as PortalView;

/** The newest portal link mailed to the contact (the reassessment's invitation). */
async function newestPortalToken(s: TestStack): Promise<string> {
  return portalTokenFromOutbox(s, CONTACT);
}

describe('reassessment', () => {
  it('opens with the approved answers marked with their date, asks for each section, and shows security what changed', async () => {
    stack = await startTestStack();
    const { vendorId, firstId, report } = await approvedOnce(stack);
    const first = { assessment: (await stack.deps.assessments.getAssessment(firstId))!, answers: await stack.deps.assessments.getAnswerSheet(firstId) };

    const secondId = await startAssessmentFor(stack, vendorId);
    const portal = await newestPortalToken(stack);
    const view = await portalView(stack, portal);
    expect(view.carriedOver?.answeredOn).toBe(first.assessment.submittedAt!.slice(0, 10));
    // Every non-file answer is there again; file answers name the old documents and are asked anew.
    for (const q of view.questionnaires) {
      const previous = first.answers!.answers[q.template.id]!;
      for (const question of q.template.sections.flatMap((s) => s.questions)) {
        if (question.type === 'file' || !previous[question.id]) expect(q.answers[question.id], question.id).toBeUndefined();
        else expect(q.answers[question.id], question.id).toEqual(previous[question.id]);
      }
    }
    const carried = Object.entries(view.carriedOver!.sections).flatMap(([t, s]) => Object.keys(s).map((sectionId) => ({ templateId: t, sectionId })));
    expect(carried.length).toBeGreaterThan(3);
    expect(Object.values(view.carriedOver!.sections).flatMap((s) => Object.values(s))).toEqual(carried.map(() => 'unconfirmed'));

    // Submit refuses while sections are unconfirmed, naming them.
    const early = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(early.status).toBe(400);
    const problem = (await early.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe('sections-unconfirmed');
    expect(problem.errors.map((e) => e.path).sort(), JSON.stringify(problem)).toEqual(carried.map((c) => `${c.templateId}.sections.${c.sectionId}`).sort());

    // One answer edited: its section counts as reviewed. The rest confirmed in a click each (twice is harmless).
    const baseline = getTemplate('baseline-security')!;
    const saved = await stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'baseline-security', answers: { 'gov-policies': { value: 'no', comment: 'Policies are being rewritten.' } } } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const governance = baseline.sections.find((s) => s.questions.some((q) => q.id === 'gov-policies'))!.id;
    // The edited answer is no longer "from <date>"; the others of its section still are.
    const unchanged = ((await portalView(stack, portal)) as PortalView & { carriedOver: { unchangedAnswers: Record<string, string[]> } }).carriedOver.unchangedAnswers['baseline-security']!;
    const governanceIds = baseline.sections.find((s) => s.id === governance)!.questions.map((q) => q.id);
    expect(unchanged).not.toContain('gov-policies');
    expect(unchanged.filter((id) => governanceIds.includes(id)).length).toBeGreaterThan(0);
    expect([...unchanged].sort()).toEqual(Object.keys(view.questionnaires.find((q) => q.template.id === 'baseline-security')!.answers).filter((id) => id !== 'gov-policies').sort());
    for (const { templateId, sectionId } of carried) {
      if (templateId === 'baseline-security' && sectionId === governance) continue;
      const res = await stack.call('POST', '/api/portal/sections/confirm', { token: portal, body: { templateId, sectionId } });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { review: string }).review).toBe('confirmed');
    }
    const again = await stack.call('POST', '/api/portal/sections/confirm', { token: portal, body: { templateId: 'baseline-security', sectionId: governance } });
    expect(((await again.json()) as { review: string }).review).toBe('edited');
    const unknown = await stack.call('POST', '/api/portal/sections/confirm', { token: portal, body: { templateId: 'baseline-security', sectionId: 'no-such-section' } });
    expect(unknown.status).toBe(400);

    // The report is still fresh: carried over with its analysis, no upload. The file answer names it; then submit.
    const carriedDocs = ((await portalView(stack, portal)) as PortalView & { documents: { id: string; fileName: string; carriedOver: boolean; analysisStatus: string }[] }).documents;
    expect(carriedDocs).toMatchObject([{ fileName: 'soc2-report.pdf', carriedOver: true, analysisStatus: 'analyzed' }]);
    expect(view.carriedOver?.evidence).toEqual({ carried: ['soc2-report.pdf'], askAgain: [] });
    void report;
    await answerFileQuestions(stack, portal);
    const submitted = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    await stack.settle();

    const changes = (await (await stack.call('GET', `/api/assessments/${secondId}/changes`, { token: await stack.tokenFor('security') })).json()) as {
      previous: { assessmentId: string } | null;
      answers: { templateId: string; questionId: string; before: { value: unknown } | null; after: { value: unknown } | null }[];
      sections: { sectionId: string; review: string }[];
      score: { before: number | null; after: number | null; delta: number | null; contributions: { description: string; before: number; after: number }[] };
      findings: { opened: { title: string }[]; closed: unknown[] };
      documentNames: Record<string, string>;
    };
    expect(changes.previous?.assessmentId).toBe(firstId);
    // A file question is answered with a document id: the answer names both assessments' documents.
    expect(Object.values(changes.documentNames)).toEqual(['soc2-report.pdf', 'soc2-report.pdf']);
    expect(changes.documentNames[carriedDocs[0]!.id]).toBe('soc2-report.pdf');
    const policies = changes.answers.find((a) => a.questionId === 'gov-policies');
    expect(policies).toMatchObject({ templateId: 'baseline-security', before: { value: 'yes' }, after: { value: 'no' } });
    expect(changes.sections.find((s) => s.sectionId === governance)?.review).toBe('edited');
    // Answering the file question after confirming its section counts as an edit of that section as well.
    const fileSections = view.questionnaires.flatMap((q) => q.template.sections.filter((sec) => sec.questions.some((question) => question.type === 'file')).map((sec) => sec.id));
    const edited = new Set([governance, ...fileSections.filter((id) => carried.some((c) => c.sectionId === id))]);
    expect(changes.sections.filter((s) => s.review === 'edited').map((s) => s.sectionId).sort()).toEqual([...edited].sort());
    expect(changes.sections.filter((s) => s.review === 'confirmed')).toHaveLength(carried.length - edited.size);
    // "No policies" raises the score, and the contribution that moved says why; the same report matched itself.
    expect(changes.score.delta).toBe(changes.score.after! - changes.score.before!);
    expect(changes.score.delta).toBeGreaterThan(0);
    expect(changes.score.contributions.length).toBeGreaterThan(0);
    expect(changes.score.contributions.every((c) => !/SOC 2|report/i.test(c.description) || c.before !== c.after)).toBe(true);
    expect(changes.findings.opened.length).toBeGreaterThan(0);
  });

  it('carries the answers into a reassessment the daily sweep starts', async () => {
    const clock = new TestClock();
    stack = await startTestStack({ clock });
    const { vendorId } = await approvedOnce(stack);
    const next = (await assessmentOf(stack, (await stack.deps.assessments.listAssessments({ vendorId }, { limit: 1 })).items[0]!.id)).assessment.nextReviewDate!;
    clock.advanceDays(Math.ceil((Date.parse(next) - clock.now().getTime()) / 86_400_000) + 1);
    const report = await runDailySweep(stack.deps);
    expect(report.reassessmentsStarted).toHaveLength(1);
    await stack.settle();
    const sheet = await stack.deps.assessments.getAnswerSheet(report.reassessmentsStarted[0]!.assessmentId);
    expect(Object.keys(sheet?.carriedOver?.sections['baseline-security'] ?? {}).length).toBeGreaterThan(3);
  });

  it('keeps the approved assessment\'s file when the vendor deletes a carried copy', async () => {
    stack = await startTestStack();
    const vendorId = await registerVendor(stack, { criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'] });
    const firstId = await startAssessmentFor(stack, vendorId);
    const first = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, first);
    const fresh = await freshCleanReportPdf();
    expect((await upload(stack, first, fresh, 'fresh-report.pdf')).status).toBe(201);
    await answerFileQuestions(stack, first);
    expect((await stack.call('POST', '/api/portal/submit', { token: first })).status).toBe(200);
    await stack.settle();
    if ((await assessmentOf(stack, firstId)).assessment.status === 'awaiting-review') {
      expect((await stack.call('POST', `/api/assessments/${firstId}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'approved', comment: 'Fine.' } })).status).toBe(200);
      await stack.settle();
    }
    const firstDoc = (await stack.deps.assessments.listDocuments(firstId))[0]!;

    const secondId = await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    const carried = (await stack.deps.assessments.listDocuments(secondId))[0]!;
    expect(carried.carriedOverFrom).toEqual({ assessmentId: firstId, documentId: firstDoc.id });
    expect(carried.storageKey).toBe(firstDoc.storageKey);
    // The vendor deletes the carried copy: the approved assessment's file stays.
    expect((await stack.call('DELETE', `/api/portal/documents/${carried.id}`, { token: portal })).status).toBe(204);
    const download = await stack.call('GET', `/api/assessments/${firstId}/documents/${firstDoc.id}/file`, { token: await stack.tokenFor('security') });
    expect(download.status).toBeLessThan(400);
  });

  it('starts empty for a vendor never approved', async () => {
    stack = await startTestStack();
    const id = await startAssessmentFor(stack, await registerVendor(stack));
    expect((await stack.deps.assessments.getAnswerSheet(id))?.carriedOver ?? null).toBeNull();
    const changes = (await (await stack.call('GET', `/api/assessments/${id}/changes`, { token: await stack.tokenFor('security') })).json()) as { previous: unknown; answers: unknown[] };
    expect(changes).toMatchObject({ previous: null, answers: [] });
  });
});

/** Answers the file questions (carried over never) with the report just uploaded. */
async function answerFileQuestions(s: TestStack, portal: string): Promise<void> {
  const view = (await (await s.call('GET', '/api/portal/assessment', { token: portal })).json()) as PortalView & { documents: { id: string }[] };
  for (const q of view.questionnaires) {
    const files = q.template.sections.flatMap((sec) => sec.questions).filter((question) => question.type === 'file');
    if (!files.length) continue;
    const answers = Object.fromEntries(files.map((f) => [f.id, { value: view.documents[0]!.id }]));
    const res = await s.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: q.template.id, answers } });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}
