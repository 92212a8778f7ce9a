import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../shared/domain/questionnaire/parse-template.ts';
import { scoreAnswers } from '../../shared/domain/questionnaire/scoring.ts';
import { questionnaireEvidenceFrom } from '../../shared/domain/risk/questionnaire-evidence.ts';
import { scoreResidualRisk } from '../../shared/domain/risk/residual-risk.ts';
import { riskInput, TIER4_VENDOR } from './risk-fixtures.ts';

const template = loadTemplate(
  {
    id: 'mini',
    version: '1.2.0',
    title: 'Mini questionnaire',
    description: 'Three questions for the risk model tests.',
    sections: [
      {
        id: 'access',
        title: 'Access',
        questions: [
          { id: 'mfa', text: 'Do you enforce MFA?', type: 'yes-no', riskyAnswer: 'no', tip: { severity: 'high', whyItMatters: 'Passwords alone are phished.' }, criteria: ['CC6.1'], weight: 3 },
          { id: 'reviews', text: 'Do you review access quarterly?', type: 'yes-no', riskyAnswer: 'no', tip: { severity: 'medium', whyItMatters: 'Stale access accumulates.' }, criteria: ['CC6.2', 'C1.1'] },
          { id: 'notes', text: 'Anything else?', type: 'text', required: false, criteria: ['CC2.1'] },
        ],
      },
    ],
  },
  'mini.json',
);
const answers = { mfa: { value: 'no' }, reviews: { value: 'yes' }, notes: { value: 'n/a' } };

describe('questionnaireEvidenceFrom', () => {
  it('lists each scored answer with its label, criteria, weight and risk', () => {
    expect(questionnaireEvidenceFrom(template, answers).scoredAnswers).toEqual([
      { questionId: 'mfa', answer: 'No', criteria: ['CC6.1'], weight: 3, risk: 1 },
      { questionId: 'reviews', answer: 'Yes', criteria: ['CC6.2', 'C1.1'], weight: 1, risk: 0 },
    ]);
  });

  it('carries the findings the answers raise', () => {
    expect(questionnaireEvidenceFrom(template, answers).findings).toEqual([
      { questionId: 'mfa', question: 'Do you enforce MFA?', answer: 'No', severity: 'high', whyItMatters: 'Passwords alone are phished.', guidance: null, criteria: ['CC6.1'], remediationDate: null, compensatingControl: null },
    ]);
  });

  it("matches the questionnaire engine's category score", () => {
    const evidence = questionnaireEvidenceFrom(template, answers);
    const result = scoreResidualRisk(riskInput({ vendor: TIER4_VENDOR, documents: [], questionnaires: [evidence] }));
    const engine = scoreAnswers(template, answers).categories.security.score!;
    expect(result.assurance.perCategory.security.score).toBeCloseTo((engine * 30) / 100, 0);
  });

  it('records the template id and version', () => {
    expect(questionnaireEvidenceFrom(template, answers)).toMatchObject({ templateId: 'mini', templateVersion: '1.2.0' });
  });
});
