/**
 * `npm run bench:scale`: seeds 1,000, 10,000 and 100,000 vendors (each with an assessment, its register line and its
 * audit history) straight through the bulk loader, and at each size measures on the same dynalite process: the
 * register's first page and a deep page, the vendor list, the review queue, the dashboard, the daily sweep per due
 * vendor, incremental audit verification per new event, and dynalite's own GetItem/Query floor. Prints p50/p99 per
 * size, the ratio of the largest size to the smallest, the largest answer, and the CSV export's time and heap growth
 * at the largest size.
 * Options: `--sizes 1000,10000,100000`, `--iterations <n>` per scenario (default 40).
 */
import { spawn } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoBulkLoader } from '../shared/adapters/aws/dynamo-bulk-loader.ts';
import { keys } from '../shared/adapters/aws/keys.ts';
import { addDays } from '../shared/domain/assessment.ts';
import { loadConfig, type LocalConfig } from '../shared/composition/config.ts';
import { startLocalStack } from '../shared/composition/local-deps.ts';
import { createApp } from '../shared/http/app.ts';
import { REGISTER_PAGE_MAX } from '../shared/app/risk.ts';
import { eventOf, SYSTEM } from '../shared/app/audit-events.ts';
import { runAuditVerification } from '../shared/app/audit-verification.ts';
import { runDailySweep } from '../shared/app/sweep.ts';
import { updateVendor } from '../shared/app/vendors.ts';
import { reviewScheduleItem } from '../shared/adapters/aws/dynamo-sweep-schedule.ts';
import type { ReviewSchedule } from '../shared/domain/review-schedule.ts';
import type { AuditVerificationJob } from '../shared/ports/audit-log.ts';
import { pad, scalePortfolioEntry, sweepable } from './scale-portfolio.ts';
import { addScaleScenario, measure, measureInTurns, okBytes, SCALE_SCENARIOS, type Measured, type ScaleContext } from './bench-harness.ts';

const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, iterations: { type: 'string', default: '40' } } });
const SIZES = args.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
const ITERATIONS = Math.min(Math.max(Number(args.iterations) || 40, 5), 1000);
const ONE_MB = 1024 * 1024;
/** A full garbage collection (V8's gc, exposed at run time): what the heap keeps, not what it has yet to collect. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
/**
 * The stack's clock runs ahead of the wall clock by `clockSkewMs`: each incremental verification moves it on past the
 * verifier's 10-minute overlap, so a run reads the events appended for it, not those of the runs before.
 */
let clockSkewMs = 0;
const clock = { now: () => new Date(Date.now() + clockSkewMs) };
const today = () => clock.now().toISOString().slice(0, 10);
const log = (m: string) => process.stderr.write(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${m}\n`);


// ---- the scenarios (more join through addScaleScenario) ----

const floorGet = (ctx: ScaleContext, i: number) =>
  ctx.raw.send(new GetCommand({ TableName: ctx.tableName, Key: keys.vendor(ctx.vendorId((i * 7919) % ctx.size)), ConsistentRead: true })).then((o) => JSON.stringify(o.Item ?? {}).length);
const floorQuery = (ctx: ScaleContext) =>
  ctx.raw
    .send(new QueryCommand({ TableName: ctx.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'VENDORS' }, Limit: 26 }))
    .then((o) => JSON.stringify(o.Items ?? []).length);
/** The cursor of the line just before vendor `index` in name order, as a client holding it after many pages would send. */
const cursorBefore = (ctx: ScaleContext, index: number) => {
  const view = keys.registerView('name');
  const idx = keys.registerLineIndexes({ vendorId: ctx.vendorId(index), vendorName: ctx.vendorName(index), rating: null, nextReviewDate: null, tier: 1 });
  const k = { ...keys.registerLine(ctx.vendorId(index)), [view.pkName]: idx.gsi1pk, [view.skName]: idx.gsi1sk };
  return Buffer.from(JSON.stringify(k), 'utf8').toString('base64url');
};

addScaleScenario({ name: 'dynalite GetItem (floor)', iterations: ITERATIONS, floor: true, call: floorGet });
addScaleScenario({ name: 'dynalite Query 26 items (floor)', iterations: ITERATIONS, floor: true, call: floorQuery });
addScaleScenario({ name: 'GET /api/risk-register (first page, 25)', iterations: ITERATIONS, call: async (ctx) => okBytes(await ctx.request('/api/risk-register'), 'register') });
addScaleScenario({
  name: 'GET /api/risk-register?sort=rating&order=desc (first page)',
  iterations: ITERATIONS,
  call: async (ctx) => okBytes(await ctx.request('/api/risk-register?sort=rating&order=desc'), 'register by rating'),
});
addScaleScenario({
  name: 'GET /api/risk-register (deep page: past the middle)',
  iterations: ITERATIONS,
  call: async (ctx, i) => okBytes(await ctx.request(`/api/risk-register?cursor=${cursorBefore(ctx, Math.floor(ctx.size / 2) + (i % 50))}`), 'deep page'),
});
addScaleScenario({ name: 'GET /api/risk-register?overdue=true&sort=next-review', iterations: ITERATIONS, call: async (ctx) => okBytes(await ctx.request('/api/risk-register?overdue=true&sort=next-review'), 'overdue') });
addScaleScenario({ name: 'GET /api/vendors (first page, 25)', iterations: ITERATIONS, call: async (ctx) => okBytes(await ctx.request('/api/vendors'), 'vendors') });
addScaleScenario({
  name: 'review queue: GET /api/assessments?status=awaiting-review&limit=100 + its register lines',
  iterations: ITERATIONS,
  call: async (ctx) => {
    const res = await ctx.request('/api/assessments?status=awaiting-review&limit=100');
    const text = await res.text();
    if (res.status !== 200) throw new Error(`queue: ${res.status}`);
    const ids = (JSON.parse(text) as { items: { vendorId: string }[] }).items.map((a) => a.vendorId);
    const lines = await okBytes(await ctx.request(`/api/risk-register/lines?vendorIds=${ids.join(',')}`), 'lines');
    return Math.max(Buffer.byteLength(text), lines);
  },
});

// The daily sweep with 10 vendors due (5 reviews due today: a reassessment each; 5 in the notice window): each call
// makes 10 vendors it has never swept due, by their review schedules, and runs the whole sweep. Time per due vendor.
const SWEEP_DUE = 10;
let nextSweepable = 1;
addScaleScenario({
  name: `daily sweep, per due vendor (${SWEEP_DUE} due: ${SWEEP_DUE / 2} reassessments, ${SWEEP_DUE / 2} notice checks)`,
  iterations: ITERATIONS,
  unitsPerCall: SWEEP_DUE,
  prepare: async (ctx) => {
    for (let k = 0; k < SWEEP_DUE; k++) {
      while (!sweepable(nextSweepable)) nextSweepable++;
      const i = nextSweepable++;
      if (i >= ctx.size) throw new Error(`the sweep scenario ran out of vendors it has not swept at ${ctx.size}: lower --iterations`);
      const schedule: ReviewSchedule = { vendorId: `v-${pad(i)}`, assessmentId: `a-${pad(i)}`, nextReviewDate: k % 2 ? addDays(today(), 20) : today(), watchFrom: today() };
      await ctx.raw.send(new PutCommand({ TableName: ctx.tableName, Item: reviewScheduleItem(schedule) }));
    }
  },
  call: async (ctx) => {
    const report = await runDailySweep(ctx.deps);
    if (report.vendorsChecked !== SWEEP_DUE || report.reassessmentsStarted.length !== SWEEP_DUE / 2) throw new Error(`sweep: ${JSON.stringify(report)}`);
    return 0;
  },
});

// Incremental audit verification after 10 vendor changes (an audit event each, on 10 vendor chains): the clock moves
// past the overlap, 10 vendors are edited, a job is queued, and the timed call runs it. Time per new event.
const VERIFY_EVENTS = 10;
let verifyJobId = '';
const bench = { subject: 'bench', email: 'procurement@example.com', roles: ['procurement' as const] };
addScaleScenario({
  name: `incremental audit verification, per new event (${VERIFY_EVENTS} vendor changes)`,
  iterations: ITERATIONS,
  unitsPerCall: VERIFY_EVENTS,
  prepare: async (ctx, n) => {
    clockSkewMs += 11 * 60_000;
    for (let k = 0; k < VERIFY_EVENTS; k++) {
      const i = (n * VERIFY_EVENTS + k) * 97 % ctx.size;
      await updateVendor(ctx.deps, bench, `v-${pad(i)}`, { website: `https://vendor-${i}.example/${ctx.size}-${n}` });
    }
    const now = clock.now().toISOString();
    const job: AuditVerificationJob = { id: ctx.deps.ids.newId(), mode: 'incremental', status: 'queued', requestedBy: bench.email, requestedAt: now, startedAt: null, finishedAt: null, report: null, error: null, version: 1 };
    await ctx.deps.auditVerifications.insertJob(job, eventOf(ctx.deps, SYSTEM, 'audit-verification.requested', { type: 'audit-verification', id: job.id }, 'Audit verification requested (incremental)', { targetVersion: 1, at: now }));
    verifyJobId = job.id;
  },
  call: async (ctx) => {
    const job = await runAuditVerification(ctx.deps, verifyJobId);
    if (job.status !== 'succeeded' || !job.report?.ok || job.report.events < VERIFY_EVENTS) throw new Error(`verification: ${JSON.stringify(job)}`);
    return 0;
  },
});
addScaleScenario({ name: 'GET /api/risk-register/dashboard', iterations: ITERATIONS, call: async (ctx) => okBytes(await ctx.request('/api/risk-register/dashboard'), 'dashboard') });

// ---- run ----

/** A dynalite server (in memory) in a child process; its endpoint once it listens. */
async function startDynaliteProcess(): Promise<{ endpoint: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['-e', DYNALITE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before it listened`)));
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString('utf8').trim())));
  });
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill() };
}
const DYNALITE_SERVER = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'trustgate-bench-scale-'));
  const config = loadConfig({ TRUSTGATE_DATA_DIR: dataDir }) as LocalConfig;
  // dynalite in its own process, as DynamoDB is its own service: 100,000 vendors are 1.2 million items (about 1 GB of
  // heap), and in the app's process every garbage collection of the app would walk them too.
  const dynalite = await startDynaliteProcess();
  const stack = await startLocalStack(config, { persist: false, clock, dynamoEndpoint: dynalite.endpoint });
  const http = createApp(stack.deps, { error: () => {} });
  const raw = DynamoDBDocumentClient.from(
    new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 10 }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const loader = new DynamoBulkLoader(raw, config.tableName);
  const staffToken = await stack.tokens.issueToken({ role: 'security', email: 'bench@example.com' });
  const results: Measured[] = [];
  const seeding: { size: number; seconds: number; items: number }[] = [];
  let seeded = 0;
  try {
    log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB (${Math.round(freemem() / 2 ** 30)} GB free), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const size of SIZES) {
      const started = performance.now();
      let items = 0;
      for (let from = seeded; from < size; from += 1000) {
        const batch = Array.from({ length: Math.min(1000, size - from) }, (_, k) => scalePortfolioEntry(from + k, today()));
        // The trail as a daily verification leaves it: every chain checkpointed at its head.
        items += await loader.load(batch, { verifiedAt: clock.now().toISOString() });
        if ((from + 1000) % 10_000 === 0) log(`seeded ${from + 1000} vendors`);
      }
      await loader.flushCounts();
      seeding.push({ size, seconds: (performance.now() - started) / 1000, items });
      seeded = size;
      log(`${size} vendors seeded (+${items} items in ${((performance.now() - started) / 1000).toFixed(1)} s); measuring, load ${loadavg()[0]!.toFixed(2)}`);
      const ctx: ScaleContext = {
        size,
        deps: stack.deps,
        request: (path) => Promise.resolve(http.app.request(path, { headers: { authorization: `Bearer ${staffToken}` } })),
        staffToken,
        raw,
        tableName: config.tableName,
        vendorId: (i) => `v-${pad(i)}`,
        vendorName: (i) => `Scale Vendor ${pad(i)}`,
      };
      // The process warms up first (the JIT, dynalite's and the app's code paths): otherwise the smallest size is
      // measured cold and every ratio reads low. Scenarios with set-up use fresh data per call and only warm up as usual.
      if (size === SIZES[0]) for (const scenario of SCALE_SCENARIOS.filter((s) => !s.prepare)) for (let n = 0; n < 20; n++) await scenario.call(ctx, n);
      // Reads first, in turns, then the scenarios that change the portfolio (their reassessments' workflows, their
      // writes and the garbage they leave would otherwise weigh on the reads measured after them at the larger sizes).
      results.push(...(await measureInTurns(SCALE_SCENARIOS.filter((s) => !s.prepare), ctx)));
      for (const scenario of SCALE_SCENARIOS.filter((s) => s.prepare)) results.push(await measure(scenario, ctx));
      const dash = (await (await ctx.request('/api/risk-register/dashboard')).json()) as { vendors: number };
      if (dash.vendors !== size) throw new Error(`dashboard counts ${dash.vendors} vendors, seeded ${size}`);
    }
    // The CSV of the whole register, streamed: its time in one pass, then in a second pass what the heap keeps while
    // it is read (the live heap after a full collection every few pages, against the same before the request).
    const readCsv = async (sampleEvery: number | null) => {
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      let retainedPeak = 0;
      const started = performance.now();
      const res = await http.app.request('/api/risk-register?format=csv', { headers: { authorization: `Bearer ${staffToken}` } });
      const reader = res.body!.getReader();
      let bytes = 0;
      let lines = 0;
      for (let chunk = 1; ; chunk++) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        for (const b of value) if (b === 10) lines++;
        if (sampleEvery && chunk % sampleEvery === 0) {
          collectGarbage();
          retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - heapBefore);
        }
      }
      return { vendors: lines - 1, bytes, seconds: (performance.now() - started) / 1000, retainedMb: retainedPeak / 2 ** 20 };
    };
    const timed = await readCsv(null);
    const sampled = await readCsv(Math.max(1, Math.floor(seeded / REGISTER_PAGE_MAX / 25)));
    if (sampled.vendors !== seeded || timed.vendors !== seeded) throw new Error(`the CSV has ${timed.vendors} lines, seeded ${seeded}`);
    const csv = { ...timed, heapGrowthMb: sampled.retainedMb };
    report(results, seeding, csv);
  } finally {
    // The reassessments the sweep started have workflows waiting for their vendors: closing does not wait for them.
    await Promise.race([stack.close(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    dynalite.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(results: Measured[], seeding: { size: number; seconds: number; items: number }[], csv: { vendors: number; bytes: number; seconds: number; heapGrowthMb: number }): void {
  const sizes = [...new Set(results.map((r) => r.size))];
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  const out: string[] = [];
  out.push(`Seeding: ${seeding.map((s) => `${s.size} vendors +${s.items} items in ${s.seconds.toFixed(0)} s`).join('; ')}`);
  out.push('');
  const ratioOf = (name: string) => {
    const rows = sizes.map((s) => results.find((r) => r.scenario === name && r.size === s)!);
    return rows.at(-1)!.p50 / rows[0]!.p50;
  };
  // The floor's own growth: a request may grow as much as dynalite does (never less than 1: a floor that got faster
  // as the process warmed does not make the requests' budget smaller than their own 1.5).
  const floorGrowth = Math.max(1, ...SCALE_SCENARIOS.filter((s) => s.floor).map((s) => ratioOf(s.name)));
  out.push(`| scenario | ${sizes.map((s) => `p50 / p99 ms at ${s.toLocaleString('en')}`).join(' | ')} | p50 ratio ${last.toLocaleString('en')}/${first.toLocaleString('en')} | largest answer |`);
  out.push(`|---|${sizes.map(() => '---|').join('')}---|---|`);
  const over: string[] = [];
  for (const name of [...new Set(results.map((r) => r.scenario))]) {
    const rows = sizes.map((s) => results.find((r) => r.scenario === name && r.size === s)!);
    const ratio = ratioOf(name);
    const maxBytes = Math.max(...rows.map((r) => r.maxBytes));
    const floor = SCALE_SCENARIOS.find((s) => s.name === name)?.floor;
    if (!floor && (ratio > 1.5 * floorGrowth || maxBytes > ONE_MB)) over.push(name);
    out.push(`| ${name} | ${rows.map((r) => `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)}`).join(' | ')} | ${ratio.toFixed(2)} | ${maxBytes ? `${(maxBytes / 1024).toFixed(1)} KB` : '-'}${maxBytes > ONE_MB ? ' **over 1 MB**' : ''} |`);
  }
  out.push('');
  out.push(
    over.length
      ? `**Over budget** (p50 ratio above 1.5 × the floor's growth ${floorGrowth.toFixed(2)}, or an answer over 1 MB): ${over.join('; ')}`
      : `Every request within budget: p50 ratio at most 1.5 × the floor's growth (${floorGrowth.toFixed(2)}), every answer under 1 MB.`,
  );
  out.push('');
  out.push(`CSV of the whole register (${csv.vendors.toLocaleString('en')} vendors, ${(csv.bytes / 2 ** 20).toFixed(1)} MB) streamed in ${csv.seconds.toFixed(1)} s; the live heap (after a full collection, sampled 25 times while it was read) grew by at most ${csv.heapGrowthMb.toFixed(1)} MB.`);
  out.push(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(out.join('\n'));
}

await main();
process.exit(0);
