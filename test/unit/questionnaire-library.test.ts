import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.ts';
import { getQuestionnaire, listQuestionnaires } from '../../shared/app/questionnaires.ts';
import { parseTemplateText } from '../../shared/domain/questionnaire/parse-template.ts';
import { parseSelectionPolicy } from '../../shared/domain/questionnaire/selection.ts';
import { renderQuestionnaireJsonSchema } from '../../shared/domain/questionnaire/template-schema.ts';
import { commonCriteriaGroup } from '../../shared/domain/questionnaire/trust-services-criteria.ts';
import { getTemplate, listTemplates, selectTemplates, selectionPolicy } from '../../questionnaires/library.ts';

const fileOf = (name: string) => fileURLToPath(new URL(`../../questionnaires/${name}`, import.meta.url));
const questionsOf = (id: string) => getTemplate(id)!.sections.flatMap((s) => s.questions);
const SHIPPED = ['baseline-security', 'saas-lite', 'privacy-dpa', 'availability-critical'];

describe('shipped questionnaire library', () => {
  it('lists the four shipped templates', () => {
    expect(listTemplates().map((t) => t.id)).toEqual(SHIPPED);
  });

  it.each(SHIPPED)('%s validates from its file on disk', (id) => {
    const result = parseTemplateText(readFileSync(fileOf(`${id}.json`), 'utf8'), `${id}.json`);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it.each(SHIPPED)('%s has an id matching its file name and a semantic version', (id) => {
    expect(getTemplate(id)).toMatchObject({ id, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('ships at least 70 baseline security questions', () => {
    expect(questionsOf('baseline-security').length).toBeGreaterThanOrEqual(70);
  });

  it('ships about 25 saas-lite questions', () => {
    expect(questionsOf('saas-lite').length).toBeGreaterThanOrEqual(22);
    expect(questionsOf('saas-lite').length).toBeLessThanOrEqual(28);
  });

  it('ships about 30 privacy-dpa questions', () => {
    expect(questionsOf('privacy-dpa').length).toBeGreaterThanOrEqual(27);
    expect(questionsOf('privacy-dpa').length).toBeLessThanOrEqual(33);
  });

  it('ships about 20 availability-critical questions', () => {
    expect(questionsOf('availability-critical').length).toBeGreaterThanOrEqual(18);
    expect(questionsOf('availability-critical').length).toBeLessThanOrEqual(22);
  });

  it('covers every common-criteria group CC1-CC9 in the baseline', () => {
    const groups = new Set(questionsOf('baseline-security').flatMap((q) => q.criteria.map(commonCriteriaGroup)));
    expect(['CC1', 'CC2', 'CC3', 'CC4', 'CC5', 'CC6', 'CC7', 'CC8', 'CC9'].filter((g) => !groups.has(g))).toEqual([]);
  });

  it('covers the required topic areas in the baseline', () => {
    expect(getTemplate('baseline-security')!.sections.map((s) => s.id)).toEqual([
      'governance',
      'people-security',
      'asset-management',
      'access-control',
      'cryptography',
      'secure-development',
      'change-management',
      'operations-monitoring',
      'vulnerability-management',
      'incident-response',
      'business-continuity',
      'third-party-management',
      'data-protection',
      'ai-use',
    ]);
  });

  it('maps every privacy question to a Privacy criterion', () => {
    const questions = questionsOf('privacy-dpa');
    expect(questions.filter((q) => q.criteria.some((c) => /^P\d/.test(c))).length).toBe(questions.length);
  });

  it('maps the availability questionnaire to the Availability criteria', () => {
    const questions = questionsOf('availability-critical');
    expect(questions.filter((q) => q.criteria.some((c) => c.startsWith('A1'))).length).toBeGreaterThanOrEqual(questions.length / 2);
  });

  it('gives most yes-no questions a risky answer with a tip', () => {
    const yesNo = SHIPPED.flatMap(questionsOf).filter((q) => q.type === 'yes-no');
    const withTip = yesNo.filter((q) => q.type === 'yes-no' && q.riskyAnswer !== undefined && q.tip !== undefined);
    expect(withTip.length / yesNo.length).toBeGreaterThan(0.9);
  });

  it('summarises each template with its counts', () => {
    expect(listTemplates().find((t) => t.id === 'saas-lite')).toEqual({
      id: 'saas-lite',
      version: '1.0.0',
      title: 'SaaS lite questionnaire',
      description: expect.any(String),
      questionCount: questionsOf('saas-lite').length,
      sectionCount: getTemplate('saas-lite')!.sections.length,
    });
  });

  it('returns undefined for an unknown template id', () => {
    expect(getTemplate('sig-lite')).toBeUndefined();
  });
});

describe('questionnaires/schema.json', () => {
  it('equals a fresh generation from the zod schema (run scripts/generate-questionnaire-schema.ts)', () => {
    expect(readFileSync(fileOf('schema.json'), 'utf8')).toBe(renderQuestionnaireJsonSchema());
  });
});

describe('template selection by tier and data types', () => {
  const ids = (input: Parameters<typeof selectTemplates>[0]) => selectTemplates(input).map((s) => s.templateId);

  it('gives a tier 4 vendor without personal data the lite questionnaire only', () => {
    expect(ids({ tier: 4, dataTypes: [], criticality: 'low' })).toEqual(['saas-lite']);
  });

  it('gives a tier 2 vendor the baseline questionnaire', () => {
    expect(ids({ tier: 2, dataTypes: ['intellectual-property'], criticality: 'high' })).toEqual(['baseline-security']);
  });

  it('adds the privacy questionnaire for personal data', () => {
    expect(ids({ tier: 3, dataTypes: ['personal'], criticality: 'medium' })).toEqual(['saas-lite', 'privacy-dpa']);
  });

  it('adds the privacy questionnaire for employee data', () => {
    expect(ids({ tier: 2, dataTypes: ['employee'], criticality: 'medium' })).toContain('privacy-dpa');
  });

  it('adds the availability questionnaire for tier 1', () => {
    expect(ids({ tier: 1, dataTypes: ['health'], criticality: 'high' })).toEqual(['baseline-security', 'privacy-dpa', 'availability-critical']);
  });

  it('adds the availability questionnaire for a critical service at any tier', () => {
    expect(ids({ tier: 3, dataTypes: [], criticality: 'critical' })).toEqual(['saas-lite', 'availability-critical']);
  });

  it('explains each choice with every rule that made it', () => {
    expect(selectTemplates({ tier: 1, dataTypes: [], criticality: 'critical' }).find((s) => s.templateId === 'availability-critical')?.reasons).toHaveLength(2);
  });

  it('rejects a policy that names an unknown template', () => {
    const broken = { ...selectionPolicy, rules: [{ description: 'x', when: {}, templates: ['sig-core'] }] };
    expect(() => parseSelectionPolicy(broken, SHIPPED)).toThrow(ValidationError);
  });

  it('rejects a policy with an unknown tier', () => {
    expect(() => parseSelectionPolicy({ version: '1', rules: [{ description: 'x', when: { tiers: [5] }, templates: ['saas-lite'] }] })).toThrow(ValidationError);
  });
});

describe('questionnaire use cases', () => {
  it('lists questionnaires as summaries', () => {
    expect(listQuestionnaires().map((q) => q.questionCount)).toEqual(SHIPPED.map((id) => questionsOf(id).length));
  });

  it('returns a questionnaire by id', () => {
    expect(getQuestionnaire('privacy-dpa').id).toBe('privacy-dpa');
  });

  it('throws NotFoundError for an unknown id', () => {
    expect(() => getQuestionnaire('caiq')).toThrow(NotFoundError);
  });
});
