/** Fills a questionnaire the way a careful vendor with good controls would: the least risky answer everywhere. */
import { visibleQuestions, type AnswerEntry, type AnswerValue } from '../../shared/domain/questionnaire/answers.ts';
import type { Question, QuestionnaireTemplate } from '../../shared/domain/questionnaire/template-schema.ts';

function safestValue(q: Question): AnswerValue {
  switch (q.type) {
    case 'yes-no':
      return q.riskyAnswer === 'yes' ? 'no' : 'yes';
    case 'single-choice':
      return [...q.options].sort((a, b) => a.risk - b.risk)[0]!.id;
    case 'multiple-choice': {
      const sorted = [...q.options].sort((a, b) => a.risk - b.risk);
      return sorted.slice(0, Math.max(1, q.minSelections ?? 1)).map((o) => o.id);
    }
    case 'text':
      return 'Documented in our security program; evidence available on request.';
    case 'number':
      return q.min ?? 1;
    case 'date':
      return '2026-06-30';
    case 'file':
      return 'see uploaded documents';
  }
}

/** Answers every visible question (repeating until conditional questions stop appearing). */
export function safestAnswers(template: QuestionnaireTemplate): Record<string, AnswerEntry> {
  const answers: Record<string, AnswerEntry> = {};
  for (let round = 0; round < 10; round++) {
    const missing = visibleQuestions(template, answers).filter((q) => !(q.id in answers));
    if (missing.length === 0) break;
    for (const q of missing) answers[q.id] = { value: safestValue(q) };
  }
  return answers;
}
