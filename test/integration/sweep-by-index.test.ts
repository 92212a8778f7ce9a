/**
 * The daily sweep reads only the vendors whose watch day has come (the sparse index vendors-by-next-review-due), and
 * running it again the same day does nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDailySweep } from '../../shared/app/sweep.ts';
import type { AppDeps } from '../../shared/app/deps.ts';
import { addDays } from '../../shared/domain/assessment.ts';
import { countingStorage, seedDecidedVendors, type ReadCounter } from '../support/portfolio.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

const clock = new TestClock();
const VENDORS = 40;
const DUE = 5;
let stack: TestStack;
let deps: AppDeps;
let counter: ReadCounter;
let vendorIds: string[];
const decidedOn = clock.now().toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await startTestStack({ clock });
  ({ deps, counter } = countingStorage(stack.deps, stack.dynamoEndpoint, stack.config.tableName, clock));
  // Vendors 0-4 fall due 40-44 days after their decision, the others in about 300 days.
  vendorIds = await seedDecidedVendors(deps, { count: VENDORS, decidedAt: `${decidedOn}T09:00:00.000Z`, nextReviewDate: (i) => addDays(decidedOn, i < DUE ? 40 + i : 300 + i) });
}, 120_000);
afterAll(async () => stack.dispose());

const openAssessmentsOf = async (vendorId: string) => (await deps.assessments.listAssessments({ vendorId, openOnly: true }, { limit: 10 })).items;

describe('the daily sweep by index', () => {
  it('looks once at each newly decided vendor, the day of the decision', async () => {
    const report = await runDailySweep(deps);
    expect(report.vendorsChecked).toBe(VENDORS);
    expect(report.reassessmentsStarted).toEqual([]);
  });

  it('reads only the vendors that are due, when some fall due', async () => {
    clock.advanceDays(45);
    counter.reset();
    const report = await runDailySweep(deps);
    expect(report.vendorsChecked).toBe(DUE);
    expect(report.reassessmentsStarted.map((r) => r.vendorId).sort()).toEqual(vendorIds.slice(0, DUE));
    const notDue = vendorIds.slice(DUE).filter((id) => counter.partitionsRead.has(`VENDOR#${id}`));
    expect(notDue).toEqual([]);
    // Per due vendor: its schedule twice (the index, then a consistent read), the vendor, its open assessments (none),
    // the previous assessment, the claim checks; nothing per vendor that is not due.
    expect(counter.itemsRead).toBeLessThanOrEqual(DUE * 6);
    await stack.settle();
  });

  it('does nothing twice when run again the same day', async () => {
    counter.reset();
    const again = await runDailySweep(deps);
    expect(again).toMatchObject({ vendorsChecked: 0, reassessmentsStarted: [], noticesSent: [] });
    expect(counter.itemsRead).toBe(0);
    for (const vendorId of vendorIds.slice(0, DUE)) expect(await openAssessmentsOf(vendorId)).toHaveLength(1);
  });

  it('looks again at a due vendor only once its reassessment had time to end', async () => {
    clock.advanceDays(1);
    expect((await runDailySweep(deps)).vendorsChecked).toBe(0);
    clock.advanceDays(29);
    const later = await runDailySweep(deps);
    // The reassessments are still open (nobody answered): looked at, none started twice.
    expect(later.vendorsChecked).toBe(DUE);
    expect(later.reassessmentsStarted).toEqual([]);
  });
});
