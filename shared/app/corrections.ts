/**
 * Security corrects facts the analyzer extracted from a document: each change is stored on the document (the
 * analysis itself stays as extracted) with its audit event, then the assessment is scored again from the corrected
 * facts. A corrected document can be exported as a labelled corpus case.
 */
import {
  assertCorrectionsOpen,
  CORRECTABLE_FIELDS,
  fieldValue,
  parseCorrection,
  requireCorrectableField,
  withCorrection,
  withoutCorrection,
  type CorrectableAnalysis,
  type CorrectableField,
  type FieldCorrection,
} from '../domain/analysis-corrections.ts';
import { corpusLabelOf, toCaseName, type CorpusLabel } from '../domain/corpus-label.ts';
import { ConcurrentUpdateError, ConflictError, NotFoundError, TrustgateError } from '../domain/errors.ts';
import { correctionsOf, effectiveAnalysis, type EvidenceDocument } from '../domain/evidence.ts';
import type { Principal } from '../domain/roles.ts';
import type { ReportAnalysis } from '../domain/soc2/types.ts';
import { loadAssessment } from './assessment-store.ts';
import { eventOf, staffActor } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { rescoreAssessment } from './risk.ts';

/** The document has no analysis to correct (not analyzed yet, not a kind the analyzer reads, or unreadable). */
export class DocumentNotAnalyzedError extends TrustgateError {
  constructor(document: EvidenceDocument) {
    super('document-not-analyzed', `${document.fileName} has no analysis to correct (analysis ${document.analysisStatus})`);
    this.name = 'DocumentNotAnalyzedError';
  }
}

export interface CorrectionsView {
  assessmentId: string;
  documentId: string;
  fileName: string;
  /** The document's version: send it back as If-Match. */
  version: number;
  correctableFields: readonly CorrectableField[];
  /** The analysis as the analyzer extracted it. */
  original: ReportAnalysis;
  /** The corrections in force, one per field. */
  corrections: FieldCorrection[];
  /** The analysis with the corrections applied: what the score and the findings are computed from. */
  effective: CorrectableAnalysis;
}

export interface CorpusCase {
  /** A suggested case name (from the file name); `trustgate corpus add` takes any kebab-case name. */
  caseName: string;
  label: CorpusLabel;
  document: { id: string; assessmentId: string; fileName: string; sha256: string; size: number };
  corrections: FieldCorrection[];
  warnings: string[];
}

async function analyzedDocument(deps: AppDeps, assessmentId: string, documentId: string): Promise<EvidenceDocument & { analysis: ReportAnalysis }> {
  await loadAssessment(deps, assessmentId);
  const document = await deps.assessments.getDocument(assessmentId, documentId);
  if (!document) throw new NotFoundError('Document', documentId);
  if (document.analysisStatus !== 'analyzed' || !document.analysis) throw new DocumentNotAnalyzedError(document);
  return document as EvidenceDocument & { analysis: ReportAnalysis };
}

function viewOf(document: EvidenceDocument & { analysis: ReportAnalysis }): CorrectionsView {
  return {
    assessmentId: document.assessmentId,
    documentId: document.id,
    fileName: document.fileName,
    version: document.version,
    correctableFields: CORRECTABLE_FIELDS,
    original: document.analysis,
    corrections: correctionsOf(document),
    effective: effectiveAnalysis(document)!,
  };
}

/** The original analysis, the corrections in force and the effective analysis of one document. */
export async function getCorrections(deps: AppDeps, assessmentId: string, documentId: string): Promise<CorrectionsView> {
  return viewOf(await analyzedDocument(deps, assessmentId, documentId));
}

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/**
 * Applies `change` to the document's corrections and stores it with its audit event, conditional on the version
 * read; then scores the assessment again. With `expectedVersion` (If-Match) a stale copy is refused (412); without
 * it a concurrent change makes it read again and re-apply, up to 3 times.
 */
async function changeCorrections(
  deps: AppDeps,
  principal: Principal,
  ids: { assessmentId: string; documentId: string },
  field: CorrectableField,
  expectedVersion: number | undefined,
  change: (current: FieldCorrection[], now: string) => { corrections: FieldCorrection[]; verb: string; reason: string },
): Promise<CorrectionsView> {
  const actor = staffActor(principal);
  for (let attempt = 1; ; attempt++) {
    const assessment = await loadAssessment(deps, ids.assessmentId);
    assertCorrectionsOpen(assessment.status);
    const document = await analyzedDocument(deps, ids.assessmentId, ids.documentId);
    if (expectedVersion !== undefined && document.version !== expectedVersion) {
      throw new ConflictError(`The document is at version ${document.version}, not ${expectedVersion}: read its corrections again`, 'version-mismatch');
    }
    const now = deps.clock.now().toISOString();
    const { corrections, verb, reason } = change(correctionsOf(document), now);
    const next = { ...document, corrections, version: document.version + 1 };
    const from = fieldValue(effectiveAnalysis(document)!, field);
    const to = fieldValue(effectiveAnalysis(next)!, field);
    const summary = `${document.fileName}: ${field} ${verb}: ${shown(from)} → ${shown(to)}. Reason: ${reason}`;
    const event = eventOf(deps, actor, `document.${verb === 'corrected' ? 'corrected' : 'correction-reverted'}`, { type: 'assessment', id: ids.assessmentId }, summary, {
      changes: { [field]: { from, to } },
      at: now,
    });
    try {
      await deps.assessments.replaceDocument(next, document.version, event);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (expectedVersion !== undefined) throw new ConflictError('The document changed meanwhile: read its corrections again', 'version-mismatch');
      if (attempt < 3) continue;
      throw error;
    }
    await rescoreAssessment(deps, actor, ids.assessmentId, `${field} of ${document.fileName} ${verb}`);
    return viewOf(next);
  }
}

/** Sets the value of one field (superseding an earlier correction of it) and scores the assessment again. */
export async function correctField(
  deps: AppDeps,
  principal: Principal,
  ids: { assessmentId: string; documentId: string },
  request: { field: string; value: unknown; reason: string },
  expectedVersion?: number,
): Promise<CorrectionsView> {
  const field = requireCorrectableField(request.field);
  return changeCorrections(deps, principal, ids, field, expectedVersion, (current, now) => {
    const correction = parseCorrection(request, { correctedBy: principal.email ?? principal.subject, correctedAt: now });
    return { corrections: withCorrection(current, correction), verb: 'corrected', reason: correction.reason };
  });
}

/** Takes a field back to the value the analyzer read and scores the assessment again. */
export async function revertCorrection(
  deps: AppDeps,
  principal: Principal,
  ids: { assessmentId: string; documentId: string },
  request: { field: string; reason: string },
  expectedVersion?: number,
): Promise<CorrectionsView> {
  const field = requireCorrectableField(request.field);
  return changeCorrections(deps, principal, ids, field, expectedVersion, (current) => ({ corrections: withoutCorrection(current, field), verb: 'reverted', reason: request.reason }));
}

/** The document's effective analysis as a labelled corpus case, for `trustgate corpus add`. */
export async function exportCorpusCase(deps: AppDeps, assessmentId: string, documentId: string): Promise<CorpusCase> {
  const document = await analyzedDocument(deps, assessmentId, documentId);
  const { label, warnings } = corpusLabelOf(effectiveAnalysis(document)!);
  return {
    caseName: toCaseName(document.fileName),
    label,
    document: { id: document.id, assessmentId, fileName: document.fileName, sha256: document.sha256, size: document.size },
    corrections: correctionsOf(document),
    warnings,
  };
}
