/** The workflow's AnalyzeDocument step: reads one uploaded file and stores its analysis (or why it could not be read). */
import { TrustgateError } from '../domain/errors.ts';
import { ANALYZED_KINDS, type EvidenceDocument } from '../domain/evidence.ts';
import { DocumentUnreadableError } from '../domain/soc2/errors.ts';
import { NotFoundError } from '../domain/errors.ts';
import { analyzeDocument } from './analyze-document.ts';
import { eventOf, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';

/** The document could not be analyzed; the assessment needs attention. Named for Step Functions' ErrorEquals. */
export class EvidenceUnreadableError extends TrustgateError {
  constructor(fileName: string, code: string, message: string) {
    super('evidence-unreadable', `${fileName} could not be analyzed (${code}): ${message}`);
    this.name = 'EvidenceUnreadableError';
  }
}

export interface AnalyzeEvidenceEvent {
  assessmentId: string;
  documentId: string;
}

export async function analyzeEvidence(deps: AppDeps, event: AnalyzeEvidenceEvent): Promise<{ documentId: string; status: EvidenceDocument['analysisStatus'] }> {
  const document = await deps.assessments.getDocument(event.assessmentId, event.documentId);
  if (!document) throw new NotFoundError('Document', event.documentId);
  // Analysis that ran to the end before a restart or a retry is kept, not redone.
  if (document.analysisStatus === 'analyzed' || document.analysisStatus === 'not-analyzed') return { documentId: document.id, status: document.analysisStatus };
  if (!ANALYZED_KINDS.includes(document.kind)) {
    await store(deps, document, { analysisStatus: 'not-analyzed', analysis: null, analysisError: null }, `${document.fileName}: kept as evidence, not analyzed (${document.kind})`);
    return { documentId: document.id, status: 'not-analyzed' };
  }
  const stored = await deps.documents.getDocument(document.storageKey);
  if (!stored) throw new NotFoundError('Stored file of document', document.id);
  try {
    const analysis = await analyzeDocument({ extractor: deps.textExtractor }, stored.body);
    await store(deps, document, { analysisStatus: 'analyzed', analysis, analysisError: null }, `${document.fileName}: analyzed as ${analysis.documentKind}${analysis.reportType ? ` ${analysis.reportType}` : ''}`);
    return { documentId: document.id, status: 'analyzed' };
  } catch (error) {
    if (!(error instanceof DocumentUnreadableError)) throw error;
    await store(deps, document, { analysisStatus: 'failed', analysis: null, analysisError: { code: error.code, message: error.message } }, `${document.fileName}: could not be read (${error.code})`);
    throw new EvidenceUnreadableError(document.fileName, error.code, error.message);
  }
}

async function store(deps: AppDeps, document: EvidenceDocument, changes: Pick<EvidenceDocument, 'analysisStatus' | 'analysis' | 'analysisError'>, summary: string): Promise<void> {
  const next = { ...document, ...changes, version: document.version + 1 };
  await deps.assessments.replaceDocument(next, document.version, eventOf(deps, SYSTEM, 'document.analyzed', { type: 'assessment', id: document.assessmentId }, summary));
}
