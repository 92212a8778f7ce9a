/** Which report is current when two cover the same period: the one uploaded last, whatever the document ids. */
import { describe, expect, it } from 'vitest';
import { assessEvidence } from '../../shared/domain/risk/evidence-assessment.ts';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';
import { doc, riskInput, soc2Type2, TIER2_VENDOR } from './risk-fixtures.ts';

describe('the current report', () => {
  it('is the later upload of two reports with the same coverage end (a reassessment carries the old one)', () => {
    for (const [carriedId, newId] of [['a', 'z'], ['z', 'a']] as const) {
      const carried = { ...doc(carriedId, soc2Type2()), uploadedAt: '2026-01-10T09:00:00.000Z' };
      const fresh = { ...doc(newId, soc2Type2({ systemName: 'New system' })), uploadedAt: '2027-01-12T09:00:00.000Z' };
      for (const documents of [[carried, fresh], [fresh, carried]]) {
        const report = assessEvidence(riskInput({ vendor: TIER2_VENDOR, documents }), RISK_POLICY).report;
        expect(report?.document.documentId, `carried ${carriedId}, new ${newId}`).toBe(newId);
      }
    }
  });
});
