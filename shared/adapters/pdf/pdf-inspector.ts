/**
 * The upload check: the text extractor the analyzer uses (pdf.js, in its worker locally), run once on the upload so
 * that a file accepted at upload is a file the analyzer can open. No OCR: only whether the PDF opens and its pages.
 */
import { DocumentUnreadableError } from '../../domain/soc2/errors.ts';
import type { DocumentInspector } from '../../ports/document-inspector.ts';
import type { DocumentTextExtractor } from '../../ports/document-text-extractor.ts';

/** An upload that takes longer than this to open is refused as unreadable (the analyzer's budget is 60 s). */
export const INSPECTION_TIMEOUT_MS = 30_000;

export function createPdfInspector(extractor: DocumentTextExtractor, options: { timeoutMs?: number } = {}): DocumentInspector {
  const timeoutMs = options.timeoutMs ?? INSPECTION_TIMEOUT_MS;
  return {
    async inspect(bytes) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const { pageCount } = await extractor.extractPages(bytes, { signal });
        return { pageCount };
      } catch (error) {
        if (signal.aborted && !(error instanceof DocumentUnreadableError)) throw new DocumentUnreadableError('timeout', 'Reading the PDF took too long.', { cause: error });
        throw error;
      }
    },
  };
}
