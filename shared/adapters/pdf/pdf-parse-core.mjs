// The pdf-parse calls themselves, in plain JavaScript so that they also run in a worker thread without the
// TypeScript loader (which would transform pdf.js and triple the memory). Used in-process by pdf-text-extractor.ts
// and in a worker by isolated-pdf-text-extractor.ts; both translate the outcome into DocumentUnreadableError codes.
import { PDFParse, PasswordException } from 'pdf-parse';

/** True when pdf-parse refused the file for its password. */
export function isPasswordError(error) {
  return error instanceof PasswordException || (error instanceof Error && error.name === 'PasswordException');
}

/** Reads per-page text; stops after the page count when it is 0 or above `maxPages`. Throws pdf-parse's errors. */
export async function readPdf(bytes, { maxPages, signal } = {}) {
  // pdf-parse detaches the array it is given: hand it a copy so the caller's bytes stay usable.
  const parser = new PDFParse({ data: Uint8Array.from(bytes), verbosity: 0 });
  const onAbort = () => void parser.destroy().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const info = await parser.getInfo();
    if (info.total === 0) return { outcome: 'empty', total: 0 };
    if (maxPages !== undefined && info.total > maxPages) return { outcome: 'too-large', total: info.total };
    if (signal?.aborted) return { outcome: 'aborted', total: info.total };
    const result = await parser.getText();
    return { outcome: 'ok', total: result.total, pages: result.pages.map((p) => ({ num: p.num, text: p.text })) };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await parser.destroy().catch(() => undefined);
  }
}
