import { describe, expect, it } from 'vitest';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';
import { ratingFromScore, scoreResidualRisk, apportion, type ResidualRiskScore } from '../../shared/domain/risk/residual-risk.ts';
import type { ResidualRiskInput } from '../../shared/domain/risk/evidence-assessment.ts';
import {
  AS_OF,
  answerFinding,
  bridgeLetter,
  controlException,
  doc,
  isoCertificate,
  questionnaire,
  riskInput,
  soc2Type2,
  TIER1_VENDOR,
  TIER2_VENDOR,
  TIER4_VENDOR,
} from './risk-fixtures.ts';

const total = (s: ResidualRiskScore) => s.contributions.reduce((sum, c) => sum + c.points, 0);
const score = (input: ResidualRiskInput) => scoreResidualRisk(input);
const withReport = (over: Parameters<typeof soc2Type2>[0], extra: Partial<ResidualRiskInput> = {}) => riskInput({ documents: [doc('r', soc2Type2(over))], ...extra });
const ids = (s: ResidualRiskScore) => s.contributions.map((c) => c.id);

/** A report whose period ended 14 months before AS_OF. */
const STALE_PERIOD = { start: '2024-09-01', end: '2025-09-15' };
const cleanAnswers = questionnaire([
  ['mfa', ['CC6.1'], 0],
  ['backups', ['A1.2'], 0],
  ['encryption', ['C1.1'], 0],
  ['privacy-notice', ['P1.1'], 0],
]);

describe('residual risk: scenarios', () => {
  it.each<[string, ResidualRiskInput, number, ResidualRiskScore['rating']]>([
    ['a clean, recent SOC 2 Type II covering every required category, tier-1 vendor', riskInput(), 25, 'medium'],
    ['the same report for a tier-2 vendor', riskInput({ vendor: TIER2_VENDOR }), 15, 'low'],
    ['a tier-4 vendor with questionnaire answers only', riskInput({ vendor: TIER4_VENDOR, documents: [], questionnaires: [cleanAnswers] }), 8, 'low'],
    ['a tier-1 vendor with perfect questionnaire answers only', riskInput({ documents: [], questionnaires: [cleanAnswers] }), 87, 'critical'],
    ['a tier-1 vendor with no evidence at all', riskInput({ documents: [], questionnaires: [] }), 100, 'critical'],
  ])('scores %s', (_name, input, expectedScore, expectedRating) => {
    const result = score(input);
    expect(result.score).toBe(expectedScore);
    expect(result.rating).toBe(expectedRating);
  });

  it('gives a tier-1 vendor with a clean recent Type II a low or medium rating', () => {
    expect(['low', 'medium']).toContain(score(riskInput()).rating);
  });

  it.each<[string, ResidualRiskInput, ResidualRiskInput]>([
    ['a qualified opinion', withReport({ opinion: 'qualified' }), riskInput()],
    ['an adverse opinion rather than a qualified one', withReport({ opinion: 'adverse' }), withReport({ opinion: 'qualified' })],
    ['an exception on CC6 rather than on CC2', withReport({ exceptions: [controlException(['CC6.2'], 'Access was not removed timely.')] }), withReport({ exceptions: [controlException(['CC2.1'], 'Communication was not documented.')] })],
    ['an exception in 2 of 25 samples rather than 1 of 60', withReport({ exceptions: [controlException(['CC6.2'], 'For 2 of 25 terminated users, access was removed late.')] }), withReport({ exceptions: [controlException(['CC6.2'], 'For 1 of 60 terminated users, access was removed late.')] })],
    ['a report 14 months old without a bridge letter', withReport({ period: STALE_PERIOD }), riskInput()],
    ['a Type I rather than a Type II', withReport({ reportType: 'type1', exceptions: null }), riskInput()],
    ['a SOC 3 rather than a SOC 2 Type II', withReport({ documentKind: 'soc3', reportType: null, exceptions: null }), riskInput()],
    ['Availability out of scope for a critical vendor', withReport({ trustServicesCategories: ['security', 'confidentiality', 'privacy'] }), riskInput()],
    ['Privacy out of scope with personal data', withReport({ trustServicesCategories: ['security', 'availability', 'confidentiality'] }), riskInput()],
    ['a carved-out hosting provider', withReport({ subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'carve-out', services: 'Cloud hosting' }] }), riskInput()],
    ['a critical answer finding', riskInput({ questionnaires: [questionnaire([['mfa', ['CC6.1'], 1]], [answerFinding('mfa', 'critical')])] }), riskInput()],
    [
      'an expired ISO/IEC 27001 certificate rather than a valid one (questionnaire-only vendor)',
      riskInput({ vendor: TIER2_VENDOR, documents: [doc('iso', isoCertificate('2023-06-01', ['ISO/IEC 27001:2013 certificates expired after the 2025 transition to the 2022 edition.']))], questionnaires: [cleanAnswers] }),
      riskInput({ vendor: TIER2_VENDOR, documents: [doc('iso', isoCertificate('2025-06-01'))], questionnaires: [cleanAnswers] }),
    ],
    ['questionnaire answers only rather than a SOC 2 Type II', riskInput({ documents: [], questionnaires: [cleanAnswers] }), riskInput({ questionnaires: [cleanAnswers] })],
  ])('scores higher with %s', (_name, worse, better) => {
    expect(score(worse).score).toBeGreaterThan(score(better).score);
  });

  it('scores lower when a bridge letter covers the gap after a 14-month-old report', () => {
    const stale = withReport({ period: STALE_PERIOD });
    const bridged = riskInput({ documents: [doc('r', soc2Type2({ period: STALE_PERIOD })), doc('bridge', bridgeLetter('2025-09-16', '2026-11-15'))] });
    expect(score(bridged).score).toBeLessThan(score(stale).score);
  });

  it('drops the stale and bridge-gap penalties when a bridge letter covers the gap', () => {
    const bridged = score(riskInput({ documents: [doc('r', soc2Type2({ period: STALE_PERIOD })), doc('bridge', bridgeLetter('2025-09-16', '2026-11-15'))] }));
    expect(ids(bridged).filter((id) => id.startsWith('penalty:'))).toEqual([]);
  });

  it('ignores a bridge letter that does not start where the report ends', () => {
    const disconnected = score(riskInput({ documents: [doc('r', soc2Type2({ period: STALE_PERIOD })), doc('bridge', bridgeLetter('2026-06-01', '2026-11-15'))] }));
    expect(disconnected.score).toBe(score(withReport({ period: STALE_PERIOD })).score);
  });

  it('penalizes a stale report without a bridge letter with the stale and bridge-gap points', () => {
    const stale = score(withReport({ period: STALE_PERIOD }));
    expect(stale.contributions.filter((c) => c.kind === 'penalty').map((c) => [c.id, c.points])).toEqual([
      ['penalty:doc:r:stale', RISK_POLICY.rules['stale-report'].points],
      ['penalty:doc:r:bridge-gap', RISK_POLICY.rules['bridge-gap'].points],
    ]);
  });

  it('penalizes a missing Availability category with the coverage rule points', () => {
    const result = score(withReport({ trustServicesCategories: ['security', 'confidentiality', 'privacy'] }));
    expect(result.contributions.find((c) => c.id === 'penalty:doc:r:scope:availability')?.points).toBe(8);
  });

  it('does not require Availability of a vendor that is not critical', () => {
    const result = score(withReport({ trustServicesCategories: ['security', 'confidentiality'] }, { vendor: TIER2_VENDOR }));
    expect(result.assurance.perCategory.availability.required).toBe(false);
    expect(ids(result)).not.toContain('penalty:doc:r:scope:availability');
  });

  it('does not penalize a carved-out organization that neither hosts nor processes data', () => {
    const result = score(withReport({ subserviceOrganizations: [{ name: 'Calendly', method: 'carve-out', services: 'meeting scheduling' }] }));
    expect(result.score).toBe(score(riskInput()).score);
  });

  it('does not penalize an inclusive subservice organization', () => {
    const result = score(withReport({ subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'inclusive', services: 'hosting' }] }));
    expect(ids(result).some((id) => id.includes('carve-out'))).toBe(false);
  });

  it('caps the carve-out points at the policy maximum', () => {
    const hosts = ['Amazon Web Services', 'Google Cloud', 'Equinix'].map((name) => ({ name, method: 'carve-out' as const, services: 'hosting' }));
    const result = score(withReport({ subserviceOrganizations: hosts }));
    const points = result.contributions.filter((c) => c.id.includes(':carve-out:')).reduce((s, c) => s + c.points, 0);
    expect(points).toBe(RISK_POLICY.rules['hosting-carve-out'].maxPoints);
  });

  it('adds the required-evidence penalty to a tier-1 vendor with questionnaire answers only', () => {
    const result = score(riskInput({ documents: [], questionnaires: [cleanAnswers] }));
    expect(result.contributions.find((c) => c.id === 'penalty:required-evidence')?.points).toBe(10);
  });

  it('credits a valid ISO/IEC 27001 certificate to Security only', () => {
    const result = score(riskInput({ vendor: TIER2_VENDOR, documents: [doc('iso', isoCertificate('2025-06-01'))], questionnaires: [] }));
    expect(result.assurance.perCategory.security).toMatchObject({ score: 40, evidence: 'iso27001', documentId: 'iso' });
    expect(result.assurance.perCategory.confidentiality.evidence).toBe('none');
  });

  it('treats an ISO/IEC 27001 certificate as expired three years after issue', () => {
    const result = score(riskInput({ vendor: TIER2_VENDOR, documents: [doc('iso', isoCertificate('2023-11-01'))], questionnaires: [] }));
    expect(result.assurance.perCategory.security.evidence).toBe('none');
  });

  it('uses the newest SOC report and lists the older one as superseded', () => {
    const old = doc('old', soc2Type2({ period: { start: '2024-10-01', end: '2025-09-30' }, opinion: 'qualified' }));
    const result = score(riskInput({ documents: [old, doc('new', soc2Type2())] }));
    expect(result.basis).toMatchObject({ currentReportId: 'new', supersededReportIds: ['old'] });
    expect(result.score).toBe(score(riskInput()).score);
  });

  it('weighs pre-2017 criteria by what they meant then (CC5 was logical access)', () => {
    const pre = score(withReport({ criteriaVersion: 'pre-2017', exceptions: [controlException(['CC5.2'], 'Access reviews were not performed.')] }));
    const now = score(withReport({ exceptions: [controlException(['CC6.2'], 'Access reviews were not performed.')] }));
    expect(pre.score).toBe(now.score);
  });

  it('counts questionnaire answers when they are the best evidence for a category', () => {
    const result = score(withReport({ trustServicesCategories: ['security'] }, { questionnaires: [cleanAnswers] }));
    expect(result.assurance.perCategory.availability).toMatchObject({ evidence: 'questionnaire', score: 30 });
  });
});

describe('residual risk: explanation', () => {
  const rich = withReport(
    {
      opinion: 'qualified',
      period: STALE_PERIOD,
      trustServicesCategories: ['security', 'confidentiality'],
      exceptions: [controlException(['CC6.2'], 'For 2 of 25 terminated users, access was removed late.', 52)],
      subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'carve-out', services: 'hosting' }],
    },
    { vendor: TIER2_VENDOR, questionnaires: [questionnaire([['mfa', ['CC6.1'], 1]], [answerFinding('mfa', 'high')])] },
  );

  it('adds its contributions up to the score exactly', () => {
    const result = score(rich);
    expect(total(result)).toBe(result.score);
  });

  it('adds a clamp contribution when the evidence pushes the sum above 100', () => {
    const result = score(withReport({ opinion: 'disclaimer', period: STALE_PERIOD, trustServicesCategories: ['security'] }, { vendor: TIER1_VENDOR }));
    expect(result.score).toBe(100);
    expect(result.contributions.at(-1)).toMatchObject({ id: 'clamp', kind: 'adjustment' });
    expect(total(result)).toBe(100);
  });

  it('cites the page and quote of an exception', () => {
    const result = score(rich);
    expect(result.contributions.find((c) => c.id === 'assurance:security:doc:r:exception:1')?.source).toEqual({
      kind: 'document',
      documentId: 'r',
      fileName: 'r.pdf',
      field: 'exceptions[0]',
      page: 52,
      quote: 'For 2 of 25 terminated users, access was removed late.',
    });
  });

  it('cites the opinion paragraph for the opinion penalty', () => {
    const result = score(rich);
    expect(result.contributions.find((c) => c.id === 'penalty:doc:r:opinion')?.source).toMatchObject({ field: 'opinion', page: 5 });
  });

  it('cites the question and answer of an answer finding', () => {
    const result = score(rich);
    expect(result.contributions.find((c) => c.id === 'penalty:question:baseline-security:mfa')).toMatchObject({
      points: 3,
      source: { kind: 'question', templateId: 'baseline-security', questionId: 'mfa', answer: 'No' },
    });
  });

  it('names the profile field and value of every inherent point', () => {
    const result = score(rich);
    expect(result.contributions.filter((c) => c.kind === 'inherent').map((c) => [c.source, c.points])).toEqual([
      [{ kind: 'profile', field: 'dataClassification', value: 'confidential' }, 25],
      [{ kind: 'profile', field: 'dataTypes', value: 'customer-content' }, 10],
      [{ kind: 'profile', field: 'systemAccess', value: 'network' }, 10],
      [{ kind: 'profile', field: 'criticality', value: 'high' }, 14],
      [{ kind: 'profile', field: 'recordVolume', value: '1k-100k' }, 3],
    ]);
  });

  it('caps the inherent points at 100 with an explicit contribution', () => {
    const result = score(riskInput());
    expect(result.contributions.find((c) => c.id === 'inherent:cap')).toMatchObject({ points: -8, source: { kind: 'policy', rule: 'inherent-cap' } });
    expect(result.inherent).toMatchObject({ score: 100, tier: 1 });
  });

  it('keeps every contribution within one point of its exact share', () => {
    const result = score(rich);
    for (const c of result.contributions) expect(Math.abs(c.points - c.exactPoints)).toBeLessThan(1);
  });

  it('stores the policy version and the day of the assessment with the score', () => {
    expect(score(rich)).toMatchObject({ policyVersion: RISK_POLICY.version, asOf: AS_OF });
  });

  it('explains which evidence each category rests on', () => {
    const result = score(rich);
    expect(result.assurance.perCategory.security.basis).toMatch(/SOC 2 Type II r\.pdf/);
    expect(result.assurance.perCategory.availability).toMatchObject({ required: false });
  });

  it('rejects a malformed asOf', () => {
    expect(() => score(riskInput({ asOf: '23/11/2026' }))).toThrow(expect.objectContaining({ name: 'ValidationError', details: [expect.objectContaining({ path: 'asOf' })] }));
  });
});

describe('rating and rounding', () => {
  it.each([
    [0, 'low'],
    [24, 'low'],
    [25, 'medium'],
    [49, 'medium'],
    [50, 'high'],
    [74, 'high'],
    [75, 'critical'],
    [100, 'critical'],
  ] as const)('rates %i as %s', (value, rating) => {
    expect(ratingFromScore(value)).toBe(rating);
  });

  it.each([
    [[37.5, 12.5, 12.5, 12.5], [38, 13, 12, 12]],
    [[10.4, -3.3, 0.2], [10, -3, 0]],
    [[0.5, 0.5, 0.5], [1, 1, 0]],
  ])('apportions %j to integers %j that keep the rounded sum', (values, expected) => {
    expect(apportion(values)).toEqual(expected);
  });
});

describe('the worked example of docs/risk-model.md', () => {
  const example = riskInput({
    vendor: TIER2_VENDOR,
    documents: [
      doc(
        'soc2-fy26',
        soc2Type2({
          opinion: 'qualified',
          period: { start: '2025-04-01', end: '2026-03-31' },
          trustServicesCategories: ['security', 'availability'],
          evidence: { ...soc2Type2().evidence, opinion: { page: 6, quote: 'except for the matter described in the Basis for Qualified Opinion paragraph (CC8.1)' } },
          exceptions: [controlException(['CC6.2'], 'For 2 of 25 terminated users sampled, access was removed after more than 3 business days.', 52)],
          subserviceOrganizations: [{ name: 'Amazon Web Services', method: 'carve-out', services: 'cloud hosting' }],
        }),
      ),
    ],
    questionnaires: [
      {
        templateId: 'baseline-security',
        templateVersion: '1.0.0',
        scoredAnswers: [
          { questionId: 'enc-at-rest', answer: 'Yes', criteria: ['C1.1'], weight: 2, risk: 0 },
          { questionId: 'dlp', answer: 'No', criteria: ['C1.2'], weight: 1, risk: 1 },
        ],
        findings: [answerFinding('dlp', 'high', ['C1.2'])],
      },
    ],
  });

  it('scores 66, high', () => {
    expect(score(example)).toMatchObject({ score: 66, rating: 'high' });
  });

  it('has the documented assurance per category', () => {
    const { assurance } = score(example);
    expect([assurance.perCategory.security.score, assurance.perCategory.confidentiality.score, assurance.overall]).toEqual([40.2, 20, 35.2]);
  });

  it('has the documented contributions', () => {
    expect(score(example).contributions.map((c) => c.points)).toEqual([25, 10, 10, 14, 3, -35, 14, 3, 4, -2, 5, 2, 6, 4, 3]);
  });
});
