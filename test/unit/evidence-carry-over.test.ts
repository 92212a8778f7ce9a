import { describe, expect, it } from 'vitest';
import { planEvidenceCarryOver } from '../../shared/domain/risk/evidence-carry-over.ts';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';
import { AS_OF, bridgeLetter, doc, isoCertificate, soc2Type2, TIER1_VENDOR } from './risk-fixtures.ts';

describe('evidence carried into a reassessment', () => {
  it('carries a report still fresh under the policy', () => {
    const plan = planEvidenceCarryOver({ vendor: TIER1_VENDOR, documents: [doc('d1', soc2Type2())], asOf: AS_OF });
    expect(plan).toEqual({ carry: ['d1'], askAgain: [] });
  });

  it('asks again for a stale report, saying when its period ended and what to upload', () => {
    const old = soc2Type2({ period: { start: '2023-07-01', end: '2024-06-30' } });
    const plan = planEvidenceCarryOver({ vendor: TIER1_VENDOR, documents: [doc('d1', old)], asOf: AS_OF });
    expect(plan.carry).toEqual([]);
    expect(plan.askAgain).toEqual([{ fileName: 'd1.pdf', reason: expect.stringMatching(/ended on 2024-06-30, 28 months ago: upload the new report, or a bridge letter that covers the time since/) }]);
  });

  it('follows the policy: a longer staleness threshold carries the same report', () => {
    const old = soc2Type2({ period: { start: '2023-07-01', end: '2024-06-30' } });
    const lenient = { ...RISK_POLICY, assurance: { ...RISK_POLICY.assurance, staleness: { ...RISK_POLICY.assurance.staleness, staleAfterMonths: 36 } } };
    expect(planEvidenceCarryOver({ vendor: TIER1_VENDOR, documents: [doc('d1', old)], asOf: AS_OF }, lenient).carry).toEqual(['d1']);
  });

  it('carries the bridge letter that keeps a report fresh, and a valid ISO certificate', () => {
    const report = soc2Type2({ period: { start: '2024-10-01', end: '2025-09-30' } });
    const plan = planEvidenceCarryOver({ vendor: TIER1_VENDOR, documents: [doc('r', report), doc('b', bridgeLetter('2025-10-01', '2026-06-30')), doc('i', isoCertificate('2025-06-01'))], asOf: AS_OF });
    expect(plan.carry.sort()).toEqual(['b', 'i', 'r']);
  });

  it('carries nothing from an assessment without evidence', () => {
    expect(planEvidenceCarryOver({ vendor: TIER1_VENDOR, documents: [], asOf: AS_OF })).toEqual({ carry: [], askAgain: [] });
  });
});
