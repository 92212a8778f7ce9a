/**
 * pdf-parse in a worker thread, one per document: the time cap really stops the work (the worker is terminated),
 * and under the TypeScript loader (CLI, npm start) pdf.js loads untransformed, at a third of the memory.
 * The Lambda analyzer runs bundled JavaScript and uses the in-process extractor. The worker is found beside this
 * module: shared/adapters/pdf/ under tsx, dist/ in the built CLI and server (infra/bundling/local-build.ts builds it
 * there as an entry point of its own, next to the chunk this code ends up in).
 */
import { Worker } from 'node:worker_threads';
import { DocumentUnreadableError } from '../../domain/soc2/errors.ts';
import type { DocumentTextExtractor, ExtractedDocument } from '../../ports/document-text-extractor.ts';
import type { ReadPdfResult } from './pdf-parse-core.mjs';
import { checkBeforeParsing, fromReadFailure, fromReadResult, limitsOf, type PdfTextExtractorOptions } from './pdf-read-outcome.ts';

type WorkerAnswer = { result: ReadPdfResult } | { failure: { password: boolean; message: string } };

export function createIsolatedPdfTextExtractor(options: PdfTextExtractorOptions = {}): DocumentTextExtractor {
  const { maxBytes, maxPages } = limitsOf(options);
  return {
    async extractPages(bytes, { signal } = {}): Promise<ExtractedDocument> {
      checkBeforeParsing(bytes, maxBytes);
      if (signal?.aborted) throw new DocumentUnreadableError('timeout', 'Text extraction was aborted.');
      const copy = Uint8Array.from(bytes);
      const worker = new Worker(new URL('./pdf-extract-worker.mjs', import.meta.url), { workerData: { bytes: copy, maxPages }, transferList: [copy.buffer] });
      const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
        const onAbort = () => {
          void worker.terminate();
          reject(new DocumentUnreadableError('timeout', 'Text extraction was aborted.'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        worker.once('message', (message: WorkerAnswer) => resolve(message));
        worker.once('error', (error) => reject(fromReadFailure({ password: false }, error)));
        worker.once('exit', (code) => {
          signal?.removeEventListener('abort', onAbort);
          if (code !== 0) reject(fromReadFailure({ password: false }, new Error(`the extraction worker stopped with code ${code}`)));
        });
      }).finally(() => void worker.terminate());
      if ('failure' in answer) throw fromReadFailure(answer.failure, new Error(answer.failure.message));
      return fromReadResult(answer.result, maxPages);
    },
  };
}
