import { describe, expect, it } from 'vitest';
import { createPdfTextExtractor } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
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

describe('createPdfTextExtractor', () => {
  const extractor = createPdfTextExtractor();

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
    expect(await codeOf(createPdfTextExtractor({ maxBytes: 100 }).extractPages(await pdf(['text'])))).toBe('too-large');
  });

  it('maps a PDF over the page cap to "too-large"', async () => {
    expect(await codeOf(createPdfTextExtractor({ maxPages: 2 }).extractPages(await pdf(['1', '2', '3'])))).toBe('too-large');
  });
});
