/**
 * Fourth parties through the API on the local stack (issue 18, item 4): vendors whose analyzed SOC 2 reports name
 * Amazon Web Services, the list and provider answers from the maintained items, the concentration finding and the
 * policy threshold, a newer report that drops the provider, the risk-register CSV column, and the backfill of a table
 * written before fourth parties were kept.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillRegister } from '../../shared/adapters/aws/register-backfill.ts';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { RISK_POLICY, parseRiskPolicy } from '../../shared/domain/risk/risk-policy.ts';
import { createApp } from '../../shared/http/app.ts';
import { AWS_US_EAST, assessedVendor, NORTHWIND, reportNaming, submittedWith, TIER_1, TIER_4 } from '../support/fourth-parties.ts';
import { assessmentOf, portalTokenFromOutbox } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let staffToken: string;
let raw: DynamoDBDocumentClient;

interface ProviderJson {
  providerKey: string;
  provider: string;
  vendors: number;
  byTier: Record<string, number>;
  byDataClassification: Record<string, number>;
  byMethod: Record<string, number>;
  tier1Share: number;
  concentration: { ruleId: string; severity: string; share: number; tier1Vendors: number; portfolioTier1Vendors: number; title: string } | null;
}
interface ListJson {
  items: ProviderJson[];
  nextCursor: string | null;
  portfolioTier1Vendors: number;
}
interface DetailJson {
  provider: ProviderJson;
  vendors: { vendorName: string; tier: number; dataClassification: string | null; method: string; services: string | null; region: string | null; citation: { fileName: string; page: number | null } }[];
  nextCursor: string | null;
  evidence: { vendorName: string; fileName: string; page: number | null }[];
}

const list = async (app = stack.http) => (await (await Promise.resolve(app.app.request('/api/fourth-parties', { headers: { authorization: `Bearer ${staffToken}` } }))).json()) as ListJson;
const detail = async (key: string, query = '') => (await (await stack.call('GET', `/api/fourth-parties/${key}${query}`, { token: staffToken })).json()) as DetailJson;
const aws = async (app = stack.http) => (await list(app)).items.find((p) => p.providerKey === 'amazon-web-services');

const vendors: Record<string, { vendorId: string; assessmentId: string; contact: string }> = {};

beforeAll(async () => {
  stack = await startTestStack();
  staffToken = await stack.tokenFor('security');
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), { marshallOptions: { removeUndefinedValues: true } });
  const onAws = await reportNaming('fourth-aws', [AWS_US_EAST]);
  vendors.alpha = await assessedVendor(stack, 'Alpha Payroll', TIER_1, onAws);
  vendors.bravo = await assessedVendor(stack, 'Bravo Health', TIER_1, onAws);
  vendors.charlie = await assessedVendor(stack, 'Charlie Claims', TIER_1, onAws);
  vendors.delta = await assessedVendor(stack, 'Delta Ledger', TIER_1, await reportNaming('fourth-northwind', [NORTHWIND]));
  vendors.echo = await assessedVendor(stack, 'Echo Newsletters', TIER_4, onAws);
}, 300_000);
afterAll(async () => stack.dispose());

describe('the providers our vendors depend on', () => {
  it('lists each provider with its vendors by tier and data classification and its share of our tier-1 vendors, most concentrated first', async () => {
    const body = await list();
    expect(body.portfolioTier1Vendors).toBe(4);
    expect(body.items.map((p) => p.providerKey)).toEqual(['amazon-web-services', 'northwind-data-centers']);
    expect(body.items[0]).toMatchObject({ provider: 'Amazon Web Services', vendors: 4, byTier: { '1': 3, '4': 1 }, byDataClassification: { restricted: 3, internal: 1 }, byMethod: { 'carve-out': 4 }, tier1Share: 0.75 });
    expect(body.items[1]).toMatchObject({ vendors: 1, byTier: { '1': 1 }, byMethod: { inclusive: 1 }, tier1Share: 0.25, concentration: null });
  });

  it('raises the portfolio concentration finding when more than the policy share of tier-1 vendors depend on one provider', async () => {
    expect((await aws())?.concentration).toMatchObject({ ruleId: 'fourth-party-concentration', severity: 'high', share: 0.75, tier1Vendors: 3, portfolioTier1Vendors: 4 });
  });

  it('clears the finding under a policy whose threshold is above the share', async () => {
    const raised = parseRiskPolicy({ ...RISK_POLICY, version: 'test-raised', fourthPartyConcentration: { ...RISK_POLICY.fourthPartyConcentration, maxShareOfTier1: 0.8 } });
    const app = createApp({ ...stack.deps, riskPolicy: raised });
    expect((await aws(app))?.concentration).toBeNull();
    expect((await aws())?.concentration).not.toBeNull();
  });

  it('shows the vendors that go down with a provider, tier 1 first, with method, services, region and the page that names it', async () => {
    const body = await detail('amazon-web-services');
    expect(body.vendors.map((v) => [v.vendorName, v.tier])).toEqual([
      ['Alpha Payroll', 1],
      ['Bravo Health', 1],
      ['Charlie Claims', 1],
      ['Echo Newsletters', 4],
    ]);
    expect(body.vendors[0]).toMatchObject({ dataClassification: 'restricted', method: 'carve-out', region: 'us-east-1', citation: { fileName: 'soc2-report.pdf', page: expect.any(Number) } });
    expect(body.vendors[0]!.services).toMatch(/^cloud hosting in the us-?east-1 region$/);
    expect(body.evidence.map((e) => e.vendorName)).toEqual(['Alpha Payroll', 'Bravo Health', 'Charlie Claims']);
    expect(body.evidence[0]!.page).toBe(body.vendors[0]!.citation.page);
  });

  it('pages the vendors of a provider with a cursor', async () => {
    const first = await detail('amazon-web-services', '?limit=3');
    expect(first.vendors).toHaveLength(3);
    const second = await detail('amazon-web-services', `?limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([second.vendors.map((v) => v.vendorName), second.nextCursor]).toEqual([['Echo Newsletters'], null]);
  });

  it('answers 404 for a provider no vendor depends on, and 403 to a vendor portal token', async () => {
    expect((await stack.call('GET', '/api/fourth-parties/nobody-we-know', { token: staffToken })).status).toBe(404);
    const portal = await portalTokenFromOutbox(stack, vendors.alpha!.contact);
    expect((await stack.call('GET', '/api/fourth-parties', { token: portal })).status).toBe(403);
  });

  it('adds a fourthParties column to the risk-register CSV', async () => {
    const csv = await (await stack.call('GET', '/api/risk-register?format=csv', { token: staffToken })).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header!.split(',').at(-1)).toBe('fourthParties');
    expect(rows.find((r) => r.startsWith('Alpha Payroll,'))!.split(',').at(-1)).toBe('Amazon Web Services');
    expect(rows.find((r) => r.startsWith('Delta Ledger,'))!.split(',').at(-1)).toBe('Northwind Data Centers LLC');
  });
});

describe('kept current', () => {
  it('moves the counters of two vendors changed at the same moment, losing neither change', async () => {
    const procurement = await stack.tokenFor('procurement');
    const changes = await Promise.all(
      [vendors.alpha!, vendors.bravo!].map(({ vendorId }) => stack.call('PATCH', `/api/vendors/${vendorId}`, { token: procurement, body: { dataClassification: 'confidential' } })),
    );
    expect(changes.map((r) => r.status)).toEqual([200, 200]);
    expect((await aws())?.byDataClassification).toEqual({ confidential: 2, restricted: 1, internal: 1 });
    expect((await detail('amazon-web-services')).vendors.map((v) => [v.vendorName, v.dataClassification])).toEqual([
      ['Alpha Payroll', 'confidential'],
      ['Bravo Health', 'confidential'],
      ['Charlie Claims', 'restricted'],
      ['Echo Newsletters', 'internal'],
    ]);
  });

  it("takes a vendor off a provider when its newer report no longer names it, and the finding follows the counts", async () => {
    const { vendorId, assessmentId, contact } = vendors.charlie!;
    if ((await assessmentOf(stack, assessmentId)).assessment.status === 'awaiting-review') {
      const decided = await stack.call('POST', `/api/assessments/${assessmentId}/decision`, { token: staffToken, body: { decision: 'approved', comment: 'Fine.' } });
      expect(decided.status, await decided.clone().text()).toBe(200);
      await stack.settle();
    }
    await submittedWith(stack, vendorId, contact, await reportNaming('fourth-none', []));
    const after = await aws();
    expect(after).toMatchObject({ vendors: 3, byTier: { '1': 2, '4': 1 }, tier1Share: 0.5 });
    // Two tier-1 vendors are under the policy's minimum of three: no finding.
    expect(after?.concentration).toBeNull();
    expect((await detail('amazon-web-services')).vendors.map((v) => v.vendorName)).not.toContain('Charlie Claims');
  }, 120_000);

  it('builds the memberships and counters of a table written before them (the register backfill)', async () => {
    const before = await list();
    const beforeDetail = await detail('amazon-web-services');
    // What a table looked like before: no FOURTHPARTY# items, lines without fourth parties or data classification.
    for (const p of before.items) {
      const items = (await raw.send(new QueryCommand({ TableName: stack.config.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.fourthPartyCounts(p.providerKey).pk } }))).Items ?? [];
      for (const item of items) await raw.send(new DeleteCommand({ TableName: stack.config.tableName, Key: { pk: item.pk, sk: item.sk } }));
    }
    for (const { vendorId } of Object.values(vendors)) {
      const line = (await raw.send(new QueryCommand({ TableName: stack.config.tableName, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': keys.registerLine(vendorId).pk, ':sk': 'REGISTER' } }))).Items![0]!;
      const { fourthParties: _f, dataClassification: _d, ...old } = line.data as Record<string, unknown>;
      await raw.send(new PutCommand({ TableName: stack.config.tableName, Item: { ...line, data: old } }));
    }
    expect((await list()).items).toEqual([]);

    const report = await backfillRegister(raw, stack.config.tableName);
    expect(report).toMatchObject({ fourthPartyLines: 5, fourthParties: 2 });
    expect(await list()).toEqual(before);
    expect(await detail('amazon-web-services')).toEqual(beforeDetail);
  }, 120_000);
});
