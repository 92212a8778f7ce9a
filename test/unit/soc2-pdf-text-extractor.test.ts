import { describe, expect, it } from 'vitest';
import { createIsolatedPdfTextExtractor } from '../../shared/adapters/pdf/isolated-pdf-text-extractor.ts';
import { createPdfTextExtractor, type PdfTextExtractorOptions } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
import type { DocumentTextExtractor } from '../../shared/ports/document-text-extractor.ts';
import { DocumentUnreadableError } from '../../shared/domain/soc2/errors.ts';
import { PdfWriter } from '../fixtures/soc2-corpus/pdf-writer.ts';

async function pdf(pages: string[], userPassword?: string): Promise<Buffer> {
  const w = new PdfWriter(userPassword ? { userPassword } : {});
  pages.forEach((text, i) => {
    if (i > 0) w.newPage();
    w.paragraph(text);
  });
  return (await w.finish()).bytes;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof DocumentUnreadableError ? error.code : `unexpected ${String(error)}`;
  }
}

/** One contract, two adapters: pdf-parse in this thread (Lambda) and in a worker thread (CLI, npm start). */
const adapters: { name: string; create: (options?: PdfTextExtractorOptions) => DocumentTextExtractor }[] = [
  { name: 'in-process', create: createPdfTextExtractor },
  { name: 'worker thread', create: createIsolatedPdfTextExtractor },
];

describe.each(adapters)('text extractor contract: $name', ({ create }) => {
  const extractor = create();

  it('returns the text of each page with its number', async () => {
    const result = await extractor.extractPages(await pdf(['first page', 'second page']));
    expect(result.pages.map((p) => [p.num, p.text])).toEqual([[1, 'first page'], [2, 'second page']]);
  });

  it('leaves the caller’s bytes usable', async () => {
    const bytes = new Uint8Array(await pdf(['text']));
    await extractor.extractPages(bytes);
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('maps a zero-byte file to "empty"', async () => {
    expect(await codeOf(extractor.extractPages(new Uint8Array(0)))).toBe('empty');
  });

  it('maps a file without a %PDF- header to "not-a-pdf"', async () => {
    expect(await codeOf(extractor.extractPages(Buffer.from('PK\u0003\u0004 a zip file')))).toBe('not-a-pdf');
  });

  it('maps a password-protected PDF to "encrypted"', async () => {
    expect(await codeOf(extractor.extractPages(await pdf(['secret'], 'pw')))).toBe('encrypted');
  });

  it('maps a truncated PDF to "corrupt"', async () => {
    const bytes = await pdf(['some text that makes the file long enough to cut in half']);
    expect(await codeOf(extractor.extractPages(bytes.subarray(0, Math.floor(bytes.length / 3))))).toBe('corrupt');
  });

  it('maps a file over the size cap to "too-large"', async () => {
    expect(await codeOf(create({ maxBytes: 100 }).extractPages(await pdf(['text'])))).toBe('too-large');
  });

  it('maps a PDF over the page cap to "too-large"', async () => {
    expect(await codeOf(create({ maxPages: 2 }).extractPages(await pdf(['1', '2', '3'])))).toBe('too-large');
  });
});

describe('worker-thread extractor', () => {
  it('stops the work when the time cap aborts it', async () => {
    const controller = new AbortController();
    const started = createIsolatedPdfTextExtractor().extractPages(await pdf(Array.from({ length: 40 }, (_, i) => `page ${i} `.repeat(200))), { signal: controller.signal });
    controller.abort();
    expect(await codeOf(started)).toBe('timeout');
  });
});
