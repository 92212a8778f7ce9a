/**
 * npm run bench:analyze — SOC 2 analyzer time against pdf-parse text extraction alone, in the same process, and peak
 * memory, on long reports from the corpus generator. Each report is measured in its own child process so that its peak
 * RSS is its own: once as bundled JavaScript on plain Node (what a Lambda and, since ADR 8, `npx trustgate analyze`
 * run) and once under tsx (the TypeScript as `npm run dev` runs it). Prints a table; docs/benchmarks.md is written by
 * hand from a run; `npm run bench:startup` measures the CLI itself as a whole process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFParse } from 'pdf-parse';
import { readPdf } from '../../shared/adapters/pdf/pdf-parse-core.mjs';
import { analyzeReport } from '../../shared/domain/soc2/analyze-report.ts';
import type { PageText } from '../../shared/domain/soc2/types.ts';

/** Report sizes: repeats of the control set and extra description pages. */
const sizes = [
  { name: '150+ pages', extra: 40, filler: 150 },
  { name: '600+ pages', extra: 160, filler: 640 },
];
const dir = join(tmpdir(), 'trustgate-analyze-bench');
const self = fileURLToPath(import.meta.url);


interface Measurement {
  pages: number;
  bytes: number;
  /** The floor: pdf-parse's own getText(), text only. */
  extractMs: number;
  /** What the analyzer runs: one pdf.js text-content pass giving stream text and positioned items (readPdf). */
  layoutExtractMs: number;
  analyzeMs: number;
  controlsTested: number | null;
  maxRssMb: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(file: string, runs: number): Promise<Measurement> {
  const bytes = readFileSync(file);
  const extract: number[] = [];
  const layoutExtract: number[] = [];
  const analyze: number[] = [];
  let pages: PageText[] = [];
  let controlsTested: number | null = null;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const parser = new PDFParse({ data: Uint8Array.from(bytes), verbosity: 0 });
    const result = await parser.getText();
    await parser.destroy();
    const t1 = performance.now();
    void result;
    const t1b = performance.now();
    const read = await readPdf(bytes);
    if (read.outcome !== 'ok') throw new Error(`unreadable benchmark file: ${read.outcome}`);
    pages = read.pages;
    const t2 = performance.now();
    layoutExtract.push(t2 - t1b);
    const analysis = analyzeReport(pages);
    const t3 = performance.now();
    controlsTested = analysis.controlsTested;
    extract.push(t1 - t0);
    analyze.push(t3 - t2);
  }
  return { pages: pages.length, bytes: bytes.length, extractMs: median(extract), layoutExtractMs: median(layoutExtract), analyzeMs: median(analyze), controlsTested, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function generate(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const size of sizes) {
    const file = join(dir, `report-${size.extra}-${size.filler}.pdf`);
    if (existsSync(file)) continue;
    const { renderLongReport } = await import('../fixtures/soc2-corpus/corpus.ts');
    const { bytes } = await renderLongReport(size.extra, size.filler);
    writeFileSync(file, bytes);
  }
}

async function parent(): Promise<void> {
  const runs = 3;
  await generate();
  // The same file bundled by esbuild, run on plain Node: the footprint of the code without the tsx loader.
  const { build } = await import('esbuild');
  const bundle = join(import.meta.dirname, '../../node_modules/.cache/trustgate-bench/analyze.bench.mjs');
  await build({ entryPoints: [self], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: bundle, logLevel: 'error' });
  const child = (args: string[]): Measurement => JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').pop()!) as Measurement;
  const rows: Array<Measurement & { name: string; tsxRssMb: number }> = [];
  for (const size of sizes) {
    const file = join(dir, `report-${size.extra}-${size.filler}.pdf`);
    const node = child([bundle, '--measure', file, String(runs)]);
    const tsx = child([...process.execArgv, self, '--measure', file, '1']);
    rows.push({ name: size.name, ...node, tsxRssMb: tsx.maxRssMb });
  }
  console.log(`SOC 2 analyzer benchmark — Node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB; times are medians of ${runs} runs in one process\n`);
  console.log('| report | pages | PDF size | pdf-parse getText (floor) | layout extraction | analyzeReport | (layout extraction + analysis) / floor | controls found | peak RSS (bundled, node) | peak RSS (tsx) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.pages} | ${(r.bytes / 1024 / 1024).toFixed(1)} MB | ${r.extractMs.toFixed(0)} ms | ${r.layoutExtractMs.toFixed(0)} ms | ${r.analyzeMs.toFixed(0)} ms | ${((r.layoutExtractMs + r.analyzeMs) / r.extractMs).toFixed(2)}× | ${r.controlsTested ?? '—'} | ${r.maxRssMb.toFixed(0)} MB | ${r.tsxRssMb.toFixed(0)} MB |`);
  }
}

const [mode, arg, runs] = process.argv.slice(2);
if (mode === '--measure') console.log(JSON.stringify(await measure(arg!, Number(runs ?? 3))));
else await parent();
