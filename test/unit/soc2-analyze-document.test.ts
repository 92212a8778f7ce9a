import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../shared/app/analyze-document.ts';
import { DocumentUnreadableError } from '../../shared/domain/soc2/errors.ts';
import type { DocumentTextExtractor } from '../../shared/ports/document-text-extractor.ts';

/** An extractor that answers after `delayMs` unless aborted: the use case's timeout is what is under test. */
function slowExtractor(delayMs: number): DocumentTextExtractor & { aborted: () => boolean } {
  let aborted = false;
  return {
    aborted: () => aborted,
    extractPages: (_bytes, options) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ pages: [{ num: 1, text: 'Bridge letter' }], pageCount: 1 }), delayMs);
        options?.signal?.addEventListener('abort', () => {
          aborted = true;
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      }),
  };
}

describe('analyzeDocument', () => {
  it('analyses the extracted pages', async () => {
    const analysis = await analyzeDocument({ extractor: slowExtractor(0) }, new Uint8Array([1]));
    expect(analysis.pages).toBe(1);
  });

  it('rejects with "timeout" when extraction outlasts the budget', async () => {
    const error = await analyzeDocument({ extractor: slowExtractor(5_000), timeoutMs: 20 }, new Uint8Array([1])).catch((e: unknown) => e);
    expect(error instanceof DocumentUnreadableError && error.code).toBe('timeout');
  });

  it('aborts the extraction it gave up on', async () => {
    const extractor = slowExtractor(5_000);
    await analyzeDocument({ extractor, timeoutMs: 20 }, new Uint8Array([1])).catch(() => undefined);
    expect(extractor.aborted()).toBe(true);
  });
});
