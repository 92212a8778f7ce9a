/** The upload check: pdf.js in its worker, a time limit per file, and at most N checks at once. */
import { describe, expect, it } from 'vitest';
import { createIsolatedPdfTextExtractor } from '../../shared/adapters/pdf/isolated-pdf-text-extractor.ts';
import { createPdfInspector } from '../../shared/adapters/pdf/pdf-inspector.ts';
import { DocumentUnreadableError } from '../../shared/domain/soc2/errors.ts';
import type { DocumentTextExtractor } from '../../shared/ports/document-text-extractor.ts';
import { encryptedPdf, textPdf } from '../fixtures/unreadable-pdfs.ts';

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'read', (error: unknown) => (error instanceof DocumentUnreadableError ? error.code : String(error)));

describe('upload check', () => {
  it('reads the page count of a readable PDF', async () => {
    expect(await createPdfInspector(createIsolatedPdfTextExtractor()).inspect(await textPdf({ pages: 4 }))).toEqual({ pageCount: 4 });
  });

  it('refuses a PDF encrypted for reading with "encrypted"', async () => {
    expect(await codeOf(createPdfInspector(createIsolatedPdfTextExtractor()).inspect(await encryptedPdf()))).toBe('encrypted');
  });

  it('refuses with "timeout" when opening takes longer than the limit, and stops the worker', async () => {
    expect(await codeOf(createPdfInspector(createIsolatedPdfTextExtractor(), { timeoutMs: 1 }).inspect(await textPdf({ pages: 200 })))).toBe('timeout');
  });

  it('runs at most `concurrency` checks at once and answers every one', async () => {
    let running = 0;
    let most = 0;
    const slow: DocumentTextExtractor = {
      extractPages: async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return { pages: [], pageCount: 1 };
      },
    };
    const inspector = createPdfInspector(slow, { concurrency: 2 });
    const answers = await Promise.all(Array.from({ length: 7 }, () => inspector.inspect(new Uint8Array([1]))));
    expect(answers).toHaveLength(7);
    expect(most).toBe(2);
  });
});
