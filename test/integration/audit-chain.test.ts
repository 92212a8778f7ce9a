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

const verify = async (s: TestStack) => (await (await s.call('GET', '/api/admin/audit/verify', { token: await s.tokenFor('admin') })).json()) as { ok: boolean; events: number; problems: { problem: string; seq: number | null; target: { type: string; id: string } }[] };
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

describe('audit verification while writers run', () => {
  /** 50 writers, each changing its own vendor 3 times (so no write conflicts); resolves to every write's status. */
  async function writers(s: TestStack, vendorIds: string[]): Promise<number[]> {
    const token = await s.tokenFor('procurement');
    const statuses = await Promise.all(
      vendorIds.map(async (id, i) => {
        const seen: number[] = [];
        for (let n = 0; n < 3; n++) seen.push((await s.call('PATCH', `/api/vendors/${id}`, { token, body: { website: `https://v${i}-${n}.example` } })).status);
        return seen;
      }),
    );
    return statuses.flat();
  }

  /** Verifies again and again until `work` settles (at least twice); resolves to every report. */
  async function verifyDuring(s: TestStack, work: Promise<unknown>): Promise<Awaited<ReturnType<typeof verify>>[]> {
    let running = true;
    void work.finally(() => (running = false));
    const reports: Awaited<ReturnType<typeof verify>>[] = [];
    while (running || reports.length < 2) reports.push(await verify(s));
    return reports;
  }

  async function busyVendors(s: TestStack, n: number): Promise<string[]> {
    const token = await s.tokenFor('procurement');
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(((await (await s.call('POST', '/api/vendors', { token, body: sampleIntake({ name: `Busy ${i} ${Math.random()}` }) })).json()) as { id: string }).id);
    return ids;
  }

  it('reports no problem in any verification while 50 writers run', async () => {
    stack = await startTestStack();
    const s = stack;
    const vendorIds = await busyVendors(s, 50);
    const writing = writers(s, vendorIds);
    const reports = await verifyDuring(s, writing);
    expect(reports.flatMap((r) => r.problems)).toEqual([]);
    expect((await writing).filter((c) => c !== 200)).toEqual([]);
    expect((await verify(s)).events).toBe(50 * 4);
  }, 180_000);

  it('still finds a modified, a deleted and a truncated event while 50 writers run on other chains', async () => {
    stack = await startTestStack();
    const s = stack;
    const busy = await busyVendors(s, 50);
    const [modified, deleted, truncated] = [await vendorWithHistory(s), await vendorWithHistory(s), await vendorWithHistory(s)];
    const writing = writers(s, busy);
    await modified.raw.send(new UpdateCommand({ TableName: 'trustgate', Key: { pk: modified.pk, sk: sk(2) }, UpdateExpression: 'SET #d.#s = :s', ExpressionAttributeNames: { '#d': 'data', '#s': 'summary' }, ExpressionAttributeValues: { ':s': 'nothing happened here' } }));
    await deleted.raw.send(new DeleteCommand({ TableName: 'trustgate', Key: { pk: deleted.pk, sk: sk(3) } }));
    await truncated.raw.send(new DeleteCommand({ TableName: 'trustgate', Key: { pk: truncated.pk, sk: sk(4) } }));
    const reports = await verifyDuring(s, writing);
    expect((await writing).filter((c) => c !== 200)).toEqual([]);
    const found = (id: string, r: (typeof reports)[number]) => r.problems.filter((p) => p.target.id === id).map((p) => `${p.problem}@${p.seq}`).sort();
    for (const report of reports) {
      expect(found(modified.id, report)).toEqual(['modified@2']);
      expect(found(deleted.id, report)).toEqual(['broken-link@4', 'missing@3']);
      expect(found(truncated.id, report)).toEqual(['head-mismatch@4']);
      expect(report.problems).toHaveLength(4);
    }
  }, 180_000);
});
