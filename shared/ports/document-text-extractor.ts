/** Reads the text of an uploaded document, page by page. */
import type { PageText } from '../domain/soc2/types.ts';

export interface ExtractedDocument {
  pages: PageText[];
  pageCount: number;
}

/** Extracts per-page text; rejects with a DocumentUnreadableError (codes: not-a-pdf, empty, encrypted, corrupt, too-large, timeout). */
export interface DocumentTextExtractor {
  extractPages(bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<ExtractedDocument>;
}
