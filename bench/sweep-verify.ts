/**
 * Sweep time per due vendor and incremental audit verification per new event, at two portfolio sizes, on one
 * in-memory dynalite per size (issue 15, items 2 and 3). `measureSweepPerDueVendor` and
 * `measureIncrementalVerifyPerNewEvent` are what a scale harness (`npm run bench:scale`) calls on its own seeded store.
 *
 *   NODE_NO_WARNINGS=1 npx tsx bench/sweep-verify.ts [small=150] [large=750]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDailySweep } from '../shared/app/sweep.ts';
import type { AppDeps } from '../shared/app/deps.ts';
import { addDays } from '../shared/domain/assessment.ts';
import { loadConfig, type LocalConfig } from '../shared/composition/config.ts';
import { startLocalStack } from '../shared/composition/local-deps.ts';
import { seedDecidedVendors } from '../test/support/portfolio.ts';

/** Runs the sweep once and answers the wall time per vendor it found due (and how many that were). */
export async function measureSweepPerDueVendor(deps: AppDeps): Promise<{ dueVendors: number; msPerDueVendor: number; totalMs: number }> {
  const started = performance.now();
  const report = await runDailySweep(deps);
  const totalMs = performance.now() - started;
  return { dueVendors: report.vendorsChecked, msPerDueVendor: report.vendorsChecked ? totalMs / report.vendorsChecked : 0, totalMs };
}

/** Runs one incremental verification and answers the wall time per event it checked. */
export async function measureIncrementalVerifyPerNewEvent(deps: AppDeps): Promise<{ events: number; chains: number; msPerEvent: number; totalMs: number }> {
  const started = performance.now();
  const result = await deps.auditVerifier.verifyWithCheckpoints('incremental', deps.clock.now().toISOString());
  const totalMs = performance.now() - started;
  if (result.problems.length) throw new Error(`verification found ${result.problems.length} problem(s)`);
  return { events: result.events, chains: result.chains, msPerEvent: result.events ? totalMs / result.events : 0, totalMs };
}

const DUE = 25;
const NEW_EVENTS = 50;

async function atSize(vendors: number) {
  const dataDir = await mkdtemp(join(tmpdir(), 'trustgate-bench-'));
  let offsetDays = 0;
  const clock = { now: () => new Date(Date.now() + offsetDays * 86_400_000) };
  const stack = await startLocalStack(loadConfig({ TRUSTGATE_DATA_DIR: dataDir }) as LocalConfig, { persist: false, clock });
  try {
    const today = clock.now().toISOString().slice(0, 10);
    let t = performance.now();
    // DUE vendors fall due 40 days after the decision, the rest in about a year: the due count does not grow with size.
    const ids = await seedDecidedVendors(stack.deps, { count: vendors, decidedAt: clock.now().toISOString(), nextReviewDate: (i) => addDays(today, i < DUE ? 40 : 330 + (i % 30)), concurrency: 4 });
    const seedMs = performance.now() - t;
    t = performance.now();
    const firstLooks = await measureSweepPerDueVendor(stack.deps); // every vendor once, the day of its decision
    const fullMs = (await stack.deps.auditVerifier.verifyWithCheckpoints('full', clock.now().toISOString()), performance.now() - t - firstLooks.totalMs);
    offsetDays = 1;
    await stack.deps.auditVerifier.verifyWithCheckpoints('incremental', clock.now().toISOString()); // the overlap after the full pass
    offsetDays = 45;
    const sweep = await measureSweepPerDueVendor(stack.deps);
    await stack.workflow.idle();
    offsetDays = 46;
    await stack.deps.auditVerifier.verifyWithCheckpoints('incremental', clock.now().toISOString()); // what the sweep appended
    offsetDays = 47;
    // NEW_EVENTS new events on existing chains: vendors renamed (one event each).
    for (let i = 0; i < NEW_EVENTS; i++) {
      const vendor = (await stack.deps.vendors.getVendor(ids[DUE + (i % (ids.length - DUE))]!))!;
      const at = clock.now().toISOString();
      await stack.deps.vendors.replaceVendor({ ...vendor, name: `${vendor.name} renamed`, version: vendor.version + 1, updatedAt: at }, vendor.version, { id: `rename-${i}-${vendors}`, at, actor: 'bench', role: 'system', action: 'vendor.updated', target: { type: 'vendor', id: vendor.id }, summary: 'renamed', targetVersion: vendor.version + 1, changes: null });
    }
    const verify = await measureIncrementalVerifyPerNewEvent(stack.deps);
    return { vendors, seedMs, firstLookMsPerVendor: firstLooks.msPerDueVendor, fullVerifyMs: fullMs, sweep, verify };
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const small = Number(process.argv[2] ?? 150);
const large = Number(process.argv[3] ?? 750);
const results = [];
for (const size of [small, large]) {
  const r = await atSize(size);
  results.push(r);
  console.log(
    `${size} vendors: seeded in ${(r.seedMs / 1000).toFixed(1)} s; first look ${r.firstLookMsPerVendor.toFixed(1)} ms/vendor; full verify ${(r.fullVerifyMs / 1000).toFixed(1)} s; ` +
      `sweep ${r.sweep.dueVendors} due in ${r.sweep.totalMs.toFixed(0)} ms = ${r.sweep.msPerDueVendor.toFixed(1)} ms/due vendor; ` +
      `incremental verify ${r.verify.events} events in ${r.verify.chains} chains in ${r.verify.totalMs.toFixed(0)} ms = ${r.verify.msPerEvent.toFixed(2)} ms/event`,
  );
}
const [a, b] = results as [Awaited<ReturnType<typeof atSize>>, Awaited<ReturnType<typeof atSize>>];
console.log(`ratio ${large}/${small}: sweep per due vendor ${(b.sweep.msPerDueVendor / a.sweep.msPerDueVendor).toFixed(2)}, incremental verify per new event ${(b.verify.msPerEvent / a.verify.msPerEvent).toFixed(2)}, full verify ${(b.fullVerifyMs / a.fullVerifyMs).toFixed(2)}`);
