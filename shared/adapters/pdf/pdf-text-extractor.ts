/**
 * The one place that imports pdf-parse: per-page text and page count, with pdf-parse and pdf.js failures translated
 * into DocumentUnreadableError codes at the seam.
 */
import { PDFParse, PasswordException } from 'pdf-parse';
import { DocumentUnreadableError, documentLimits } from '../../domain/soc2/errors.ts';
import type { DocumentTextExtractor, ExtractedDocument } from '../../ports/document-text-extractor.ts';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** PDF readers accept a header anywhere in the first kilobyte (some producers prepend junk). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).indexOf(PDF_MAGIC) >= 0;
}

function isPasswordError(error: unknown): boolean {
  return error instanceof PasswordException || (error instanceof Error && error.name === 'PasswordException');
}

export interface PdfTextExtractorOptions {
  maxBytes?: number;
  maxPages?: number;
}

/** Extracts text with pdf-parse 2.x; every failure becomes a DocumentUnreadableError. */
export function createPdfTextExtractor(options: PdfTextExtractorOptions = {}): DocumentTextExtractor {
  const maxBytes = options.maxBytes ?? documentLimits.maxBytes;
  const maxPages = options.maxPages ?? documentLimits.maxPages;
  return {
    async extractPages(bytes, { signal } = {}): Promise<ExtractedDocument> {
      if (bytes.byteLength === 0) throw new DocumentUnreadableError('empty', 'The file is empty (0 bytes).');
      if (bytes.byteLength > maxBytes) {
        throw new DocumentUnreadableError('too-large', `The file is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; the limit is ${Math.round(maxBytes / 1024 / 1024)} MB.`);
      }
      if (!hasPdfHeader(bytes)) throw new DocumentUnreadableError('not-a-pdf', 'The file is not a PDF (no %PDF- header).');
      // pdf-parse detaches the array it is given: hand it a copy so the caller's bytes stay usable.
      const parser = new PDFParse({ data: Uint8Array.from(bytes), verbosity: 0 });
      const onAbort = (): void => void parser.destroy().catch(() => undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const info = await parser.getInfo();
        if (info.total === 0) throw new DocumentUnreadableError('empty', 'The PDF has no pages.');
        if (info.total > maxPages) throw new DocumentUnreadableError('too-large', `The PDF has ${info.total} pages; the limit is ${maxPages}.`);
        if (signal?.aborted) throw new DocumentUnreadableError('timeout', 'Text extraction was aborted.');
        const result = await parser.getText();
        return { pages: result.pages.map((p) => ({ num: p.num, text: p.text })), pageCount: result.total };
      } catch (error) {
        if (error instanceof DocumentUnreadableError) throw error;
        if (signal?.aborted) throw new DocumentUnreadableError('timeout', 'Text extraction was aborted.', { cause: error });
        if (isPasswordError(error)) throw new DocumentUnreadableError('encrypted', 'The PDF is encrypted (password protected).', { cause: error });
        throw new DocumentUnreadableError('corrupt', 'The PDF is damaged or truncated and cannot be read.', { cause: error });
      } finally {
        signal?.removeEventListener('abort', onAbort);
        await parser.destroy().catch(() => undefined);
      }
    },
  };
}
