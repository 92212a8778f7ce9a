/** The audit trail is append-only and hash-chained: tampering with stored events is detected. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli.ts';
import { sampleIntake, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

async function vendorWithHistory(s: TestStack): Promise<{ id: string; raw: DynamoDBDocumentClient; pk: string }> {
  const token = await s.tokenFor('procurement');
  const { id } = (await (await s.call('POST', '/api/vendors', { token, body: sampleIntake({ name: `Chain ${Math.random()}` }) })).json()) as { id: string };
  for (const criticality of ['low', 'medium', 'critical']) await s.call('PATCH', `/api/vendors/${id}`, { token, body: { criticality } });
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: s.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  return { id, raw, pk: `AUDIT#vendor#${id}` };
}

const verify = async (s: TestStack) => (await (await s.call('GET', '/api/admin/audit/verify', { token: await s.tokenFor('admin') })).json()) as { ok: boolean; events: number; problems: { problem: string; seq: number | null }[] };
const sk = (seq: number) => `SEQ#${String(seq).padStart(10, '0')}`;

describe('audit hash chain', () => {
  it('verifies an untouched trail', async () => {
    stack = await startTestStack();
    await vendorWithHistory(stack);
    const result = await verify(stack);
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.events).toBe(4);
  });

  it('links each event to the one before it', async () => {
    stack = await startTestStack();
    const { raw, pk } = await vendorWithHistory(stack);
    const items = (await raw.send(new QueryCommand({ TableName: 'trustgate', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items!;
    const events = items.map((i) => i.data as { seq: number; hash: string; prevHash: string });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
  });

  it('detects a modified event', async () => {
    stack = await startTestStack();
    const { raw, pk } = await vendorWithHistory(stack);
    await raw.send(new UpdateCommand({ TableName: 'trustgate', Key: { pk, sk: sk(2) }, UpdateExpression: 'SET #d.#s = :s', ExpressionAttributeNames: { '#d': 'data', '#s': 'summary' }, ExpressionAttributeValues: { ':s': 'nothing happened here' } }));
    expect((await verify(stack)).problems).toEqual([expect.objectContaining({ problem: 'modified', seq: 2 })]);
  });

  it('detects a deleted event in the middle', async () => {
    stack = await startTestStack();
    const { raw, pk } = await vendorWithHistory(stack);
    await raw.send(new DeleteCommand({ TableName: 'trustgate', Key: { pk, sk: sk(3) } }));
    const problems = (await verify(stack)).problems.map((p) => p.problem);
    expect(problems).toContain('missing');
    expect(problems).toContain('broken-link');
  });

  it('detects the newest event removed', async () => {
    stack = await startTestStack();
    const { raw, pk } = await vendorWithHistory(stack);
    await raw.send(new DeleteCommand({ TableName: 'trustgate', Key: { pk, sk: sk(4) } }));
    expect((await verify(stack)).problems).toEqual([expect.objectContaining({ problem: 'head-mismatch' })]);
  });

  it('is checked by `trustgate audit verify` on the local data folder, exit 1 when broken', async () => {
    stack = await startTestStack({ persist: true });
    const dataDir = stack.config.dataDir;
    const { raw, pk } = await vendorWithHistory(stack);
    const io = () => {
      const out: string[] = [];
      return { out, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), cwd: process.cwd(), env: { TRUSTGATE_DATA_DIR: dataDir } } };
    };
    await raw.send(new UpdateCommand({ TableName: 'trustgate', Key: { pk, sk: sk(1) }, UpdateExpression: 'SET #d.#a = :a', ExpressionAttributeNames: { '#d': 'data', '#a': 'actor' }, ExpressionAttributeValues: { ':a': 'someone-else@example.com' } }));
    await stack.close();
    const broken = io();
    expect(await main(['audit', 'verify'], broken.io)).toBe(1);
    expect(broken.out.join('\n')).toContain('modified');
    stack = await startTestStack({ persist: true, dataDir });
  });
});
