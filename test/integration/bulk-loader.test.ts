/**
 * What the bulk loader writes (the scale benchmark's portfolio) reads back through the repositories and use cases as
 * if the vendors had been registered, assessed and verified one by one: register, counts, vendors, the review queue's
 * index, the sweep's schedules, and audit chains with their checkpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDailySweep } from '../../shared/app/sweep.ts';
import type { PortfolioEntry } from '../../shared/adapters/aws/dynamo-bulk-loader.ts';
import { pad } from '../../scripts/scale-portfolio.ts';
import { bulkLoadScalePortfolio } from '../support/portfolio.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

const VENDORS = 40;
const clock = new TestClock();
let stack: TestStack;
let token: string;
let entries: PortfolioEntry[];

beforeAll(async () => {
  stack = await startTestStack({ clock });
  token = await stack.tokenFor('security');
  entries = await bulkLoadScalePortfolio(stack, { count: VENDORS, today: clock.now().toISOString().slice(0, 10), verifiedAt: clock.now().toISOString(), batch: 25 });
}, 60_000);
afterAll(async () => stack.dispose());

const get = async <T>(path: string): Promise<T> => {
  const res = await stack.call('GET', path, { token });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

describe('the bulk loader', () => {
  it('loads vendors, register lines and counts the API reads', async () => {
    const dashboard = await get<{ vendors: number }>('/api/risk-register/dashboard');
    expect(dashboard.vendors).toBe(VENDORS);
    const register = await get<{ items: { vendorId: string }[]; nextCursor: string | null }>('/api/risk-register');
    expect(register.items).toHaveLength(25);
    expect(register.nextCursor).not.toBeNull();
    const vendor = await get<{ id: string; name: string }>(`/api/vendors/v-${pad(7)}`);
    expect(vendor.name).toBe(`Scale Vendor ${pad(7)}`);
  });

  it('puts open assessments on the status index the review queue reads', async () => {
    const queue = await get<{ items: { vendorId: string }[] }>('/api/assessments?status=awaiting-review&limit=100');
    const expected = entries.filter((e) => e.assessments[0]!.status === 'awaiting-review').map((e) => e.vendor.id);
    expect(queue.items.map((a) => a.vendorId).sort()).toEqual(expected.sort());
  });

  it('writes the review schedules the sweep reads, none due on the day of loading', async () => {
    const approved = entries.find((e) => e.schedule)!;
    expect(await stack.deps.sweepSchedule.getSchedule(approved.vendor.id)).toEqual(approved.schedule);
    expect(entries.find((e) => !e.schedule && e.assessments[0]!.status === 'rejected')).toBeDefined();
    const report = await runDailySweep(stack.deps);
    expect(report.vendorsChecked).toBe(0);
  });

  it('writes hash chains that verify, checkpointed at their heads', async () => {
    const at = clock.now().toISOString();
    const incremental = await stack.deps.auditVerifier.verifyWithCheckpoints('incremental', at);
    // Checkpointed and marked verified: nothing appended since, nothing to read.
    expect(incremental).toEqual({ chains: 0, events: 0, problems: [] });
    const full = await stack.deps.auditVerifier.verifyWithCheckpoints('full', at);
    expect(full.problems).toEqual([]);
    expect(full.chains).toBe(VENDORS * 2);
    expect(full.events).toBe(entries.reduce((n, e) => n + e.events.length, 0));
  });
});
