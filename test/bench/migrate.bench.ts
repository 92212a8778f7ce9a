/**
 * npm run bench:migrate [-- --sizes 1000,10000,100000]: the cost of `trustgate migrate register` on a data folder as
 * the code before issue 15 left it (test/support/legacy-table.ts: vendors, name claims, the old risk summary), at each
 * size. Per size: the legacy folder written raw with BatchWriteItem (the floor: the same items, no logic), then the
 * built CLI's migration (table rebuilt with the new indexes, then the backfill: lines, status indexes, schedules,
 * counts), then the same command again (idempotent: it finds everything done). Reports seconds, ms per vendor and the
 * ratio to the floor; docs/benchmarks.md is written by hand from a run. Runs the built CLI (`npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLegacyTable } from '../support/legacy-table.ts';

const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' } } });
const sizes = args.sizes
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
if (sizes.length === 0) throw new Error('--sizes takes whole numbers of vendors, like 1000,10000');

const migrate = (dataDir: string) => {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['bin/trustgate.mjs', 'migrate', 'register', '--json'], { env: { ...process.env, TRUSTGATE_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`trustgate migrate failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
  return { seconds: (performance.now() - started) / 1000, report: JSON.parse(run.stdout) as { vendors: number; linesWritten: number; linesKept: number; finished: boolean } };
};

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| vendors | legacy folder written (floor) | migrate | ms per vendor | ratio to floor | migrate again (nothing to do) |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const size of sizes) {
  const dataDir = await mkdtemp(join(tmpdir(), 'trustgate-bench-migrate-'));
  try {
    let started = performance.now();
    await writeLegacyTable(join(dataDir, 'dynamodb'), 'trustgate', size);
    const floor = (performance.now() - started) / 1000;
    const first = migrate(dataDir);
    if (first.report.vendors !== size || first.report.linesWritten !== size || !first.report.finished) throw new Error(`migrate: ${JSON.stringify(first.report)}`);
    started = performance.now();
    const again = migrate(dataDir);
    if (again.report.linesKept !== size) throw new Error(`migrate again: ${JSON.stringify(again.report)}`);
    console.log(`| ${size.toLocaleString('en')} | ${floor.toFixed(1)} s | ${first.seconds.toFixed(1)} s | ${((first.seconds * 1000) / size).toFixed(2)} | ${(first.seconds / floor).toFixed(1)} | ${again.seconds.toFixed(1)} s |`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
console.log(`load at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
