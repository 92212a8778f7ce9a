/**
 * Text extraction with OCR for image-only pages: the inner extractor reads the text layer; pages with (almost) no
 * text are rendered and read by tesseract.js (offline, English data from @tesseract.js-data/eng), at most `maxPages`
 * of them, and come back marked `ocr: true` with each word as a positioned item, so the layout rules read them too.
 * OCR is best effort: when it fails the document is analysed as it is (no text on those pages), never rejected.
 */
import type { PageText, TextItem } from '../../domain/soc2/types.ts';
import type { DocumentTextExtractor, ExtractedDocument } from '../../ports/document-text-extractor.ts';
import type { OcrPage, OcrPageReader } from './ocr-page-reader.mjs';

export interface OcrOptions {
  /** Most image-only pages read per document (2.5-3 s of CPU each on this machine class; see docs/benchmarks.md). */
  maxPages?: number;
  /** A page with fewer non-space characters than this has no text layer. */
  minChars?: number;
  /** A reader to use (tests); by default one is started per document that needs it and ended after. */
  reader?: OcrPageReader;
}

export const defaultOcrLimits = { maxPages: 12, minChars: 10 } as const;

/** A page that carries no text layer of its own. */
export function isImageOnly(page: PageText, minChars: number = defaultOcrLimits.minChars): boolean {
  return page.text.replace(/\s+/g, '').length < minChars;
}

/** OCR words as text items: y is the baseline (the bottom of the word box), h the word height. */
export function pageFromOcr(page: OcrPage): PageText {
  const items: TextItem[] = page.words.filter((w) => w.text.trim().length > 0).map((w) => ({ s: w.text, x: w.x, y: w.y + w.height, w: w.width, h: w.height }));
  return { num: page.num, text: page.text, items, width: page.width, height: page.height, ocr: true };
}

/** Wraps an extractor so that image-only pages are read by OCR. */
export function withOcr(inner: DocumentTextExtractor, options: OcrOptions = {}): DocumentTextExtractor {
  const maxPages = options.maxPages ?? defaultOcrLimits.maxPages;
  const minChars = options.minChars ?? defaultOcrLimits.minChars;
  return {
    async extractPages(bytes, extractOptions = {}): Promise<ExtractedDocument> {
      const extracted = await inner.extractPages(bytes, extractOptions);
      const wanted = extracted.pages.filter((p) => isImageOnly(p, minChars)).slice(0, maxPages).map((p) => p.num);
      if (wanted.length === 0 || maxPages <= 0) return extracted;
      let reader = options.reader;
      try {
        // Loaded on first need: pdf.js, tesseract.js and the canvas binding cost a server or CLI start ~0.5 s otherwise.
        reader ??= (await import('./ocr-page-reader.mjs')).createOcrPageReader();
        const read = await reader.readPages(bytes, wanted, extractOptions.signal ? { signal: extractOptions.signal } : {});
        const byNum = new Map(read.map((p) => [p.num, pageFromOcr(p)]));
        return { ...extracted, pages: extracted.pages.map((p) => byNum.get(p.num) ?? p) };
      } catch (error) {
        if (extractOptions.signal?.aborted) throw error;
        return extracted;
      } finally {
        if (!options.reader) await reader?.terminate().catch(() => undefined);
      }
    },
  };
}
