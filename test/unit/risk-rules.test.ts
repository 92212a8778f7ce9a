import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFindings } from '../../shared/domain/risk/findings.ts';
import { RULE_EVALUATORS, riskIssuesOf, type RiskIssue } from '../../shared/domain/risk/issues.ts';
import { scoreResidualRisk } from '../../shared/domain/risk/residual-risk.ts';
import { parseRiskPolicy, RISK_POLICY, type RiskPolicy } from '../../shared/domain/risk/risk-policy.ts';
import type { ResidualRiskInput } from '../../shared/domain/risk/evidence-assessment.ts';
import policyJson from '../../shared/domain/risk/risk-policy.json' with { type: 'json' };
import { answerFinding, controlException, doc, isoCertificate, questionnaire, riskInput, soc2Type2, TIER1_VENDOR, TIER2_VENDOR } from './risk-fixtures.ts';

const STALE = { start: '2024-09-01', end: '2025-09-15' };

/** Between them, these inputs break every rule of the policy at least once. */
const INPUTS: Record<string, ResidualRiskInput> = {
  'a qualified, stale report with an exception, a category gap and a carved-out host; a high answer finding': riskInput({
    vendor: TIER2_VENDOR,
    documents: [
      doc(
        'r',
        soc2Type2({
          opinion: 'qualified',
          period: STALE,
          trustServicesCategories: ['security'],
          exceptions: [controlException(['CC6.2'], 'Access was removed late for 2 of 25 leavers.', 47)],
          subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'carve-out', services: 'cloud hosting' }],
        }),
      ),
    ],
    questionnaires: [questionnaire([['mfa', ['CC6.1'], 1]], [answerFinding('mfa', 'high')])],
  }),
  'a SOC 2 Type I with no opinion read, five months old, for a tier-1 vendor; an ISO certificate past its validity': riskInput({
    vendor: TIER1_VENDOR,
    documents: [doc('t1', soc2Type2({ reportType: 'type1', opinion: null, period: { start: '2026-05-31', end: '2026-05-31' } })), doc('iso', isoCertificate('2022-01-10'))],
  }),
  'a report on a marketing website for a vendor we buy payroll from': riskInput({
    vendor: { ...TIER2_VENDOR, services: ['payroll processing'] },
    documents: [doc('web', soc2Type2({ systemName: 'Marketing Website' }))],
  }),
  'an ISO certificate whose dates could not be read': riskInput({
    vendor: TIER2_VENDOR,
    documents: [doc('iso', { ...isoCertificate('2026-01-10'), reportDate: null, evidence: {} })],
  }),
};

const issuesOf = (input: ResidualRiskInput, policy: RiskPolicy = RISK_POLICY) => riskIssuesOf(input, policy).issues;
const penaltyPoints = (input: ResidualRiskInput, policy: RiskPolicy) =>
  Object.fromEntries(scoreResidualRisk(input, policy).contributions.filter((c) => c.kind === 'penalty').map((c) => [c.id, c.points]));
const findingSeverities = (input: ResidualRiskInput, policy: RiskPolicy) => Object.fromEntries(generateFindings(input, policy).map((f) => [f.id, f.severity]));

/** A copy of the policy document with one change, validated like the real one. */
function policyWith(change: (json: typeof policyJson) => void): RiskPolicy {
  const json = structuredClone(policyJson);
  change(json);
  return parseRiskPolicy(json);
}

describe('one owner for every risk rule', () => {
  it('has one evaluator for each rule of the policy and no evaluator without a rule', () => {
    expect(Object.keys(RULE_EVALUATORS).sort()).toEqual(Object.keys(RISK_POLICY.rules).sort());
  });

  it('raises every rule of the policy from the test inputs (a rule that can never fire is a defect)', () => {
    const raised = new Set(Object.values(INPUTS).flatMap((input) => issuesOf(input).map((i) => i.rule)));
    expect([...raised].sort()).toEqual(Object.keys(RISK_POLICY.rules).sort());
  });

  it('documents every rule id in docs/risk-model.md', () => {
    const doc = readFileSync(new URL('../../docs/risk-model.md', import.meta.url), 'utf8');
    expect(Object.keys(RISK_POLICY.rules).filter((rule) => !doc.includes(`\`${rule}\``))).toEqual([]);
  });

  it.each(Object.entries(INPUTS))('scores exactly the penalties of the issues, and raises exactly their findings: %s', (_name, input) => {
    const issues = issuesOf(input);
    const withPenalty = issues.filter((i): i is RiskIssue & { penalty: object } => i.penalty !== null);
    const withFinding = issues.filter((i): i is RiskIssue & { finding: object } => i.finding !== null);
    expect(penaltyPoints(input, RISK_POLICY)).toEqual(Object.fromEntries(withPenalty.map((i) => [i.penalty.id, i.penalty.points])));
    expect(findingSeverities(input, RISK_POLICY)).toEqual(Object.fromEntries(withFinding.map((i) => [i.id, i.finding.severity])));
  });

  it('keeps the score and the findings free of rule conditions of their own (they read the issues)', () => {
    for (const file of ['residual-risk.ts', 'findings.ts']) {
      const source = readFileSync(new URL(`../../shared/domain/risk/${file}`, import.meta.url), 'utf8');
      expect({ file, readsRules: /policy\.rules|\.rules\[/.test(source), readsReportProblems: /report\.(stale|bridgeGap)\b|coverageGaps|carvedOutHosts|evidenceKinds/.test(source) }).toEqual({ file, readsRules: false, readsReportProblems: false });
    }
  });
});

describe('every threshold from the versioned policy', () => {
  const sixMonthsOld = riskInput({ documents: [doc('r', soc2Type2({ period: { start: '2025-05-01', end: '2026-04-30' } }))] });

  it('moves the score and the findings together when the staleness threshold changes', () => {
    const strict = policyWith((p) => (p.assurance.staleness.staleAfterMonths = 6));
    expect(penaltyPoints(sixMonthsOld, RISK_POLICY)['penalty:doc:r:stale']).toBeUndefined();
    expect(findingSeverities(sixMonthsOld, RISK_POLICY)['doc:r:stale']).toBeUndefined();
    expect(penaltyPoints(sixMonthsOld, strict)['penalty:doc:r:stale']).toBe(RISK_POLICY.rules['stale-report'].points);
    expect(findingSeverities(sixMonthsOld, strict)['doc:r:stale']).toBe('high');
    expect(scoreResidualRisk(sixMonthsOld, strict).score).toBeGreaterThan(scoreResidualRisk(sixMonthsOld, RISK_POLICY).score);
  });

  it('reads the points and the severity of a modified opinion from the policy', () => {
    const input = riskInput({ documents: [doc('r', soc2Type2({ opinion: 'qualified' }))] });
    const harsher = policyWith((p) => {
      p.rules['modified-opinion'].points.qualified = 12;
      p.rules['modified-opinion'].severity.qualified = 'critical';
    });
    expect([penaltyPoints(input, RISK_POLICY)['penalty:doc:r:opinion'], findingSeverities(input, RISK_POLICY)['doc:r:opinion']]).toEqual([5, 'high']);
    expect([penaltyPoints(input, harsher)['penalty:doc:r:opinion'], findingSeverities(input, harsher)['doc:r:opinion']]).toEqual([12, 'critical']);
  });

  it('adds a penalty for a finding-only rule as soon as the policy gives it points', () => {
    const input = INPUTS['an ISO certificate whose dates could not be read']!;
    const scored = policyWith((p) => (p.rules['unread-iso-certificate'].points = 3));
    expect(penaltyPoints(input, RISK_POLICY)['penalty:doc:iso:iso-expiry-unknown']).toBeUndefined();
    expect(penaltyPoints(input, scored)['penalty:doc:iso:iso-expiry-unknown']).toBe(3);
    expect(findingSeverities(input, scored)['doc:iso:iso-expiry-unknown']).toBe('low');
  });
});
