/** An answer in words (option labels, units), split from scoring.ts (which re-exports it) for the portal's bundle. */
import type { AnswerValue } from './answer-visibility.ts';
import type { Question } from './template-schema.ts';

/** A readable rendering of an answer value: option labels, "Yes"/"No"/"Not applicable", numbers with their unit. */
export function answerLabel(question: Question, value: AnswerValue): string {
  switch (question.type) {
    case 'yes-no':
      return value === 'yes' ? 'Yes' : value === 'no' ? 'No' : value === 'na' ? 'Not applicable' : String(value);
    case 'single-choice':
      return question.options.find((o) => o.id === value)?.label ?? String(value);
    case 'multiple-choice': {
      const ids: readonly string[] = typeof value === 'string' || typeof value === 'number' ? [String(value)] : value;
      return ids.map((id) => question.options.find((o) => o.id === id)?.label ?? id).join('; ');
    }
    case 'number':
      return question.unit === undefined ? String(value) : `${String(value)} ${question.unit}`;
    default:
      return String(value);
  }
}
