/** Idempotency keys, rate limits, and requests framed the ways a browser, curl or a proxy frames them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustgateError, type ErrorCode } from '../../shared/domain/errors.ts';
import { IDEMPOTENCY_LEASE_SECONDS } from '../../shared/adapters/aws/dynamo-idempotency-store.ts';
import { createApp } from '../../shared/http/app.ts';
import { rawRequest, serveOverNode } from '../support/node-adapter.ts';
import { answerEverything, assessmentOf, freshCleanReportPdf, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { sampleIntake, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack.dispose());

describe('Idempotency-Key', () => {
  it('acts once on a repeated submission and replays the first answer', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'idem@vendor.example' }));
    const portal = await portalTokenFromOutbox(stack, 'idem@vendor.example');
    await answerEverything(stack, portal);
    const headers = { 'idempotency-key': 'submit-once-0001' };
    const first = await stack.call('POST', '/api/portal/submit', { token: portal, headers });
    const second = await stack.call('POST', '/api/portal/submit', { token: portal, headers });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    await stack.settle();
    const view = await assessmentOf(stack, id);
    expect(view.timeline.filter((e) => e.action === 'assessment.submitted')).toHaveLength(1);
    const third = await stack.call('POST', '/api/portal/submit', { token: portal, headers: { 'idempotency-key': 'submit-once-0002' } });
    expect(third.status).toBe(409);
  });

  it('creates one vendor for two identical requests with one key', async () => {
    const token = await stack.tokenFor('procurement');
    const body = sampleIntake({ name: 'Idempotent Vendor Ltd' });
    const headers = { 'idempotency-key': 'create-vendor-0001' };
    const a = await stack.call('POST', '/api/vendors', { token, body, headers });
    const b = await stack.call('POST', '/api/vendors', { token, body, headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(((await b.json()) as { id: string }).id).toBe(((await a.json()) as { id: string }).id);
    const list = (await (await stack.call('GET', '/api/vendors?q=Idempotent', { token })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const token = await stack.tokenFor('procurement');
    const headers = { 'idempotency-key': 'create-vendor-0002' };
    expect((await stack.call('POST', '/api/vendors', { token, body: sampleIntake({ name: 'Key Reuse A' }), headers })).status).toBe(201);
    const reused = await stack.call('POST', '/api/vendors', { token, body: sampleIntake({ name: 'Key Reuse B' }), headers });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
  });

  it('scopes keys to the caller: another user may use the same key', async () => {
    const headers = { 'idempotency-key': 'create-vendor-0003' };
    const a = await stack.call('POST', '/api/vendors', { token: await stack.tokenFor('procurement', 'a@example.com'), body: sampleIntake({ name: 'Scoped A' }), headers });
    const b = await stack.call('POST', '/api/vendors', { token: await stack.tokenFor('procurement', 'b@example.com'), body: sampleIntake({ name: 'Scoped B' }), headers });
    expect([a.status, b.status]).toEqual([201, 201]);
  });
});

describe('Idempotency-Key, after a crash and beyond JSON', () => {
  it('lets a retry run once the first request’s lease has run out (it crashed before finishing)', async () => {
    const store = stack.deps.idempotency;
    const t0 = new Date('2027-01-01T10:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    expect(await store.begin('crash-scope', 'crashed-key-01', 'h1', t0)).toEqual({ kind: 'started' });
    expect(await store.begin('crash-scope', 'crashed-key-01', 'h1', at(30))).toEqual({ kind: 'in-progress' });
    expect(await store.begin('crash-scope', 'crashed-key-01', 'h1', at(IDEMPOTENCY_LEASE_SECONDS + 1))).toEqual({ kind: 'started' });
  });

  it('keeps a finished answer for replay after the lease', async () => {
    const store = stack.deps.idempotency;
    const t0 = new Date('2027-01-01T10:00:00Z');
    await store.begin('done-scope', 'finished-key-01', 'h1', t0);
    await store.complete('done-scope', 'finished-key-01', { status: 201, body: '{}', contentType: 'application/json' });
    expect(await store.begin('done-scope', 'finished-key-01', 'h1', new Date(t0.getTime() + (IDEMPOTENCY_LEASE_SECONDS + 60) * 1000))).toMatchObject({ kind: 'replay' });
  });

  it('replays a retry whose JSON is the same but written differently (key order, spacing)', async () => {
    const token = await stack.tokenFor('procurement');
    const headers = { 'idempotency-key': 'json-equal-0001', 'content-type': 'application/json' };
    const body = sampleIntake({ name: 'Same JSON Ltd' });
    const a = await stack.call('POST', '/api/vendors', { token, rawBody: JSON.stringify(body), headers });
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const b = await stack.call('POST', '/api/vendors', { token, rawBody: JSON.stringify(reordered, null, 2), headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
  });

  it('starts one upload for two POSTs with one key', async () => {
    await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'idem-upload@vendor.example' }));
    const portal = await portalTokenFromOutbox(stack, 'idem-upload@vendor.example');
    const body = { fileName: 'soc2-report.pdf', contentType: 'application/pdf', size: 1000, kind: 'soc2-report' };
    const send = () => stack.call('POST', '/api/portal/uploads', { token: portal, body, headers: { 'idempotency-key': 'upload-once-0001' } });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
  });

  it('refuses the same key on the start of another upload (422)', async () => {
    await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'idem-upload-2@vendor.example' }));
    const portal = await portalTokenFromOutbox(stack, 'idem-upload-2@vendor.example');
    const headers = { 'idempotency-key': 'upload-once-0002' };
    const start = (fileName: string) => stack.call('POST', '/api/portal/uploads', { token: portal, body: { fileName, contentType: 'application/pdf', size: 1000, kind: 'other' }, headers });
    expect((await start('a.pdf')).status).toBe(201);
    const reused = await start('b.pdf');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
  });
});

describe('rate limits', () => {
  const portalToken = `Bearer tgp_${'B'.repeat(43)}`;
  /** What @hono/node-server hands the app: the socket the request came in on. */
  const fromSocket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
  /** What hono/aws-lambda hands the app behind an API Gateway HTTP API (v2) or REST API (v1). */
  const fromHttpApi = (sourceIp: string) => ({ event: { requestContext: { http: { sourceIp } } } });
  const fromRestApi = (sourceIp: string) => ({ event: { requestContext: { identity: { sourceIp } } } });
  const tightApp = (trustedProxyHops = 0) => createApp(stack.deps, { error: () => undefined }, { portalPerMinute: 3, signInPerMinute: 3, trustedProxyHops }).app;
  const portalCall = (app: ReturnType<typeof tightApp>, env: object, forwardedFor?: string) =>
    app.request('/api/portal/assessment', { headers: { authorization: portalToken, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } }, env);

  it('answers 429 with Retry-After once an address exceeds the portal limit, and not to another address', async () => {
    const app = tightApp();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await portalCall(app, fromSocket('203.0.113.9'));
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await portalCall(app, fromSocket('198.51.100.7'))).status).toBe(404);
  });

  it('is not bypassed by a new X-Forwarded-For on every request', async () => {
    const app = tightApp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await portalCall(app, fromSocket('203.0.113.10'), `192.0.2.${i + 1}`)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });

  it('does not lock out the address another client names in X-Forwarded-For', async () => {
    const app = tightApp();
    for (let i = 0; i < 5; i++) await portalCall(app, fromSocket('203.0.113.66'), '198.51.100.20');
    expect((await portalCall(app, fromSocket('198.51.100.20'))).status).toBe(404);
  });

  it('counts by the source IP API Gateway reports (HTTP API and REST API), not by X-Forwarded-For', async () => {
    for (const platform of [fromHttpApi, fromRestApi]) {
      const app = tightApp();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await portalCall(app, platform('203.0.113.11'), `192.0.2.${i + 1}`)).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect((await portalCall(app, platform('198.51.100.21'), '203.0.113.11')).status).toBe(404);
    }
  });

  it('behind one trusted proxy, counts by the address that proxy appended, whatever the client put before it', async () => {
    const app = tightApp(1);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await portalCall(app, fromSocket('10.0.0.5'), `192.0.2.${i + 1}, 203.0.113.12`)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    // Another client behind the same proxy has its own counter.
    expect((await portalCall(app, fromSocket('10.0.0.5'), '203.0.113.13')).status).toBe(404);
  });

  it('limits sign-in by the socket address in local mode', async () => {
    const app = tightApp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.request('/auth/local/sign-in', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i + 1}` }, body: '{"role":"nobody"}' }, fromSocket('127.0.0.1'));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
  });
});

describe('requests over the node adapter (what npm start serves)', () => {
  it('reads a chunked JSON body without Content-Length and creates the vendor', async () => {
    const served = await serveOverNode(stack.http.app.fetch);
    try {
      const body = JSON.stringify(sampleIntake({ name: 'Chunked Body Ltd' }));
      const answer = await rawRequest(served.url, 'POST', '/api/vendors', { authorization: `Bearer ${await stack.tokenFor('procurement')}`, 'content-type': 'application/json' }, { kind: 'chunked', chunks: [body.slice(0, 10), body.slice(10)] });
      expect(answer.status, answer.text).toBe(201);
      expect(JSON.parse(answer.text)).toMatchObject({ name: 'Chunked Body Ltd' });
    } finally {
      await served.close();
    }
  });

  it('answers a POST with no body and no Content-Length with a 400 problem, not 500', async () => {
    const served = await serveOverNode(stack.http.app.fetch);
    try {
      const answer = await rawRequest(served.url, 'POST', '/api/vendors', { authorization: `Bearer ${await stack.tokenFor('procurement')}` }, { kind: 'none' });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    } finally {
      await served.close();
    }
  });

  it('refuses a chunked body over the JSON limit with 413', async () => {
    const served = await serveOverNode(stack.http.app.fetch);
    try {
      const chunk = `"${'x'.repeat(64 * 1024)}",`;
      const answer = await rawRequest(served.url, 'POST', '/api/vendors', { authorization: `Bearer ${await stack.tokenFor('procurement')}`, 'content-type': 'application/json' }, { kind: 'chunked', chunks: ['[', ...Array.from({ length: 5 }, () => chunk), '0]'] });
      expect(answer.status, answer.text).toBe(413);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'payload-too-large' });
    } finally {
      await served.close();
    }
  });
});

describe('static assets', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('answers 404 for /assets/%s, a name every object has', async (name) => {
    const res = await stack.call('GET', `/assets/${name}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'route-not-found' });
  });
});

describe('errors of our own making', () => {
  it('answers 500 internal-error, not 400, for an error code outside the list', async () => {
    const logged: string[] = [];
    const { app } = createApp(stack.deps, { error: (message) => logged.push(message) });
    app.get('/__test/stray-code', () => {
      throw new TrustgateError('stray-code' as ErrorCode, 'raised with a code nobody listed');
    });
    const res = await app.request('/__test/stray-code');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'internal-error' });
    expect(logged).toEqual(['Unhandled error on GET /__test/stray-code']);
  });
});

describe('dates', () => {
  it.each(['2027-13-45', '2027-02-30', '2027-00-10', '2029-02-29'])('refuses the impossible due date %s with 400 naming dueDate, and starts nothing', async (dueDate) => {
    const vendorId = await registerVendor(stack, { contactEmail: `date-${dueDate}@vendor.example` });
    const res = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'validation-failed', errors: [{ path: 'dueDate' }] });
    const list = (await (await stack.call('GET', `/api/assessments?vendorId=${vendorId}`, { token: await stack.tokenFor('procurement') })).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it('accepts 29 February in a leap year', async () => {
    const vendorId = await registerVendor(stack, { contactEmail: 'leap@vendor.example' });
    const res = await stack.call('POST', '/api/assessments', { token: await stack.tokenFor('procurement'), body: { vendorId, dueDate: '2028-02-29' } });
    expect(res.status, await res.clone().text()).toBe(201);
  });
});

describe('approval', () => {
  it('makes an onboarding vendor active, with an audit event, once its assessment is approved', async () => {
    const vendorId = await registerVendor(stack, { contactEmail: 'activate@vendor.example', criticality: 'low', dataClassification: 'internal' });
    const id = await startAssessmentFor(stack, vendorId);
    const portal = await portalTokenFromOutbox(stack, 'activate@vendor.example');
    await answerEverything(stack, portal);
    expect((await upload(stack, portal, await freshCleanReportPdf())).status).toBe(201);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    if ((await assessmentOf(stack, id)).assessment.status === 'awaiting-review') {
      const decided = await stack.call('POST', `/api/assessments/${id}/decision`, { token: await stack.tokenFor('security'), body: { decision: 'approved', comment: 'Clean report' } });
      expect(decided.status, await decided.clone().text()).toBe(200);
      await stack.settle();
    }
    expect((await assessmentOf(stack, id)).assessment.status).toBe('approved');
    const token = await stack.tokenFor('procurement');
    expect(((await (await stack.call('GET', `/api/vendors/${vendorId}`, { token })).json()) as { status: string }).status).toBe('active');
    const trail = (await (await stack.call('GET', `/api/vendors/${vendorId}/audit`, { token })).json()) as { items: { action: string }[] };
    expect(trail.items.map((i) => i.action)).toContain('vendor.activated');
  });
});

describe('answers hidden by their conditions', () => {
  it('keeps them in the draft, submits without them, and leaves them out of the score', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'hidden@vendor.example', criticality: 'low', dataClassification: 'internal' }));
    const portal = await portalTokenFromOutbox(stack, 'hidden@vendor.example');
    await answerEverything(stack, portal);
    // The vendor changes its mind on an earlier answer: the question that depended on it is hidden again.
    const saved = await stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'saas-lite', answers: { 'lite-assurance': { value: 'none' } } } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect(((await saved.json()) as { progress: { percent: number } }).progress.percent).toBe(100);
    const draft = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { questionnaires: { answers: Record<string, unknown> }[] };
    expect(draft.questionnaires[0]!.answers).toHaveProperty('lite-assurance-document');
    const submitted = await stack.call('POST', '/api/portal/submit', { token: portal });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    await stack.settle();
    const score = (await (await stack.call('GET', `/api/assessments/${id}/score`, { token: await stack.tokenFor('security') })).json()) as unknown;
    expect(JSON.stringify(score)).not.toContain('lite-assurance-document');
  });
});
