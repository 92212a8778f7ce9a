import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleIntake, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let procurement: string;
let security: string;

beforeAll(async () => {
  stack = await startTestStack();
  procurement = await stack.tokenFor('procurement');
  security = await stack.tokenFor('security');
});
afterAll(async () => stack.dispose());

const create = (overrides: Record<string, unknown> = {}) => stack.call('POST', '/api/vendors', { token: procurement, body: sampleIntake(overrides) });

describe('POST /api/vendors', () => {
  it('creates a vendor from the five intake fields and answers 201 with its id, Location and ETag', async () => {
    const res = await create({ name: 'Create Test Co' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; version: number; inherentRisk: { tier: number }; status: string };
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/api/vendors/${body.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(body).toMatchObject({ version: 1, status: 'onboarding', inherentRisk: { tier: 3 } });
  });

  it('answers 401 problem+json without a token', async () => {
    const res = await stack.call('POST', '/api/vendors', { body: sampleIntake({ name: 'No Token Co' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('answers 401 invalid-token for a token signed with another key', async () => {
    const other = await startTestStack();
    const foreign = await other.tokenFor('procurement');
    await other.dispose();
    const res = await stack.call('POST', '/api/vendors', { token: foreign, body: sampleIntake({ name: 'Forged Co' }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid-token' });
  });

  it('answers 403 when security tries to register a vendor', async () => {
    const res = await stack.call('POST', '/api/vendors', { token: security, body: sampleIntake({ name: 'Wrong Role Co' }) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden' });
  });

  it('names every bad and unknown field at once', async () => {
    const res = await stack.call('POST', '/api/vendors', { token: procurement, body: { name: '', website: 'ftp://x', contactEmail: 'nope', criticality: 'extreme', dataClassification: 'secret', colour: 'red' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('validation-failed');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['colour', 'contactEmail', 'criticality', 'dataClassification', 'name', 'website']);
  });

  it('answers 400 malformed-json for a body that is not JSON', async () => {
    const res = await stack.call('POST', '/api/vendors', { token: procurement, rawBody: '{"name": "Broken', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'malformed-json' });
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    const res = await stack.call('POST', '/api/vendors', { token: procurement, rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '6' } });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'unsupported-media-type' });
  });

  it('answers 413 for an oversized body and stores nothing', async () => {
    const description = 'x'.repeat(300 * 1024);
    const body = JSON.stringify(sampleIntake({ name: 'Huge Co', description }));
    const res = await stack.call('POST', '/api/vendors', { token: procurement, rawBody: body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload-too-large' });
    const list = (await (await stack.call('GET', '/api/vendors?q=Huge', { token: procurement })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });

  it('refuses a second vendor with the same name, case-insensitively, with 409 vendor-exists', async () => {
    expect((await create({ name: 'Twin Corp' })).status).toBe(201);
    const res = await create({ name: 'twin CORP' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'vendor-exists' });
  });

  it('records the registration in the audit trail', async () => {
    const vendor = (await (await create({ name: 'Audited Inc' })).json()) as { id: string };
    const res = await stack.call('GET', `/api/vendors/${vendor.id}/audit`, { token: security });
    const trail = (await res.json()) as { items: { action: string; actor: string; role: string; target: { id: string } }[] };
    expect(trail.items).toHaveLength(1);
    expect(trail.items[0]).toMatchObject({ action: 'vendor.registered', actor: 'procurement@example.com', role: 'procurement', target: { id: vendor.id } });
  });
});

describe('GET /api/vendors/{id}', () => {
  it('answers 404 not-found for an id that does not exist', async () => {
    const res = await stack.call('GET', '/api/vendors/00000000-0000-0000-0000-000000000000', { token: security });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not-found' });
  });

  it('answers 400 for an id with path characters', async () => {
    const res = await stack.call('GET', '/api/vendors/..%2F..%2Fetc', { token: security });
    expect(res.status).toBe(400);
  });
});

describe('GET /api/vendors', () => {
  it('pages through vendors by name with a cursor, without repeats or gaps', async () => {
    const names = ['Page A', 'Page B', 'Page C', 'Page D', 'Page E', 'Page F', 'Page G'];
    for (const name of names) expect((await create({ name })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await stack.call('GET', `/api/vendors?q=page&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: procurement });
      const page = (await res.json()) as { items: { name: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((v) => v.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it('filters by tier and criticality', async () => {
    await create({ name: 'Filter Critical', criticality: 'critical', dataClassification: 'restricted', systemAccess: 'privileged' });
    await create({ name: 'Filter Low', criticality: 'low', dataClassification: 'public' });
    const tier1 = (await (await stack.call('GET', '/api/vendors?q=filter&tier=1', { token: procurement })).json()) as { items: { name: string }[] };
    expect(tier1.items.map((v) => v.name)).toEqual(['Filter Critical']);
    const low = (await (await stack.call('GET', '/api/vendors?q=filter&criticality=low', { token: procurement })).json()) as { items: { name: string }[] };
    expect(low.items.map((v) => v.name)).toEqual(['Filter Low']);
  });

  it('answers 400 invalid-cursor for a forged cursor', async () => {
    const res = await stack.call('GET', '/api/vendors?cursor=bm90LWEta2V5', { token: procurement });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid-cursor' });
  });

  it('answers 400 naming the query parameter for an unknown filter value', async () => {
    const res = await stack.call('GET', '/api/vendors?tier=9', { token: procurement });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('query.tier');
  });

  it('answers an empty page, not an error, when nothing matches', async () => {
    const res = await stack.call('GET', '/api/vendors?q=zzz-nothing', { token: procurement });
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('PATCH /api/vendors/{id}', () => {
  it('changes the profile, recomputes the tier and audits what changed', async () => {
    const vendor = (await (await create({ name: 'Patch Me', criticality: 'low', dataClassification: 'internal' })).json()) as { id: string };
    const res = await stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: { dataClassification: 'restricted', systemAccess: 'privileged' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 2, dataClassification: 'restricted', inherentRisk: { tier: 1 } });
    const trail = (await (await stack.call('GET', `/api/vendors/${vendor.id}/audit`, { token: procurement })).json()) as { items: { action: string; summary: string; changes: Record<string, unknown> | null }[] };
    expect(trail.items.map((e) => e.action)).toEqual(['vendor.registered', 'vendor.updated']);
    expect(trail.items[1]!.summary).toContain('tier 4 → 1');
    expect(Object.keys(trail.items[1]!.changes!).sort()).toEqual(['dataClassification', 'systemAccess']);
  });

  it('refuses a stale If-Match with 412 version-mismatch and leaves the vendor unchanged', async () => {
    const vendor = (await (await create({ name: 'Stale Copy' })).json()) as { id: string };
    await stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: { criticality: 'medium' } });
    const res = await stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: { criticality: 'low' }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(412);
    expect(await res.json()).toMatchObject({ code: 'version-mismatch' });
    const now = (await (await stack.call('GET', `/api/vendors/${vendor.id}`, { token: procurement })).json()) as { criticality: string; version: number };
    expect(now).toMatchObject({ criticality: 'medium', version: 2 });
  });

  it('loses no update when several patches race on one vendor', async () => {
    const vendor = (await (await create({ name: 'Raced' })).json()) as { id: string };
    const services = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const results = await Promise.all(services.map((s, i) => stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: i % 2 ? { description: `d-${s}` } : { businessOwner: `o-${s}` } })));
    const statuses = results.map((r) => r.status);
    const applied = statuses.filter((s) => s === 200).length;
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const final = (await (await stack.call('GET', `/api/vendors/${vendor.id}`, { token: procurement })).json()) as { version: number };
    const trail = (await (await stack.call('GET', `/api/vendors/${vendor.id}/audit`, { token: procurement })).json()) as { items: unknown[] };
    expect(final.version).toBe(1 + applied);
    expect(trail.items).toHaveLength(1 + applied);
  });

  it('renaming frees the old name and claims the new one', async () => {
    const vendor = (await (await create({ name: 'Old Name Ltd' })).json()) as { id: string };
    expect((await stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: { name: 'New Name Ltd' } })).status).toBe(200);
    expect((await create({ name: 'Old Name Ltd' })).status).toBe(201);
    expect((await create({ name: 'New Name Ltd' })).status).toBe(409);
  });

  it('leaves the fields a patch does not name as they were', async () => {
    const vendor = (await (await create({ name: 'Keep Fields', services: ['payroll'], dataTypes: ['personal'], systemAccess: 'network' })).json()) as { id: string };
    const res = await stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: { criticality: 'low' } });
    expect(await res.json()).toMatchObject({ criticality: 'low', services: ['payroll'], dataTypes: ['personal'], systemAccess: 'network' });
  });

  it('answers 400 for an empty patch', async () => {
    const vendor = (await (await create({ name: 'Empty Patch' })).json()) as { id: string };
    const res = await stack.call('PATCH', `/api/vendors/${vendor.id}`, { token: procurement, body: {} });
    expect(res.status).toBe(400);
  });

  it('answers 404 for a vendor that does not exist', async () => {
    const res = await stack.call('PATCH', '/api/vendors/does-not-exist', { token: procurement, body: { criticality: 'low' } });
    expect(res.status).toBe(404);
  });
});
