/** Evidence files a vendor uploads, and their analysis status. */
import type { ReportAnalysis } from './soc2/types.ts';
import type { EvidenceKind } from './assessment.ts';
import { applyCorrections, type CorrectableAnalysis, type FieldCorrection } from './analysis-corrections.ts';

export type AnalysisStatus = 'pending' | 'analyzed' | 'failed' | 'not-analyzed';

export interface EvidenceDocument {
  id: string;
  assessmentId: string;
  kind: EvidenceKind;
  fileName: string;
  contentType: string;
  size: number;
  /** Key in the document store. */
  storageKey: string;
  sha256: string;
  uploadedAt: string;
  analysisStatus: AnalysisStatus;
  analysis: ReportAnalysis | null;
  analysisError: { code: string; message: string } | null;
  /** Security's corrections of the analysis, one in force per field (absent on documents stored before corrections). */
  corrections?: FieldCorrection[];
  version: number;
}

export const correctionsOf = (document: Pick<EvidenceDocument, 'corrections'>): FieldCorrection[] => document.corrections ?? [];

/** The analysis with security's corrections applied: what the risk model and the reviewers read. */
export function effectiveAnalysis(document: Pick<EvidenceDocument, 'analysis' | 'corrections'>): CorrectableAnalysis | null {
  return document.analysis ? applyCorrections(document.analysis, correctionsOf(document)) : null;
}

/** The latest period end among the documents the (corrected) analysis reads as `kind`, or null. */
export function latestPeriodEnd(documents: readonly EvidenceDocument[], kind: 'soc2' | 'bridge-letter'): string | null {
  const ends = documents.flatMap((d) => {
    const analysis = effectiveAnalysis(d);
    return analysis?.documentKind === kind && analysis.period?.end ? [analysis.period.end] : [];
  });
  return ends.sort().at(-1) ?? null;
}

/** Kinds the analyzer reads; "other" evidence is stored and listed but not analyzed. */
export const ANALYZED_KINDS: readonly EvidenceKind[] = ['soc2-report', 'bridge-letter', 'iso-certificate'];

/** A file name safe to show and to store: no path, no control characters, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters from a file name is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return cleaned || 'document.pdf';
}
