/** fast-check generators for the questionnaire engine tests: random valid templates and answer sets. */
import fc from 'fast-check';
import { hasAnswer, questionStatuses, type AnswerEntry, type AnswerValue, type Answers } from '../../shared/domain/questionnaire/answers.ts';
import { loadTemplate } from '../../shared/domain/questionnaire/parse-template.ts';
import type { Question, QuestionnaireTemplate, QuestionnaireTemplateInput } from '../../shared/domain/questionnaire/template-schema.ts';

const TYPES = ['yes-no', 'single-choice', 'multiple-choice', 'text', 'number', 'date', 'file'] as const;

const questionSpec = fc.record({
  type: fc.constantFrom(...TYPES),
  required: fc.boolean(),
  allowNa: fc.boolean(),
  risky: fc.constantFrom('yes', 'no', undefined),
  optionRisks: fc.array(fc.constantFrom(0, 0, 0.25, 0.5, 1), { minLength: 2, maxLength: 4 }),
  weight: fc.integer({ min: 0, max: 5 }),
  condition: fc.option(
    fc.record({ target: fc.nat(), option: fc.nat(), form: fc.constantFrom('equals', 'differs', 'not-equals', 'or-equals', 'and-equals') }),
    { nil: undefined },
  ),
});

const templateSpec = fc.record({
  questions: fc.array(questionSpec, { minLength: 1, maxLength: 14 }),
  sectionSizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
  sectionConditions: fc.array(fc.option(fc.record({ target: fc.nat(), option: fc.nat() }), { nil: undefined }), { minLength: 5, maxLength: 5 }),
});

type QuestionInput = QuestionnaireTemplateInput['sections'][number]['questions'][number];

function choiceIdsOf(q: QuestionInput): string[] {
  if (q.type === 'yes-no') return q.allowNa ? ['yes', 'no', 'na'] : ['yes', 'no'];
  if (q.type === 'single-choice' || q.type === 'multiple-choice') return q.options.map((o) => o.id);
  return [];
}

function conditionOn(target: QuestionInput, optionIndex: number, form: string): string {
  const ids = choiceIdsOf(target);
  const id = ids[optionIndex % ids.length] as string;
  const other = ids[(optionIndex + 1) % ids.length] as string;
  const read = `answer("${target.id}")`;
  const test = (value: string) => (target.type === 'multiple-choice' ? `includes(${read}, "${value}")` : `${read} == "${value}"`);
  switch (form) {
    case 'differs':
      return target.type === 'multiple-choice' ? `not includes(${read}, "${id}")` : `${read} != "${id}"`;
    case 'not-equals':
      return `not (${test(id)})`;
    case 'or-equals':
      return `${test(id)} or ${test(other)}`;
    case 'and-equals':
      return `${test(id)} and count(${read}) >= 1`;
    default:
      return test(id);
  }
}

/** Random valid templates, with question- and section-level conditions over earlier required choice questions. */
export const templateArbitrary: fc.Arbitrary<QuestionnaireTemplate> = templateSpec.map(({ questions: specs, sectionSizes, sectionConditions }) => {
  const built: QuestionInput[] = [];
  const sectionOf: number[] = [];
  const sections: { id: string; title: string; when?: string; questions: QuestionInput[] }[] = [];
  let cursor = 0;
  for (let s = 0; cursor < specs.length; s += 1) {
    const size = sectionSizes[s % sectionSizes.length] as number;
    const gates = built.filter((q) => q.required !== false && choiceIdsOf(q).length > 0);
    const sectionCondition = sectionConditions[s % sectionConditions.length];
    const section: (typeof sections)[number] = { id: `s${s}`, title: `Section ${s}`, questions: [] };
    if (sectionCondition && gates.length > 0) {
      section.when = conditionOn(gates[sectionCondition.target % gates.length] as QuestionInput, sectionCondition.option, 'equals');
    }
    for (const spec of specs.slice(cursor, cursor + size)) {
      const index = built.length;
      const base = { id: `q${index}`, text: `Question ${index}?`, criteria: ['CC6.1'], required: spec.required, weight: spec.weight };
      const options = spec.optionRisks.map((risk, i) => ({
        id: `o${i}`,
        label: `Option ${i}`,
        risk,
        ...(risk > 0 ? { tip: { severity: 'medium' as const, whyItMatters: `Option ${i} is risky.` } } : {}),
      }));
      let question: QuestionInput;
      switch (spec.type) {
        case 'yes-no':
          question = { ...base, type: 'yes-no', allowNa: spec.allowNa, ...(spec.risky ? { riskyAnswer: spec.risky, tip: { severity: 'high', whyItMatters: 'Risky.' } } : {}) };
          break;
        case 'single-choice':
          question = { ...base, type: 'single-choice', options };
          break;
        case 'multiple-choice':
          question = { ...base, type: 'multiple-choice', options };
          break;
        case 'number':
          question = { ...base, type: 'number', min: -1000, max: 1000, integer: true };
          break;
        default:
          question = { ...base, type: spec.type };
      }
      const earlierGates = built.filter((q) => q.required !== false && choiceIdsOf(q).length > 0);
      if (spec.condition && earlierGates.length > 0) {
        question.when = conditionOn(earlierGates[spec.condition.target % earlierGates.length] as QuestionInput, spec.condition.option, spec.condition.form);
      }
      built.push(question);
      sectionOf.push(s);
      section.questions.push(question);
    }
    cursor += size;
    sections.push(section);
  }
  return loadTemplate({ id: 'generated', version: '1.0.0', title: 'Generated', description: 'Generated by fast-check', sections }, 'generated');
});

const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const nonBlank = fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).filter((s) => s.trim() !== '');
// Built once: constructing arbitraries (stringMatching above all) costs more than drawing from them.
const fileReference = fc.stringMatching(/^doc-[a-z0-9]{4,12}$/);
const notes = {
  comment: fc.option(fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }), { nil: undefined }),
  compensatingControl: fc.option(fc.string({ minLength: 1, maxLength: 60 }), { nil: undefined }),
  remediationDate: fc.option(isoDate, { nil: undefined }),
};

/** A valid value for the question. */
export function valueArbitrary(question: Question): fc.Arbitrary<AnswerValue> {
  switch (question.type) {
    case 'yes-no':
      return fc.constantFrom(...(question.allowNa ? ['yes', 'no', 'na'] : ['yes', 'no']));
    case 'single-choice':
      return fc.constantFrom(...question.options.map((o) => o.id));
    case 'multiple-choice': {
      const min = Math.max(1, question.minSelections ?? 1);
      const max = Math.min(question.options.length, question.maxSelections ?? question.options.length);
      return fc.shuffledSubarray(question.options.map((o) => o.id), { minLength: min, maxLength: max });
    }
    case 'text':
      return nonBlank;
    case 'number':
      return fc.integer({ min: Math.max(question.min ?? -1e6, -1e6), max: Math.min(question.max ?? 1e6, 1e6) });
    case 'date':
      return isoDate;
    case 'file':
      return fileReference;
  }
}

/** A valid entry: a value plus, sometimes, the vendor's notes. */
export function entryArbitrary(question: Question): fc.Arbitrary<AnswerEntry> {
  return fc
    .record({ value: valueArbitrary(question), ...notes })
    .map((entry) => Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as AnswerEntry);
}

/** A candidate entry for every question (whether or not it ends up visible). */
export function candidateEntriesArbitrary(template: QuestionnaireTemplate): fc.Arbitrary<Record<string, AnswerEntry>> {
  const questions = template.sections.flatMap((s) => s.questions);
  return fc.tuple(...questions.map((q) => entryArbitrary(q))).map((entries) => Object.fromEntries(questions.map((q, i) => [q.id, entries[i] as AnswerEntry])));
}

/** Answers every visible question from `candidates` (when `keep` says so), repeating until nothing new is shown. */
export function fillVisible(template: QuestionnaireTemplate, candidates: Record<string, AnswerEntry>, keep: (id: string) => boolean = () => true): Record<string, AnswerEntry> {
  const answers: Record<string, AnswerEntry> = {};
  for (let round = 0; round <= template.sections.reduce((n, s) => n + s.questions.length, 0); round += 1) {
    const statuses = questionStatuses(template, answers);
    let changed = false;
    for (const [id, status] of statuses) {
      const candidate = candidates[id];
      if (status === 'visible' && !hasAnswer(answers[id]) && candidate && keep(id)) {
        answers[id] = candidate;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return answers;
}

/** A template with a partial, valid answer set: some visible questions answered, others not. */
export function withPartialAnswers(template: QuestionnaireTemplate): fc.Arbitrary<{ template: QuestionnaireTemplate; answers: Answers; candidates: Record<string, AnswerEntry> }> {
  const ids = template.sections.flatMap((s) => s.questions.map((q) => q.id));
  return fc
    .tuple(candidateEntriesArbitrary(template), fc.subarray(ids))
    .map(([candidates, kept]) => {
      const keep = new Set(kept);
      return { template, candidates, answers: fillVisible(template, candidates, (id) => keep.has(id)) };
    });
}

/** A random template with a partial, valid answer set. */
export const templateWithAnswersArbitrary = templateArbitrary.chain(withPartialAnswers);
