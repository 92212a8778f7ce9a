/** Evidence files a vendor uploads, and their analysis status. */
import type { ReportAnalysis } from './soc2/types.ts';
import type { EvidenceKind } from './assessment.ts';

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
  version: number;
}

/** Kinds the analyzer reads; "other" evidence is stored and listed but not analyzed. */
export const ANALYZED_KINDS: readonly EvidenceKind[] = ['soc2-report', 'bridge-letter', 'iso-certificate'];

/** A file name safe to show and to store: no path, no control characters, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return cleaned || 'document.pdf';
}
