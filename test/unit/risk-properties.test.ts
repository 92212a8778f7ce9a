import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/risk/calendar.ts';
import type { ResidualRiskInput, RiskDocument } from '../../shared/domain/risk/evidence-assessment.ts';
import type { QuestionnaireEvidence } from '../../shared/domain/risk/questionnaire-evidence.ts';
import { ratingFromScore, scoreResidualRisk } from '../../shared/domain/risk/residual-risk.ts';
import type { ControlException, ReportAnalysis } from '../../shared/domain/soc2/types.ts';
import { CRITICALITIES, DATA_CLASSIFICATIONS, DATA_TYPES, RECORD_VOLUMES, SYSTEM_ACCESS_LEVELS } from '../../shared/domain/vendor.ts';
import { AS_OF, bridgeLetter, doc, isoCertificate, soc2Type2 } from './risk-fixtures.ts';

const CRITERIA = ['CC1.1', 'CC2.1', 'CC3.2', 'CC4.1', 'CC5.3', 'CC6.1', 'CC6.2', 'CC6.8', 'CC7.2', 'CC8.1', 'CC9.2', 'A1.2', 'C1.1', 'PI1.3', 'P4.2'];
const CATEGORIES = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'] as const;

const profile = fc.record({
  dataClassification: fc.constantFrom(...DATA_CLASSIFICATIONS),
  dataTypes: fc.uniqueArray(fc.constantFrom(...DATA_TYPES), { maxLength: 4 }),
  systemAccess: fc.constantFrom(...SYSTEM_ACCESS_LEVELS),
  criticality: fc.constantFrom(...CRITICALITIES),
  recordVolume: fc.constantFrom(...RECORD_VOLUMES),
});

const exception: fc.Arbitrary<ControlException> = fc.record({
  controlId: fc.constantFrom(null, 'C-101'),
  criteria: fc.oneof(fc.constant([] as string[]), fc.array(fc.constantFrom(...CRITERIA), { minLength: 1, maxLength: 2 })),
  description: fc.oneof(
    fc.constant('Exception noted.'),
    fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 5, max: 60 })).map(([f, s]) => `For ${f} of ${s} samples, the control did not operate.`),
  ),
  managementResponse: fc.constantFrom(null, 'Remediated in Q3.'),
  page: fc.integer({ min: 1, max: 120 }),
});

/** Days between the period end and AS_OF. */
const ageDays = fc.integer({ min: 0, max: 1200 });

const socReport: fc.Arbitrary<ReportAnalysis> = fc
  .record({
    kind: fc.constantFrom('type2', 'type1', 'soc3', 'unknown-type'),
    opinion: fc.constantFrom('unqualified', 'qualified', 'adverse', 'disclaimer', null),
    categories: fc.subarray([...CATEGORIES]),
    age: ageDays,
    exceptions: fc.array(exception, { maxLength: 4 }),
    carveOuts: fc.subarray([
      { name: 'Amazon Web Services', method: 'carve-out' as const, services: 'hosting' },
      { name: 'Stripe', method: 'carve-out' as const, services: 'payment processing' },
      { name: 'Okta', method: 'inclusive' as const, services: 'identity' },
    ]),
  })
  .map(({ kind, opinion, categories, age, exceptions, carveOuts }) => {
    const end = addDays(AS_OF, -age);
    return soc2Type2({
      documentKind: kind === 'soc3' ? 'soc3' : 'soc2',
      reportType: kind === 'type2' ? 'type2' : kind === 'type1' ? 'type1' : null,
      opinion,
      trustServicesCategories: categories,
      period: { start: addDays(end, -364), end },
      exceptions: kind === 'type2' ? exceptions : null,
      subserviceOrganizations: carveOuts,
    });
  });

const questionnaireEvidence: fc.Arbitrary<QuestionnaireEvidence> = fc
  .array(fc.record({ criteria: fc.array(fc.constantFrom(...CRITERIA), { minLength: 1, maxLength: 2 }), risk: fc.constantFrom(0, 0.5, 1), weight: fc.constantFrom(1, 2, 5), severity: fc.constantFrom('info', 'low', 'medium', 'high', 'critical') }), { maxLength: 8 })
  .map((rows) => ({
    templateId: 'baseline-security',
    templateVersion: '1.0.0',
    scoredAnswers: rows.map((r, i) => ({ questionId: `q${i}`, answer: r.risk > 0 ? 'No' : 'Yes', criteria: r.criteria, weight: r.weight, risk: r.risk })),
    findings: rows
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.risk > 0)
      .map(({ r, i }) => ({ questionId: `q${i}`, question: `Question ${i}?`, answer: 'No', severity: r.severity, whyItMatters: 'It matters.', guidance: null, criteria: r.criteria, remediationDate: null, compensatingControl: null })),
  }));

const riskInputs: fc.Arbitrary<ResidualRiskInput> = fc
  .record({
    vendor: profile,
    report: fc.option(socReport, { nil: null }),
    olderReport: fc.option(socReport, { nil: null }),
    bridgeDays: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
    iso: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: null }),
    questionnaires: fc.array(questionnaireEvidence, { maxLength: 2 }).map((qs) => qs.map((q, i) => ({ ...q, templateId: `template-${i}` }))),
  })
  .map(({ vendor, report, olderReport, bridgeDays, iso, questionnaires }) => {
    const documents: RiskDocument[] = [];
    if (report) {
      documents.push(doc('report', report));
      if (bridgeDays !== null) {
        const end = report.period!.end;
        documents.push(doc('bridge', bridgeLetter(addDays(end, 1), addDays(end, bridgeDays))));
      }
    }
    if (olderReport) documents.push(doc('older', olderReport));
    if (iso !== null) documents.push(doc('iso', isoCertificate(addDays(AS_OF, -iso))));
    return { vendor, documents, questionnaires, asOf: AS_OF };
  });

/** The current SOC report of an input (the one the score used), if any. */
function currentReportIndex(input: ResidualRiskInput): number {
  const id = scoreResidualRisk(input).basis.currentReportId;
  return input.documents.findIndex((d) => d.documentId === id);
}

function replaceDocument(input: ResidualRiskInput, index: number, analysis: ReportAnalysis): ResidualRiskInput {
  return { ...input, documents: input.documents.map((d, i) => (i === index ? { ...d, analysis } : d)) };
}

describe('residual risk: properties', () => {
  it('keeps the score an integer within 0-100', () => {
    fc.assert(
      fc.property(riskInputs, (input) => {
        const { score } = scoreResidualRisk(input);
        expect(Number.isInteger(score) && score >= 0 && score <= 100).toBe(true);
      }),
    );
  });

  it('adds the contributions up to the score exactly', () => {
    fc.assert(
      fc.property(riskInputs, (input) => {
        const result = scoreResidualRisk(input);
        expect(result.contributions.reduce((s, c) => s + c.points, 0)).toBe(result.score);
        expect(result.contributions.every((c) => Number.isInteger(c.points))).toBe(true);
      }),
    );
  });

  it('rates every score by the policy thresholds', () => {
    fc.assert(
      fc.property(riskInputs, (input) => {
        const result = scoreResidualRisk(input);
        expect(result.rating).toBe(ratingFromScore(result.score));
      }),
    );
  });

  it('gives every contribution a unique id', () => {
    fc.assert(
      fc.property(riskInputs, (input) => {
        const result = scoreResidualRisk(input);
        expect(new Set(result.contributions.map((c) => c.id)).size).toBe(result.contributions.length);
      }),
    );
  });

  it('gives the same score for the same inputs', () => {
    fc.assert(
      fc.property(riskInputs, (input) => {
        expect(scoreResidualRisk(structuredClone(input))).toEqual(scoreResidualRisk(input));
      }),
    );
  });

  it('never lowers the residual risk when an exception is added to any report', () => {
    fc.assert(
      fc.property(riskInputs, exception, fc.nat(), (input, added, pick) => {
        fc.pre(input.documents.length > 0);
        const index = pick % input.documents.length;
        const analysis = input.documents[index]!.analysis;
        const worse = replaceDocument(input, index, { ...analysis, exceptions: [...(analysis.exceptions ?? []), added] });
        expect(scoreResidualRisk(worse).score).toBeGreaterThanOrEqual(scoreResidualRisk(input).score);
      }),
    );
  });

  it('never raises the residual risk when the current report is fresher', () => {
    fc.assert(
      fc.property(riskInputs, fc.integer({ min: 1, max: 900 }), (input, days) => {
        const index = currentReportIndex(input);
        fc.pre(index >= 0);
        const analysis = input.documents[index]!.analysis;
        const end = analysis.period!.end;
        const fresherEnd = addDays(end, days) > AS_OF ? AS_OF : addDays(end, days);
        const fresher = replaceDocument(input, index, { ...analysis, period: { start: addDays(fresherEnd, -364), end: fresherEnd } });
        expect(scoreResidualRisk(fresher).score).toBeLessThanOrEqual(scoreResidualRisk(input).score);
      }),
    );
  });
});
