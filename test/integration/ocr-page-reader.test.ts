import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPageReader, OcrPageNumberError, type OcrPage, type OcrPageReader } from '../../shared/adapters/pdf/ocr-page-reader.mjs';
import { generateScannedPdf, type ScannedPdf } from '../fixtures/scanned-pdf.ts';

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('OCR page reader (pdf.js render + tesseract.js, offline)', () => {
  let scan: ScannedPdf;
  let reader: OcrPageReader;
  let pages: OcrPage[];

  beforeAll(async () => {
    scan = await generateScannedPdf();
    reader = createOcrPageReader();
    pages = await reader.readPages(scan.bytes, [1, 2]);
  }, 180_000);

  afterAll(async () => {
    await reader?.terminate();
  });

  it('returns the requested pages in order with the page box in points', () => {
    expect(pages.map((p) => [p.num, p.width, p.height])).toEqual([
      [1, 612, 792],
      [2, 612, 792],
    ]);
  });

  it('reads the title and the organization on an image-only page', () => {
    const text = oneLine(pages[0]!.text);
    expect(text).toContain("Independent Service Auditor's Report");
    expect(text).toContain('To the Management of Kestrel Ledger Inc.');
  });

  it('reads the period and the opinion paragraph', () => {
    const text = oneLine(pages[1]!.text);
    expect(text).toContain('In our opinion, in all material respects');
    expect(text).toContain('throughout the period January 1, 2025 to June 30, 2025');
  });

  it('reports a high confidence for a clean scan', () => {
    expect(pages.map((p) => p.confidence)).toEqual([expect.any(Number), expect.any(Number)]);
    for (const page of pages) expect(page.confidence).toBeGreaterThan(80);
  });

  it('places each word inside the page box', () => {
    for (const page of pages) {
      expect(page.words.length).toBeGreaterThan(50);
      for (const w of page.words) {
        expect(w.x).toBeGreaterThanOrEqual(0);
        expect(w.y).toBeGreaterThanOrEqual(0);
        expect(w.x + w.width).toBeLessThanOrEqual(page.width);
        expect(w.y + w.height).toBeLessThanOrEqual(page.height);
      }
    }
  });

  it('gives word positions in points from the top-left corner, where the text was drawn', () => {
    // The sheet is skewed by 0.4° about the page centre, which the drawn boxes include; OCR boxes are whole pixels
    // of a 300 DPI render and the font metrics are rounded to whole points.
    const cases: Array<{ page: number; line: string; word: string }> = [
      { page: 1, line: "Independent Service Auditor's Report", word: 'Independent' },
      { page: 1, line: 'To the Management of Kestrel Ledger Inc.', word: 'Kestrel' },
      { page: 2, line: 'Opinion', word: 'Opinion' },
      { page: 2, line: 'Harbor & Finch LLP, Denver, Colorado, August 14, 2025', word: 'Denver,' },
    ];
    for (const { page, line, word } of cases) {
      const drawn = scan.pages[page - 1]!.lines.find((l) => l.text === line)!.words.find((w) => w.text === word)!;
      const found = pages[page - 1]!.words.filter((w) => w.text === word).find((w) => Math.abs(w.y - drawn.y) < 20);
      expect(found, `${word} on page ${page}`).toBeDefined();
      expect(Math.abs(found!.x - drawn.x), `x of ${word}`).toBeLessThan(3);
      expect(Math.abs(found!.y - drawn.y), `y of ${word}`).toBeLessThan(3);
      expect(Math.abs(found!.width - drawn.width), `width of ${word}`).toBeLessThan(3);
      expect(Math.abs(found!.height - drawn.height), `height of ${word}`).toBeLessThan(3);
    }
  });

  it('orders words by position: "Kestrel" follows "Management" on the addressee line', () => {
    const words = pages[0]!.words;
    const management = words.findIndex((w) => w.text === 'Management');
    const kestrel = words[management + 2]!;
    expect(kestrel.text).toBe('Kestrel');
    expect(kestrel.x).toBeGreaterThan(words[management]!.x + words[management]!.width);
    expect(Math.abs(kestrel.y - words[management]!.y)).toBeLessThan(3);
  });

  it('refuses a page number beyond the last page, naming the page count', async () => {
    const error = await reader.readPages(scan.bytes, [1, 3]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcrPageNumberError);
    expect((error as OcrPageNumberError).code).toBe('page-out-of-range');
    expect((error as Error).message).toBe('Page 3 is out of range: the PDF has 2 pages (pages are numbered from 1).');
  });

  it('refuses page 0 and fractional page numbers', async () => {
    await expect(reader.readPages(scan.bytes, [0])).rejects.toThrow('Page 0 is out of range');
    await expect(reader.readPages(scan.bytes, [1.5])).rejects.toThrow('Page 1.5 is out of range');
  });

  it('leaves the caller’s bytes usable (pdf.js is handed a copy)', async () => {
    const bytes = Uint8Array.from(scan.bytes);
    await reader.readPages(bytes, [9]).catch(() => undefined);
    expect(bytes.byteLength).toBe(scan.bytes.byteLength);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it('rejects a file that is not a PDF with pdf.js’s error', async () => {
    const error = await reader.readPages(new TextEncoder().encode('not a pdf at all'), [1]).catch((e: unknown) => e);
    expect((error as Error).name).toBe('InvalidPDFException');
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('analysis budget spent');
    controller.abort(reason);
    await expect(reader.readPages(scan.bytes, [1], { signal: controller.signal })).rejects.toBe(reason);
  });

  it('stops a recognition in progress when the signal aborts, and the next call starts a new worker', async () => {
    const controller = new AbortController();
    const reason = new Error('analysis budget spent');
    const reading = reader.readPages(scan.bytes, [1, 2], { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 500);
    await expect(reading).rejects.toBe(reason);
    const [after] = await reader.readPages(scan.bytes, [2]);
    expect(oneLine(after!.text)).toContain('In our opinion');
  }, 120_000);

  it('names the missing language data instead of fetching it', async () => {
    const offline = createOcrPageReader({ langPath: '/nonexistent/tessdata' });
    await expect(offline.readPages(scan.bytes, [1])).rejects.toThrow('The OCR language data is missing: /nonexistent/tessdata/eng.traineddata.gz');
    await offline.terminate();
  });

  it('refuses work after terminate()', async () => {
    const other = createOcrPageReader();
    await other.terminate();
    await expect(other.readPages(scan.bytes, [1])).rejects.toThrow('The OCR page reader was terminated.');
  });
});
