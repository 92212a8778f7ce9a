/** When the next review of an approved vendor falls: never before the decision. */
import { describe, expect, it } from 'vitest';
import { planNextReview } from '../../shared/domain/assessment.ts';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';

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

describe('planNextReview reads its thresholds from the risk policy', () => {
  const staleness = { ...RISK_POLICY.assurance.staleness, staleAfterMonths: 6, bridgeExpectedAfterMonths: 1 };

  it('plans the review when the report becomes stale under the policy', () => {
    const plan = planNextReview({ decidedOn: '2027-03-01', tier: 3, soc2PeriodEnd: '2026-12-31', bridgeCoverageEnd: null }, staleness);
    expect([plan.nextReviewDate, plan.reason]).toEqual(['2027-06-30', '6 months after the SOC 2 period ended (2026-12-31), earlier than the tier 3 cadence of 24 months']);
  });

  it('takes the tier cadence from the policy', () => {
    const cadence = { ...RISK_POLICY.review.cadenceMonthsByTier, '2': 6 };
    const plan = planNextReview({ decidedOn: '2027-03-01', tier: 2, soc2PeriodEnd: null, bridgeCoverageEnd: null }, RISK_POLICY.assurance.staleness, cadence);
    expect([plan.nextReviewDate, plan.reason]).toEqual(['2027-09-01', 'tier 2 cadence: 6 months after the decision']);
    expect(planNextReview({ decidedOn: '2027-03-01', tier: 2, soc2PeriodEnd: null, bridgeCoverageEnd: null }).nextReviewDate).toBe('2028-09-01');
  });

  it('asks for a bridge letter after the policy’s months', () => {
    const plan = planNextReview({ decidedOn: '2027-02-15', tier: 3, soc2PeriodEnd: '2026-12-31', bridgeCoverageEnd: null }, staleness);
    expect(plan.bridgeLetterNeeded).toBe(true);
  });
});
