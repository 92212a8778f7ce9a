/**
 * npm run bench:ocr — OCR of image-only pages: ms/page of tesseract.js alone on pre-rendered page PNGs against
 * createOcrPageReader().readPages (pdf.js render + recognition), same worker settings, runs interleaved after a
 * warm-up; a render-resolution sweep (time and word recall per DPI); peak RSS of a plain-Node process that only
 * runs the reader (what a Lambda runs). Prints tables; docs/benchmarks.md is written by hand from a run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import Tesseract from 'tesseract.js';
import { createOcrPageReader, DEFAULT_OCR_SCALE, defaultLangPath, type OcrPage } from '../../shared/adapters/pdf/ocr-page-reader.mjs';
import { generateScannedPdf, scannedReportPages } from '../fixtures/scanned-pdf.ts';

const RUNS = 5;
const SWEEP_DPI = [150, 200, 250, 300];
const SWEEP_RUNS = 2;
const CHILD_PAGES = 10;
const dir = join(tmpdir(), 'trustgate-ocr-bench');
const cachePath = join(dir, 'tesseract-cache');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time and CPU time (all threads of this process: main, pdf.js, tesseract's worker) of one call, per page. */
async function timed(pages: number, work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = (performance.now() - t0) / pages;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 / pages };
}
const fmt = (ms: number): string => `${Math.round(ms)} ms`;

const normalize = (word: string): string => word.toLowerCase().replace(/[^a-z0-9&]/g, '');
const expectedWords = scannedReportPages.flat().flatMap((b) => b.text.split(/\s+/).map(normalize).filter(Boolean));

/** Share of the drawn words found among the recognized words (each recognized word used once). */
function recall(pages: OcrPage[]): number {
  const seen = new Map<string, number>();
  for (const w of pages.flatMap((p) => p.words)) seen.set(normalize(w.text), (seen.get(normalize(w.text)) ?? 0) + 1);
  let found = 0;
  for (const word of expectedWords) {
    const n = seen.get(word) ?? 0;
    if (n > 0) {
      found++;
      seen.set(word, n - 1);
    }
  }
  return found / expectedWords.length;
}

/** The pages as readPages renders them, encoded as PNG once, outside any timing. */
async function prerender(bytes: Uint8Array, scale: number): Promise<Buffer[]> {
  const doc = await pdfjs.getDocument({ data: Uint8Array.from(bytes), verbosity: 0 }).promise;
  const pngs: Buffer[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, canvas: canvas as unknown as HTMLCanvasElement, viewport, background: 'rgb(255,255,255)' }).promise;
    pngs.push(canvas.toBuffer('image/png'));
  }
  await doc.destroy();
  return pngs;
}

async function sweep(bytes: Uint8Array): Promise<void> {
  console.log(`\nRender resolution (median of ${SWEEP_RUNS} runs after a warm-up page; recall = drawn words recognized exactly):`);
  console.log('| DPI | ms/page (wall) | CPU ms/page | word recall | footer words (7 pt) |');
  console.log('|---:|---:|---:|---:|---:|');
  const footerWords = scannedReportPages.flat().filter((b) => b.kind === 'note').flatMap((b) => b.text.split(/\s+/).map(normalize).filter(Boolean));
  for (const dpi of SWEEP_DPI) {
    const reader = createOcrPageReader({ scale: dpi / 72, cachePath });
    await reader.readPages(bytes, [1]);
    const times: Array<{ wall: number; cpu: number }> = [];
    let pages: OcrPage[] = [];
    for (let run = 0; run < SWEEP_RUNS; run++) {
      times.push(await timed(2, async () => (pages = await reader.readPages(bytes, [1, 2]))));
    }
    await reader.terminate();
    const recognizedText = pages.flatMap((p) => p.words.map((w) => normalize(w.text)));
    const footerFound = footerWords.filter((w) => recognizedText.includes(w)).length;
    console.log(`| ${dpi} | ${fmt(median(times.map((t) => t.wall)))} | ${fmt(median(times.map((t) => t.cpu)))} | ${(recall(pages) * 100).toFixed(1)} % | ${footerFound}/${footerWords.length} |`);
  }
}

async function compare(bytes: Uint8Array): Promise<void> {
  const scale = DEFAULT_OCR_SCALE;
  const pngs = await prerender(bytes, scale);
  const tesseract = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, { langPath: defaultLangPath(), cachePath, cacheMethod: 'write', gzip: true, errorHandler: () => undefined });
  const reader = createOcrPageReader({ scale, cachePath });
  const recognizeAll = async () => {
    for (const png of pngs) await tesseract.recognize(png, {}, { text: true, blocks: true });
  };
  await recognizeAll();
  await reader.readPages(bytes, [1, 2]);
  const alone: Array<{ wall: number; cpu: number }> = [];
  const ours: Array<{ wall: number; cpu: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    alone.push(await timed(pngs.length, recognizeAll));
    ours.push(await timed(2, () => reader.readPages(bytes, [1, 2])));
  }
  await tesseract.terminate();
  await reader.terminate();
  const wall = (xs: typeof alone) => median(xs.map((x) => x.wall));
  const cpu = (xs: typeof alone) => median(xs.map((x) => x.cpu));
  console.log(`\nAt ${Math.round(scale * 72)} DPI (${pngs.length} pages per call, ${RUNS} interleaved runs after a warm-up; medians per page):`);
  console.log(`(a) tesseract alone on pre-rendered PNGs: ${fmt(wall(alone))} wall, ${fmt(cpu(alone))} CPU (wall per run: ${alone.map((x) => fmt(x.wall)).join(', ')})`);
  console.log(`(b) readPages, render + recognize:         ${fmt(wall(ours))} wall, ${fmt(cpu(ours))} CPU (wall per run: ${ours.map((x) => fmt(x.wall)).join(', ')})`);
  console.log(`ratio (b)/(a): ${(wall(ours) / wall(alone)).toFixed(2)} wall (goal ≤ 1.2; median of per-run ratios ${median(ours.map((o, i) => o.wall / alone[i]!.wall)).toFixed(2)}), ${(cpu(ours) / cpu(alone)).toFixed(2)} CPU`);
  console.log(`peak RSS of this process (tsx, both workers, fixtures): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

/** A plain-Node process that only runs the reader: cold start, steady ms/page, and its own peak RSS. */
function child(file: string): void {
  const moduleUrl = pathToFileURL(join(import.meta.dirname, '../../shared/adapters/pdf/ocr-page-reader.mjs')).href;
  const code = `
    import { readFileSync } from 'node:fs';
    import { createOcrPageReader } from ${JSON.stringify(moduleUrl)};
    const bytes = new Uint8Array(readFileSync(${JSON.stringify(file)}));
    const t0 = performance.now();
    const reader = createOcrPageReader({ cachePath: ${JSON.stringify(cachePath)} });
    await reader.readPages(bytes, [1]);
    const cold = performance.now() - t0;
    const pages = Array.from({ length: ${CHILD_PAGES} }, (_, i) => (i % 2) + 1);
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    await reader.readPages(bytes, pages);
    const steady = (performance.now() - t1) / pages.length;
    const used = process.cpuUsage(cpu0);
    await reader.terminate();
    console.log(JSON.stringify({ cold, steady, cpu: (used.user + used.system) / 1000 / pages.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!) as { cold: number; steady: number; cpu: number; maxRssMb: number };
  console.log(`\nPlain Node, reader only (${Math.round(DEFAULT_OCR_SCALE * 72)} DPI): first page incl. worker start ${fmt(result.cold)}; then ${CHILD_PAGES} pages in one call at ${fmt(result.steady)}/page wall, ${fmt(result.cpu)}/page CPU; peak RSS ${Math.round(result.maxRssMb)} MB`);
}

mkdirSync(cachePath, { recursive: true });
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`);
const { bytes } = await generateScannedPdf();
const file = join(dir, 'scanned-report.pdf');
writeFileSync(file, bytes);
await compare(bytes);
await sweep(bytes);
child(file);
