/**
 * What both pdf-parse extractors (in this thread, pdf-text-extractor.ts; in a worker, isolated-pdf-text-extractor.ts)
 * decide without pdf-parse: the checks before parsing and the translation of its outcome into DocumentUnreadableError
 * codes. Kept apart so that the worker's caller does not load pdf-parse and pdf.js into the main thread.
 */
import { DocumentUnreadableError, documentLimits } from '../../domain/soc2/errors.ts';
import type { ExtractedDocument } from '../../ports/document-text-extractor.ts';
import type { ReadPdfResult } from './pdf-parse-core.mjs';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** PDF readers accept a header anywhere in the first kilobyte (some producers prepend junk). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).indexOf(PDF_MAGIC) >= 0;
}

export interface PdfTextExtractorOptions {
  maxBytes?: number;
  maxPages?: number;
}

export const limitsOf = (options: PdfTextExtractorOptions) => ({ maxBytes: options.maxBytes ?? documentLimits.maxBytes, maxPages: options.maxPages ?? documentLimits.maxPages });

/** What is refused before pdf-parse sees the file: empty, too large, no PDF header. */
export function checkBeforeParsing(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.byteLength === 0) throw new DocumentUnreadableError('empty', 'The file is empty (0 bytes).');
  if (bytes.byteLength > maxBytes) {
    throw new DocumentUnreadableError('too-large', `The file is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; the limit is ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  }
  if (!hasPdfHeader(bytes)) throw new DocumentUnreadableError('not-a-pdf', 'The file is not a PDF (no %PDF- header).');
}

/** pdf-parse's answer as an extracted document, or the DocumentUnreadableError it amounts to. */
export function fromReadResult(result: ReadPdfResult, maxPages: number): ExtractedDocument {
  if (result.outcome === 'empty') throw new DocumentUnreadableError('empty', 'The PDF has no pages.');
  if (result.outcome === 'too-large') throw new DocumentUnreadableError('too-large', `The PDF has ${result.total} pages; the limit is ${maxPages}.`);
  if (result.outcome === 'aborted') throw new DocumentUnreadableError('timeout', 'Text extraction was aborted.');
  return { pages: result.pages, pageCount: result.total };
}

/** A failure pdf-parse threw, as a DocumentUnreadableError. */
export function fromReadFailure(failure: { password: boolean }, cause?: unknown): DocumentUnreadableError {
  return failure.password
    ? new DocumentUnreadableError('encrypted', 'The PDF is encrypted (password protected).', { cause })
    : new DocumentUnreadableError('corrupt', 'The PDF is damaged or truncated and cannot be read.', { cause });
}
