/**
 * The risk one answer implies and the tip that explains it (the rule is written at the top of scoring.ts, which
 * re-exports this). Zod-free, so that the portal's bundle shows the very tip the server scores
 * (docs/adr/0016-typed-browser-code.md).
 */
import type { AnswerValue } from './answer-visibility.ts';
import { severityRank } from './severity.ts';
import type { Question, Tip } from './template-schema.ts';

/** A question's risk for an answer, with the tip that explains it; undefined when the answer is not scored. */
export interface AnswerRisk {
  risk: number;
  tip: Tip | undefined;
}

/** True when the question contributes to scores at all. */
export function isScoredQuestion(question: Question): boolean {
  if (question.weight <= 0) return false;
  if (question.type === 'yes-no') return question.riskyAnswer !== undefined;
  if (question.type === 'single-choice' || question.type === 'multiple-choice') return question.options.some((o) => o.risk > 0);
  return false;
}

/** The risk an answer implies, or undefined when the question is not scored or the answer is "na" or invalid. */
export function answerRisk(question: Question, value: AnswerValue): AnswerRisk | undefined {
  if (!isScoredQuestion(question)) return undefined;
  switch (question.type) {
    case 'yes-no':
      if (value !== 'yes' && value !== 'no') return undefined;
      return value === question.riskyAnswer ? { risk: 1, tip: question.tip } : { risk: 0, tip: undefined };
    case 'single-choice': {
      const option = question.options.find((o) => o.id === value);
      return option ? { risk: option.risk, tip: option.risk > 0 ? option.tip : undefined } : undefined;
    }
    case 'multiple-choice': {
      if (!Array.isArray(value)) return undefined;
      const selected = question.options.filter((o) => value.includes(o.id));
      if (selected.length !== value.length) return undefined;
      let worst: AnswerRisk = { risk: 0, tip: undefined };
      for (const option of selected) {
        const better = option.risk > worst.risk || (option.risk === worst.risk && option.risk > 0 && severityRank(option.tip?.severity) > severityRank(worst.tip?.severity));
        if (better) worst = { risk: option.risk, tip: option.tip };
      }
      return worst;
    }
    default:
      return undefined;
  }
}
