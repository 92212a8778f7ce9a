/**
 * How far along an answer set is, for the whole questionnaire and per section, by one rule (the definition is in
 * answers.ts's module comment): the counted questions are the template's required ones, or all of them when none is
 * required; hidden questions leave the count; a question counts as answered when it is visible and answered. The
 * questionnaire's figure is the sum of its sections', so the counts a page shows agree with each other. Split from
 * answers.ts (which re-exports it) so that the portal's bundle computes them with the server's code and no zod.
 */
import { answerOf, hasAnswer, questionStatuses, type Answers } from './answer-visibility.ts';
import { indexTemplate } from './template-index.ts';
import type { QuestionnaireTemplate } from './template-schema.ts';

export interface Progress {
  percent: number;
  answered: number;
  total: number;
}

export interface SectionProgress {
  sectionId: string;
  /** Counted questions answered. */
  answered: number;
  /** Counted questions not hidden. */
  total: number;
  /** Questions of the section not hidden (counted or not), so a section of optional questions can say it is shown. */
  shown: number;
}

/** Each section's counted answers, in document order. */
export function sectionProgress(template: QuestionnaireTemplate, answers: Answers): SectionProgress[] {
  const { questions } = indexTemplate(template);
  const anyRequired = questions.some((q) => q.question.required);
  const statuses = questionStatuses(template, answers);
  const bySection = new Map<string, SectionProgress>(template.sections.map((s) => [s.id, { sectionId: s.id, answered: 0, total: 0, shown: 0 }]));
  for (const { question, section } of questions) {
    const status = statuses.get(question.id);
    if (status === 'hidden') continue;
    const counts = bySection.get(section.id)!;
    counts.shown += 1;
    if (anyRequired && !question.required) continue;
    counts.total += 1;
    if (status === 'visible' && hasAnswer(answerOf(answers, question.id))) counts.answered += 1;
  }
  return [...bySection.values()];
}

/** How far along an answer set is: the sum of its sections. */
export function computeProgress(template: QuestionnaireTemplate, answers: Answers): Progress {
  const sections = sectionProgress(template, answers);
  const answered = sections.reduce((sum, s) => sum + s.answered, 0);
  const total = sections.reduce((sum, s) => sum + s.total, 0);
  return { percent: total === 0 ? 100 : Math.floor((100 * answered) / total), answered, total };
}
