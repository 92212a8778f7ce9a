/** Evidence files a vendor uploads, and their analysis status. */
import { documentLimits, type UnreadableCode } from './soc2/errors.ts';
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
  /** Pages found when the upload was checked (absent on documents stored before uploads were checked, null when not checked). */
  pageCount?: number | null;
  /** Security's corrections of the analysis, one in force per field (absent on documents stored before corrections). */
  corrections?: FieldCorrection[];
  /** A reassessment's copy of a still-fresh document of the last approved assessment: it shares the stored file. */
  carriedOverFrom?: { assessmentId: string; documentId: string };
  version: number;
}

/** Most documents one assessment holds; the repository enforces it with a conditional write. */
export const MAX_DOCUMENTS_PER_ASSESSMENT = 20;

/** The only content type an upload may declare. */
export const PDF_CONTENT_TYPE = 'application/pdf';

/**
 * A vendor's announced upload: the browser posts the file straight to the document store under `storageKey`, then
 * completes it (`replacesDocumentId` set: the file of that document is replaced). Its id becomes the new document's id.
 */
export interface UploadIntent {
  id: string;
  assessmentId: string;
  kind: EvidenceKind;
  fileName: string;
  declaredSize: number;
  storageKey: string;
  replacesDocumentId: string | null;
  createdAt: string;
  /** When the signed upload form stops working. */
  expiresAt: string;
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

/** The error code an upload is refused with, by what the PDF reader found. */
export const UPLOAD_REFUSAL_CODES = {
  encrypted: 'document-encrypted',
  corrupt: 'document-unreadable',
  empty: 'document-unreadable',
  timeout: 'document-unreadable',
  'too-large': 'document-too-long',
  'not-a-pdf': 'not-a-pdf',
} as const satisfies Record<UnreadableCode, string>;
export type UploadRefusalCode = (typeof UPLOAD_REFUSAL_CODES)[UnreadableCode];

const IN_WORDS: Record<UnreadableCode, string> = {
  encrypted: 'This PDF is protected with a password, so it cannot be read. Save or export it without a password (a password that only restricts printing or copying is fine) and upload it again.',
  corrupt: 'This PDF is damaged or incomplete and cannot be read. Export or download it again from the original and upload the new file.',
  empty: 'This PDF has no pages. Upload the complete document.',
  timeout: 'This PDF took too long to read. Export it again (for example with "Save as PDF") and upload the new file, or split it into parts.',
  'too-large': `This PDF has more pages than can be read (at most ${documentLimits.maxPages.toLocaleString('en')}). Split it into parts and upload each.`,
  'not-a-pdf': 'This file is not a PDF. Save it as PDF and upload it again.',
};

/** Why a file cannot be read, in words for the vendor, with what to do about it. */
export function unreadableInWords(code: string): string {
  return (IN_WORDS as Record<string, string | undefined>)[code] ?? 'This file could not be read. Upload it again, or upload a new copy of it.';
}

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266): how every download of a document is named. */
export function attachmentDisposition(fileName: string): string {
  const asciiName = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
