/**
 * Text extraction with pdf-parse (the calls live in pdf-parse-core.mjs): per-page text and page count, with
 * pdf-parse and pdf.js failures translated into DocumentUnreadableError codes at the seam.
 */
import { DocumentUnreadableError } from '../../domain/soc2/errors.ts';
import type { DocumentTextExtractor, ExtractedDocument } from '../../ports/document-text-extractor.ts';
import { isPasswordError, readPdf, type ReadPdfResult } from './pdf-parse-core.mjs';
import { checkBeforeParsing, fromReadFailure, fromReadResult, limitsOf, type PdfTextExtractorOptions } from './pdf-read-outcome.ts';

export type { PdfTextExtractorOptions };

/** Extracts text with pdf-parse 2.x in this thread; every failure becomes a DocumentUnreadableError. */
export function createPdfTextExtractor(options: PdfTextExtractorOptions = {}): DocumentTextExtractor {
  const { maxBytes, maxPages } = limitsOf(options);
  return {
    async extractPages(bytes, { signal } = {}): Promise<ExtractedDocument> {
      checkBeforeParsing(bytes, maxBytes);
      let result: ReadPdfResult;
      try {
        result = await readPdf(bytes, { maxPages, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) throw new DocumentUnreadableError('timeout', 'Text extraction was aborted.', { cause: error });
        throw fromReadFailure({ password: isPasswordError(error) }, error);
      }
      return fromReadResult(result, maxPages);
    },
  };
}
