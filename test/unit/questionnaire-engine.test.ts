import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  assertValidAnswers,
  computeProgress,
  pruneHiddenAnswers,
  questionStatuses,
  validateAnswers,
  visibleQuestions,
  validateResponse,
  type Answers,
} from '../../shared/domain/questionnaire/answers.ts';
import { loadTemplate } from '../../shared/domain/questionnaire/parse-template.ts';
import { findingsFromAnswers, scoreAnswers, type ScoreBucket } from '../../shared/domain/questionnaire/scoring.ts';
import { getTemplate, listTemplates } from '../../questionnaires/library.ts';
import { candidateEntriesArbitrary, fillVisible, templateArbitrary, templateWithAnswersArbitrary, withPartialAnswers } from './questionnaire-arbitraries.ts';

const template = loadTemplate(
  {
    id: 'engine-sample',
    version: '1.0.0',
    title: 'Engine sample',
    description: 'Exercises the engine',
    sections: [
      {
        id: 'access',
        title: 'Access',
        questions: [
          { id: 'mfa', text: 'MFA?', type: 'yes-no', criteria: ['CC6.1'], weight: 2, riskyAnswer: 'no', tip: { severity: 'high', whyItMatters: 'Passwords get stolen.' } },
          {
            id: 'factors',
            text: 'Which factors?',
            type: 'multiple-choice',
            criteria: ['CC6.1'],
            when: 'answer("mfa") == "yes"',
            options: [
              { id: 'key', label: 'Security key' },
              { id: 'sms', label: 'SMS', risk: 0.5, tip: { severity: 'medium', whyItMatters: 'SIM swapping.' } },
            ],
          },
          {
            id: 'reviews',
            text: 'Access reviews?',
            type: 'single-choice',
            criteria: ['CC6.2', 'C1.1'],
            options: [
              { id: 'quarterly', label: 'Quarterly' },
              { id: 'never', label: 'Never', risk: 1, tip: { severity: 'critical', whyItMatters: 'Access only grows.' } },
            ],
          },
        ],
      },
      {
        id: 'ai',
        title: 'AI',
        questions: [
          { id: 'uses-ai', text: 'AI?', type: 'yes-no', criteria: ['C1.1'] },
          { id: 'trains', text: 'Train on our data?', type: 'yes-no', criteria: ['C1.1', 'P4.1'], when: 'answer("uses-ai") == "yes"', riskyAnswer: 'yes', tip: { severity: 'high', whyItMatters: 'Memorisation.' } },
        ],
      },
      {
        id: 'recovery',
        title: 'Recovery',
        when: 'answer("uses-ai") == "no"',
        questions: [
          { id: 'rto', text: 'RTO?', type: 'number', criteria: ['A1.2'], min: 0, max: 100, unit: 'hours' },
          { id: 'tested', text: 'Last DR test?', type: 'date', criteria: ['A1.3'], required: false },
          { id: 'pentest', text: 'Pen test', type: 'file', criteria: ['CC4.1'], required: false },
          { id: 'notes', text: 'Notes', type: 'text', criteria: ['CC2.3'], required: false, maxLength: 10 },
          { id: 'backups', text: 'Backups?', type: 'yes-no', criteria: ['A1.2'], allowNa: true, riskyAnswer: 'no', tip: { severity: 'low', whyItMatters: 'Restore.' } },
        ],
      },
    ],
  },
  'engine-sample',
);

const ids = (answers: Answers) => visibleQuestions(template, answers).map((q) => q.id);

describe('visibility', () => {
  it('shows unconditional questions and hides nothing else before any answer', () => {
    expect(ids({})).toEqual(['mfa', 'reviews', 'uses-ai']);
  });

  it('keeps a question pending while the question its condition reads is unanswered', () => {
    expect(questionStatuses(template, {}).get('factors')).toBe('pending');
  });

  it('shows a conditional question once its condition holds', () => {
    expect(ids({ mfa: { value: 'yes' } })).toContain('factors');
  });

  it('hides a conditional question when its condition is false', () => {
    expect(questionStatuses(template, { mfa: { value: 'no' } }).get('factors')).toBe('hidden');
  });

  it('shows a whole section when its condition holds', () => {
    expect(ids({ 'uses-ai': { value: 'no' } })).toEqual(['mfa', 'reviews', 'uses-ai', 'rto', 'tested', 'pentest', 'notes', 'backups']);
  });

  it('hides a whole section when its condition is false', () => {
    expect(ids({ 'uses-ai': { value: 'yes' } })).not.toContain('rto');
  });

  it('prunes answers to questions an earlier answer has hidden', () => {
    expect(Object.keys(pruneHiddenAnswers(template, { 'uses-ai': { value: 'yes' }, trains: { value: 'no' }, rto: { value: 4 } }))).toEqual(['uses-ai', 'trains']);
  });
});

describe('validateAnswers', () => {
  const complete: Answers = {
    mfa: { value: 'yes' },
    factors: { value: ['key'] },
    reviews: { value: 'quarterly' },
    'uses-ai': { value: 'no' },
    rto: { value: 4 },
    backups: { value: 'na' },
  };

  it('accepts a complete, valid answer set', () => {
    expect(validateAnswers(template, complete)).toEqual([]);
  });

  it('reports an unanswered required visible question', () => {
    const { rto: _omitted, ...rest } = complete;
    expect(validateAnswers(template, rest)).toEqual([{ path: 'rto', message: 'required question is not answered' }]);
  });

  it('does not require unanswered questions in a draft', () => {
    expect(validateAnswers(template, { mfa: { value: 'yes' } }, { complete: false })).toEqual([]);
  });

  it('reports an answer to a hidden question', () => {
    expect(validateAnswers(template, { ...complete, trains: { value: 'yes' } })).toEqual([{ path: 'trains', message: expect.stringContaining('hidden by its condition') }]);
  });

  it('lists every problem at once, keyed by question id', () => {
    const problems = validateAnswers(template, {
      ...complete,
      mfa: { value: 'maybe' },
      reviews: { value: 'weekly' },
      rto: { value: 500 },
      tested: { value: '2025-02-30' },
      notes: { value: 'far too long for ten' },
      factors: { value: ['key', 'key'] },
      bogus: { value: 'x' },
      backups: { value: 'no', remediationDate: 'soon' },
    });
    expect(problems.map((p) => p.path)).toEqual(['mfa', 'factors', 'reviews', 'rto', 'tested', 'notes', 'backups', 'bogus']);
  });

  it('rejects N/A where it is not allowed', () => {
    expect(validateAnswers(template, { ...complete, mfa: { value: 'na' } })).toEqual([{ path: 'mfa', message: expect.stringContaining('not applicable is not allowed') }]);
  });

  it('rejects an unknown option id with the valid ones', () => {
    expect(validateAnswers(template, { ...complete, factors: { value: ['push'] } })).toEqual([{ path: 'factors', message: 'unknown option "push"; expected key, sms' }]);
  });

  it('rejects a value of the wrong type', () => {
    expect(validateAnswers(template, { ...complete, rto: { value: '4' } })).toEqual([{ path: 'rto', message: 'answer must be a number' }]);
  });

  it('rejects a response recorded against another template version', () => {
    expect(validateResponse(template, { templateId: 'engine-sample', templateVersion: '0.9.0', answers: complete })).toEqual([
      { path: 'templateVersion', message: expect.stringContaining('version 0.9.0') },
    ]);
  });

  it('validates the answers of a response for the same template version', () => {
    expect(validateResponse(template, { templateId: 'engine-sample', templateVersion: '1.0.0', answers: complete })).toEqual([]);
  });

  it('throws a ValidationError carrying every problem', () => {
    expect(() => assertValidAnswers(template, { mfa: { value: 'maybe' } })).toThrow(ValidationError);
  });

  it('reports an entry that is not an answer object', () => {
    expect(validateAnswers(template, { mfa: null } as unknown as Answers, { complete: false })).toEqual([{ path: 'mfa', message: 'an answer must be an object with a value' }]);
  });

  it('does not read answers through the prototype chain', () => {
    expect(validateAnswers(template, JSON.parse('{"__proto__": {"value": "x"}}') as Answers, { complete: false })).toEqual([{ path: '__proto__', message: 'unknown question id' }]);
  });
});

describe('computeProgress', () => {
  it('counts required visible and pending questions', () => {
    expect(computeProgress(template, {})).toEqual({ percent: 0, answered: 0, total: 7 });
  });

  it('drops hidden questions from the total', () => {
    expect(computeProgress(template, { mfa: { value: 'no' }, 'uses-ai': { value: 'yes' } })).toEqual({ percent: 50, answered: 2, total: 4 });
  });

  it('counts pending questions so that revealing questions does not lower progress', () => {
    const gated = loadTemplate(
      {
        id: 'gated',
        version: '1.0.0',
        title: 'Gated',
        description: 'One gate revealing three questions',
        sections: [
          {
            id: 's',
            title: 'S',
            questions: [
              { id: 'q0', text: 'Q0?', type: 'yes-no', criteria: ['CC1.1'] },
              { id: 'gate', text: 'Gate?', type: 'yes-no', criteria: ['CC1.1'] },
              ...['a', 'b', 'c'].map((id) => ({ id, text: `${id}?`, type: 'yes-no', criteria: ['CC1.1'], when: 'answer("gate") == "yes"' })),
            ],
          },
        ],
      },
      'gated',
    );
    const before = computeProgress(gated, { q0: { value: 'yes' } });
    const after = computeProgress(gated, { q0: { value: 'yes' }, gate: { value: 'yes' } });
    expect([before.percent, after.percent]).toEqual([20, 40]);
  });

  it('reaches 100 for a complete answer set', () => {
    expect(computeProgress(template, { mfa: { value: 'no' }, reviews: { value: 'never' }, 'uses-ai': { value: 'yes' }, trains: { value: 'no' } }).percent).toBe(100);
  });
});

describe('scoreAnswers', () => {
  const answers: Answers = {
    mfa: { value: 'yes' },
    factors: { value: ['key', 'sms'] },
    reviews: { value: 'never' },
    'uses-ai': { value: 'yes' },
    trains: { value: 'no' },
  };
  const scores = scoreAnswers(template, answers);

  it('scores a section as 100 × (1 − Σ weight × risk / Σ weight)', () => {
    // mfa: weight 2, risk 0; factors: weight 1, risk 0.5; reviews: weight 1, risk 1 → 1 − 1.5/4 = 62.5 → 63
    expect(scores.sections[0]).toMatchObject({ sectionId: 'access', score: 63, scoredQuestions: 3 });
  });

  it('scores each Trust Services category from the questions mapped to it', () => {
    // confidentiality: reviews (risk 1), trains (risk 0) → 50
    expect(scores.categories.confidentiality.score).toBe(50);
  });

  it('leaves a category without scored answers at null', () => {
    expect(scores.categories.availability.score).toBeNull();
  });

  it('scores individual criteria', () => {
    expect(scores.criteria['CC6.2']?.score).toBe(0);
  });

  it('leaves N/A answers out of the score', () => {
    expect(scoreAnswers(template, { 'uses-ai': { value: 'no' }, backups: { value: 'na' } }).sections[2]?.score).toBeNull();
  });
});

describe('findingsFromAnswers', () => {
  it('raises a finding for a risky answer with the vendor explanation, most severe first', () => {
    const findings = findingsFromAnswers(template, {
      mfa: { value: 'no', compensatingControl: 'VPN with client certificates', remediationDate: '2026-03-31' },
      reviews: { value: 'never' },
    });
    expect(findings).toEqual([
      expect.objectContaining({ questionId: 'reviews', severity: 'critical', answerLabel: 'Never', whyItMatters: 'Access only grows.' }),
      expect.objectContaining({
        questionId: 'mfa',
        answer: 'no',
        answerLabel: 'No',
        severity: 'high',
        whyItMatters: 'Passwords get stolen.',
        criteria: ['CC6.1'],
        compensatingControl: 'VPN with client certificates',
        remediationDate: '2026-03-31',
      }),
    ]);
  });

  it('takes the worst selected option of a multiple choice', () => {
    expect(findingsFromAnswers(template, { mfa: { value: 'yes' }, factors: { value: ['key', 'sms'] } })).toEqual([expect.objectContaining({ questionId: 'factors', severity: 'medium', risk: 0.5 })]);
  });

  it('raises nothing for safe answers', () => {
    expect(findingsFromAnswers(template, { mfa: { value: 'yes' }, reviews: { value: 'quarterly' } })).toEqual([]);
  });

  it('raises nothing for answers to hidden questions', () => {
    expect(findingsFromAnswers(template, { 'uses-ai': { value: 'no' }, trains: { value: 'yes' } })).toEqual([]);
  });
});

const inRange = (bucket: ScoreBucket) => bucket.score === null || (Number.isInteger(bucket.score) && bucket.score >= 0 && bucket.score <= 100);
const shipped = listTemplates().map((summary) => getTemplate(summary.id)!);
const shippedWithAnswers = fc.constantFrom(...shipped).chain(withPartialAnswers);
const anyTemplateWithAnswers = fc.oneof(templateWithAnswersArbitrary, shippedWithAnswers);

describe('engine properties', () => {
  it('never requires a hidden question: answering every visible question yields a valid, complete answer set', () => {
    fc.assert(
      fc.property(
        templateArbitrary.chain((t) => candidateEntriesArbitrary(t).map((c) => ({ t, c }))),
        ({ t, c }) => {
          expect(validateAnswers(t, fillVisible(t, c))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports "required" only for visible questions', () => {
    fc.assert(
      fc.property(anyTemplateWithAnswers, ({ template: t, answers }) => {
        const statuses = questionStatuses(t, answers);
        const required = validateAnswers(t, answers).filter((p) => p.message === 'required question is not answered');
        expect(required.every((p) => statuses.get(p.path) === 'visible')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps progress within 0-100', () => {
    fc.assert(
      fc.property(anyTemplateWithAnswers, ({ template: t, answers }) => {
        const { percent } = computeProgress(t, answers);
        expect(percent >= 0 && percent <= 100 && Number.isInteger(percent)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers progress when an answer is added to a visible question', () => {
    fc.assert(
      fc.property(anyTemplateWithAnswers, ({ template: t, answers, candidates }) => {
        const before = computeProgress(t, answers).percent;
        const open = visibleQuestions(t, answers).filter((q) => answers[q.id] === undefined);
        const lowered = open.filter((q) => computeProgress(t, { ...answers, [q.id]: candidates[q.id]! }).percent < before).map((q) => q.id);
        expect(lowered).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every score within 0-100 or null', () => {
    fc.assert(
      fc.property(anyTemplateWithAnswers, ({ template: t, answers }) => {
        const scores = scoreAnswers(t, answers);
        const buckets = [scores.overall, ...scores.sections, ...Object.values(scores.categories), ...Object.values(scores.criteria)];
        expect(buckets.every(inRange)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('raises findings only for visible answered questions', () => {
    fc.assert(
      fc.property(anyTemplateWithAnswers, ({ template: t, answers }) => {
        const statuses = questionStatuses(t, answers);
        expect(findingsFromAnswers(t, answers).every((f) => statuses.get(f.questionId) === 'visible' && answers[f.questionId] !== undefined)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
