/** `trustgate migrate`: a data folder written before issue 15 gets the new indexes, the register and its counts. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLegacyTable, type LegacyData } from '../support/legacy-table.ts';
import { runCli } from '../support/processes.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const VENDORS = 150;
let dataDir: string;
let stack: TestStack | null = null;

afterEach(async () => {
  await stack?.dispose();
  stack = null;
  await rm(dataDir, { recursive: true, force: true });
});

async function legacyFolder(): Promise<LegacyData> {
  dataDir = await mkdtemp(join(tmpdir(), 'trustgate-legacy-'));
  return writeLegacyTable(join(dataDir, 'dynamodb'), 'trustgate', VENDORS);
}

const migrate = (env: Record<string, string> = {}) => runCli(['migrate', 'register', '--json'], { TRUSTGATE_DATA_DIR: dataDir, NODE_NO_WARNINGS: '1', ...env });

async function expectMigrated(legacy: LegacyData): Promise<void> {
  stack = await startTestStack({ persist: true, dataDir });
  const token = await stack.tokenFor('security');
  const get = async (path: string) => (await stack!.call('GET', path, { token })).json() as Promise<Record<string, unknown>>;
  const dashboard = (await get('/api/risk-register/dashboard')) as { vendors: number; byRating: Record<string, number>; overdueReviews: number };
  expect(dashboard.vendors).toBe(VENDORS);
  expect(dashboard.byRating).toMatchObject({ high: 1, unrated: VENDORS - 1 });
  expect(dashboard.overdueReviews).toBe(1);
  const high = (await get('/api/risk-register?rating=high')) as { items: { vendorId: string; score: number; assessmentId: string; nextReviewDate: string }[] };
  expect(high.items).toEqual([expect.objectContaining({ vendorId: legacy.scored.vendor.id, score: 71, assessmentId: legacy.approved.id, nextReviewDate: '2026-11-15' })]);
  const queue = (await get('/api/assessments?status=awaiting-review')) as { items: { id: string }[] };
  expect(queue.items.map((a) => a.id)).toEqual([legacy.open.id]);
  const open = (await get('/api/assessments?open=true')) as { items: { id: string }[] };
  expect(open.items.map((a) => a.id)).toEqual([legacy.open.id]);
  // The approved vendor's review date (2026-11-15) has passed: the daily sweep, which reads only the review
  // schedules on its index, must find it and start the reassessment.
  const sweep = await stack.call('POST', '/api/admin/sweep', { token: await stack.tokenFor('admin', 'admin@example.com') });
  expect(sweep.status, await sweep.clone().text()).toBe(200);
  const swept = (await sweep.json()) as { reassessmentsStarted: { vendorId: string }[] };
  expect(swept.reassessmentsStarted.map((r) => r.vendorId)).toEqual([legacy.approved.vendorId]);
}

describe('trustgate migrate', () => {
  it('refuses to start the server on a folder written before the new indexes, naming the command to run', async () => {
    await legacyFolder();
    await expect(startTestStack({ persist: true, dataDir })).rejects.toThrow(/trustgate migrate/);
  });

  it('builds the register, counts and sparse indexes of a folder written by the old code', async () => {
    const legacy = await legacyFolder();
    const run = await migrate();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { table: { rebuilt: boolean }; linesWritten: number; assessmentsIndexed: number };
    expect(report).toMatchObject({ table: { rebuilt: true }, linesWritten: VENDORS, assessmentsIndexed: 1 });
    await expectMigrated(legacy);
  }, 120_000);

  it('changes nothing when run again', async () => {
    const legacy = await legacyFolder();
    expect((await migrate()).code).toBe(0);
    const again = await migrate();
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({ table: { rebuilt: false }, linesWritten: 0, linesKept: VENDORS, assessmentsIndexed: 0 });
    await expectMigrated(legacy);
  }, 120_000);

  it('finishes a run killed half-way through the table rebuild and then the backfill', async () => {
    const legacy = await legacyFolder();
    const killedInRebuild = await migrate({ TRUSTGATE_CRASH_AT: 'migrate:table-copied' });
    expect(killedInRebuild.code).toBeNull();
    const killedInBackfill = await migrate({ TRUSTGATE_CRASH_AT: 'migrate:checkpoint-saved@1' });
    expect(killedInBackfill.code).toBeNull();
    const resumed = await migrate();
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').at(-1)!)).toMatchObject({ resumedFrom: 'lines (part-way)' });
    await expectMigrated(legacy);
  }, 180_000);
});
