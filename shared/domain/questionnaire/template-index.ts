/**
 * A flat, cached view of a template for the engine: questions in document order with their section and JSON path,
 * and the `when` expressions parsed once. Templates are immutable values, so the cache is keyed by identity.
 */
import { parseExpression, type Expression } from './expression.ts';
import type { Question, QuestionnaireTemplate, Section } from './template-schema.ts';

export interface IndexedQuestion {
  question: Question;
  section: Section;
  sectionIndex: number;
  questionIndex: number;
  /** Position in document order, 0-based. */
  order: number;
  /** JSON path of the question in the template, e.g. "sections[2].questions[4]". */
  path: string;
  /** The question's own condition, if any (the section's is in `sectionWhen`). */
  when: Expression | undefined;
  sectionWhen: Expression | undefined;
}

export interface TemplateIndex {
  questions: IndexedQuestion[];
  byId: Map<string, IndexedQuestion>;
}

const cache = new WeakMap<QuestionnaireTemplate, TemplateIndex>();

/** Indexes a template that has passed parseTemplate (its expressions are known to parse). */
export function indexTemplate(template: QuestionnaireTemplate): TemplateIndex {
  const cached = cache.get(template);
  if (cached) return cached;
  const questions: IndexedQuestion[] = [];
  const byId = new Map<string, IndexedQuestion>();
  template.sections.forEach((section, sectionIndex) => {
    const sectionWhen = section.when === undefined ? undefined : parseExpression(section.when);
    section.questions.forEach((question, questionIndex) => {
      const entry: IndexedQuestion = {
        question,
        section,
        sectionIndex,
        questionIndex,
        order: questions.length,
        path: `sections[${sectionIndex}].questions[${questionIndex}]`,
        when: question.when === undefined ? undefined : parseExpression(question.when),
        sectionWhen,
      };
      questions.push(entry);
      if (!byId.has(question.id)) byId.set(question.id, entry);
    });
  });
  const index = { questions, byId };
  cache.set(template, index);
  return index;
}

/** The answer ids a question accepts when it is a choice (yes-no included), else undefined. */
export function choiceIds(question: Question): string[] | undefined {
  switch (question.type) {
    case 'yes-no':
      return question.allowNa ? ['yes', 'no', 'na'] : ['yes', 'no'];
    case 'single-choice':
    case 'multiple-choice':
      return question.options.map((option) => option.id);
    default:
      return undefined;
  }
}
