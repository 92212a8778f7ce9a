/**
 * Bad input: every JSON route of the access table (bodies of POST/PUT/PATCH, query strings of GET lists) fuzzed
 * with fast-check: arbitrary JSON, near-valid bodies built from the route's own OpenAPI schema, prototype-pollution
 * keys, huge and unusual strings, deep nesting, broken JSON. Never a 5xx; every 4xx is problem+json with a code;
 * a refused request leaves what it aimed at unchanged; what was accepted is all that was stored. Every non-GET
 * route also gets chunked, empty and body-less requests through @hono/node-server, as `npm start` serves them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import type { RouteAccessEntry } from '../../shared/http/access.ts';
import { createApp } from '../../shared/http/app.ts';
import { answerEverything, freshCleanReportPdf, inDays, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { safestAnswers } from '../support/answers.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { rawRequest, serveOverNode, type BodyFraming } from '../support/node-adapter.ts';
import { fuzzBody, fuzzQuery, wrongValue, type Hints, type JsonSchema, type QueryParameter } from './json-schema-arbitraries.ts';

const NUM_RUNS = 60;
/** Each property also stops at this time limit (counted as a pass with fewer runs): the file must stay under a minute. */
const TIME_LIMIT_MS = 8_000;
/** The local stand-in for S3's form posts: multipart, and not part of the API's JSON surface. */
const UPLOAD_PATH = '/api/local-uploads';

interface Sent {
  method: string;
  path: string;
  body: { json: unknown } | { raw: string } | null;
  headers: Record<string, string>;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

let stack: TestStack;
let app: ReturnType<typeof createApp>['app'];
let accessTable: RouteAccessEntry[];
let openApi: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: { in: string; name: string; schema: JsonSchema }[] }>> };
const serverErrors: string[] = [];
const tokens: Record<string, string> = {};

/** Ids the path parameters and hints are filled from. */
const fixture = {
  vendorId: '',
  /** Waiting for the vendor: draft saves and CSV imports. */
  portal: { assessmentId: '', token: '', templateIds: [] as string[], questionIds: [] as string[], validAnswers: {} as Record<string, unknown> },
  /** Submitted, analyzed and scored: decisions, overrides, findings, tasks. */
  review: { assessmentId: '', findingId: 'no-such-finding', taskId: 'no-such-task', documentId: 'no-such-document' },
  /** For the assessment routes that end or restart it (cancel, resend, retry). */
  spare: { assessmentId: '' },
};

beforeAll(async () => {
  stack = await startTestStack();
  // Our own app on the same stack: the fuzz comes from one address and must not be answered 429 by the rate limits.
  const created = createApp(
    stack.deps,
    { error: (message, error) => serverErrors.push(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}${error instanceof Error && error.cause ? `\ncause: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : JSON.stringify(error.cause)}` : ''}`) },
    { portalPerMinute: 1_000_000, signInPerMinute: 1_000_000, trustedProxyHops: 0 },
  );
  app = created.app;
  accessTable = created.accessTable;
  openApi = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'fuzz', version: '0' } }) as unknown as typeof openApi;
  for (const role of ['procurement', 'security', 'admin'] as const) tokens[role] = await stack.tokenFor(role);

  fixture.vendorId = await registerVendor(stack, { name: 'Fuzz Patch Target', contactEmail: 'fuzz-patch@vendor.example' });

  fixture.portal.assessmentId = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'fuzz-portal@vendor.example' }));
  fixture.portal.token = await portalTokenFromOutbox(stack, 'fuzz-portal@vendor.example');
  const view = (await (await stack.call('GET', '/api/portal/assessment', { token: fixture.portal.token })).json()) as { questionnaires: { template: { id: string } }[] };
  fixture.portal.templateIds = view.questionnaires.map((q) => q.template.id);
  fixture.portal.questionIds = fixture.portal.templateIds.flatMap((id) => getTemplate(id)!.sections.flatMap((s) => s.questions.map((q) => q.id)));
  fixture.portal.validAnswers = safestAnswers(getTemplate(fixture.portal.templateIds[0]!)!);

  const reviewVendor = await registerVendor(stack, { contactEmail: 'fuzz-review@vendor.example', criticality: 'critical', dataClassification: 'restricted', dataTypes: ['personal', 'payment'] });
  fixture.review.assessmentId = await startAssessmentFor(stack, reviewVendor);
  const reviewPortal = await portalTokenFromOutbox(stack, 'fuzz-review@vendor.example');
  await answerEverything(stack, reviewPortal);
  expect((await upload(stack, reviewPortal, await freshCleanReportPdf())).status).toBe(201);
  expect((await stack.call('POST', '/api/portal/submit', { token: reviewPortal })).status).toBe(200);
  await stack.settle();
  const findings = (await (await stack.call('GET', `/api/assessments/${fixture.review.assessmentId}/findings`, { token: tokens.security })).json()) as { items: { id: string }[] };
  const tasks = (await (await stack.call('GET', `/api/assessments/${fixture.review.assessmentId}/tasks`, { token: tokens.security })).json()) as { items: { id: string }[] };
  fixture.review.findingId = findings.items[0]?.id ?? fixture.review.findingId;
  fixture.review.taskId = tasks.items[0]?.id ?? fixture.review.taskId;
  const reviewed = (await (await stack.call('GET', `/api/assessments/${fixture.review.assessmentId}`, { token: tokens.security })).json()) as { documents: { id: string }[] };
  fixture.review.documentId = reviewed.documents[0]?.id ?? fixture.review.documentId;

  fixture.spare.assessmentId = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'fuzz-spare@vendor.example' }));
}, 120_000);

afterAll(async () => stack?.dispose());

async function send(request: Sent): Promise<Answer> {
  const headers = { ...request.headers };
  let body: string | undefined;
  if (request.body && 'raw' in request.body) body = request.body.raw;
  else if (request.body) body = JSON.stringify(request.body.json);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await app.request(request.path, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

const describeRequest = (r: Sent) => {
  const body = r.body === null ? '' : 'raw' in r.body ? `raw ${JSON.stringify(r.body.raw.slice(0, 500))}` : JSON.stringify(r.body.json)?.slice(0, 500);
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, k === 'authorization' ? 'Bearer <token of an admitted role>' : v]));
  return `${r.method} ${r.path} ${JSON.stringify(headers)} ${body}`;
};

/** The rules every answer keeps, whatever was sent. */
function expectWellFormed(request: Sent, answer: Answer): void {
  if (answer.status >= 500) {
    throw new Error(`${answer.status} for ${describeRequest(request)}\nanswer: ${answer.text.slice(0, 500)}\nserver log: ${serverErrors.at(-1) ?? '(nothing logged)'}`);
  }
  if (answer.status >= 400 && request.path === UPLOAD_PATH) {
    // The local stand-in for S3 refuses as S3 does: an XML error with S3's code (docs/adr/0013-direct-uploads.md).
    expect(answer.contentType, describeRequest(request)).toMatch(/^application\/xml/);
    expect(answer.text, describeRequest(request)).toMatch(/<Error><Code>[A-Za-z]+<\/Code>/);
  } else if (answer.status >= 400) {
    expect(answer.contentType, describeRequest(request)).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer.text) as { code?: unknown; status?: unknown };
    expect(typeof problem.code, describeRequest(request)).toBe('string');
    expect(problem.status).toBe(answer.status);
  }
  // Prototype pollution would show on every object of the process.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}

const routeKey = (e: { method: string; path: string }) => `${e.method} ${e.path}`;
const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z]+)/g, '{$1}');
const operationOf = (e: RouteAccessEntry) => openApi.paths[openApiPath(e.path)]?.[e.method.toLowerCase()];
const bodySchemaOf = (e: RouteAccessEntry) => operationOf(e)?.requestBody?.content?.['application/json']?.schema;

/** Routes whose body is JSON: POST/PUT/PATCH, except the multipart one (the local stand-in for S3's upload form). */
const jsonBodyRoutes = () => accessTable.filter((e) => ['POST', 'PUT', 'PATCH'].includes(e.method) && e.path !== UPLOAD_PATH && !operationOf(e)?.requestBody?.content?.['multipart/form-data']);
/** GET routes that take query parameters (the lists). */
const queryRoutes = () => accessTable.filter((e) => e.method === 'GET' && (operationOf(e)?.parameters ?? []).some((p) => p.in === 'query'));

function tokenFor(e: RouteAccessEntry, portalToken = fixture.portal.token): string | null {
  if (e.access.kind === 'public') return null;
  if (e.access.kind === 'portal') return portalToken;
  return tokens[e.access.roles[0]!]!;
}

/** The concrete path of a route: each parameter filled with the fixture it aims at. */
function concretePath(e: RouteAccessEntry, assessmentId: string): string {
  return e.path
    .replace(/^\/api\/vendors\/:id/, `/api/vendors/${fixture.vendorId}`)
    .replace(':findingId', fixture.review.findingId)
    .replace(':taskId', fixture.review.taskId)
    .replace(':documentId', fixture.review.documentId)
    .replace(':field', 'opinion')
    .replace(':id', assessmentId);
}

const isoDay = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const hints = (): Hints => ({
  vendorId: fc.constantFrom(fixture.vendorId, fixture.vendorId.toUpperCase(), 'no-such-vendor'),
  name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }).map((n) => `Fuzz vendor ${n}`), fc.constantFrom('Fuzz vendor', ' Fuzz vendor ', 'FUZZ VENDOR', 'Fuzz\u0000vendor', 'Fuzz vendor \u202e')),
  // Mostly good values, so that most bodies get past these two fields to the rest of the checks.
  contactEmail: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('security@vendor.example', 'a@b.co', 'SECURITY@VENDOR.EXAMPLE') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('x@localhost', 'security@vendor.example\n'), fc.emailAddress()) }),
  website: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('https://vendor.example', 'http://vendor.example/path?q=1') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('javascript:alert(1)', 'https://', 'ftp://vendor.example'), fc.webUrl()) }),
  templateId: fc.oneof({ weight: 3, arbitrary: fc.constant(fixture.portal.templateIds[0]!) }, { weight: 1, arbitrary: fc.constantFrom(...fixture.portal.templateIds, 'no-such-template') }),
  templates: fc.subarray([...fixture.portal.templateIds, 'no-such-template'], { minLength: 1 }),
  '*key': fc.constantFrom(...fixture.portal.questionIds),
  answers: fc
    .tuple(fc.subarray(Object.entries(fixture.portal.validAnswers), { minLength: 1, maxLength: 5 }), fc.option(fc.tuple(fc.constantFrom(...fixture.portal.questionIds), wrongValue)))
    .map(([entries, wrong]) => ({ ...Object.fromEntries(entries), ...(wrong ? { [wrong[0]]: wrong[1] } : {}) })),
  dueDate: fc.oneof(isoDay, fc.integer({ min: 1, max: 400 }).map(inDays), fc.constantFrom(inDays(30), '2026-02-30', '0000-00-00', '9999-99-99', '2026-13-01', '1970-01-01')),
  expiresOn: fc.oneof(isoDay, fc.constantFrom('2026-02-30', '0000-00-00', '9999-12-31')),
  remediationDate: fc.oneof(isoDay, fc.constantFrom('2026-02-30', '0000-00-00')),
  csv: fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom(...fixture.portal.questionIds, 'questionId', ''), fc.oneof(fc.constantFrom('yes', 'no', '1', '"quoted, text"', '"unterminated', '=cmd|calc', ''), fc.string({ maxLength: 20 }))), { maxLength: 8 }),
      fc.constantFrom('\n', '\r\n', '\r'),
    )
    .map(([rows, newline]) => ['questionId,answer', ...rows.map(([q, a]) => `${q},${a}`)].join(newline)),
});

/** What a request aimed at, read back; a refused request must leave it as it was. */
async function snapshotFor(e: RouteAccessEntry, assessmentId: string, portalToken: string): Promise<unknown> {
  const read = async (path: string, token: string | null) => {
    const answer = await send({ method: 'GET', path, body: null, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: answer.status, body: answer.text };
  };
  if (e.path.startsWith('/api/vendors/:id')) {
    return [await read(`/api/vendors/${fixture.vendorId}`, tokens.procurement!), await read(`/api/vendors/${fixture.vendorId}/audit?limit=100`, tokens.procurement!)];
  }
  if (e.path.startsWith('/api/assessments/:id')) {
    const base = `/api/assessments/${assessmentId}`;
    return Promise.all([read(base, tokens.security!), read(`${base}/score`, tokens.security!), read(`${base}/findings`, tokens.security!), read(`${base}/tasks`, tokens.security!)]);
  }
  if (e.access.kind === 'portal') return read('/api/portal/assessment', portalToken);
  if (e.path === '/api/vendors' || e.path === '/api/assessments') return null; // checked as a whole after the run
  return read('/api/admin/audit/verify', tokens.admin!);
}

async function allIds(path: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const answer = await send({ method: 'GET', path: `${path}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, body: null, headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(answer.status).toBe(200);
    const page = JSON.parse(answer.text) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** Which assessment a body-less route is aimed at, and which portal token it uses. */
function targetOf(e: RouteAccessEntry): { assessmentId: string; portalToken: string } {
  const reviewRoutes = ['/decision', '/score/override', '/findings/', '/tasks/', '/corrections/'];
  if (reviewRoutes.some((r) => e.path.includes(r))) return { assessmentId: fixture.review.assessmentId, portalToken: fixture.portal.token };
  if (e.path.startsWith('/api/assessments/:id')) return { assessmentId: fixture.spare.assessmentId, portalToken: fixture.portal.token };
  return { assessmentId: fixture.portal.assessmentId, portalToken: fixture.portal.token };
}

/**
 * Fuzzes one JSON-body route. After every answer: well-formed; after a refusal (4xx), what the route aims at is
 * unchanged; returns what was accepted.
 */
/** Routes that answer 202 with a job run after the answer (audit verification, register export). */
const JOB_ROUTES = ['/api/audit/verifications', '/api/risk-register/exports'];

async function jobEnded(jobsPath: string, id: string, token: string | null): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const job = JSON.parse((await send({ method: 'GET', path: `${jobsPath}/${id}`, body: null, headers: token ? { authorization: `Bearer ${token}` } : {} })).text) as { status: string };
    if (job.status !== 'queued' && job.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // Locally the job's last write lands item by item (the compensating writer): its audit event may follow the status.
  await new Promise((r) => setTimeout(r, 300));
}

async function fuzzRoute(e: RouteAccessEntry, numRuns: number): Promise<{ accepted: unknown[]; statuses: Map<number, number> }> {
  const { assessmentId, portalToken } = targetOf(e);
  const path = concretePath(e, assessmentId);
  const schema = bodySchemaOf(e);
  const accepted: unknown[] = [];
  const statuses = new Map<number, number>();
  let before = await snapshotFor(e, assessmentId, portalToken);
  // Mostly no extra headers, so that bodies reach the use case; sometimes an Idempotency-Key or If-Match, good or bad.
  const headerArb = fc.oneof(
    { weight: 5, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          'idempotency-key': fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{8,20}$/), fc.stringMatching(/^[ -~]{0,140}$/)),
          'if-match': fc.oneof(fc.constantFrom('"1"', '1', 'W/"1"', '"999999999999999999999"', '*', '"-1"'), fc.stringMatching(/^[ -~]{0,20}$/)),
        },
        { requiredKeys: [] },
      ),
    },
  );
  await fc.assert(
    fc.asyncProperty(fuzzBody(schema, hints()), headerArb, async (body, extraHeaders) => {
      const token = tokenFor(e, portalToken);
      const request: Sent = { method: e.method, path, body, headers: { ...extraHeaders, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
      const answer = await send(request);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expectWellFormed(request, answer);
      if (answer.status < 300) {
        accepted.push(JSON.parse(answer.text));
        await stack.settle();
        // An accepted job runs after its 202: wait for it to end before the next snapshot.
        if (answer.status === 202 && JOB_ROUTES.includes(e.path)) await jobEnded(e.path, (JSON.parse(answer.text) as { id: string }).id, token);
        before = await snapshotFor(e, assessmentId, portalToken);
      } else if (before !== null) {
        const after = await snapshotFor(e, assessmentId, portalToken);
        expect(after, `a refused ${describeRequest(request)} (${answer.status}) changed what it aimed at: ${JSON.stringify(before).slice(0, 400)} -> ${JSON.stringify(after).slice(0, 400)}`).toEqual(before);
      }
    }),
    { numRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  return { accepted, statuses };
}

/** fast-check's message names the counterexample; the cause says what went wrong with it. */
const failureText = (error: unknown): string =>
  error instanceof Error ? `${error.message}${error.cause instanceof Error ? `\ncause: ${error.cause.message}` : ''}` : String(error);

const summary = (statuses: Map<number, number>) => [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');

describe('fuzzing the JSON bodies', () => {
  it('finds a schema for every JSON-body route and fuzzes at least the known ones', () => {
    const routes = jsonBodyRoutes().map(routeKey);
    for (const known of ['POST /api/vendors', 'PATCH /api/vendors/:id', 'POST /api/assessments', 'PUT /api/portal/answers', 'POST /api/assessments/:id/decision']) expect(routes).toContain(known);
    for (const e of jsonBodyRoutes()) if (operationOf(e)?.requestBody) expect(bodySchemaOf(e), routeKey(e)).toBeDefined();
  });

  it('POST /api/vendors: stores exactly the vendors answered 201, each with one audit event', async () => {
    const route = jsonBodyRoutes().find((e) => routeKey(e) === 'POST /api/vendors')!;
    const before = new Set(await allIds('/api/vendors'));
    const auditBefore = JSON.parse((await send({ method: 'GET', path: '/api/admin/audit/verify', body: null, headers: { authorization: `Bearer ${tokens.admin}` } })).text) as { events: number };
    const { accepted, statuses } = await fuzzRoute(route, NUM_RUNS);
    const created = new Set(accepted.map((v) => (v as { id: string }).id));
    console.info(`POST /api/vendors: ${summary(statuses)}`);
    const after = (await allIds('/api/vendors')).filter((id) => !before.has(id));
    expect(new Set(after), `statuses ${summary(statuses)}`).toEqual(created);
    for (const id of created) {
      const trail = JSON.parse((await send({ method: 'GET', path: `/api/vendors/${id}/audit`, body: null, headers: { authorization: `Bearer ${tokens.admin}` } })).text) as { items: { action: string }[] };
      expect(trail.items.map((i) => i.action)).toEqual(['vendor.registered']);
    }
    const audit = JSON.parse((await send({ method: 'GET', path: '/api/admin/audit/verify', body: null, headers: { authorization: `Bearer ${tokens.admin}` } })).text) as { ok: boolean; events: number };
    expect(audit.ok).toBe(true);
    expect(audit.events - auditBefore.events).toBe(created.size);
  });

  it('PATCH /api/vendors/{id}: every stored version has its audit event, refusals change nothing', async () => {
    const route = jsonBodyRoutes().find((e) => routeKey(e) === 'PATCH /api/vendors/:id')!;
    console.info(`PATCH /api/vendors/:id: ${summary((await fuzzRoute(route, NUM_RUNS)).statuses)}`);
    const vendor = JSON.parse((await send({ method: 'GET', path: `/api/vendors/${fixture.vendorId}`, body: null, headers: { authorization: `Bearer ${tokens.admin}` } })).text) as { version: number };
    const trail = JSON.parse((await send({ method: 'GET', path: `/api/vendors/${fixture.vendorId}/audit?limit=100`, body: null, headers: { authorization: `Bearer ${tokens.admin}` } })).text) as { items: unknown[] };
    expect(trail.items).toHaveLength(vendor.version);
  });

  it('POST /api/assessments: stores exactly the assessments answered 201', async () => {
    const route = jsonBodyRoutes().find((e) => routeKey(e) === 'POST /api/assessments')!;
    const before = new Set(await allIds('/api/assessments'));
    const { accepted, statuses } = await fuzzRoute(route, NUM_RUNS);
    console.info(`POST /api/assessments: ${summary(statuses)}`);
    const after = (await allIds('/api/assessments')).filter((id) => !before.has(id));
    expect(new Set(after), `statuses ${summary(statuses)}`).toEqual(new Set(accepted.map((a) => (a as { id: string }).id)));
  });

  // Each of its ~13 routes may use its whole TIME_LIMIT_MS on a busy machine: the default 60 s is less than their sum.
  it('every other JSON-body route: no 5xx, problem+json refusals that change nothing', { timeout: 180_000 }, async () => {
    const special = new Set(['POST /api/vendors', 'PATCH /api/vendors/:id', 'POST /api/assessments']);
    // Routes that change the target for good (decide, cancel, resend) run last, so the others still find it open.
    const last = (e: RouteAccessEntry) => ['/decision', '/submit', '/resend-invite', '/cancel'].findIndex((end) => e.path.endsWith(end)) + 1;
    const routes = jsonBodyRoutes().filter((e) => !special.has(routeKey(e))).sort((a, b) => last(a) - last(b));
    const failures: string[] = [];
    const report: string[] = [];
    for (const route of routes) {
      const runs = bodySchemaOf(route) ? NUM_RUNS : 15;
      try {
        const { statuses } = await fuzzRoute(route, runs);
        report.push(`${routeKey(route)}: ${summary(statuses)}`);
      } catch (error) {
        failures.push(`${routeKey(route)}:\n${failureText(error)}`);
      }
    }
    console.info(`fuzzed bodies:\n${report.join('\n')}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    const audit = JSON.parse((await send({ method: 'GET', path: '/api/admin/audit/verify', body: null, headers: { authorization: `Bearer ${tokens.admin}` } })).text) as { ok: boolean };
    expect(audit.ok).toBe(true);
  });
});

describe('fuzzing the query strings of the lists', () => {
  it('answers every query of every list with a page or a problem, never a 5xx', async () => {
    const failures: string[] = [];
    const report: string[] = [];
    for (const route of queryRoutes()) {
      const parameters: QueryParameter[] = (operationOf(route)?.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema }));
      const path = concretePath(route, fixture.portal.assessmentId);
      // Cursors that decode: base64url JSON with the keys of a real cursor and other values, or other shapes.
      const real = JSON.parse((await send({ method: 'GET', path: `${path}?limit=1`, body: null, headers: { authorization: `Bearer ${tokenFor(route)}` } })).text) as { nextCursor?: string | null };
      const cursorKeys = real.nextCursor ? Object.keys(JSON.parse(Buffer.from(real.nextCursor, 'base64url').toString('utf8')) as object) : ['pk', 'sk'];
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
      const cursor = fc.oneof(
        fc.tuple(...cursorKeys.map(() => fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'VENDOR#', ' ', '\u0000')))).map((values) => b64(Object.fromEntries(cursorKeys.map((k, i) => [k, values[i]])))),
        fc.jsonValue({ maxDepth: 2 }).map(b64),
        ...(real.nextCursor ? [fc.constant(real.nextCursor)] : []),
      );
      const statuses = new Map<number, number>();
      try {
        await fc.assert(
          fc.asyncProperty(fuzzQuery(parameters, { cursor }), async (query) => {
            const token = tokenFor(route);
            const request: Sent = { method: 'GET', path: `${path}?${query}`, body: null, headers: token ? { authorization: `Bearer ${token}` } : {} };
            const answer = await send(request);
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            expectWellFormed(request, answer);
            if (answer.status === 200 && answer.contentType.startsWith('application/json')) expect(Array.isArray((JSON.parse(answer.text) as { items?: unknown }).items)).toBe(true);
          }),
          { numRuns: NUM_RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
        );
        report.push(`${routeKey(route)}: ${summary(statuses)}`);
      } catch (error) {
        failures.push(`${routeKey(route)}:\n${failureText(error)}`);
      }
    }
    console.info(`fuzzed queries:\n${report.join('\n')}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});

describe('forged cursors (found by the query fuzz above)', () => {
  const forged = (keys: string[], value: string) => Buffer.from(JSON.stringify(Object.fromEntries(keys.map((k) => [k, value]))), 'utf8').toString('base64url');
  const lists = () => [
    { path: '/api/vendors', keys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] },
    { path: '/api/assessments', keys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] },
    { path: `/api/vendors/${fixture.vendorId}/audit`, keys: ['pk', 'sk'] },
  ];

  it.each(['', 'x'])('answers 400 invalid-cursor to a cursor with the right keys and made-up values (%j), not 503', async (value) => {
    for (const list of lists()) {
      const answer = await send({ method: 'GET', path: `${list.path}?cursor=${forged(list.keys, value)}`, body: null, headers: { authorization: `Bearer ${tokens.admin}` } });
      expect({ path: list.path, status: answer.status, code: (JSON.parse(answer.text) as { code: string }).code }).toEqual({ path: list.path, status: 400, code: 'invalid-cursor' });
    }
  });
});

describe('free text is data', () => {
  it('returns HTML and script in free text verbatim, as a JSON string', async () => {
    const script = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const created = await send({
      method: 'POST',
      path: '/api/vendors',
      body: { json: { name: `Fuzz ${script}`, website: 'https://script.example', contactEmail: 'script@vendor.example', criticality: 'low', dataClassification: 'public', description: script, services: [script] } },
      headers: { authorization: `Bearer ${tokens.procurement}` },
    });
    expect(created.status).toBe(201);
    expect(created.contentType).toMatch(/^application\/json/);
    const { id } = JSON.parse(created.text) as { id: string };
    const read = JSON.parse((await send({ method: 'GET', path: `/api/vendors/${id}`, body: null, headers: { authorization: `Bearer ${tokens.security}` } })).text) as { name: string; description: string; services: string[] };
    expect(read).toMatchObject({ name: `Fuzz ${script}`, description: script, services: [script] });
  });
});

describe('body framing over the node adapter', () => {
  const framings = (json: string): { name: string; framing: BodyFraming; contentType: string | null }[] => [
    { name: 'chunked JSON', framing: { kind: 'chunked', chunks: [json.slice(0, 1), json.slice(1)] }, contentType: 'application/json' },
    { name: 'chunked, no chunks', framing: { kind: 'chunked', chunks: [] }, contentType: 'application/json' },
    { name: 'chunked multipart, no chunks', framing: { kind: 'chunked', chunks: [] }, contentType: 'multipart/form-data; boundary=x' },
    { name: 'no body, no Content-Length, no type', framing: { kind: 'none' }, contentType: null },
    { name: 'no body, no Content-Length', framing: { kind: 'none' }, contentType: 'application/json' },
    { name: 'Content-Length: 0', framing: { kind: 'empty' }, contentType: 'application/json' },
  ];

  it('answers every non-GET route, whatever the framing, with no 5xx and problem+json refusals', async () => {
    const served = await serveOverNode(app.fetch);
    const failures: string[] = [];
    const report: string[] = [];
    try {
      // Routes that end an assessment run last, so the others still find theirs open.
      const last = (e: RouteAccessEntry) => ['/decision', '/submit', '/resend-invite', '/cancel'].findIndex((end) => e.path.endsWith(end)) + 1;
      const routes = accessTable.filter((e) => e.method !== 'GET').sort((a, b) => last(a) - last(b));
      for (const route of routes) {
        const { assessmentId, portalToken } = targetOf(route);
        const path = concretePath(route, assessmentId);
        const token = tokenFor(route, portalToken);
        const statuses = new Map<number, number>();
        for (const { name, framing, contentType } of framings('{}')) {
          const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) };
          const answer = await rawRequest(served.url, route.method, path, headers, framing);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const request: Sent = { method: route.method, path, body: { raw: `(${name})` }, headers };
          try {
            expectWellFormed(request, answer);
          } catch (error) {
            failures.push(`${routeKey(route)} ${name}: ${failureText(error)}`);
          }
        }
        report.push(`${routeKey(route)}: ${summary(statuses)}`);
      }
    } finally {
      await served.close();
    }
    console.info(`framings:\n${report.join('\n')}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});
