/**
 * The backfill as the maintenance Lambda runs it: stopped by its time budget after a checkpoint (`finished: false`),
 * continued by the next invocation from that checkpoint, and finished once.
 */
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { backfillRegister } from '../../shared/adapters/aws/register-backfill.ts';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/composition/embedded-dynamo.ts';
import { newVendor, vendorIntakeSchema } from '../../shared/domain/vendor.ts';
import { sampleIntake } from '../support/test-stack.ts';

const TABLE = 'trustgate-backfill-budget';
const VENDORS = 150;
let dynamo: EmbeddedDynamo;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({ tableName: TABLE });
  client = DynamoDBDocumentClient.from(dynamo.client);
  // Vendors as the code before the register wrote them: the vendor and its name claim, no register line.
  const items = Array.from({ length: VENDORS }, (_, i) => newVendor(vendorIntakeSchema.parse(sampleIntake({ name: `Budget Vendor ${String(i).padStart(4, '0')}` })), { id: `budget-${i}`, now: '2026-11-01T10:00:00.000Z', actor: 'procurement@example.com' })).flatMap((v) => [
    { ...keys.vendor(v.id), ...keys.vendorIndexes({ id: v.id, name: v.name, tier: v.inherentRisk.tier }), entity: 'vendor', schemaVersion: 1, version: v.version, data: v },
    { ...keys.vendorNameClaim(v.name), vendorId: v.id },
  ]);
  for (let i = 0; i < items.length; i += 25) await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
});
afterAll(async () => dynamo?.close());

const registerLines = async () => {
  const view = keys.registerView('name');
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ TableName: TABLE, IndexName: view.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': view.pkName }, ExpressionAttributeValues: { ':pk': view.pk }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    count += page.Items?.length ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};

describe('the backfill under a time budget', () => {
  it('stops after a checkpoint when told to, and the next run continues from it to the end', async () => {
    const first = await backfillRegister(client, TABLE, () => new Date(), { shouldStop: () => true });
    expect(first).toMatchObject({ finished: false, linesWritten: 100 });
    expect(await registerLines()).toBe(100);

    const second = await backfillRegister(client, TABLE, () => new Date(), { shouldStop: () => false });
    expect(second).toMatchObject({ finished: true, resumedFrom: 'lines (part-way)', linesWritten: VENDORS, vendors: VENDORS });
    expect(await registerLines()).toBe(VENDORS);
  });
});
