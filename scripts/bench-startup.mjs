#!/usr/bin/env node
/**
 * npm run bench:startup [-- <184-page report.pdf>] — whole-process times and memory of the built CLI and local server
 * (issue 17, item 2), each beside its floor, measured in one run so that the ratios hold on a loaded machine:
 *
 *   token     `npx trustgate token` and `node bin/trustgate.mjs token` against `node -e 0` and `npx --no-install esbuild --version`
 *   analyze   `node bin/trustgate.mjs analyze <184 pages> --json` against a tiny Node script that only runs pdf-parse's
 *             getText() on the same file; the CLI's peak RSS on a 630-page report
 *   npm start ready (GET /health answers) with an existing data folder, and resident memory after 5 s idle, against a
 *             bare node:http server answering /health
 *
 * Reports are generated with the corpus generator (test/fixtures/soc2-corpus) into the OS temp folder; a path given
 * on the command line replaces the 184-page one (real reports are never copied into the repository). Times are
 * medians; peak RSS comes from /usr/bin/time. Prints a Markdown table; docs/benchmarks.md is written by hand from a run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ensureLocalBuild, PROJECT_ROOT } from '../infra/bundling/ensure-local-build.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SERVER_RUNS = Number(process.env.BENCH_SERVER_RUNS ?? 3);
const TIME = '/usr/bin/time';
const reportsDir = join(tmpdir(), 'trustgate-analyze-bench');
const env = { ...process.env, NODE_NO_WARNINGS: '1' };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (kb) => Math.round(kb / 1024);

/** Runs a command to its end; wall time in ms and, under /usr/bin/time, peak RSS in KB and CPU time (user + system) in ms. */
function runOnce(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = join(tmpdir(), `trustgate-bench-rss-${process.pid}`);
    const useTime = existsSync(TIME);
    const started = performance.now();
    const child = spawn(useTime ? TIME : command, useTime ? ['-f', '%M %U %S', '-o', rssFile, command, ...args] : args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`));
      const [rssKb, user, system] = useTime ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
      rmSync(rssFile, { force: true });
      resolve({ ms, rssKb, cpuMs: (user + system) * 1000 });
    });
  });
}

/** Runs each command RUNS times, interleaved (a burst of load hits all of them alike); medians. */
async function interleaved(commands, runs = RUNS) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, [command, args]] of commands.entries()) samples[k].push(await runOnce(command, args));
  }
  return samples.map((s) => ({ ms: median(s.map((x) => x.ms)), cpuMs: median(s.map((x) => x.cpuMs)), rssKb: Math.max(...s.map((x) => x.rssKb)) }));
}

function descendants(pid) {
  let out = [];
  for (const task of safeList(`/proc/${pid}/task`)) {
    const children = safeRead(`/proc/${pid}/task/${task}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
    for (const c of children) out = out.concat([c], descendants(c));
  }
  return out;
}
const safeList = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const safeRead = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(safeRead(`/proc/${pid}/status`))?.[1] ?? 0);
const commOf = (pid) => safeRead(`/proc/${pid}/comm`).trim();

/** Starts a server (its own process group), waits until GET /health answers, idles, measures, stops it. */
async function serverOnce(command, args, port, extraEnv, idleMs) {
  const started = performance.now();
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...env, ...extraEnv, PORT: String(port) }, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}/health`;
  let readyMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error(`${command} ${args.join(' ')}: not ready within 60 s`);
      const ok = await fetch(url).then((r) => r.ok, () => false);
      if (ok) {
        readyMs = performance.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, idleMs));
    // The Node process that serves (npm start runs npm, then sh, then node): the largest node process in the group.
    const nodes = [child.pid, ...descendants(child.pid)].filter((pid) => commOf(pid) === 'node' || commOf(pid).startsWith('node'));
    const rssKb = Math.max(0, ...nodes.map(rssOf));
    return { ms: readyMs, rssKb };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
  }
}

async function generateReport(extra, filler) {
  mkdirSync(reportsDir, { recursive: true });
  const file = join(reportsDir, `report-${extra}-${filler}.pdf`);
  if (!existsSync(file)) {
    const script = `import { writeFileSync } from 'node:fs'; import { renderLongReport } from './test/fixtures/soc2-corpus/corpus.ts'; const { bytes } = await renderLongReport(${extra}, ${filler}); writeFileSync(${JSON.stringify(file)}, bytes);`;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
  }
  return file;
}

const pagesOf = (file) => {
  try {
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  } catch {
    return NaN;
  }
};

const GET_TEXT_ONLY = (file) => `import { readFileSync } from 'node:fs'; import { PDFParse } from 'pdf-parse'; const p = new PDFParse({ data: new Uint8Array(readFileSync(${JSON.stringify(file)})) }); const t = await p.getText(); await p.destroy(); if (!t.text) process.exit(1);`;
const BARE_HTTP_SERVER = `import { createServer } from 'node:http'; createServer((q, s) => s.end('{"status":"ok"}')).listen(Number(process.env.PORT), '127.0.0.1');`;

async function main() {
  const load0 = loadavg();
  await ensureLocalBuild({ log: (line) => console.error(line) });
  const report184 = process.argv[2] ?? (await generateReport(48, 175));
  const report600 = await generateReport(160, 640);
  const rows = [];
  const row = (what, measured, floorName, floor, target) => rows.push({ what, measured, floorName, floor, target });

  console.error('token …');
  const [nodeFloor, npxFloor, npxToken, binToken] = await interleaved([
    [process.execPath, ['-e', '0']],
    ['npx', ['--no-install', 'esbuild', '--version']],
    ['npx', ['trustgate', 'token', '--role', 'admin']],
    [process.execPath, ['bin/trustgate.mjs', 'token', '--role', 'admin']],
  ]);
  row('`npx trustgate token --role admin`', `${npxToken.ms.toFixed(0)} ms`, '`npx --no-install esbuild --version` (npx alone)', `${npxFloor.ms.toFixed(0)} ms`, `≤ 500 ms; ${(npxToken.ms - npxFloor.ms).toFixed(0)} ms above npx alone`);
  row('`node bin/trustgate.mjs token --role admin`', `${binToken.ms.toFixed(0)} ms (CPU ${binToken.cpuMs.toFixed(0)} ms), ${mb(binToken.rssKb)} MB peak`, '`node -e 0`', `${nodeFloor.ms.toFixed(0)} ms (CPU ${nodeFloor.cpuMs.toFixed(0)} ms), ${mb(nodeFloor.rssKb)} MB`, `${(binToken.ms / nodeFloor.ms).toFixed(2)}× node alone; ${(binToken.ms - nodeFloor.ms).toFixed(0)} ms above it`);

  console.error('analyze …');
  const [getText, analyze] = await interleaved(
    [
      [process.execPath, ['--input-type=module', '-e', GET_TEXT_ONLY(report184)]],
      [process.execPath, ['bin/trustgate.mjs', 'analyze', report184, '--json']],
    ],
    Math.max(3, Math.min(RUNS, 5)),
  );
  row(`\`trustgate analyze --json\`, ${pagesOf(report184)} pages`, `${analyze.ms.toFixed(0)} ms (CPU ${analyze.cpuMs.toFixed(0)} ms), ${mb(analyze.rssKb)} MB peak`, 'pdf-parse `getText()` alone, whole process', `${getText.ms.toFixed(0)} ms (CPU ${getText.cpuMs.toFixed(0)} ms), ${mb(getText.rssKb)} MB`, `≤ 1.3×: **${(analyze.ms / getText.ms).toFixed(2)}× wall**, ${(analyze.cpuMs / getText.cpuMs).toFixed(2)}× CPU`);
  const [getText600, analyze600] = await interleaved(
    [
      [process.execPath, ['--input-type=module', '-e', GET_TEXT_ONLY(report600)]],
      [process.execPath, ['bin/trustgate.mjs', 'analyze', report600, '--json']],
    ],
    1,
  );
  row(`\`trustgate analyze --json\`, ${pagesOf(report600)} pages`, `${analyze600.ms.toFixed(0)} ms (CPU ${analyze600.cpuMs.toFixed(0)} ms), **${mb(analyze600.rssKb)} MB peak**`, 'pdf-parse `getText()` alone, whole process', `${getText600.ms.toFixed(0)} ms (CPU ${getText600.cpuMs.toFixed(0)} ms), ${mb(getText600.rssKb)} MB`, `< 300 MB peak; ${(analyze600.ms / getText600.ms).toFixed(2)}× wall, ${(analyze600.cpuMs / getText600.cpuMs).toFixed(2)}× CPU`);

  console.error('npm start …');
  const dataDir = mkdtempSync(join(tmpdir(), 'trustgate-bench-data-'));
  const port = 39_000 + (process.pid % 1000);
  const serverEnv = { TRUSTGATE_DATA_DIR: dataDir };
  try {
    await serverOnce('npm', ['start'], port, serverEnv, 0); // creates the data folder: the runs below start with an existing one
    const samples = { npm: [], bin: [], bare: [] };
    for (let i = 0; i < SERVER_RUNS; i++) {
      samples.bare.push(await serverOnce(process.execPath, ['--input-type=module', '-e', BARE_HTTP_SERVER], port, serverEnv, 5000));
      samples.npm.push(await serverOnce('npm', ['start'], port, serverEnv, 5000));
      samples.bin.push(await serverOnce(process.execPath, ['bin/local-server.mjs'], port, { ...serverEnv, NODE_NO_WARNINGS: '1' }, 5000));
    }
    const summary = (s) => ({ ms: median(s.map((x) => x.ms)), rssKb: median(s.map((x) => x.rssKb)) });
    const [npmStart, binStart, bare] = [summary(samples.npm), summary(samples.bin), summary(samples.bare)];
    row('`npm start`, existing data folder: ready (GET /health), idle RSS after 5 s', `**${npmStart.ms.toFixed(0)} ms, ${mb(npmStart.rssKb)} MB**`, 'bare `node:http` server answering /health', `${bare.ms.toFixed(0)} ms, ${mb(bare.rssKb)} MB`, `≤ 3000 ms, ≤ 250 MB; ${(npmStart.ms / bare.ms).toFixed(2)}× the bare server`);
    row('`node bin/local-server.mjs` (what `npm start` runs, without npm)', `${binStart.ms.toFixed(0)} ms, ${mb(binStart.rssKb)} MB`, 'bare `node:http` server', `${bare.ms.toFixed(0)} ms, ${mb(bare.rssKb)} MB`, `${(binStart.ms / bare.ms).toFixed(2)}× the bare server`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const load1 = loadavg();
  console.log(`Start-up benchmark — ${new Date().toISOString()}; Node ${process.version}; ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB; load average ${load0[0].toFixed(1)} at start, ${load1[0].toFixed(1)} at end; medians of ${RUNS} runs (server: ${SERVER_RUNS}; 630 pages: 1)\n`);
  console.log('| what | measured | floor | floor measured | target / ratio |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.measured} | ${r.floorName} | ${r.floor} | ${r.target} |`);
}

await main();
