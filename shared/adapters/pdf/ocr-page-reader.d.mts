/** One recognized word; coordinates in PDF points, origin at the top-left corner of the displayed page. */
export interface OcrWord {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Tesseract's confidence, 0-100. */
  confidence: number;
}

export interface OcrPage {
  /** Page number, from 1. */
  num: number;
  /** The page's text, lines separated by newlines, paragraphs by blank lines. */
  text: string;
  /** Mean word confidence of the page, 0-100. */
  confidence: number;
  words: OcrWord[];
  /** Size of the displayed page (crop box, rotation applied) in points: the box the word coordinates live in. */
  width: number;
  height: number;
}

export interface OcrPageReaderOptions {
  /** Folder holding eng.traineddata.gz; default: the @tesseract.js-data/eng package (LSTM model). */
  langPath?: string;
  /** Writable folder where tesseract keeps the unpacked language data; default: under the OS temp folder. */
  cachePath?: string;
  /** pdf.js render scale (1 = 72 DPI); default DEFAULT_OCR_SCALE (300 DPI). */
  scale?: number;
}

export interface OcrPageReader {
  /**
   * Renders and recognizes the given pages, in the order given. Rejects with OcrPageNumberError before any OCR when
   * a number is not a page of the document, with the signal's reason when aborted (the worker is terminated and the
   * next call starts a new one), and with pdf.js's errors for a PDF it cannot open. Calls run one after another.
   */
  readPages(bytes: Uint8Array, pageNumbers: number[], options?: { signal?: AbortSignal }): Promise<OcrPage[]>;
  /** Ends the worker; later calls reject. */
  terminate(): Promise<void>;
}

export declare const DEFAULT_OCR_SCALE: number;

export declare class OcrPageNumberError extends RangeError {
  readonly code: 'page-out-of-range';
  constructor(message: string);
}

/** The folder of the @tesseract.js-data/eng model this module uses. */
export function defaultLangPath(): string;

/** A reader with one tesseract.js worker, started on first use; nothing is downloaded. */
export function createOcrPageReader(options?: OcrPageReaderOptions): OcrPageReader;
