/** Use case: bytes of an uploaded document in, ReportAnalysis out, within the 60-second budget. */
import { analyzeReport } from '../domain/soc2/analyze-report.ts';
import { DocumentUnreadableError, documentLimits } from '../domain/soc2/errors.ts';
import type { ReportAnalysis } from '../domain/soc2/types.ts';
import type { DocumentTextExtractor } from '../ports/document-text-extractor.ts';

export interface AnalyzeDocumentDeps {
  extractor: DocumentTextExtractor;
  /** Defaults to 60 s (issue 3). */
  timeoutMs?: number;
}

/** Extracts the text and analyses it; rejects with DocumentUnreadableError('timeout') after the time budget. */
export async function analyzeDocument(deps: AnalyzeDocumentDeps, bytes: Uint8Array): Promise<ReportAnalysis> {
  const timeoutMs = deps.timeoutMs ?? documentLimits.timeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DocumentUnreadableError('timeout', `Analysis was aborted after ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
  });
  try {
    const started = performance.now();
    // pdf.js can keep the event loop busy past the timer, so the budget is also checked between the two steps.
    const checkBudget = (): void => {
      if (controller.signal.aborted || performance.now() - started > timeoutMs) {
        throw new DocumentUnreadableError('timeout', `Analysis was aborted after ${Math.round(timeoutMs / 1000)} s.`);
      }
    };
    const work = (async () => {
      const { pages } = await deps.extractor.extractPages(bytes, { signal: controller.signal });
      checkBudget();
      const analysis = analyzeReport(pages);
      checkBudget();
      return analysis;
    })();
    // After a timeout the extraction may still fail later; that outcome no longer matters.
    work.catch(() => undefined);
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
