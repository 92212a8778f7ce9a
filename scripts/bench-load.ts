/**
 * `npm run bench`: load on the local server (what `npm start` runs, as a child process on loopback) with autocannon,
 * and, in the same run, raw dynalite GetItem/PutItem throughput as the floor. Prints a markdown table with the ratio
 * of each scenario to the floor; exits 1 when a scenario's final run had errors or non-2xx answers.
 * Options: `--seconds <n>` per API scenario (default 10), `--vendors <n>` seeded (default 200).
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getTemplate } from '../questionnaires/library.ts';
import { LocalTokenService } from '../shared/adapters/auth/local-token-service.ts';
import { localSigningKeyFile } from '../shared/composition/local-paths.ts';
import { startEmbeddedDynamo } from '../shared/composition/embedded-dynamo.ts';
import { safestAnswers } from '../test/support/answers.ts';
import { startServerProcess, type RunningServer } from '../test/support/processes.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, vendors: { type: 'string', default: '200' } } });
const API_SECONDS = Math.min(Math.max(Number(args.seconds) || 10, 1), 30);
const FLOOR_SECONDS = Math.max(2, Math.round(API_SECONDS * 0.6));
const VENDORS = Math.min(Math.max(Number(args.vendors) || 200, 10), 1000);
const CONNECTIONS = 10;
/** Steps down for a write scenario that had non-2xx answers (concurrent saves of one assessment conflict). */
const WRITE_CONCURRENCY_STEPS = [CONNECTIONS, 4, 1];
/** Bounds on every request loop besides its duration. */
const MAX_FLOOR_OPS = 2_000_000;

interface Row {
  scenario: string;
  connections: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  statuses: string;
  floor: 'get' | 'put';
  note?: string;
}

interface FloorResult {
  op: 'GetItem' | 'PutItem';
  concurrency: number;
  ops: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function machine(): Promise<string> {
  const cpuInfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /model name\s*:\s*(.+)/.exec(cpuInfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return [
    `${cpus().length} vCPU (${model})`,
    `${gib(totalmem())} GiB RAM (${gib(freemem())} GiB free at start)`,
    `Node ${process.version}`,
    `${process.platform} ${process.arch}`,
    `load average at start ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
  ].join(', ');
}

async function api(server: RunningServer, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

function expectStatus(what: string, got: { status: number; json: unknown }, status: number): void {
  if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${got.status}: ${JSON.stringify(got.json)}`);
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function inParallel<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!, index);
      }
    }),
  );
  return results;
}

const CRITICALITY = ['low', 'medium', 'high', 'critical'] as const;
const CLASSIFICATION = ['public', 'internal', 'confidential', 'restricted'] as const;
const intake = (i: number) => ({
  name: `Bench Vendor ${String(i).padStart(4, '0')}`,
  website: `https://vendor-${i}.example`,
  contactEmail: i === 0 ? 'bench-portal@vendor.example' : `security@vendor-${i}.example`,
  criticality: CRITICALITY[i % 4],
  dataClassification: CLASSIFICATION[(i >> 2) % 4],
  services: ['Hosting', 'Support'],
  dataTypes: i % 3 === 0 ? ['personal'] : [],
  description: 'Seeded by npm run bench.',
});

interface Seeded {
  staffToken: string;
  adminToken: string;
  vendorIds: string[];
  vendorItem: Record<string, unknown>;
  portalToken: string;
  drafts: { templateId: string; answers: Record<string, unknown> }[];
}

async function seed(server: RunningServer, dataDir: string): Promise<Seeded> {
  const tokens = await LocalTokenService.fromKeyFile(localSigningKeyFile({ dataDir }));
  const staffToken = await tokens.issueToken({ role: 'procurement', email: 'bench@example.com', expiresInSeconds: 3600 });
  const adminToken = await tokens.issueToken({ role: 'admin', email: 'bench-admin@example.com', expiresInSeconds: 3600 });
  const created = await inParallel(Array.from({ length: VENDORS }, (_, i) => i), 8, async (i) => {
    const res = await api(server, 'POST', '/api/vendors', staffToken, intake(i));
    expectStatus(`seed vendor ${i}`, res, 201);
    return res.json as { id: string; contactEmail: string };
  });
  const portalVendor = created.find((v) => v.contactEmail === 'bench-portal@vendor.example')!;
  const started = await api(server, 'POST', '/api/assessments', staffToken, { vendorId: portalVendor.id, dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) });
  expectStatus('start assessment', started, 201);
  let portalToken: string | undefined;
  for (let attempt = 0; attempt < 100 && !portalToken; attempt++) {
    const outbox = await api(server, 'GET', '/api/dev/outbox?limit=20', staffToken);
    const mail = (outbox.json as { items: { to: string[]; text: string }[] }).items.find((m) => m.to.includes('bench-portal@vendor.example'));
    portalToken = mail ? /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] : undefined;
    if (!portalToken) await new Promise((r) => setTimeout(r, 100));
  }
  if (!portalToken) throw new Error('no portal link in the outbox after 10 s');
  const view = await api(server, 'GET', '/api/portal/assessment', portalToken);
  expectStatus('portal view', view, 200);
  const drafts = (view.json as { questionnaires: { template: { id: string } }[] }).questionnaires.flatMap((q) =>
    Object.entries(safestAnswers(getTemplate(q.template.id)!)).map(([questionId, entry]) => ({ templateId: q.template.id, answers: { [questionId]: entry } })),
  );
  if (drafts.length === 0) throw new Error('the assessment has no questions to save');
  return { staffToken, adminToken, vendorIds: created.map((v) => v.id), vendorItem: created[1] as unknown as Record<string, unknown>, portalToken, drafts };
}

function statusSummary(result: autocannon.Result): string {
  return Object.entries(result.statusCodeStats ?? {})
    .map(([code, s]) => `${code}×${s.count ?? 0}`)
    .join(', ');
}

async function scenario(
  server: RunningServer,
  name: string,
  floor: 'get' | 'put',
  connections: number,
  request: { method: 'GET' | 'PUT'; token: string; next: () => { path: string; body?: string } },
): Promise<Row> {
  const headers = { authorization: `Bearer ${request.token}`, ...(request.method === 'PUT' ? { 'content-type': 'application/json' } : {}) };
  const errorMessages = new Map<string, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections,
        duration: API_SECONDS,
        timeout: 10,
        requests: [
          {
            method: request.method,
            headers,
            setupRequest: (req) => {
              const { path, body } = request.next();
              return { ...req, path, ...(body === undefined ? {} : { body }) };
            },
          },
        ],
      },
      // autocannon types its callback's error as `any`; it is an Error.
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('reqError', (error: Error) => errorMessages.set(error.message, (errorMessages.get(error.message) ?? 0) + 1));
  });
  return {
    scenario: name,
    connections,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses: statusSummary(result),
    floor,
    ...(errorMessages.size ? { note: `errors: ${[...errorMessages].map(([m, n]) => `${m} ×${n}`).join('; ')}` } : {}),
  };
}

/** Runs `op` from `concurrency` workers until `seconds` pass (or MAX_FLOOR_OPS); latency per op in ms. */
async function timedOps(seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<Omit<FloorResult, 'op' | 'concurrency'>> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && counter < MAX_FLOOR_OPS) {
        const i = counter++;
        const t = performance.now();
        try {
          await op(i);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { ops: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

/** Raw GetItem and PutItem on a separate in-process dynalite with the same table design and storage (LevelDB). */
async function measureFloor(item: Record<string, unknown>, items: number): Promise<FloorResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-bench-floor-'));
  log('floor: starting dynalite');
  const dynamo = await startEmbeddedDynamo({ tableName: 'floor', path: join(dir, 'dynamodb') });
  log('floor: seeding');
  const client = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const key = (i: number) => ({ pk: `VENDOR#floor-${i % items}`, sk: 'PROFILE' });
  try {
    await inParallel(Array.from({ length: items }, (_, i) => i), 8, (i) => client.send(new PutCommand({ TableName: 'floor', Item: { ...key(i), entity: 'vendor', data: item } })));
    const results: FloorResult[] = [];
    for (const concurrency of [1, CONNECTIONS]) {
      log(`floor: GetItem × ${concurrency} for ${FLOOR_SECONDS} s`);
      results.push({ op: 'GetItem', concurrency, ...(await timedOps(FLOOR_SECONDS, concurrency, (i) => client.send(new GetCommand({ TableName: 'floor', Key: key(i) })))) });
      log(`floor: PutItem × ${concurrency} for ${FLOOR_SECONDS} s`);
      results.push({
        op: 'PutItem',
        concurrency,
        ...(await timedOps(FLOOR_SECONDS, concurrency, (i) => client.send(new PutCommand({ TableName: 'floor', Item: { ...key(i), entity: 'vendor', data: { ...item, version: i } } })))),
      });
    }
    return results;
  } finally {
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function report(machineLine: string, rows: Row[], floor: FloorResult[], checks: string[]): string {
  const floorAt = (op: 'GetItem' | 'PutItem', concurrency: number) => floor.find((f) => f.op === op && f.concurrency === concurrency)!;
  const lines = [
    `Machine: ${machineLine}.`,
    '',
    `API: ${API_SECONDS} s per scenario, autocannon against the local server (child process, LevelDB-backed dynalite, loopback); ${VENDORS} vendors seeded.`,
    `Floor: raw DynamoDBDocumentClient → separate in-process dynalite (LevelDB), ${FLOOR_SECONDS} s per row. Ratio = API req/s ÷ raw ops/s at ${CONNECTIONS} concurrent (GetItem for reads, PutItem for writes).`,
    '',
    '| scenario | connections | requests | req/s | p50 ms | p99 ms | errors / non-2xx | statuses | ratio to floor |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|',
    ...rows.map((r) => {
      const f = floorAt(r.floor === 'get' ? 'GetItem' : 'PutItem', CONNECTIONS);
      return `| ${r.scenario}${r.note ? ` (${r.note})` : ''} | ${r.connections} | ${fmt(r.requests)} | ${fmt(r.perSecond)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.errors} / ${r.non2xx} | ${r.statuses} | ${fmt(r.perSecond / f.perSecond, 2)} of ${r.floor === 'get' ? 'GetItem' : 'PutItem'} |`;
    }),
    '',
    '| floor (raw dynalite) | concurrency | ops | ops/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...floor.map((f) => `| ${f.op} | ${f.concurrency} | ${fmt(f.ops)} | ${fmt(f.perSecond)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${f.errors} |`),
    '',
    ...checks.map((c) => `- ${c}`),
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const machineLine = await machine();
  const dataDir = await mkdtemp(join(tmpdir(), 'trustgate-bench-'));
  log(`starting the local server (data in ${dataDir})`);
  const server = await startServerProcess({
    PORT: '0',
    TRUSTGATE_HOST: '127.0.0.1',
    TRUSTGATE_DATA_DIR: dataDir,
    // Nothing but the load may run in the server: no reminders or sweeps during the run.
    TRUSTGATE_REMINDER_INTERVAL_SECONDS: String(30 * 24 * 3600),
    TRUSTGATE_SWEEP_INTERVAL_SECONDS: String(7 * 24 * 3600),
    // Every request comes from one address; the per-address portal limit (600/min) would answer 429 to the load.
    TRUSTGATE_PORTAL_RATE_LIMIT: '1000000',
  });
  const rows: Row[] = [];
  const checks: string[] = [];
  let floor: FloorResult[];
  const integrityProblems: string[] = [];
  try {
    if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(server.url)) throw new Error(`refusing to load a non-loopback address: ${server.url}`);
    log(`seeding ${VENDORS} vendors and one assessment waiting for the vendor`);
    const seeded = await seed(server, dataDir);
    log(`seeded in ${fmt((performance.now() - startedAt) / 1000, 1)} s`);

    let vendorCursor = 0;
    log(`GET /api/vendors/{id} × ${CONNECTIONS} for ${API_SECONDS} s`);
    rows.push(
      await scenario(server, 'GET /api/vendors/{id} (rotating ids)', 'get', CONNECTIONS, {
        method: 'GET',
        token: seeded.staffToken,
        next: () => ({ path: `/api/vendors/${seeded.vendorIds[vendorCursor++ % seeded.vendorIds.length]}` }),
      }),
    );
    log(`GET /api/vendors?limit=25 × ${CONNECTIONS} for ${API_SECONDS} s`);
    rows.push(await scenario(server, 'GET /api/vendors?limit=25', 'get', CONNECTIONS, { method: 'GET', token: seeded.staffToken, next: () => ({ path: '/api/vendors?limit=25' }) }));

    const versionBefore = ((await api(server, 'GET', '/api/portal/assessment', seeded.portalToken)).json as { answersVersion: number }).answersVersion;
    let saved = 0;
    let inFlightAtStop = 0;
    let draftCursor = 0;
    for (const connections of WRITE_CONCURRENCY_STEPS) {
      log(`PUT /api/portal/answers × ${connections} for ${API_SECONDS} s`);
      const row = await scenario(server, 'PUT /api/portal/answers (draft saves, one assessment, rotating questions)', 'put', connections, {
        method: 'PUT',
        token: seeded.portalToken,
        next: () => ({ path: '/api/portal/answers', body: JSON.stringify(seeded.drafts[draftCursor++ % seeded.drafts.length]) }),
      });
      saved += Number(row.statuses.match(/\b200×(\d+)/)?.[1] ?? 0);
      const last = connections === WRITE_CONCURRENCY_STEPS.at(-1);
      if (row.non2xx > 0 && !last) row.note = [row.note, 'non-2xx: concurrent saves of one assessment conflict; run again at lower concurrency'].filter(Boolean).join('; ');
      inFlightAtStop += connections;
      rows.push(row);
      if (row.non2xx === 0 && row.errors === 0) break;
    }
    // Saves autocannon gave up on still run (with their conflict retries) in the server: wait until the version rests.
    const answersVersion = async () => ((await api(server, 'GET', '/api/portal/assessment', seeded.portalToken)).json as { answersVersion: number }).answersVersion;
    let versionAfter = await answersVersion();
    for (let quiet = 0, polls = 0; quiet < 3 && polls < 60; polls++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await answersVersion();
      quiet = now === versionAfter ? quiet + 1 : 0;
      versionAfter = now;
    }
    // autocannon stops at the deadline without waiting for answers in flight: the server may still store up to one
    // save per connection that autocannon never counted. Fewer versions than 200s would be a lost write. More than
    // that can happen on dynalite only: a save whose batch another save read before a conflict undid it counts twice
    // (no transactions locally, no isolation: docs/adr/0002); its answer is stored either way.
    const stored = versionAfter - versionBefore;
    const lost = stored < saved;
    const extra = Math.max(0, stored - saved - inFlightAtStop);
    checks.push(
      `Draft saves: answersVersion went from ${versionBefore} to ${versionAfter} (+${stored}) for ${saved} saves answered 200 and at most ${inFlightAtStop} in flight when the runs stopped: ${lost ? 'LOST WRITES' : 'no lost save'}${extra ? `; ${extra} extra version(s) from conflicting saves adopted before their undo (dynalite has no transactions, ADR 0002)` : ''}.`,
    );
    if (lost) integrityProblems.push('draft saves stored fewer versions than were answered 200');

    log(`GET /api/risk-register × ${CONNECTIONS} for ${API_SECONDS} s`);
    rows.push(await scenario(server, `GET /api/risk-register (${VENDORS} vendors)`, 'get', CONNECTIONS, { method: 'GET', token: seeded.staffToken, next: () => ({ path: '/api/risk-register' }) }));

    const verify = await api(server, 'GET', '/api/admin/audit/verify', seeded.adminToken);
    const audit = verify.json as { ok: boolean; chains: number; events: number; problems: unknown[] };
    checks.push(`Audit trail after the run: ok=${audit.ok}, ${audit.chains} chains, ${audit.events} events, ${audit.problems?.length ?? '?'} problems${audit.problems?.length ? `: ${JSON.stringify(audit.problems.slice(0, 3))}` : ''}.`);
    if (!audit.ok) integrityProblems.push('the audit trail does not verify after the run');

    floor = await measureFloor(seeded.vendorItem, Math.min(VENDORS, 200));
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  checks.push(`Total run time ${fmt((performance.now() - startedAt) / 1000, 0)} s.`);
  console.log(report(machineLine, rows, floor, checks));

  // The last run of each scenario decides: a write scenario that needed lower concurrency passes on its lower run.
  const finalRows = rows.filter((r, i) => rows.findIndex((o, j) => j > i && o.scenario === r.scenario) === -1);
  const failed = finalRows.filter((r) => r.errors > 0 || r.non2xx > 0 || r.requests === 0);
  const floorFailed = floor.filter((f) => f.errors > 0);
  if (failed.length || floorFailed.length || integrityProblems.length) {
    const what = [...failed.map((r) => `errors or non-2xx in ${r.scenario}`), ...floorFailed.map((f) => `errors in floor ${f.op}×${f.concurrency}`), ...integrityProblems];
    console.error(`\nFAILED: ${what.join('; ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
