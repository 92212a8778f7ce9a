/**
 * Unreadable evidence is never a dead end (issue 13, item 3): uploads are checked at once, the vendor can delete or
 * replace a file until submit, one unreadable file does not stop the analysis, and security can send the assessment
 * back, retry the analysis or decide without the file. The real local stack: dynalite, the local runner, pdf.js.
 */
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptedPdf, permissionsOnlyPdf, textPdf, truncatedPdf } from '../fixtures/unreadable-pdfs.ts';
import { answerEverything, assessmentOf, corpusPdf, freshCleanReportPdf, isCleanType2, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload, uploadVia } from '../support/journey.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';
import { createIsolatedPdfTextExtractor } from '../../shared/adapters/pdf/isolated-pdf-text-extractor.ts';
import type { DocumentTextExtractor } from '../../shared/ports/document-text-extractor.ts';
import { analyzeEvidence } from '../../shared/app/analyze-evidence.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

const CONTACT = 'security@acme.example';

type PortalDocument = { id: string; fileName: string; size: number; pageCount: number | null; analysisStatus: string; problem: string | null };
type Problem = { code: string; title: string; detail?: string };

async function openAssessment(s: TestStack): Promise<{ id: string; portal: string }> {
  const id = await startAssessmentFor(s, await registerVendor(s));
  return { id, portal: await portalTokenFromOutbox(s, CONTACT) };
}

async function portalDocuments(s: TestStack, portal: string): Promise<PortalDocument[]> {
  const res = await s.call('GET', '/api/portal/assessment', { token: portal });
  expect(res.status).toBe(200);
  return ((await res.json()) as { documents: PortalDocument[] }).documents;
}

/** Every stored file under the data folder's documents (metadata files excluded). */
async function storedFiles(s: TestStack): Promise<string[]> {
  const root = join(s.config.dataDir, 'documents');
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith('.pdf'));
}

async function uploadedEvents(s: TestStack, id: string): Promise<string[]> {
  return (await assessmentOf(s, id)).timeline.filter((e) => e.action.startsWith('document.')).map((e) => e.action);
}

/** Overwrites the stored bytes of an accepted upload: a file that became unreadable after it was checked. */
async function spoilStoredFile(s: TestStack, assessmentId: string, documentId: string, bytes: Uint8Array): Promise<void> {
  await writeFile(join(s.config.dataDir, 'documents', 'assessments', assessmentId, `${documentId}.pdf`), bytes);
}

async function submit(s: TestStack, portal: string): Promise<void> {
  const res = await s.call('POST', '/api/portal/submit', { token: portal });
  expect(res.status, await res.clone().text()).toBe(200);
  await s.settle();
}

describe('upload check', () => {
  it('refuses a PDF encrypted for reading with document-encrypted, in words, and stores nothing', async () => {
    stack = await startTestStack();
    const { id, portal } = await openAssessment(stack);
    const res = await upload(stack, portal, await encryptedPdf(), 'locked.pdf');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('document-encrypted');
    expect(problem.detail ?? problem.title).toMatch(/password/i);
    expect(await portalDocuments(stack, portal)).toEqual([]);
    expect(await storedFiles(stack)).toEqual([]);
    expect(await uploadedEvents(stack, id)).toEqual(['document.upload-started']);
  });

  it('refuses a truncated PDF with document-unreadable and stores nothing', async () => {
    stack = await startTestStack();
    const { id, portal } = await openAssessment(stack);
    const res = await upload(stack, portal, await truncatedPdf(), 'cut.pdf');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('document-unreadable');
    expect(problem.detail ?? problem.title).toMatch(/damaged|cannot be read|could not be read/i);
    expect(await portalDocuments(stack, portal)).toEqual([]);
    expect(await storedFiles(stack)).toEqual([]);
    expect(await uploadedEvents(stack, id)).toEqual(['document.upload-started']);
  });

  it('accepts a PDF that restricts only printing or copying, and tells its page count', async () => {
    stack = await startTestStack();
    const { portal } = await openAssessment(stack);
    const res = await upload(stack, portal, await permissionsOnlyPdf(), 'restricted.pdf');
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ fileName: 'restricted.pdf', pageCount: 2, analysisStatus: 'pending' });
  });
});

describe('delete and replace until submit', () => {
  it('deletes an uploaded document: gone from the list and the store, audited', async () => {
    stack = await startTestStack();
    const { id, portal } = await openAssessment(stack);
    const created = (await (await upload(stack, portal, await textPdf(), 'wrong-file.pdf')).json()) as PortalDocument;
    const res = await stack.call('DELETE', `/api/portal/documents/${created.id}`, { token: portal });
    expect(res.status).toBe(204);
    expect(await portalDocuments(stack, portal)).toEqual([]);
    expect(await storedFiles(stack)).toEqual([]);
    expect(await uploadedEvents(stack, id)).toEqual(expect.arrayContaining(['document.uploaded', 'document.deleted']));
  });

  it('replaces an uploaded document: same id, the new file, analysis pending again, the old file gone', async () => {
    stack = await startTestStack();
    const { id, portal } = await openAssessment(stack);
    const created = (await (await upload(stack, portal, await textPdf({ pages: 1 }), 'draft.pdf')).json()) as PortalDocument;
    const res = (await uploadVia(stack, portal, await textPdf({ pages: 3 }), { fileName: 'final.pdf', kind: 'other', replacesDocumentId: created.id })).last;
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: created.id, fileName: 'final.pdf', kind: 'other', pageCount: 3, analysisStatus: 'pending' });
    expect(await portalDocuments(stack, portal)).toEqual([expect.objectContaining({ id: created.id, fileName: 'final.pdf' })]);
    expect(await storedFiles(stack)).toHaveLength(1);
    expect(await uploadedEvents(stack, id)).toContain('document.replaced');
  });

  it('replaces a document through the two-step upload, larger than a JSON body may be, keeping its id', async () => {
    stack = await startTestStack();
    const { portal } = await openAssessment(stack);
    const created = (await (await upload(stack, portal, await textPdf({ pages: 1 }), 'draft.pdf')).json()) as PortalDocument;
    const res = (await uploadVia(stack, portal, await textPdf({ pages: 40 }), { fileName: 'final.pdf', kind: 'other', replacesDocumentId: created.id })).last;
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: created.id, fileName: 'final.pdf', pageCount: 40 });
    expect(await storedFiles(stack)).toHaveLength(1);
  });

  it('refuses a replacement that cannot be read and keeps the document as it was', async () => {
    stack = await startTestStack();
    const { portal } = await openAssessment(stack);
    const created = (await (await upload(stack, portal, await textPdf(), 'report.pdf')).json()) as PortalDocument;
    const res = (await uploadVia(stack, portal, await encryptedPdf(), { fileName: 'locked.pdf', replacesDocumentId: created.id })).last;
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).code).toBe('document-encrypted');
    expect(await portalDocuments(stack, portal)).toEqual([expect.objectContaining({ id: created.id, fileName: 'report.pdf', size: created.size })]);
    expect(await storedFiles(stack)).toHaveLength(1);
  });

  it('refuses to delete or replace after submit (answers-locked)', async () => {
    stack = await startTestStack();
    const { portal } = await openAssessment(stack);
    await answerEverything(stack, portal);
    const created = (await (await upload(stack, portal, await textPdf(), 'evidence.pdf', 'other')).json()) as PortalDocument;
    await submit(stack, portal);
    const res = await stack.call('DELETE', `/api/portal/documents/${created.id}`, { token: portal });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Problem).code).toBe('answers-locked');
    const replaced = (await uploadVia(stack, portal, await textPdf(), { fileName: 'late.pdf', kind: 'other', replacesDocumentId: created.id })).last;
    expect(replaced.status).toBe(409);
    expect(await portalDocuments(stack, portal)).toEqual([expect.objectContaining({ id: created.id, fileName: 'evidence.pdf' })]);
  });

  it('answers 404 for a document of another assessment', async () => {
    stack = await startTestStack();
    const first = await openAssessment(stack);
    const created = (await (await upload(stack, first.portal, await textPdf(), 'mine.pdf')).json()) as PortalDocument;
    const vendorId = await registerVendor(stack, { contactEmail: 'other@vendor.example' });
    await startAssessmentFor(stack, vendorId);
    const other = await portalTokenFromOutbox(stack, 'other@vendor.example');
    expect((await stack.call('DELETE', `/api/portal/documents/${created.id}`, { token: other })).status).toBe(404);
    expect(await portalDocuments(stack, first.portal)).toHaveLength(1);
  });
});

describe('an unreadable document after submit', () => {
  /** A clean SOC 2 report and a second file whose stored bytes turned into an encrypted PDF; submitted. */
  async function submittedWithOneUnreadable(s: TestStack) {
    const { id, portal } = await openAssessment(s);
    await answerEverything(s, portal);
    expect((await upload(s, portal, await corpusPdf(isCleanType2), 'soc2.pdf')).status).toBe(201);
    const spoiled = (await (await upload(s, portal, await textPdf(), 'bridge.pdf', 'bridge-letter')).json()) as PortalDocument;
    await spoilStoredFile(s, id, spoiled.id, await encryptedPdf());
    await submit(s, portal);
    return { id, portal, spoiledId: spoiled.id };
  }

  it('is marked failed with its reason while the rest is analyzed and the assessment reaches review', async () => {
    stack = await startTestStack();
    const { id } = await submittedWithOneUnreadable(stack);
    const view = await assessmentOf(stack, id);
    expect(view.assessment.status).toBe('awaiting-review');
    expect(view.waitingAt).toBe('AwaitSecurityReview');
    const byName = Object.fromEntries((view.documents as unknown as { fileName: string; analysisStatus: string; analysisError: { code: string } | null }[]).map((d) => [d.fileName, d]));
    expect(byName['soc2.pdf']).toMatchObject({ analysisStatus: 'analyzed' });
    expect(byName['bridge.pdf']).toMatchObject({ analysisStatus: 'failed', analysisError: { code: 'encrypted' } });
  });

  it('is never approved automatically, even at low risk: a person sees what could not be read', async () => {
    const s = await startTestStack();
    try {
      const lowRisk = { contactEmail: 'low@vendor.example', criticality: 'low', dataClassification: 'public', systemAccess: 'none' };
      const open = async () => {
        const id = await startAssessmentFor(s, await registerVendor(s, lowRisk));
        const portal = await portalTokenFromOutbox(s, 'low@vendor.example');
        await answerEverything(s, portal);
        expect((await upload(s, portal, await freshCleanReportPdf(), 'soc2.pdf')).status).toBe(201);
        return { id, portal };
      };
      // The same vendor profile and evidence, all readable, is approved by policy (what the test relies on).
      const clean = await open();
      await submit(s, clean.portal);
      expect((await assessmentOf(s, clean.id)).assessment).toMatchObject({ status: 'approved', lastDecision: { automatic: true } });

      const spoiledCase = await open();
      const spoiled = (await (await upload(s, spoiledCase.portal, await textPdf(), 'bridge.pdf', 'bridge-letter')).json()) as PortalDocument;
      await spoilStoredFile(s, spoiledCase.id, spoiled.id, await encryptedPdf());
      await submit(s, spoiledCase.portal);
      const view = await assessmentOf(s, spoiledCase.id);
      expect(view.assessment.status).toBe('awaiting-review');
      expect(view.timeline.map((e) => e.summary).join('\n')).toMatch(/bridge\.pdf could not be read/);
    } finally {
      await s.dispose();
    }
  });

  it('shows the vendor which file failed and why', async () => {
    stack = await startTestStack();
    const { portal, spoiledId } = await submittedWithOneUnreadable(stack);
    const failed = (await portalDocuments(stack, portal)).find((d) => d.id === spoiledId);
    expect(failed).toMatchObject({ analysisStatus: 'failed', problem: expect.stringMatching(/password/i) });
  });

  it('security asks for a new file: the vendor is mailed why, replaces the file with its link and submits again', async () => {
    stack = await startTestStack();
    const { id, portal, spoiledId } = await submittedWithOneUnreadable(stack);
    const ask = await stack.call('POST', `/api/assessments/${id}/decision`, {
      token: await stack.tokenFor('security'),
      body: { decision: 'changes-requested', comment: 'bridge.pdf is password protected: please upload it without a password.' },
    });
    expect(ask.status, await ask.clone().text()).toBe(200);
    await stack.settle();

    const mail = (await stack.outbox()).find((m) => m.purpose === 'changes-requested');
    expect(mail?.to).toEqual([CONTACT]);
    expect(mail?.text).toContain('bridge.pdf is password protected');
    const replaced = (await uploadVia(stack, portal, await textPdf({ title: 'Bridge letter' }), { fileName: 'bridge-unlocked.pdf', kind: 'bridge-letter', replacesDocumentId: spoiledId })).last;
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    await submit(stack, portal);

    const view = await assessmentOf(stack, id);
    expect(view.assessment.status).toBe('awaiting-review');
    expect(view.documents.map((d) => d.analysisStatus)).toEqual(['analyzed', 'analyzed']);
  });

  it('mails a new working link with the reason when the earlier links expired before security asked for the file', async () => {
    const clock = new TestClock();
    stack = await startTestStack({ clock });
    const { id, portal, spoiledId } = await submittedWithOneUnreadable(stack);
    clock.advanceDays(90);
    expect((await stack.call('GET', '/api/portal/assessment', { token: portal })).status).toBe(410);
    const ask = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'changes-requested', comment: 'bridge.pdf needs a password to open; upload it without one.' } });
    expect(ask.status, await ask.clone().text()).toBe(200);
    await stack.settle();

    const mail = (await stack.outbox()).find((m) => m.purpose === 'changes-requested');
    expect(mail?.text).toContain('bridge.pdf needs a password to open');
    const fresh = await portalTokenFromOutbox(stack, CONTACT);
    expect(mail?.text).toContain(fresh);
    const view = await stack.call('GET', '/api/portal/assessment', { token: fresh });
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({ status: 'changes-requested', locked: false });
    expect((await stack.call('DELETE', `/api/portal/documents/${spoiledId}`, { token: fresh })).status).toBe(204);
  });

  it('security retries the analysis from review once the file is readable again', async () => {
    stack = await startTestStack();
    const { id, spoiledId } = await submittedWithOneUnreadable(stack);
    await spoilStoredFile(stack, id, spoiledId, await textPdf({ title: 'Bridge letter' }));
    const res = await stack.call('POST', `/api/assessments/${id}/retry`, { token: await stack.tokenFor('security') });
    expect(res.status, await res.clone().text()).toBe(200);
    await stack.settle();
    const view = await assessmentOf(stack, id);
    expect(view.assessment.status).toBe('awaiting-review');
    expect(view.documents.map((d) => d.analysisStatus)).toEqual(['analyzed', 'analyzed']);
    // The report that was already read is not analyzed again: one analysis event for it, two for the retried file.
    expect(view.timeline.filter((e) => e.action === 'document.analyzed' && e.summary.startsWith('soc2.pdf'))).toHaveLength(1);
  });

  it('security decides without the unreadable document', async () => {
    stack = await startTestStack();
    const { id } = await submittedWithOneUnreadable(stack);
    const res = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'approved', comment: 'The SOC 2 report suffices; the bridge letter is not needed.' } });
    expect(res.status, await res.clone().text()).toBe(200);
    await stack.settle();
    const final = await assessmentOf(stack, id);
    expect(final.assessment.status).toBe('approved');
    expect(final.assessment.nextReviewDate).not.toBeNull();
  });
});

describe('the AnalyzeDocument step', () => {
  it('passes over a document the vendor deleted after the list was taken, and fails for an unknown assessment', async () => {
    stack = await startTestStack();
    const { id } = await openAssessment(stack);
    expect(await analyzeEvidence(stack.deps, { assessmentId: id, documentId: 'deleted-meanwhile' })).toEqual({ documentId: 'deleted-meanwhile', status: 'deleted' });
    await expect(analyzeEvidence(stack.deps, { assessmentId: 'no-such-assessment', documentId: 'x' })).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('needs attention', () => {
  /** The real extractor, except that its first call fails the way a crash of trustgate itself would (not the file). */
  function crashingOnce(): DocumentTextExtractor {
    const real = createIsolatedPdfTextExtractor();
    let calls = 0;
    return { extractPages: (bytes, options) => (++calls === 1 ? Promise.reject(new Error('the analyzer crashed')) : real.extractPages(bytes, options)) };
  }

  it('still records the reason and waits for a retry when the mail to the requester cannot be sent', async () => {
    stack = await startTestStack({ textExtractor: crashingOnce() });
    const { id, portal } = await openAssessment(stack);
    await answerEverything(stack, portal);
    expect((await upload(stack, portal, await corpusPdf(isCleanType2), 'soc2.pdf')).status).toBe(201);
    // Mail fails from here on: the outbox folder is replaced by a file.
    const outbox = join(stack.config.dataDir, 'outbox');
    await rename(outbox, `${outbox}.away`);
    await writeFile(outbox, 'not a folder');
    await submit(stack, portal);

    const stuck = await assessmentOf(stack, id);
    expect(stuck.assessment.status).toBe('needs-attention');
    expect(stuck.assessment.attentionReason).toContain('the analyzer crashed');
    expect(stuck.waitingAt).toBe('AwaitAttention');

    await rm(outbox);
    await rename(`${outbox}.away`, outbox);
    const retried = await stack.call('POST', `/api/assessments/${id}/retry`, { token: await stack.tokenFor('security') });
    expect(retried.status, await retried.clone().text()).toBe(200);
    await stack.settle();
    const resumed = await assessmentOf(stack, id);
    expect(resumed.assessment.status).toBe('awaiting-review');
    expect(resumed.documents.map((d) => d.analysisStatus)).toEqual(['analyzed']);
  });
});
