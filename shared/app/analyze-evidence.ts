/**
 * The workflow's AnalyzeDocument step: reads one uploaded file and stores its analysis, or why it could not be read.
 * An unreadable file is marked failed with its reason and the step succeeds, so one bad file never stops the
 * analysis of the others; only failures of trustgate itself (storage, a bug) fail the step. A document already
 * read is not read again, so a retry re-reads only what failed and a re-run after a crash changes nothing.
 */
import { NotFoundError } from '../domain/errors.ts';
import { ANALYZED_KINDS, type EvidenceDocument } from '../domain/evidence.ts';
import { DocumentUnreadableError } from '../domain/soc2/errors.ts';
import { analyzeDocument } from './analyze-document.ts';
import { eventOf, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';

export interface AnalyzeEvidenceEvent {
  assessmentId: string;
  documentId: string;
}

/** What became of one document: its analysis status, or `deleted` when the vendor deleted it meanwhile. */
export type AnalyzeEvidenceResult = { documentId: string; status: EvidenceDocument['analysisStatus'] | 'deleted' };

/** The reason stored for a file the document store no longer has. */
export const MISSING_FILE_CODE = 'missing';

export async function analyzeEvidence(deps: AppDeps, event: AnalyzeEvidenceEvent): Promise<AnalyzeEvidenceResult> {
  const document = await deps.assessments.getDocument(event.assessmentId, event.documentId);
  if (!document) {
    // The vendor deleted it between listing and locking at submit; an unknown assessment is an inconsistency.
    if (!(await deps.assessments.getAssessment(event.assessmentId))) throw new NotFoundError('Assessment', event.assessmentId);
    return { documentId: event.documentId, status: 'deleted' };
  }
  // Analysis that ran to the end before a restart or a retry is kept, not redone.
  if (document.analysisStatus === 'analyzed' || document.analysisStatus === 'not-analyzed') return { documentId: document.id, status: document.analysisStatus };
  if (!ANALYZED_KINDS.includes(document.kind)) {
    await store(deps, document, { analysisStatus: 'not-analyzed', analysis: null, analysisError: null }, `${document.fileName}: kept as evidence, not analyzed (${document.kind})`);
    return { documentId: document.id, status: 'not-analyzed' };
  }
  const stored = await deps.documents.getDocument(document.storageKey);
  if (!stored) {
    const error = { code: MISSING_FILE_CODE, message: 'The stored file is missing.' };
    await store(deps, document, { analysisStatus: 'failed', analysis: null, analysisError: error }, `${document.fileName}: could not be read (${error.code})`);
    return { documentId: document.id, status: 'failed' };
  }
  try {
    const analysis = await analyzeDocument({ extractor: deps.textExtractor }, stored.body);
    await store(deps, document, { analysisStatus: 'analyzed', analysis, analysisError: null }, `${document.fileName}: analyzed as ${analysis.documentKind}${analysis.reportType ? ` ${analysis.reportType}` : ''}`);
    return { documentId: document.id, status: 'analyzed' };
  } catch (error) {
    if (!(error instanceof DocumentUnreadableError)) throw error;
    await store(deps, document, { analysisStatus: 'failed', analysis: null, analysisError: { code: error.code, message: error.message } }, `${document.fileName}: could not be read (${error.code}): ${error.message}`);
    return { documentId: document.id, status: 'failed' };
  }
}

async function store(deps: AppDeps, document: EvidenceDocument, changes: Pick<EvidenceDocument, 'analysisStatus' | 'analysis' | 'analysisError'>, summary: string): Promise<void> {
  const next = { ...document, ...changes, version: document.version + 1 };
  await deps.assessments.replaceDocument(next, document.version, eventOf(deps, SYSTEM, 'document.analyzed', { type: 'assessment', id: document.assessmentId }, summary));
}
