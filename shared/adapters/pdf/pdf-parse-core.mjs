// The pdf-parse calls themselves, in plain JavaScript so that they also run in a worker thread without the
// TypeScript loader (which would transform pdf.js and triple the memory). Used in-process by pdf-text-extractor.ts
// and in a worker by isolated-pdf-text-extractor.ts; both translate the outcome into DocumentUnreadableError codes.
//
// One pass of pdf.js text content per page gives both views the analyzer reads: the text in content-stream order
// (what pdf-parse's getText() returns, built here with its default parameters) and the text items with their
// positions (for the layout rules: lines, columns, table rows). pdf.js reports text in optional-content layers
// whether or not the layer is visible, so hidden layers are read too.
import { PDFParse, PasswordException } from 'pdf-parse';

/** True when pdf-parse refused the file for its password. */
export function isPasswordError(error) {
  return error instanceof PasswordException || (error instanceof Error && error.name === 'PasswordException');
}

// pdf-parse's default text parameters (ParseParameters.js), so that the stream text is the one it returns.
const LINE_THRESHOLD = 4.6;
const CELL_THRESHOLD = 7;
const CELL_SEPARATOR = '\t';

const round = (n) => Math.round(n * 10) / 10;

/** Stream-order text and positioned items of one page, from one getTextContent call. */
export function pageTextOf(textContent, viewport) {
  const strBuf = [];
  const items = [];
  let lastX;
  let lastY;
  let lineHeight = 0;
  for (const item of textContent.items) {
    if (!('str' in item)) continue;
    const tm = item.transform;
    const [x, y] = viewport.convertToViewportPoint(tm[4], tm[5]);
    let str = item.str;
    if (lastY !== undefined && Math.abs(lastY - y) > LINE_THRESHOLD) {
      const lastItem = strBuf.length ? strBuf[strBuf.length - 1] : undefined;
      const isCurrentItemHasNewLine = str.startsWith('\n') || (str.trim() === '' && item.hasEOL);
      if (lastItem?.endsWith('\n') === false && !isCurrentItemHasNewLine && Math.abs(lastY - y) - 1 > lineHeight) {
        strBuf.push('\n');
        lineHeight = 0;
      }
    }
    if (lastY !== undefined && Math.abs(lastY - y) < LINE_THRESHOLD && lastX !== undefined && Math.abs(lastX - x) > CELL_THRESHOLD) {
      str = `${CELL_SEPARATOR}${str}`;
    }
    strBuf.push(str);
    lastX = x + item.width;
    lastY = y;
    lineHeight = Math.max(lineHeight, item.height);
    if (item.hasEOL) strBuf.push('\n');
    if (item.hasEOL || str.endsWith('\n')) lineHeight = 0;
    if (item.str.trim() !== '') {
      // Font size from the text matrix (rotation-safe), y at the baseline measured from the top of the page.
      const size = Math.hypot(tm[2], tm[3]) || item.height || 1;
      items.push({ s: item.str, x: round(x), y: round(y), w: round(item.width), h: round(size) });
    }
  }
  return { text: strBuf.join(''), items, width: round(viewport.width), height: round(viewport.height) };
}

/** Reads per-page text and positioned items; stops after the page count when it is 0 or above `maxPages`. Throws pdf-parse's errors. */
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
    const doc = await parser.load();
    const pages = [];
    for (let num = 1; num <= doc.numPages; num++) {
      if (signal?.aborted) return { outcome: 'aborted', total: info.total };
      const page = await doc.getPage(num);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
      pages.push({ num, ...pageTextOf(content, viewport) });
      page.cleanup();
    }
    return { outcome: 'ok', total: doc.numPages, pages };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await parser.destroy().catch(() => undefined);
  }
}
