/**
 * Issue 15's other items read back from the table are checked against their schema and version too (review schedules,
 * audit checkpoints, verification and export jobs), and so are assessments: a renamed field fails loudly (`stored-item-invalid`) instead of
 * reading `undefined`, and items written before they carried a version still read.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { addDays } from '../../shared/domain/assessment.ts';
import { seedDecidedVendors } from '../support/portfolio.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

const clock = new TestClock();
let stack: TestStack;
let raw: DynamoDBDocumentClient;
let vendorId: string;
const table = () => stack.config.tableName;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  const today = clock.now().toISOString().slice(0, 10);
  vendorId = (await seedDecidedVendors(stack.deps, { count: 1, decidedAt: `${today}T09:00:00.000Z`, nextReviewDate: () => addDays(today, 300) }))[0]!;
}, 60_000);
afterAll(async () => stack.dispose());

const code = (error: unknown) => (error as { code?: string }).code;

/** Replaces an item for the duration of `check`, then puts the original back. */
async function withItem(key: { pk: string; sk: string }, change: (item: Record<string, unknown>) => Record<string, unknown>, check: () => Promise<void>): Promise<void> {
  const item = (await raw.send(new GetCommand({ TableName: table(), Key: key }))).Item!;
  await raw.send(new PutCommand({ TableName: table(), Item: change(item) }));
  try {
    await check();
  } finally {
    await raw.send(new PutCommand({ TableName: table(), Item: item }));
  }
}

describe('stored review schedules', () => {
  it('carry their version and read back as written', async () => {
    const item = (await raw.send(new GetCommand({ TableName: table(), Key: keys.reviewSchedule(vendorId) }))).Item!;
    expect(item.schemaVersion).toBe(1);
    expect(await stack.deps.sweepSchedule.getSchedule(vendorId)).toEqual(item.data);
  });

  it('fail loudly on a renamed field, in the read and in the due list the sweep reads', async () => {
    await withItem(
      keys.reviewSchedule(vendorId),
      (item) => {
        const { watchFrom, ...rest } = item.data as Record<string, unknown>;
        return { ...item, data: { ...rest, watchDay: watchFrom } };
      },
      async () => {
        await expect(stack.deps.sweepSchedule.getSchedule(vendorId)).rejects.toMatchObject({ code: 'stored-item-invalid' });
        const due = await stack.deps.sweepSchedule.listSchedulesDueBy('2999-12-31', { limit: 10 }).catch((e: unknown) => e);
        expect(code(due)).toBe('stored-item-invalid');
      },
    );
  });

  it('read a schedule written before schedules carried a version', async () => {
    await withItem(
      keys.reviewSchedule(vendorId),
      ({ schemaVersion: _, ...item }) => item,
      async () => expect((await stack.deps.sweepSchedule.getSchedule(vendorId))?.vendorId).toBe(vendorId),
    );
  });
});

describe('stored assessments', () => {
  it('carry their version, fail loudly on a renamed field (500 stored-item-invalid), and read without a version as written before', async () => {
    const token = await stack.tokenFor('security');
    const [assessment] = (await stack.deps.assessments.listAssessments({ vendorId }, { limit: 1 })).items;
    const key = keys.assessment(assessment!.id);
    expect((await raw.send(new GetCommand({ TableName: table(), Key: key }))).Item!.schemaVersion).toBe(1);
    await withItem(
      key,
      (item) => {
        const { status, ...rest } = item.data as Record<string, unknown>;
        return { ...item, data: { ...rest, state: status } };
      },
      async () => {
        const res = await stack.call('GET', `/api/assessments/${assessment!.id}`, { token });
        expect(res.status).toBe(500);
        expect(((await res.json()) as { code: string }).code).toBe('stored-item-invalid');
        expect(code(await stack.deps.assessments.listAssessments({ vendorId }, { limit: 5 }).catch((e: unknown) => e))).toBe('stored-item-invalid');
      },
    );
    await withItem(key, ({ schemaVersion: _, ...item }) => item, async () => expect((await stack.call('GET', `/api/assessments/${assessment!.id}`, { token })).status).toBe(200));
  });
});

describe('stored audit verification: checkpoints and jobs', () => {
  it('fails loudly on a checkpoint whose hash is not a hash, and on a job of another version', async () => {
    const admin = await stack.tokenFor('admin');
    const res = await stack.call('POST', '/api/audit/verifications', { token: admin, body: { mode: 'full' } });
    const { id } = (await res.json()) as { id: string };
    await expect.poll(async () => ((await (await stack.call('GET', `/api/audit/verifications/${id}`, { token: admin })).json()) as { status: string }).status, { timeout: 15_000 }).toBe('succeeded');

    const vendorChain = { type: 'vendor' as const, id: vendorId };
    await withItem(
      keys.auditCheckpoint(vendorChain),
      (item) => ({ ...item, hash: 'not a hash' }),
      async () => expect(code(await stack.deps.auditVerifier.verifyWithCheckpoints('full', clock.now().toISOString()).catch((e: unknown) => e))).toBe('stored-item-invalid'),
    );
    await withItem(
      keys.auditVerificationJob(id),
      (item) => ({ ...item, schemaVersion: 2 }),
      async () => {
        const read = await stack.call('GET', `/api/audit/verifications/${id}`, { token: admin });
        expect(read.status).toBe(500);
        expect(((await read.json()) as { code: string }).code).toBe('stored-item-invalid');
      },
    );
    // Written before jobs carried a version: still read.
    await withItem(keys.auditVerificationJob(id), ({ schemaVersion: _, ...item }) => item, async () => expect((await stack.call('GET', `/api/audit/verifications/${id}`, { token: admin })).status).toBe(200));
  });

  it('fails loudly on a register export job whose field was renamed', async () => {
    const token = await stack.tokenFor('security');
    const { id } = (await (await stack.call('POST', '/api/risk-register/exports', { token, body: {} })).json()) as { id: string };
    await expect.poll(async () => ((await (await stack.call('GET', `/api/risk-register/exports/${id}`, { token })).json()) as { status: string }).status, { timeout: 15_000 }).toBe('succeeded');
    await withItem(
      keys.registerExport(id),
      (item) => {
        const { documentKey, ...rest } = item.data as Record<string, unknown>;
        return { ...item, data: { ...rest, objectKey: documentKey } };
      },
      async () => {
        const read = await stack.call('GET', `/api/risk-register/exports/${id}`, { token });
        expect(read.status).toBe(500);
        expect(((await read.json()) as { code: string }).code).toBe('stored-item-invalid');
      },
    );
  });
});
