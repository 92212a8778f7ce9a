/**
 * The vendor portal: everything a portal token allows. A vendor sees its own questionnaire, answers and uploads,
 * never scores, findings, internal notes or other assessments.
 */
import { takeTurns } from './take-turns.ts';
import { createHash } from 'node:crypto';
import { getTemplate } from '../../questionnaires/library.ts';
import { isFinal, revise, transition, type Assessment, type EvidenceKind } from '../domain/assessment.ts';
import { ConcurrentUpdateError, ConflictError, NotFoundError, TrustgateError, ValidationError, type ProblemDetail } from '../domain/errors.ts';
import { cleanFileName, MAX_DOCUMENTS_PER_ASSESSMENT, PDF_CONTENT_TYPE, unreadableInWords, UPLOAD_REFUSAL_CODES, type EvidenceDocument, type UploadIntent } from '../domain/evidence.ts';
import type { UploadForm } from '../ports/document-store.ts';
import { DocumentUnreadableError } from '../domain/soc2/errors.ts';
import { looksLikePortalToken, portalTokenState } from '../domain/portal.ts';
import { answerSheetBytes, answerValueProblem, computeProgress, MAX_ANSWER_SHEET_BYTES, pruneHiddenAnswers, validateAnswers, type AnswerEntry, type Answers, type Progress } from '../domain/questionnaire/answers.ts';
import type { QuestionnaireTemplate } from '../domain/questionnaire/template-schema.ts';
import { answerChanges, confirmSection, markEdited, unconfirmedSections, type CarriedOver, type SectionReview } from '../domain/questionnaire/carry-over.ts';
import { WORKFLOW_STATES } from '../domain/workflow.ts';
import type { AnswerSheet } from '../ports/assessment-repository.ts';
import { changeAssessment, loadAssessment } from './assessment-store.ts';
import { eventOf, SYSTEM, type Actor } from './audit-events.ts';
import type { AppDeps } from './deps.ts';

/** The portal link is no longer valid (expired or replaced by a newer one). */
export class PortalLinkGoneError extends TrustgateError {
  constructor(state: 'expired' | 'revoked') {
    super('portal-link-gone', state === 'expired' ? 'This link has expired; ask your contact for a new one' : 'This link was replaced by a newer one; use the link from the latest mail');
    this.name = 'PortalLinkGoneError';
  }
}

export interface PortalSession {
  assessmentId: string;
}

const vendorActor = (session: PortalSession): Actor => ({ kind: 'vendor', assessmentId: session.assessmentId });

/** Resolves a portal token: unknown → NotFoundError (404), expired or revoked → PortalLinkGoneError (410). */
export async function openPortalSession(deps: Pick<AppDeps, 'assessments' | 'portalTokens' | 'clock'>, token: string): Promise<PortalSession> {
  if (!looksLikePortalToken(token)) throw new NotFoundError('Portal link', 'given');
  const record = await deps.assessments.getPortalToken(deps.portalTokens.hash(token));
  if (!record) throw new NotFoundError('Portal link', 'given');
  const state = portalTokenState(record, deps.clock.now().toISOString());
  if (state !== 'valid') throw new PortalLinkGoneError(state);
  return { assessmentId: record.assessmentId };
}

export type VendorFacingStatus = 'open' | 'changes-requested' | 'submitted' | 'closed';

export interface PortalView {
  assessmentId: string;
  vendorName: string;
  dueDate: string;
  status: VendorFacingStatus;
  /** Security's comments when they asked for changes. */
  changesRequested: string | null;
  locked: boolean;
  questionnaires: { template: QuestionnaireTemplate; answers: Answers; progress: Progress }[];
  answersVersion: number;
  documents: PortalDocument[];
  /**
   * A reassessment: the answers came from the last approved assessment, answered on `answeredOn`; each section that
   * received them is unconfirmed, confirmed (unchanged) or edited. Null when the answers start empty.
   */
  carriedOver: {
    answeredOn: string;
    sections: CarriedOver['sections'];
    /** Per questionnaire, the questions whose answer is still the one given on `answeredOn` (shown "from <date>"). */
    unchangedAnswers: Record<string, string[]>;
    evidence: { carried: string[]; askAgain: { fileName: string; reason: string }[] };
  } | null;
}

/** An uploaded document as the vendor sees it: no analysis, only whether it could be read and, if not, why in words. */
export interface PortalDocument {
  id: string;
  kind: EvidenceKind;
  fileName: string;
  size: number;
  pageCount: number | null;
  uploadedAt: string;
  analysisStatus: EvidenceDocument['analysisStatus'];
  /** Why the file could not be read, when its analysis failed. */
  problem: string | null;
  /** Carried over from the last approved assessment (still fresh): no upload needed. */
  carriedOver: boolean;
}

export const portalDocumentOf = (d: EvidenceDocument): PortalDocument => ({
  id: d.id,
  kind: d.kind,
  fileName: d.fileName,
  size: d.size,
  pageCount: d.pageCount ?? null,
  uploadedAt: d.uploadedAt,
  analysisStatus: d.analysisStatus,
  problem: d.analysisStatus === 'failed' ? unreadableInWords(d.analysisError?.code ?? '') : null,
  carriedOver: d.carriedOverFrom !== undefined,
});

function vendorStatus(a: Assessment, locked: boolean): VendorFacingStatus {
  if (a.status === 'cancelled') return 'closed';
  if (!locked && a.changesRequested && (a.status === 'awaiting-vendor' || a.status === 'overdue')) return 'changes-requested';
  if (!locked && ['inviting', 'awaiting-vendor', 'overdue'].includes(a.status)) return 'open';
  return 'submitted';
}

/** What the vendor sees. */
export async function getPortalView(deps: AppDeps, session: PortalSession): Promise<PortalView> {
  const [assessment, sheet, documents] = await Promise.all([loadAssessment(deps, session.assessmentId), loadSheet(deps, session.assessmentId), deps.assessments.listDocuments(session.assessmentId)]);
  const locked = sheet.lockedAt !== null || isFinal(assessment.status);
  const templates = assessment.templates.map((ref) => templateOf(ref.id));
  const unchangedAnswers = sheet.carriedOver ? await answersUnchangedSince(deps, sheet, templates) : {};
  return {
    assessmentId: assessment.id,
    vendorName: assessment.vendorName,
    dueDate: assessment.dueDate,
    status: vendorStatus(assessment, locked),
    changesRequested: assessment.changesRequested,
    locked,
    questionnaires: templates.map((template) => {
      const answers = sheet.answers[template.id] ?? {};
      return { template, answers, progress: computeProgress(template, answers) };
    }),
    answersVersion: sheet.version,
    documents: documents.map(portalDocumentOf),
    // The vendor sees when and what, never which internal assessment the answers come from.
    carriedOver: sheet.carriedOver
      ? {
          answeredOn: sheet.carriedOver.answeredOn,
          sections: sheet.carriedOver.sections,
          unchangedAnswers,
          evidence: { carried: (sheet.carriedOver.evidence?.carried ?? []).map((d) => d.fileName), askAgain: sheet.carriedOver.evidence?.askAgain ?? [] },
        }
      : null,
  };
}

/** The carried answers the vendor has not changed: those equal to the approved assessment's (which the vendor never sees). */
async function answersUnchangedSince(deps: AppDeps, sheet: AnswerSheet, templates: readonly QuestionnaireTemplate[]): Promise<Record<string, string[]>> {
  const previous = await deps.assessments.getAnswerSheet(sheet.carriedOver!.fromAssessmentId);
  if (!previous) return {};
  const changed = new Set(answerChanges(previous.answers, sheet.answers, templates).map((c) => `${c.templateId}\n${c.questionId}`));
  return Object.fromEntries(
    templates.map((t) => {
      const carried = new Set(Object.keys(sheet.carriedOver!.sections[t.id] ?? {}));
      const ids = t.sections
        .filter((section) => carried.has(section.id))
        .flatMap((section) => section.questions)
        .filter((q) => previous.answers[t.id]?.[q.id] !== undefined && sheet.answers[t.id]?.[q.id] !== undefined && !changed.has(`${t.id}\n${q.id}`))
        .map((q) => q.id);
      return [t.id, ids];
    }),
  );
}

export interface DraftSave {
  templateId: string;
  /** Answers to set; null removes an answer. */
  answers: Record<string, AnswerEntry | null>;
}

/**
 * Saves draft answers: merged question by question into the sheet, so concurrent saves of different questions
 * all land. With `expectedVersion` (If-Match) a stale sheet is refused instead.
 */
export async function saveDraftAnswers(deps: AppDeps, session: PortalSession, save: DraftSave, expectedVersion?: number): Promise<{ version: number; progress: Progress }> {
  const assessment = await loadAssessment(deps, session.assessmentId);
  if (!assessment.templates.some((t) => t.id === save.templateId)) {
    throw new ValidationError('This assessment has no such questionnaire', [{ path: 'templateId', message: `one of ${assessment.templates.map((t) => t.id).join(', ')}` }]);
  }
  const template = templateOf(save.templateId);
  const problems = draftProblems(template, save.answers);
  if (problems.length) throw new ValidationError('Some answers are not valid', problems);
  // Saves of one assessment in this process take turns; the retries below absorb saves from other processes.
  return takeTurns(`answers:${session.assessmentId}`, () => mergeAndSave(deps, session, save, template, assessment.status, expectedVersion));
}

async function mergeAndSave(deps: AppDeps, session: PortalSession, save: DraftSave, template: QuestionnaireTemplate, status: Assessment['status'], expectedVersion: number | undefined): Promise<{ version: number; progress: Progress }> {
  for (let attempt = 1; ; attempt++) {
    const sheet = await loadSheet(deps, session.assessmentId);
    if (sheet.lockedAt || isFinal(status)) throw new ConflictError('The answers were submitted and are locked', 'answers-locked');
    if (expectedVersion !== undefined && sheet.version !== expectedVersion) throw new ConflictError(`The answers changed since version ${expectedVersion} (now ${sheet.version}); reload them`, 'version-mismatch');
    const merged: Record<string, AnswerEntry> = { ...(sheet.answers[save.templateId] ?? {}) };
    for (const [id, entry] of Object.entries(save.answers)) {
      if (entry === null) delete merged[id];
      else merged[id] = entry;
    }
    const now = deps.clock.now().toISOString();
    const carriedOver = markEdited(sheet.carriedOver, template, Object.keys(save.answers));
    const next: AnswerSheet = { ...sheet, answers: { ...sheet.answers, [save.templateId]: merged }, version: sheet.version + 1, updatedAt: now, ...(carriedOver ? { carriedOver } : {}) };
    refuseOversizedSheet(next.answers);
    try {
      await deps.assessments.replaceAnswerSheet(next, sheet.version, eventOf(deps, vendorActor(session), 'answers.saved', { type: 'assessment', id: session.assessmentId }, `Draft saved: ${Object.keys(save.answers).length} answer(s) in ${save.templateId}`, { at: now, targetVersion: next.version }));
      return { version: next.version, progress: computeProgress(template, merged) };
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && expectedVersion === undefined && attempt < MAX_SAVE_ATTEMPTS) {
        // Exponential backoff with full jitter: concurrent autosaves of one assessment take turns.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 10 * 2 ** attempt)));
        continue;
      }
      throw error;
    }
  }
}

/** The sheet is one stored item: answers past MAX_ANSWER_SHEET_BYTES are refused before anything is written. */
function refuseOversizedSheet(answers: AnswerSheet['answers']): void {
  const bytes = answerSheetBytes(answers);
  if (bytes <= MAX_ANSWER_SHEET_BYTES) return;
  throw new ValidationError(
    'The answers are too long to store: shorten comments or long text, or upload the material as a document',
    [{ path: 'answers', message: `the answers would take ${bytes} bytes; at most ${MAX_ANSWER_SHEET_BYTES} bytes` }],
    'answer-sheet-too-large',
  );
}

function draftProblems(template: QuestionnaireTemplate, answers: Record<string, AnswerEntry | null>): ProblemDetail[] {
  const questions = new Map(template.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
  const problems: ProblemDetail[] = [];
  for (const [id, entry] of Object.entries(answers)) {
    const question = questions.get(id);
    if (!question) problems.push({ path: `answers.${id}`, message: 'no such question in this questionnaire' });
    else if (entry !== null) {
      const problem = answerValueProblem(question, entry.value);
      if (problem) problems.push({ path: `answers.${id}`, message: problem });
    }
  }
  return problems;
}

/** A save that keeps losing to concurrent saves gives up (409 concurrent-update) after this many tries. */
export const MAX_SAVE_ATTEMPTS = 16;

export const PDF_MAGIC = '%PDF-';

/** How long a signed upload form works: long enough for 50 MB on a slow line, short enough to be useless if leaked. */
export const UPLOAD_FORM_SECONDS = 15 * 60;

/** What the browser announces before it sends a file. */
export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  kind: EvidenceKind;
  /** Set to replace the file of this document (same id; its analysis starts afresh). */
  replacesDocumentId?: string | null;
}

/** The signed form to post the file with, and the id that completes the upload. */
export interface StartedUpload {
  uploadId: string;
  upload: UploadForm;
  maxBytes: number;
  expiresAt: string;
}

/** Uploads, replacements and deletions are open until the answers are submitted (again after changes-requested). */
async function assertUploadsOpen(deps: AppDeps, session: PortalSession): Promise<void> {
  const [assessment, sheet] = await Promise.all([loadAssessment(deps, session.assessmentId), loadSheet(deps, session.assessmentId)]);
  if (sheet.lockedAt || !['inviting', 'awaiting-vendor', 'overdue'].includes(assessment.status)) throw new ConflictError('Documents can be changed until the assessment is submitted', 'answers-locked');
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const tooLarge = (deps: AppDeps, size: number) =>
  new ValidationError(`The file is ${megabytes(size)}; at most ${Math.round(deps.maxUploadBytes / 1024 / 1024)} MB can be uploaded`, [{ path: 'size', message: `at most ${deps.maxUploadBytes} bytes` }], 'file-too-large');

/**
 * Announces an upload: checks name, type and declared size, records the intent and answers a signed form that lets
 * the browser post exactly this file (fixed key, size range, content type, encryption) straight to the store.
 */
export async function startUpload(deps: AppDeps, session: PortalSession, request: UploadRequest): Promise<StartedUpload> {
  await assertUploadsOpen(deps, session);
  if (request.contentType !== PDF_CONTENT_TYPE) throw new ValidationError('Only PDF files are accepted', [{ path: 'contentType', message: `must be ${PDF_CONTENT_TYPE}` }], 'not-a-pdf');
  if (request.size <= 0) throw new ValidationError('The file is empty', [{ path: 'size', message: 'empty file' }], 'empty-file');
  if (request.size > deps.maxUploadBytes) throw tooLarge(deps, request.size);
  if (request.replacesDocumentId) await loadDocument(deps, session, request.replacesDocumentId);
  else if ((await deps.assessments.listDocuments(session.assessmentId)).length >= MAX_DOCUMENTS_PER_ASSESSMENT) throw tooManyDocuments();
  const now = deps.clock.now();
  const id = deps.ids.newId();
  const intent: UploadIntent = {
    id,
    assessmentId: session.assessmentId,
    kind: request.kind,
    fileName: cleanFileName(request.fileName),
    declaredSize: request.size,
    storageKey: `assessments/${session.assessmentId}/${id}.pdf`,
    replacesDocumentId: request.replacesDocumentId ?? null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + UPLOAD_FORM_SECONDS * 1000).toISOString(),
  };
  const summary = `Upload started: ${intent.fileName} (${intent.kind}, ${intent.declaredSize} bytes${intent.replacesDocumentId ? `, replacing document ${intent.replacesDocumentId}` : ''})`;
  await deps.assessments.insertUploadIntent(intent, eventOf(deps, vendorActor(session), 'document.upload-started', { type: 'assessment', id: session.assessmentId }, summary, { at: intent.createdAt }));
  const upload = await deps.documents.createUploadUrl(intent.storageKey, PDF_CONTENT_TYPE, { maxBytes: deps.maxUploadBytes, expiresInSeconds: UPLOAD_FORM_SECONDS });
  return { uploadId: id, upload, maxBytes: deps.maxUploadBytes, expiresAt: intent.expiresAt };
}

const tooManyDocuments = () => new ConflictError(`At most ${MAX_DOCUMENTS_PER_ASSESSMENT} documents per assessment`, 'too-many-documents');

/** Refuses the object an upload left: deleted first, so that a refusal never leaves a file behind. */
async function refuseUpload(deps: AppDeps, intent: UploadIntent, error: TrustgateError): Promise<never> {
  await deps.documents.deleteDocument(intent.storageKey);
  throw error;
}

/**
 * Checks the posted object the way the analyzer will read it: size and encryption from the store, the PDF header
 * from a ranged read, then the whole file opened by the inspector (encrypted, damaged, too many pages). Every
 * refusal deletes the object and says in words what to do. Returns the page count and the file's sha256.
 */
async function checkUploadedObject(deps: AppDeps, intent: UploadIntent): Promise<{ pageCount: number | null; size: number; sha256: string }> {
  const facts = await deps.documents.describeDocument(intent.storageKey);
  if (!facts) throw new ConflictError('The file has not arrived; send it to the upload URL first, or start the upload again', 'upload-incomplete');
  if (facts.size > deps.maxUploadBytes) return refuseUpload(deps, intent, tooLarge(deps, facts.size));
  if (facts.size === 0) return refuseUpload(deps, intent, new ValidationError('The file is empty', [{ path: 'file', message: 'empty file' }], 'empty-file'));
  if (!facts.encryptedAsRequired) return refuseUpload(deps, intent, new ValidationError('The file was not stored encrypted; upload it again with the form as given', [{ path: 'file', message: 'not encrypted with the documents key' }], 'upload-not-encrypted'));
  const start = await deps.documents.readDocumentStart(intent.storageKey, 1024);
  const notPdf = new ValidationError(unreadableInWords('not-a-pdf'), [{ path: 'file', message: 'the file is not a PDF' }], 'not-a-pdf');
  if (facts.contentType !== PDF_CONTENT_TYPE || !start || !new TextDecoder('latin1').decode(start).includes(PDF_MAGIC)) return refuseUpload(deps, intent, notPdf);
  const stored = await deps.documents.getDocument(intent.storageKey);
  if (!stored) throw new ConflictError('The file has not arrived; send it to the upload URL first, or start the upload again', 'upload-incomplete');
  const sha256 = createHash('sha256').update(stored.body).digest('hex');
  try {
    const { pageCount } = await deps.documentInspector.inspect(stored.body);
    return { pageCount, size: facts.size, sha256 };
  } catch (error) {
    if (!(error instanceof DocumentUnreadableError)) throw error;
    const words = unreadableInWords(error.code);
    return refuseUpload(deps, intent, new ValidationError(words, [{ path: 'file', message: words }], UPLOAD_REFUSAL_CODES[error.code]));
  }
}

/**
 * Completes an announced upload once the browser has posted the file: checks the object, then records the document
 * (or the replaced file). Completing again answers the same document (a double click); `created` says whether this
 * call made it. A refused file is deleted and nothing is recorded.
 */
export async function completeUpload(deps: AppDeps, session: PortalSession, uploadId: string): Promise<{ document: EvidenceDocument; created: boolean }> {
  const intent = await deps.assessments.getUploadIntent(session.assessmentId, uploadId);
  if (!intent) throw new NotFoundError('Upload', uploadId);
  const done = await completedDocument(deps, intent);
  if (done) return { document: done, created: false };
  await assertUploadsOpen(deps, session);
  const checked = await checkUploadedObject(deps, intent);
  const now = deps.clock.now().toISOString();
  const pages = checked.pageCount === null ? '' : `, ${checked.pageCount} pages`;
  const actor = vendorActor(session);
  const target = { type: 'assessment' as const, id: session.assessmentId };
  const fresh = { kind: intent.kind, fileName: intent.fileName, contentType: PDF_CONTENT_TYPE, size: checked.size, pageCount: checked.pageCount, storageKey: intent.storageKey, sha256: checked.sha256, uploadedAt: now, analysisStatus: 'pending' as const, analysis: null, analysisError: null };
  try {
    if (!intent.replacesDocumentId) {
      const document: EvidenceDocument = { id: intent.id, assessmentId: session.assessmentId, ...fresh, version: 1 };
      await deps.assessments.insertDocument(document, eventOf(deps, actor, 'document.uploaded', target, `Uploaded ${document.fileName} (${document.kind}, ${document.size} bytes${pages})`, { at: now }), { maxDocuments: MAX_DOCUMENTS_PER_ASSESSMENT });
      return { document, created: true };
    }
    const current = await loadDocument(deps, session, intent.replacesDocumentId);
    const next: EvidenceDocument = { ...current, ...fresh, corrections: [], version: current.version + 1 };
    // A new file: no longer the approved assessment's copy.
    delete next.carriedOverFrom;
    await deps.assessments.replaceDocument(next, current.version, eventOf(deps, actor, 'document.replaced', target, `Replaced ${current.fileName} with ${next.fileName} (${next.kind}, ${next.size} bytes${pages})`, { at: now }));
    // The record no longer points at the old file; a failure here leaves an unreferenced file, never a missing one.
    // A carried-over document shares its file with the approved assessment, which keeps it.
    if (!current.carriedOverFrom) await deps.documents.deleteDocument(current.storageKey).catch(() => undefined);
    return { document: next, created: false };
  } catch (error) {
    // A concurrent completion of the same upload won: answer what it recorded, and keep the file it points at.
    const winner = await completedDocument(deps, intent);
    if (winner) return { document: winner, created: false };
    await deps.documents.deleteDocument(intent.storageKey).catch(() => undefined);
    throw error;
  }
}

/** The document an upload already completed into, if it did. */
async function completedDocument(deps: AppDeps, intent: UploadIntent): Promise<EvidenceDocument | null> {
  const document = await deps.assessments.getDocument(intent.assessmentId, intent.replacesDocumentId ?? intent.id);
  return document && document.storageKey === intent.storageKey ? document : null;
}

async function loadDocument(deps: AppDeps, session: PortalSession, documentId: string): Promise<EvidenceDocument> {
  const document = await deps.assessments.getDocument(session.assessmentId, documentId);
  if (!document) throw new NotFoundError('Document', documentId);
  return document;
}

/** Deletes an uploaded document and its file. */
export async function deleteEvidence(deps: AppDeps, session: PortalSession, documentId: string): Promise<void> {
  await assertUploadsOpen(deps, session);
  const current = await loadDocument(deps, session, documentId);
  await deps.assessments.removeDocument(current, eventOf(deps, vendorActor(session), 'document.deleted', { type: 'assessment', id: session.assessmentId }, `Deleted ${current.fileName} (${current.kind})`));
  // A carried-over document shares its file with the approved assessment, which keeps it.
  if (!current.carriedOverFrom) await deps.documents.deleteDocument(current.storageKey).catch(() => undefined);
}

/**
 * Submits the answers: every required visible question answered, then the answers lock and the workflow goes on.
 * Answers to questions their conditions now hide are ignored (they stay in the draft, and scoring reads only visible
 * questions), as progress ignores them.
 */
export async function submitAssessment(deps: AppDeps, session: PortalSession): Promise<{ status: VendorFacingStatus; submittedAt: string }> {
  const assessment = await loadAssessment(deps, session.assessmentId);
  const sheet = await loadSheet(deps, session.assessmentId);
  const open = ['awaiting-vendor', 'overdue'].includes(assessment.status);
  // Answers locked while the assessment is still open: a submission that died halfway (a crash); it may complete.
  if (sheet.lockedAt && !open) throw new ConflictError('The assessment was already submitted', 'already-submitted');
  if (!open) throw new ConflictError(`The assessment cannot be submitted now (${assessment.status})`, 'not-open');
  const unconfirmed = unconfirmedSections(sheet.carriedOver);
  if (unconfirmed.length) {
    throw new ValidationError(
      `Confirm or edit the answers carried over from ${sheet.carriedOver!.answeredOn} first`,
      unconfirmed.map((u) => ({ path: `${u.templateId}.sections.${u.sectionId}`, message: `section "${sectionTitle(u.templateId, u.sectionId)}": confirm it is unchanged or edit it` })),
      'sections-unconfirmed',
    );
  }
  const problems = assessment.templates.flatMap((ref) =>
    validateAnswers(templateOf(ref.id), pruneHiddenAnswers(templateOf(ref.id), sheet.answers[ref.id] ?? {})).map((p) => ({ path: `${ref.id}.${p.path}`, message: p.message })),
  );
  if (problems.length) throw new ValidationError('Some required answers are missing or invalid', problems, 'answers-incomplete');
  const pending = await deps.assessments.getPendingTask(session.assessmentId);
  if (!pending || pending.state !== WORKFLOW_STATES.awaitVendor) throw new TrustgateError('workflow-not-ready', 'The assessment is not ready to receive a submission yet; try again in a minute');
  const documents = await deps.assessments.listDocuments(session.assessmentId);
  const now = deps.clock.now().toISOString();
  const actor = vendorActor(session);
  if (!sheet.lockedAt) {
    await deps.assessments.replaceAnswerSheet({ ...sheet, lockedAt: now, version: sheet.version + 1, updatedAt: now }, sheet.version, eventOf(deps, actor, 'answers.submitted', { type: 'assessment', id: session.assessmentId }, 'Answers locked for submission', { at: now }));
  }
  await changeAssessment(deps, session.assessmentId, actor, 'assessment.submitted', (a, at) => ({
    next: transition(a, 'analyzing', at, { submittedAt: at, changesRequested: null }),
    summary: `Submitted with ${documents.length} document(s)`,
  }));
  try {
    await deps.workflow.sendTaskSuccess(pending.token, { documentIds: documents.map((d) => d.id), submittedAt: now });
  } catch (error) {
    // The wait ended meanwhile (a reminder fired): reopen, so the vendor can submit again once the workflow waits anew.
    const locked = await loadSheet(deps, session.assessmentId);
    await deps.assessments.replaceAnswerSheet({ ...locked, lockedAt: null, version: locked.version + 1 }, locked.version, eventOf(deps, SYSTEM, 'answers.reopened', { type: 'assessment', id: session.assessmentId }, 'Submission not taken by the workflow; answers reopened'));
    await changeAssessment(deps, session.assessmentId, SYSTEM, 'assessment.submission-failed', (a, at) => ({ next: revise(a, at, { status: assessment.status, submittedAt: null }), summary: 'Submission not taken by the workflow; reopened' }));
    throw new TrustgateError('workflow-not-ready', 'The assessment was busy; your answers are saved, submit again in a minute', { cause: error });
  }
  await deps.assessments.clearPendingTask(session.assessmentId, pending.token);
  return { status: 'submitted', submittedAt: now };
}

/**
 * The vendor confirms that a section whose answers were carried over from the last approved assessment is unchanged.
 * Idempotent: confirming a confirmed or edited section changes nothing.
 */
export async function confirmCarriedSection(deps: AppDeps, session: PortalSession, input: { templateId: string; sectionId: string }): Promise<{ version: number; review: SectionReview }> {
  const assessment = await loadAssessment(deps, session.assessmentId);
  return takeTurns(`answers:${session.assessmentId}`, async () => {
    for (let attempt = 1; ; attempt++) {
      const sheet = await loadSheet(deps, session.assessmentId);
      if (sheet.lockedAt || isFinal(assessment.status)) throw new ConflictError('The answers were submitted and are locked', 'answers-locked');
      const review = sheet.carriedOver?.sections[input.templateId]?.[input.sectionId];
      if (!sheet.carriedOver || review === undefined) {
        throw new ValidationError('No answers were carried over into this section', [{ path: 'sectionId', message: 'a section listed in carriedOver.sections' }]);
      }
      const confirmed = confirmSection(sheet.carriedOver, input.templateId, input.sectionId);
      if (!confirmed) return { version: sheet.version, review };
      const now = deps.clock.now().toISOString();
      const next: AnswerSheet = { ...sheet, carriedOver: confirmed, version: sheet.version + 1, updatedAt: now };
      try {
        await deps.assessments.replaceAnswerSheet(next, sheet.version, eventOf(deps, vendorActor(session), 'answers.confirmed', { type: 'assessment', id: session.assessmentId }, `Section "${sectionTitle(input.templateId, input.sectionId)}" of ${input.templateId} confirmed unchanged since ${sheet.carriedOver.answeredOn}`, { at: now, targetVersion: next.version }));
        return { version: next.version, review: 'confirmed' };
      } catch (error) {
        if (error instanceof ConcurrentUpdateError && attempt < MAX_SAVE_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 10 * 2 ** attempt)));
          continue;
        }
        throw error;
      }
    }
  });
}

const sectionTitle = (templateId: string, sectionId: string): string => getTemplate(templateId)?.sections.find((s) => s.id === sectionId)?.title ?? sectionId;

async function loadSheet(deps: Pick<AppDeps, 'assessments'>, assessmentId: string): Promise<AnswerSheet> {
  const sheet = await deps.assessments.getAnswerSheet(assessmentId);
  if (!sheet) throw new NotFoundError('Answers of assessment', assessmentId);
  return sheet;
}

function templateOf(id: string): QuestionnaireTemplate {
  const template = getTemplate(id);
  if (!template) throw new NotFoundError('Questionnaire', id);
  return template;
}
