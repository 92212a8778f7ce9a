/**
 * Incremental audit verification with checkpoints, and verification jobs through the API (issue 15, item 3): only what
 * was appended since the last run is read, tampering after a checkpoint is caught incrementally, tampering before it
 * by a full pass, and a checkpoint edited or outrun by a truncation is caught too.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli.ts';
import { sampleIntake, startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

const sk = (seq: number) => `SEQ#${String(seq).padStart(10, '0')}`;
const rawClient = (s: TestStack) => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: s.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));

/** A vendor registered and changed `changes` times: a chain of 1 + changes events. */
async function vendorWithHistory(s: TestStack, changes = 3): Promise<{ id: string; pk: string }> {
  const token = await s.tokenFor('procurement');
  const { id } = (await (await s.call('POST', '/api/vendors', { token, body: sampleIntake({ name: `Chain ${Math.random()}` }) })).json()) as { id: string };
  const levels = ['low', 'medium', 'critical', 'high'];
  for (let i = 0; i < changes; i++) await s.call('PATCH', `/api/vendors/${id}`, { token, body: { criticality: levels[i % levels.length] } });
  return { id, pk: `AUDIT#vendor#${id}` };
}

const verify = (s: TestStack, mode: 'incremental' | 'full') => s.deps.auditVerifier.verifyWithCheckpoints(mode, s.deps.clock.now().toISOString());
const modify = (s: TestStack, pk: string, seq: number) =>
  rawClient(s).send(new UpdateCommand({ TableName: 'trustgate', Key: { pk, sk: sk(seq) }, UpdateExpression: 'SET #d.#s = :s', ExpressionAttributeNames: { '#d': 'data', '#s': 'summary' }, ExpressionAttributeValues: { ':s': 'nothing happened here' } }));

describe('incremental audit verification', () => {
  it('reads only the events appended since the last run', async () => {
    const clock = new TestClock();
    stack = await startTestStack({ clock });
    for (let i = 0; i < 5; i++) await vendorWithHistory(stack);
    expect(await verify(stack, 'full')).toMatchObject({ chains: 5, events: 20, problems: [] });
    // The next run looks again at the chains with events stamped up to 10 minutes before the last run began (an
    // append stamped before it committed): their checkpoints, no event.
    clock.advanceDays(1);
    expect(await verify(stack, 'incremental')).toMatchObject({ chains: 5, events: 0, problems: [] });
    await vendorWithHistory(stack, 1);
    const { id } = await vendorWithHistory(stack, 0);
    await stack.call('PATCH', `/api/vendors/${id}`, { token: await stack.tokenFor('procurement'), body: { criticality: 'low' } });
    // 2 + 1 + 1 new events in 2 chains; the 5 older chains are not read.
    expect(await verify(stack, 'incremental')).toEqual({ chains: 2, events: 4, problems: [] });
    // Right after: those 2 chains again (the overlap), no event read twice.
    expect(await verify(stack, 'incremental')).toEqual({ chains: 2, events: 0, problems: [] });
  });

  it('catches an event appended since the checkpoint and modified', async () => {
    stack = await startTestStack();
    const { id, pk } = await vendorWithHistory(stack, 1);
    await verify(stack, 'full');
    await stack.call('PATCH', `/api/vendors/${id}`, { token: await stack.tokenFor('procurement'), body: { criticality: 'critical' } });
    await modify(stack, pk, 3);
    expect((await verify(stack, 'incremental')).problems).toEqual([expect.objectContaining({ problem: 'modified', seq: 3 })]);
  });

  it('catches an event appended since the checkpoint and deleted', async () => {
    stack = await startTestStack();
    const { id, pk } = await vendorWithHistory(stack, 1);
    await verify(stack, 'full');
    const token = await stack.tokenFor('procurement');
    for (const criticality of ['critical', 'low']) await stack.call('PATCH', `/api/vendors/${id}`, { token, body: { criticality } });
    await rawClient(stack).send(new DeleteCommand({ TableName: 'trustgate', Key: { pk, sk: sk(3) } }));
    expect((await verify(stack, 'incremental')).problems.map((p) => p.problem)).toContain('missing');
  });

  it('leaves tampering before the checkpoint to the full pass, which catches it', async () => {
    stack = await startTestStack();
    const { id, pk } = await vendorWithHistory(stack, 3);
    await verify(stack, 'full');
    await modify(stack, pk, 2);
    await stack.call('PATCH', `/api/vendors/${id}`, { token: await stack.tokenFor('procurement'), body: { criticality: 'low' } });
    expect((await verify(stack, 'incremental')).problems).toEqual([]);
    expect((await verify(stack, 'full')).problems).toEqual([expect.objectContaining({ problem: 'modified', seq: 2 })]);
  });

  it('catches a checkpoint moved past events it never verified', async () => {
    stack = await startTestStack();
    const { id, pk } = await vendorWithHistory(stack, 1);
    await verify(stack, 'full');
    const token = await stack.tokenFor('procurement');
    for (const criticality of ['critical', 'low']) await stack.call('PATCH', `/api/vendors/${id}`, { token, body: { criticality } });
    await modify(stack, pk, 3);
    // Someone hides the modified event 3 by moving the checkpoint to 3 (keeping the hash it had at 2).
    await rawClient(stack).send(new UpdateCommand({ TableName: 'trustgate', Key: { pk: `AUDITCHECKPOINT#vendor#${id}`, sk: 'CHECKPOINT' }, UpdateExpression: 'SET seq = :s', ExpressionAttributeValues: { ':s': 3 } }));
    expect((await verify(stack, 'incremental')).problems.map((p) => p.problem)).toContain('checkpoint-mismatch');
  });

  it('catches a chain cut back behind its checkpoint (newest events and the head rolled back)', async () => {
    stack = await startTestStack();
    const { id, pk } = await vendorWithHistory(stack, 3);
    await verify(stack, 'full');
    const raw = rawClient(stack);
    const third = (await stack.deps.auditLog.listAuditEventsFor({ type: 'vendor', id }, { limit: 10 })).items[2] as unknown as { hash: string };
    await raw.send(new DeleteCommand({ TableName: 'trustgate', Key: { pk, sk: sk(4) } }));
    await raw.send(new UpdateCommand({ TableName: 'trustgate', Key: { pk: `AUDITHEAD#vendor#${id}`, sk: 'HEAD' }, UpdateExpression: 'SET seq = :s, #h = :h', ExpressionAttributeNames: { '#h': 'hash' }, ExpressionAttributeValues: { ':s': 3, ':h': third.hash } }));
    expect((await verify(stack, 'full')).problems).toEqual([expect.objectContaining({ problem: 'truncated', seq: 4 })]);
  });
});

describe('trustgate audit verify --incremental', () => {
  it('checks from the checkpoints on the local data folder: intact, then exit 1 once an event appended since is modified', async () => {
    stack = await startTestStack({ persist: true });
    const dataDir = stack.config.dataDir;
    const { id, pk } = await vendorWithHistory(stack, 1);
    await stack.close();
    const run = async (args: string[]) => {
      const out: string[] = [];
      const code = await main(args, { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), cwd: process.cwd(), env: { TRUSTGATE_DATA_DIR: dataDir } });
      return { code, out: out.join('\n') };
    };
    expect(await run(['audit', 'verify', '--incremental'])).toEqual({ code: 0, out: 'Audit trail intact: 2 events in 1 chains.' });
    stack = await startTestStack({ persist: true, dataDir });
    await stack.call('PATCH', `/api/vendors/${id}`, { token: await stack.tokenFor('procurement'), body: { criticality: 'critical' } });
    await modify(stack, pk, 3);
    await stack.close();
    const broken = await run(['audit', 'verify', '--incremental']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('event 3: modified');
    stack = await startTestStack({ persist: true, dataDir });
  });
});

describe('audit verification jobs (API)', () => {
  it('answers 202 with a job, runs it after the answer and stores its report; audited', async () => {
    stack = await startTestStack();
    await vendorWithHistory(stack, 2);
    const admin = await stack.tokenFor('admin');
    const res = await stack.call('POST', '/api/audit/verifications', { token: admin, body: { mode: 'full' } });
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string; status: string; mode: string };
    expect(job).toMatchObject({ status: 'queued', mode: 'full' });
    expect(res.headers.get('location')).toBe(`/api/audit/verifications/${job.id}`);
    let read: { status: string; report: { ok: boolean; chains: number; events: number } | null } = { status: 'queued', report: null };
    for (let i = 0; i < 100 && (read.status === 'queued' || read.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const got = await stack.call('GET', `/api/audit/verifications/${job.id}`, { token: admin });
      expect(got.status).toBe(200);
      read = (await got.json()) as typeof read;
    }
    expect(read.status).toBe('succeeded');
    // The vendor's chain (3 events) and the job's own (requested, started: what the head vouched for when it ran).
    expect(read.report).toMatchObject({ ok: true, chains: 2, events: 5 });
    // The job's last write lands before its event (the event follows the change in one atomic write).
    let trail: string[] = [];
    for (let i = 0; i < 50 && trail.length < 3; i++, await new Promise((r) => setTimeout(r, 20))) {
      trail = (await stack.deps.auditLog.listAuditEventsFor({ type: 'audit-verification', id: job.id }, { limit: 10 })).items.map((e) => e.action);
    }
    expect(trail).toEqual(['audit-verification.requested', 'audit-verification.started', 'audit-verification.finished']);
  });

  it('is for admins only, and an unknown id is 404', async () => {
    stack = await startTestStack();
    expect((await stack.call('POST', '/api/audit/verifications', { token: await stack.tokenFor('security'), body: {} })).status).toBe(403);
    expect((await stack.call('GET', '/api/audit/verifications/nope', { token: await stack.tokenFor('security') })).status).toBe(403);
    expect((await stack.call('GET', '/api/audit/verifications/nope', { token: await stack.tokenFor('admin') })).status).toBe(404);
  });
});
