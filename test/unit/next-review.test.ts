/** When the next review of an approved vendor falls: never before the decision. */
import { describe, expect, it } from 'vitest';
import { planNextReview } from '../../shared/domain/assessment.ts';

describe('planNextReview', () => {
  it('takes 12 months after the SOC 2 period when that is earlier than the cadence', () => {
    expect(planNextReview({ decidedOn: '2027-03-01', tier: 3, soc2PeriodEnd: '2026-12-31', bridgeCoverageEnd: null }).nextReviewDate).toBe('2027-12-31');
  });

  it('makes the review due on the decision day, not in the past, when the evidence was already stale', () => {
    const plan = planNextReview({ decidedOn: '2027-03-01', tier: 3, soc2PeriodEnd: '2025-06-30', bridgeCoverageEnd: null });
    expect(plan.nextReviewDate).toBe('2027-03-01');
    expect(plan.reason).toMatch(/already more than 12 months old.*due now/);
  });

  it('makes the review due on the decision day when the report period ended exactly 12 months before', () => {
    expect(planNextReview({ decidedOn: '2027-03-01', tier: 1, soc2PeriodEnd: '2026-03-01', bridgeCoverageEnd: null }).nextReviewDate).toBe('2027-03-01');
  });
});
