/** The materialized risk register: kept in the vendor's own write, paged by views, counted for the whole portfolio. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { rebuildCounts } from '../../shared/adapters/aws/register-backfill.ts';
import { countsShardOf } from '../../shared/adapters/aws/register-items.ts';
import { registerVendor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let staff: string;
let raw: DynamoDBDocumentClient;
const VENDORS = 55;
const names: string[] = [];

interface Line {
  vendorId: string;
  vendorName: string;
  tier: number;
  rating: string | null;
  status: string;
}
interface PageJson {
  items: Line[];
  nextCursor: string | null;
}

const get = async (path: string) => stack.call('GET', path, { token: staff });
const page = async (path: string) => (await (await get(path)).json()) as PageJson;

beforeAll(async () => {
  stack = await startTestStack();
  staff = await stack.tokenFor('procurement');
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  for (let i = 0; i < VENDORS; i++) {
    const name = `Register Vendor ${String(i).padStart(3, '0')}`;
    names.push(name);
    await registerVendor(stack, { name, criticality: i % 5 === 0 ? 'critical' : 'low', dataClassification: i % 5 === 0 ? 'restricted' : 'public', systemAccess: i % 5 === 0 ? 'privileged' : 'none' });
  }
}, 120_000);
afterAll(async () => stack.dispose());

describe('pages', () => {
  it('walks the whole register by name with opaque cursors, each vendor once and in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await page(`/api/risk-register?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(20);
      seen.push(...body.items.map((l) => l.vendorName));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
  });

  it('answers 400 invalid-cursor for a cursor that was made up or belongs to another view', async () => {
    const made = await get('/api/risk-register?cursor=bm90LWEtY3Vyc29y');
    expect(made.status).toBe(400);
    expect(((await made.json()) as { code: string }).code).toBe('invalid-cursor');
    const byName = await page('/api/risk-register?limit=5');
    const crossed = await get(`/api/risk-register?sort=tier&cursor=${encodeURIComponent(byName.nextCursor!)}`);
    expect(crossed.status).toBe(400);
    expect(((await crossed.json()) as { code: string }).code).toBe('invalid-cursor');
  });

  it('sorts by tier on the server, descending', async () => {
    const body = await page('/api/risk-register?sort=tier&order=desc&limit=100');
    expect(body.items).toHaveLength(VENDORS);
    const tiers = body.items.map((l) => l.tier);
    expect(tiers).toEqual([...tiers].sort((a, b) => b - a));
    expect(new Set(tiers).size).toBeGreaterThan(1);
  });

  it('filters by tier, in name order within it', async () => {
    const body = await page('/api/risk-register?tier=1&limit=100');
    expect(body.items.map((l) => l.vendorName)).toEqual(names.filter((_, i) => i % 5 === 0));
  });

  it('filters the vendors never rated', async () => {
    expect((await page('/api/risk-register?rating=unrated&limit=100')).items).toHaveLength(VENDORS);
    expect((await page('/api/risk-register?rating=high&limit=100')).items).toHaveLength(0);
  });

  it('refuses a sort that the filter cannot be read in, with a stable code', async () => {
    const res = await get('/api/risk-register?tier=2&sort=next-review');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('unsupported-register-query');
  });

  it('streams the CSV of every vendor, all pages', async () => {
    const csv = await (await get('/api/risk-register?format=csv')).text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(VENDORS + 1);
    expect(lines[VENDORS]).toContain(names.at(-1));
  });
});

describe('one write', () => {
  it('moves the register line with the vendor: renamed and offboarded show at once', async () => {
    const id = (await page('/api/risk-register?limit=1')).items[0]!.vendorId;
    const vendor = (await (await get(`/api/vendors/${id}`)).json()) as { version: number };
    const res = await stack.call('PATCH', `/api/vendors/${id}`, { token: staff, body: { status: 'offboarded' }, headers: { 'if-match': `"${vendor.version}"` } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await page('/api/risk-register?limit=1')).items[0]).toMatchObject({ vendorId: id, status: 'offboarded' });
    const dash = (await (await get('/api/risk-register/dashboard')).json()) as { byStatus: Record<string, number> };
    expect(dash.byStatus.offboarded).toBe(1);
  });

  it('leaves neither a line nor a count behind when the vendor write is refused', async () => {
    const before = (await (await get('/api/risk-register/dashboard')).json()) as { vendors: number };
    const res = await stack.call('POST', '/api/vendors', { token: staff, body: { ...(await intakeLike()), name: names[1] } });
    expect(res.status).toBe(409);
    const after = (await (await get('/api/risk-register/dashboard')).json()) as { vendors: number };
    expect(after.vendors).toBe(before.vendors);
    expect((await page('/api/risk-register?limit=100')).items).toHaveLength(VENDORS);
  });
});

describe('dashboard', () => {
  it('counts the whole portfolio by tier, rating and status, not the first page', async () => {
    const dash = (await (await get('/api/risk-register/dashboard')).json()) as { vendors: number; byTier: Record<string, number>; byRating: Record<string, number>; byStatus: Record<string, number> };
    expect(dash.vendors).toBe(VENDORS);
    expect(dash.byTier['1']).toBe(11);
    expect(Object.values(dash.byTier).reduce((a, b) => a + b, 0)).toBe(VENDORS);
    expect(dash.byRating.unrated).toBe(VENDORS);
    expect(dash.byStatus.onboarding! + dash.byStatus.offboarded! + dash.byStatus.active!).toBe(VENDORS);
  });
});

describe('stored schema', () => {
  it('fails loudly (500 stored-item-invalid) on a register line whose field was renamed', async () => {
    const id = (await page('/api/risk-register?limit=1')).items[0]!.vendorId;
    const item = (await raw.send(new GetCommand({ TableName: stack.config.tableName, Key: keys.registerLine(id) }))).Item!;
    const { vendorName, ...rest } = item.data as Record<string, unknown>;
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: { ...item, data: { ...rest, name: vendorName } } }));
    const res = await get('/api/risk-register?limit=1');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe('stored-item-invalid');
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: item }));
  });

  it('refuses a register line of another schema version', async () => {
    const id = (await page('/api/risk-register?limit=1')).items[0]!.vendorId;
    const item = (await raw.send(new GetCommand({ TableName: stack.config.tableName, Key: keys.registerLine(id) }))).Item!;
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: { ...item, schemaVersion: 99 } }));
    const res = await get('/api/risk-register?limit=1');
    expect(((await res.json()) as { code: string }).code).toBe('stored-item-invalid');
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: item }));
  });
});

describe('stored vendors', () => {
  it('fails loudly (500 stored-item-invalid) on a vendor whose field was renamed, and reads it again once restored', async () => {
    const id = (await page('/api/risk-register?limit=1')).items[0]!.vendorId;
    const item = (await raw.send(new GetCommand({ TableName: stack.config.tableName, Key: keys.vendor(id) }))).Item!;
    expect(item.schemaVersion).toBe(1);
    const { criticality, ...rest } = item.data as Record<string, unknown>;
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: { ...item, data: { ...rest, criticalityLevel: criticality } } }));
    const res = await get(`/api/vendors/${id}`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { code: string }).code).toBe('stored-item-invalid');
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: item }));
    expect((await get(`/api/vendors/${id}`)).status).toBe(200);
  });
});

async function intakeLike(): Promise<Record<string, unknown>> {
  const { sampleIntake } = await import('../support/test-stack.ts');
  return sampleIntake({});
}

describe('review dates stored by month', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const countsItems = async () =>
    (await raw.send(new QueryCommand({ TableName: stack.config.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'REGISTERCOUNTS' } }))).Items ?? [];
  const dashboard = async () => (await (await get('/api/risk-register/dashboard')).json()) as { overdueReviews: number; dueReviews: number; byStatus: Record<string, number> };

  it('reads a shard written before (every date in it), converts it on the next write, and rebuilds from the lines', async () => {
    const id = (await page('/api/risk-register?limit=1')).items[0]!.vendorId;
    const shard = countsShardOf(id);
    const current = (await raw.send(new GetCommand({ TableName: stack.config.tableName, Key: keys.registerCountsShard(shard) }))).Item!;
    expect(current.schemaVersion).toBe(2);
    const { byReviewMonth: _months, ...summary } = current.data as Record<string, unknown>;
    // The version 1 form: the summary's figures and every review date in the shard itself.
    const dates = { [day(-400)]: 1, [day(-10)]: 2, [day(5)]: 1, [day(200)]: 1 };
    await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: { ...current, schemaVersion: 1, data: { ...summary, byNextReview: dates } } }));
    expect(await dashboard()).toMatchObject({ overdueReviews: 3, dueReviews: 1 });

    const vendor = (await (await get(`/api/vendors/${id}`)).json()) as { version: number; status: string };
    const status = vendor.status === 'active' ? 'onboarding' : 'active';
    const res = await stack.call('PATCH', `/api/vendors/${id}`, { token: staff, body: { status }, headers: { 'if-match': `"${vendor.version}"` } });
    expect(res.status, await res.clone().text()).toBe(200);
    const converted = await countsItems();
    expect(converted.find((i) => i.sk === keys.registerCountsShard(shard).sk)).toMatchObject({ schemaVersion: 2 });
    const months = [...new Set(Object.keys(dates).map((d) => d.slice(0, 7)))].sort();
    expect(converted.filter((i) => String(i.sk).startsWith(`${keys.registerCountsShard(shard).sk}#DAYS#`)).map((i) => String(i.sk).slice(-7)).sort()).toEqual(months);
    expect(await dashboard()).toMatchObject({ overdueReviews: 3, dueReviews: 1 });

    // The lines hold no review date: the rebuild drops the invented ones, month items included.
    await rebuildCounts(raw, stack.config.tableName);
    expect((await countsItems()).filter((i) => String(i.sk).includes('#DAYS#'))).toEqual([]);
    const rebuilt = await dashboard();
    expect(rebuilt).toMatchObject({ overdueReviews: 0, dueReviews: 0 });
    expect(rebuilt.byStatus[status]).toBeGreaterThan(0);
  });
});
