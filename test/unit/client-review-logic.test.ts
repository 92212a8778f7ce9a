/** The review page's logic: contributions grouped by cause, the policy's rating bands, low-confidence fields, what changed. */
import { describe, expect, it } from 'vitest';
import { scoreResidualRisk } from '../../shared/domain/risk/residual-risk.ts';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';
import type { AssessmentChanges, StaffDocument } from '../../shared/http/pages/client/api-types.ts';
import { answerText, bandOf, causeOf, changesView, groupContributions, groupOf, lowConfidenceFields, ratingBands } from '../../shared/http/pages/client/staff/review-logic.ts';
import { doc, riskInput, soc2Type2 } from './risk-fixtures.ts';

/** A report covering every category whose period ended 14 months before the fixtures' day: stale under the policy. */
const staleScore = () => scoreResidualRisk(riskInput({ documents: [doc('r', soc2Type2({ period: { start: '2024-09-01', end: '2025-09-15' } }))] }));

describe('the review page logic', () => {
  it('puts each contribution in its group: inherent profile, evidence, findings', () => {
    expect(['inherent:criticality', 'inherent:cap', 'assurance:privacy:doc:r:age', 'penalty:doc:r:stale', 'clamp'].map(groupOf)).toEqual(['inherent', 'inherent', 'evidence', 'findings', 'adjustments']);
  });

  it('shows a stale report once in the evidence group, its points the sum of every category it lowered', () => {
    const score = staleScore();
    const ageParts = score.contributions.filter((c) => c.id.endsWith(':doc:r:age'));
    expect(ageParts.length, 'the scorer lowers each required category').toBeGreaterThan(1);
    const evidence = groupContributions(score.contributions).find((g) => g.id === 'evidence')!;
    const age = [...evidence.lines, ...evidence.zero].filter((l) => l.cause === 'assurance:doc:r:age');
    expect(age).toHaveLength(1);
    expect(age[0]!.points).toBe(ageParts.reduce((s, c) => s + c.points, 0));
    expect(age[0]!.parts).toBe(ageParts.length);
    expect(age[0]!.categories).toEqual(ageParts.map((c) => c.description.split(' assurance: ')[0]));
    // Each line names its category share once; no line of the group repeats a cause.
    const causes = [...evidence.lines, ...evidence.zero].map((l) => l.cause);
    expect(new Set(causes).size).toBe(causes.length);
  });

  it('keeps the score: the groups add up to it, and every contribution is in exactly one line', () => {
    const score = staleScore();
    const groups = groupContributions(score.contributions);
    expect(groups.map((g) => g.id)).toEqual(['inherent', 'evidence', 'findings']);
    expect(groups.reduce((s, g) => s + g.total, 0)).toBe(score.score);
    expect(groups.flatMap((g) => [...g.lines, ...g.zero]).reduce((s, l) => s + l.parts, 0)).toBe(score.contributions.length);
    expect(groups.find((g) => g.id === 'findings')!.lines.map((l) => l.cause)).toContain('penalty:doc:r:stale');
  });

  it('writes one sentence for a report that covers several categories, naming them together', () => {
    const evidence = groupContributions(staleScore().contributions).find((g) => g.id === 'evidence')!;
    const kind = evidence.lines.find((l) => l.cause === 'assurance:doc:r:kind')!;
    expect(kind.description).toMatch(/^SOC 2 Type II report r\.pdf covers Security, .*Privacy \(evidence strength \d+\)$/);
    expect(kind.citations).toEqual([{ documentId: 'r', fileName: 'r.pdf', page: 3 }]);
  });

  it('drops only the category from an assurance id', () => {
    expect(causeOf('assurance:security:question:baseline:mfa')).toBe('assurance:question:baseline:mfa');
    expect(causeOf('penalty:doc:r:scope:privacy')).toBe('penalty:doc:r:scope:privacy');
  });

  it('draws the rating bands from the policy thresholds, a threshold in the higher band', () => {
    const bands = ratingBands(RISK_POLICY.ratings);
    const { medium, high, critical } = RISK_POLICY.ratings;
    expect(bands).toEqual([
      { rating: 'low', from: 0, to: medium - 1 },
      { rating: 'medium', from: medium, to: high - 1 },
      { rating: 'high', from: high, to: critical - 1 },
      { rating: 'critical', from: critical, to: 100 },
    ]);
    expect([0, medium - 1, medium, high, critical, 100].map((s) => bandOf(s, bands).rating)).toEqual(['low', 'low', 'medium', 'high', 'critical', 'critical']);
    expect(bandOf(42, ratingBands({ medium: 10, high: 40, critical: 90 })).rating).toBe('high');
  });

  it('lists the fields the analyzer marked low-confidence with its reason', () => {
    const analysis = { confidence: { opinion: { level: 'high', reason: null }, serviceAuditor: { level: 'low', reason: 'name only in an image' }, period: { level: 'low', reason: null } } } as unknown as StaffDocument['analysis'];
    expect(lowConfidenceFields(analysis)).toEqual([
      { field: 'serviceAuditor', reason: 'name only in an image' },
      { field: 'period', reason: 'the analyzer was not sure of it' },
    ]);
    expect(lowConfidenceFields(null)).toEqual([]);
  });

  it('writes an answer with its choices, comment and date', () => {
    expect(answerText({ value: ['sso', 'mfa'], comment: 'since May', remediationDate: '2027-03-31' })).toBe('sso, mfa (comment: since May; fix by 2027-03-31)');
    expect(answerText(null)).toBe('no answer');
  });

  it('says there is nothing to compare when the vendor has no previous approved assessment', () => {
    const none: AssessmentChanges = { assessmentId: 'a2', previous: null, answers: [], sections: [], findings: { opened: [], closed: [] }, score: { before: null, after: null, delta: null, contributions: [] }, documentNames: {} };
    expect(changesView(none)).toEqual({ kind: 'none', message: expect.stringContaining('No previous approved assessment') as string });
    expect(changesView(null).kind).toBe('none');
  });

  it('shows the contributions that moved one line per cause, and the changed answers and sections', () => {
    const changes: AssessmentChanges = {
      assessmentId: 'a2',
      previous: { assessmentId: 'a1', decidedAt: '2026-01-10T10:00:00.000Z', decision: 'approved' },
      answers: [
        { templateId: 'baseline', questionId: 'gov-policies', before: { value: 'yes' }, after: { value: 'no', comment: 'rewriting' } },
        { templateId: 'baseline', questionId: 'assurance-report', before: { value: 'd-old' }, after: { value: ['d-new', 'd-gone'] } },
      ],
      sections: [{ templateId: 'baseline', sectionId: 'gov', review: 'edited' }, { templateId: 'baseline', sectionId: 'ops', review: 'confirmed' }],
      findings: { opened: [{ id: 'q:baseline:gov-policies', title: 'No policies', severity: 'high' }], closed: [] },
      score: {
        before: 20,
        after: 31,
        delta: 11,
        contributions: [
          { id: 'assurance:security:doc:h:age', description: 'Security assurance: period ended 2025-09-15: evidence counts × 0.5', before: -10, after: -4 },
          { id: 'assurance:privacy:doc:h:age', description: 'Privacy assurance: period ended 2025-09-15: evidence counts × 0.5', before: -3, after: -1 },
          { id: 'penalty:question:baseline:gov-policies', description: 'answer "no" to gov-policies', before: 0, after: 3 },
          { id: 'assurance:security:question:baseline:x', description: 'Security assurance: answer', before: -1, after: -2 },
          { id: 'assurance:privacy:question:baseline:x', description: 'Privacy assurance: answer', before: -1, after: 0 },
          { id: 'assurance:security:question:baseline:y', description: 'Security assurance: answer "Yes"', before: 0, after: -1 },
        ],
      },
      documentNames: { 'd-old': 'soc2-2026.pdf', 'd-new': 'soc2-2027.pdf' },
    };
    const view = changesView(changes);
    if (view.kind !== 'changes') throw new Error('expected changes');
    expect(view.moved).toEqual([
      { cause: 'assurance:doc:h:age', group: 'evidence', description: 'period ended 2025-09-15: evidence counts × 0.5 (Security, Privacy)', before: -13, after: -5 },
      { cause: 'penalty:question:baseline:gov-policies', group: 'findings', description: 'answer "no" to gov-policies (question gov-policies)', before: 0, after: 3 },
      { cause: 'assurance:question:baseline:y', group: 'evidence', description: 'answer "Yes" (Security) (question y)', before: 0, after: -1 },
    ]);
    expect(view.answers).toEqual([
      { question: 'baseline · gov-policies', before: 'yes', after: 'no (comment: rewriting)' },
      // File answers by the file's name; an id no document has any more stays as it is.
      { question: 'baseline · assurance-report', before: 'soc2-2026.pdf', after: 'soc2-2027.pdf, d-gone' },
    ]);
    expect(view.sections).toEqual({ confirmed: 1, edited: 1, unconfirmed: 0 });
  });
});
