/** Status-filtered assessment lists read sparse indexes: only the assessments not yet final are on them. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let staff: string;
let raw: DynamoDBDocumentClient;
const ids: string[] = [];

const list = async (query: string) => (await (await stack.call('GET', `/api/assessments${query}`, { token: staff })).json()) as { items: { id: string; status: string }[]; nextCursor: string | null };

beforeAll(async () => {
  stack = await startTestStack();
  staff = await stack.tokenFor('admin');
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  for (let i = 0; i < 4; i++) ids.push(await startAssessmentFor(stack, await registerVendor(stack)));
  const res = await stack.call('POST', `/api/assessments/${ids[0]}/cancel`, { token: staff, body: { reason: 'Vendor no longer used' } });
  expect(res.status, await res.clone().text()).toBe(200);
  await stack.settle();
}, 120_000);
afterAll(async () => stack.dispose());

describe('sparse status indexes', () => {
  it('lists open assessments newest first without the cancelled one', async () => {
    expect((await list('?open=true')).items.map((a) => a.id)).toEqual(ids.slice(1).reverse());
  });

  it('lists one open status from its own partition, a page at a time', async () => {
    const first = await list('?status=awaiting-vendor&limit=2');
    expect(first.items.map((a) => a.id)).toEqual([ids[3], ids[2]]);
    const second = await list(`?status=awaiting-vendor&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items.map((a) => a.id)).toEqual([ids[1]]);
    expect(second.nextCursor).toBeNull();
  });

  it('takes a final assessment off the sparse indexes and keeps it on the full list', async () => {
    const item = (await raw.send(new GetCommand({ TableName: stack.config.tableName, Key: keys.assessment(ids[0]!) }))).Item!;
    expect(item).not.toHaveProperty('openPk');
    expect(item).not.toHaveProperty('openStatusPk');
    const open = (await raw.send(new GetCommand({ TableName: stack.config.tableName, Key: keys.assessment(ids[1]!) }))).Item!;
    expect(open).toMatchObject({ openPk: 'ASSESSMENTS#OPEN', openStatusPk: 'ASSESSMENTS#STATUS#awaiting-vendor' });
    expect((await list('?status=cancelled')).items.map((a) => a.id)).toEqual([ids[0]]);
  });

  it('refuses a cursor of the open list on a status list', async () => {
    const open = await list('?open=true&limit=1');
    const res = await stack.call('GET', `/api/assessments?status=needs-attention&cursor=${encodeURIComponent(open.nextCursor!)}`, { token: staff });
    expect(res.status).toBe(400);
  });
});
