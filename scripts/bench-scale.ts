/**
 * `npm run bench:scale`: seeds 1,000, 10,000 and 100,000 vendors (each with an assessment, its register line and its
 * audit history) straight through the bulk loader, and at each size measures on the same dynalite process: the
 * register's first page and a deep page, the vendor list, the review queue, the dashboard, and dynalite's own
 * GetItem/Query floor. Prints p50/p99 per size, the ratio of the largest size to the smallest, the largest answer,
 * and the CSV export's time and heap growth at the largest size.
 * Options: `--sizes 1000,10000,100000`, `--iterations <n>` per scenario (default 40).
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoBulkLoader, type PortfolioEntry } from '../shared/adapters/aws/dynamo-bulk-loader.ts';
import { keys } from '../shared/adapters/aws/keys.ts';
import { addDays, addMonths, newAssessment, type Assessment, type AssessmentStatus } from '../shared/domain/assessment.ts';
import { lineWithVendor, type RegisterLine } from '../shared/domain/risk-register.ts';
import { RISK_RATINGS } from '../shared/domain/risk/risk-policy.ts';
import { newVendor, vendorIntakeSchema, type Vendor } from '../shared/domain/vendor.ts';
import { loadConfig, type LocalConfig } from '../shared/composition/config.ts';
import { startLocalStack } from '../shared/composition/local-deps.ts';
import { createApp } from '../shared/http/app.ts';
import { addScaleScenario, measure, okBytes, SCALE_SCENARIOS, type Measured, type ScaleContext } from './bench-harness.ts';

const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, iterations: { type: 'string', default: '40' } } });
const SIZES = args.sizes.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
const ITERATIONS = Math.min(Math.max(Number(args.iterations) || 40, 5), 1000);
const ONE_MB = 1024 * 1024;
const PROVIDERS = Array.from({ length: 40 }, (_, i) => `Provider ${String.fromCharCode(65 + (i % 26))}${i} Cloud Inc.`);
const pad = (i: number) => String(i).padStart(6, '0');
const log = (m: string) => process.stderr.write(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** A realistic vendor: profile spread over the tiers, an assessment in a plausible status, a scored line, its history. */
function entry(i: number): PortfolioEntry {
  const criticality = (['low', 'medium', 'high', 'critical'] as const)[i % 4];
  const created = new Date(Date.parse('2024-01-01T00:00:00Z') + (i % 1000) * 86_400_000).toISOString();
  const vendor: Vendor = {
    ...newVendor(
      vendorIntakeSchema.parse({
        name: `Scale Vendor ${pad(i)}`,
        website: `https://vendor-${i}.example`,
        contactEmail: `security@vendor-${i}.example`,
        criticality,
        dataClassification: (['public', 'internal', 'confidential', 'restricted'] as const)[(i >> 2) % 4],
        dataTypes: i % 3 === 0 ? ['personal'] : ['customer-content'],
        systemAccess: (['none', 'network', 'privileged'] as const)[i % 3],
        recordVolume: '1k-100k',
      }),
      { id: `v-${pad(i)}`, now: created, actor: 'procurement@example.com' },
    ),
    status: i % 20 === 0 ? 'offboarded' : i % 7 === 0 ? 'onboarding' : 'active',
  };
  const statuses: AssessmentStatus[] = ['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'awaiting-review', 'awaiting-vendor', 'needs-attention', 'rejected'];
  const status = statuses[i % 10]!;
  const base = newAssessment({ id: `a-${pad(i)}`, vendor: { id: vendor.id, name: vendor.name, contactEmail: vendor.contactEmail, tier: vendor.inherentRisk.tier }, templates: [{ id: 'baseline-security', version: '1.0.0' }], dueDate: addDays(created.slice(0, 10), 30), requestedBy: 'procurement@example.com', now: created });
  const final = status === 'approved' || status === 'rejected';
  const nextReviewDate = status === 'approved' ? addMonths(created.slice(0, 10), 12 + (i % 24)) : null;
  const assessment: Assessment = { ...base, status, nextReviewDate, version: 4, updatedAt: created };
  const scored = status !== 'awaiting-vendor';
  const rating = scored ? RISK_RATINGS[(i * 7) % 4]! : null;
  const line: RegisterLine = {
    ...lineWithVendor(null, vendor, created),
    rating,
    computedRating: rating,
    score: scored ? (i * 13) % 100 : null,
    openFindings: scored ? i % 5 : 0,
    highestOpenSeverity: scored && i % 5 ? 'medium' : null,
    nextReviewDate,
    assessmentId: assessment.id,
    assessmentStatus: status,
    policyVersion: scored ? '2026-11' : null,
    subservices: scored ? PROVIDERS.slice(i % 40, (i % 40) + (i % 3)) : [],
  };
  const event = (n: number, target: { type: 'vendor' | 'assessment'; id: string }, action: string, at: string) => ({
    id: `e-${pad(i)}-${n}`,
    at,
    actor: 'procurement@example.com',
    role: 'procurement' as const,
    action,
    target,
    targetVersion: null,
    summary: `${action} (seeded)`,
    changes: null,
  });
  const events = [
    event(1, { type: 'vendor', id: vendor.id }, 'vendor.registered', created),
    event(2, { type: 'assessment', id: assessment.id }, 'assessment.started', created),
    event(3, { type: 'assessment', id: assessment.id }, 'assessment.submitted', created),
    ...(final ? [event(4, { type: 'assessment', id: assessment.id }, 'assessment.decided', created)] : []),
  ];
  return { vendor, line, assessments: [assessment], events };
}

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
addScaleScenario({ name: 'GET /api/risk-register/dashboard', iterations: ITERATIONS, call: async (ctx) => okBytes(await ctx.request('/api/risk-register/dashboard'), 'dashboard') });

// ---- run ----

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'trustgate-bench-scale-'));
  const config = loadConfig({ TRUSTGATE_DATA_DIR: dataDir }) as LocalConfig;
  const stack = await startLocalStack(config, { persist: false });
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
        const batch = Array.from({ length: Math.min(1000, size - from) }, (_, k) => entry(from + k));
        items += await loader.load(batch);
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
      for (const scenario of SCALE_SCENARIOS) results.push(await measure(scenario, ctx));
      const dash = (await (await ctx.request('/api/risk-register/dashboard')).json()) as { vendors: number };
      if (dash.vendors !== size) throw new Error(`dashboard counts ${dash.vendors} vendors, seeded ${size}`);
    }
    // The CSV of the whole register, streamed: time and how much the heap grows while it is read.
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const csvStart = performance.now();
    const res = await http.app.request('/api/risk-register?format=csv', { headers: { authorization: `Bearer ${staffToken}` } });
    const reader = res.body!.getReader();
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines++;
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    const csv = { vendors: lines - 1, bytes, seconds: (performance.now() - csvStart) / 1000, heapGrowthMb: (heapPeak - heapBefore) / 2 ** 20 };
    report(results, seeding, csv);
  } finally {
    await stack.close();
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
  out.push(`| scenario | ${sizes.map((s) => `p50 / p99 ms at ${s.toLocaleString('en')}`).join(' | ')} | p50 ratio ${last.toLocaleString('en')}/${first.toLocaleString('en')} | largest answer |`);
  out.push(`|---|${sizes.map(() => '---|').join('')}---|---|`);
  for (const name of [...new Set(results.map((r) => r.scenario))]) {
    const rows = sizes.map((s) => results.find((r) => r.scenario === name && r.size === s)!);
    const ratio = rows.at(-1)!.p50 / rows[0]!.p50;
    const maxBytes = Math.max(...rows.map((r) => r.maxBytes));
    out.push(`| ${name} | ${rows.map((r) => `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)}`).join(' | ')} | ${ratio.toFixed(2)} | ${(maxBytes / 1024).toFixed(1)} KB${maxBytes > ONE_MB ? ' **over 1 MB**' : ''} |`);
  }
  out.push('');
  out.push(`CSV of the whole register (${csv.vendors.toLocaleString('en')} vendors, ${(csv.bytes / 2 ** 20).toFixed(1)} MB) streamed in ${csv.seconds.toFixed(1)} s; heap grew by at most ${csv.heapGrowthMb.toFixed(1)} MB while it was read.`);
  out.push(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(out.join('\n'));
}

await main();
