/**
 * The upload check: the text extractor the analyzer uses (pdf.js, in its worker locally), run once on the upload so
 * that a file accepted at upload is a file the analyzer can open. No OCR: only whether the PDF opens and its pages.
 * At most `concurrency` checks run at once per process (each is a pdf.js worker of 50-150 MB); the others queue, and
 * the time limit starts when a check starts.
 */
import { DocumentUnreadableError } from '../../domain/soc2/errors.ts';
import type { DocumentInspector } from '../../ports/document-inspector.ts';
import type { DocumentTextExtractor } from '../../ports/document-text-extractor.ts';

/** An upload that takes longer than this to open is refused as unreadable (the analyzer's budget is 60 s). */
export const INSPECTION_TIMEOUT_MS = 30_000;
export const INSPECTION_CONCURRENCY = 2;

export function createPdfInspector(extractor: DocumentTextExtractor, options: { timeoutMs?: number; concurrency?: number } = {}): DocumentInspector {
  const timeoutMs = options.timeoutMs ?? INSPECTION_TIMEOUT_MS;
  const concurrency = options.concurrency ?? INSPECTION_CONCURRENCY;
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (running < concurrency) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // A finished check hands its slot to the next waiting one, so `running` counts the slots in use.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    async inspect(bytes) {
      await acquire();
      try {
        const signal = AbortSignal.timeout(timeoutMs);
        try {
          const { pageCount } = await extractor.extractPages(bytes, { signal });
          return { pageCount };
        } catch (error) {
          if (signal.aborted && !(error instanceof DocumentUnreadableError)) throw new DocumentUnreadableError('timeout', 'Reading the PDF took too long.', { cause: error });
          throw error;
        }
      } finally {
        release();
      }
    },
  };
}
