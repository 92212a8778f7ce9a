// OCR of image-only PDF pages, offline: pdf.js renders each page onto an @napi-rs/canvas, one reused tesseract.js
// worker recognizes it. Plain JavaScript like pdf-parse-core.mjs, so that it also runs in a worker thread without the
// TypeScript loader. Language data comes from the @tesseract.js-data/eng package folder, never from the network.
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import Tesseract from 'tesseract.js';

const require = createRequire(import.meta.url);

/** LSTM-only integer model: a quarter of the size of the legacy+LSTM data and what OEM.LSTM_ONLY needs. */
const ENG_MODEL = '4.0.0_best_int';

/** Default render scale: 300 DPI (pdf.js draws 72 units per inch at scale 1). See docs/benchmarks.md, "OCR". */
export const DEFAULT_OCR_SCALE = 300 / 72;

/** Pages larger than this many pixels at the chosen scale are rendered smaller (a poster-sized page would not fit). */
const MAX_PIXELS = 36_000_000;

/** Refusal of a page number the document does not have (or that is not a page number at all). */
export class OcrPageNumberError extends RangeError {
  constructor(message) {
    super(message);
    this.name = 'OcrPageNumberError';
    this.code = 'page-out-of-range';
  }
}

function packageDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** The folder holding eng.traineddata.gz inside @tesseract.js-data/eng. */
export function defaultLangPath() {
  return path.join(packageDir('@tesseract.js-data/eng'), ENG_MODEL);
}

function pdfjsResources() {
  const dir = packageDir('pdfjs-dist');
  // Trailing separators: pdf.js appends file names to these; in Node it reads them with fs, no fetch.
  return {
    standardFontDataUrl: path.join(dir, 'standard_fonts') + path.sep,
    cMapUrl: path.join(dir, 'cmaps') + path.sep,
    cMapPacked: true,
    wasmUrl: path.join(dir, 'wasm') + path.sep,
  };
}

function abortReason(signal) {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The OCR was aborted.', 'AbortError');
}

/** Grayscale PGM (P5): Leptonica reads it without decoding, and building it costs one pass over the pixels. */
function toPgm(rgba, width, height) {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const out = Buffer.allocUnsafe(header.length + width * height);
  header.copy(out, 0);
  let o = header.length;
  for (let i = 0; i < rgba.length; i += 4, o++) {
    // ITU-R BT.601 luma in integer arithmetic; pdf.js draws on an opaque white background, so alpha is 255.
    out[o] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
  }
  return out;
}

function wordsOf(blocks, scale) {
  const round = (v) => Math.round((v / scale) * 100) / 100;
  const words = [];
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        for (const word of line.words) {
          const { x0, y0, x1, y1 } = word.bbox;
          words.push({ text: word.text, x: round(x0), y: round(y0), width: round(x1 - x0), height: round(y1 - y0), confidence: Math.round(word.confidence * 10) / 10 });
        }
      }
    }
  }
  return words;
}

/**
 * Creates a reader with one tesseract.js worker, started on first use and reused for every page after.
 * `langPath`: folder with eng.traineddata.gz (default: the @tesseract.js-data/eng package); `cachePath`: a writable
 * folder where tesseract keeps the unpacked data between starts (default: under the OS temp folder); `scale`: pdf.js
 * render scale (default 300 DPI).
 */
export function createOcrPageReader({ langPath = defaultLangPath(), cachePath, scale = DEFAULT_OCR_SCALE } = {}) {
  if (!(scale > 0 && scale <= 12)) throw new RangeError(`The OCR render scale must be above 0 and at most 12 (got ${scale}).`);
  const cacheDir = cachePath ?? path.join(tmpdir(), 'trustgate-ocr', ENG_MODEL);
  let current = null; // { ready: Promise<worker>, failed: Promise<never>, stop() }
  let terminated = false;
  let queue = Promise.resolve();

  function startWorker() {
    const dataFile = path.join(langPath, 'eng.traineddata.gz');
    try {
      statSync(dataFile);
    } catch (error) {
      throw new Error(`The OCR language data is missing: ${dataFile} (install @tesseract.js-data/eng).`, { cause: error });
    }
    mkdirSync(cacheDir, { recursive: true });
    let fail;
    const failed = new Promise((_, reject) => (fail = reject));
    failed.catch(() => undefined);
    let stopping = false;
    const ready = Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
      langPath,
      cachePath: cacheDir,
      // Read the unpacked copy from cachePath when a previous start left one, else gunzip the package's file and
      // write the copy: never 'refresh' or 'none', which would skip the local copy.
      cacheMethod: 'write',
      gzip: true,
      legacyCore: false,
      legacyLang: false,
      // Without a handler, tesseract.js throws a job's failure from its message listener: an uncaught exception.
      errorHandler: (message) => fail(new Error(`tesseract failed: ${message}`)),
    });
    const entry = {
      ready: Promise.race([ready, failed]).then((worker) => {
        worker.worker.once('error', (error) => fail(new Error('The OCR worker crashed.', { cause: error })));
        worker.worker.once('exit', (code) => {
          if (!stopping) fail(new Error(`The OCR worker stopped unexpectedly (exit code ${code}).`));
        });
        return worker;
      }),
      failed,
      async stop() {
        if (stopping) return;
        stopping = true;
        // A recognition in flight never answers once its worker is gone: fail it instead of leaving it pending.
        fail(new Error('The OCR worker was stopped.'));
        const worker = await entry.ready.catch(() => null);
        if (worker) await worker.terminate();
        else void ready.then((w) => w.terminate(), () => undefined);
      },
    };
    entry.ready.catch(() => undefined);
    return entry;
  }

  /** The running worker, or a new one when the last was terminated or failed. */
  function worker() {
    if (!current) {
      const entry = startWorker();
      current = entry;
      entry.failed.catch(() => {
        if (current === entry) current = null;
        void entry.stop();
      });
    }
    return current;
  }

  async function stopWorker() {
    const entry = current;
    current = null;
    if (entry) await entry.stop();
  }

  /** Renders one page to a grayscale image at the reader's scale (smaller for a page too large to fit). */
  async function render(doc, num) {
    const page = await doc.getPage(num);
    const box = page.getViewport({ scale: 1 });
    const pageScale = Math.min(scale, Math.sqrt(MAX_PIXELS / (box.width * box.height)));
    const viewport = page.getViewport({ scale: pageScale });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const canvas = createCanvas(width, height);
    await page.render({ canvasContext: canvas.getContext('2d'), canvas, viewport, background: 'rgb(255,255,255)' }).promise;
    const image = toPgm(canvas.data(), width, height);
    page.cleanup();
    return { num, width: Math.round(box.width * 100) / 100, height: Math.round(box.height * 100) / 100, pageScale, image };
  }

  async function recognize(entry, rendered) {
    const tesseract = await Promise.race([entry.ready, entry.failed]);
    const { data } = await Promise.race([tesseract.recognize(rendered.image, {}, { text: true, blocks: true }), entry.failed]);
    const { num, width, height, pageScale } = rendered;
    return { num, text: data.text, confidence: Math.round(data.confidence * 10) / 10, words: wordsOf(data.blocks, pageScale), width, height };
  }

  async function read(bytes, pageNumbers, signal, isRunning) {
    // pdf.js detaches the array it is given: hand it a copy so the caller's bytes stay usable.
    const loadingTask = pdfjs.getDocument({ data: Uint8Array.from(bytes), verbosity: 0, isEvalSupported: false, ...pdfjsResources() });
    const onAbort = () => {
      void loadingTask.destroy().catch(() => undefined);
      if (isRunning()) void stopWorker();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let next = null;
    try {
      const doc = await loadingTask.promise;
      const bad = pageNumbers.find((n) => !Number.isInteger(n) || n < 1 || n > doc.numPages);
      if (bad !== undefined) {
        throw new OcrPageNumberError(`Page ${bad} is out of range: the PDF has ${doc.numPages} page${doc.numPages === 1 ? '' : 's'} (pages are numbered from 1).`);
      }
      const entry = worker();
      const pages = [];
      // Two stages in two threads: pdf.js renders page i + 1 here while tesseract recognizes page i in its worker.
      next = render(doc, pageNumbers[0]);
      for (let i = 0; i < pageNumbers.length; i++) {
        const rendered = await next;
        next = null;
        if (signal?.aborted) throw abortReason(signal);
        const recognizing = recognize(entry, rendered);
        if (i + 1 < pageNumbers.length) next = render(doc, pageNumbers[i + 1]);
        pages.push(await recognizing);
      }
      return pages;
    } finally {
      // A render started ahead of a failure is abandoned: keep its rejection from going unhandled.
      next?.catch(() => undefined);
      signal?.removeEventListener('abort', onAbort);
      await loadingTask.destroy().catch(() => undefined);
    }
  }

  return {
    readPages(bytes, pageNumbers, { signal } = {}) {
      if (terminated) return Promise.reject(new Error('The OCR page reader was terminated.'));
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (pageNumbers.length === 0) return Promise.resolve([]);
      let running = false;
      // One page at a time through the one worker: calls queue behind each other.
      const work = queue.then(() => {
        if (terminated) throw new Error('The OCR page reader was terminated.');
        if (signal?.aborted) throw abortReason(signal);
        running = true;
        return read(bytes, pageNumbers, signal, () => running).finally(() => (running = false));
      });
      queue = work.catch(() => undefined);
      if (!signal) return work;
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    async terminate() {
      terminated = true;
      await stopWorker();
    },
  };
}
