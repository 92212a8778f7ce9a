/**
 * The zod-free half of the answer rules: answer values, which questions are visible, and whether a value is a valid
 * answer. Split from answers.ts (which re-exports all of it) so that the browser bundles import the same functions
 * the server uses without pulling in zod (docs/adr/0016-typed-browser-code.md).
 *
 * Visibility. Each question is visible, hidden or pending. A question (and its section) is evaluated in document
 * order with three-valued logic (see expression.ts): `answer("q")` is q's answer when q is visible and answered,
 * null when q is hidden, and UNKNOWN when q is visible but unanswered or still pending. A question is visible when
 * its section's and its own conditions are true, hidden when either is false, and pending otherwise (it will appear
 * or not once earlier questions are answered). An answer that is not valid for its question reads as UNKNOWN too.
 * Only visible questions are shown and can be required; answering a hidden question is a problem.
 */
import { evaluateExpression, isTruthy, UNKNOWN, type ExpressionValue, type Expression, type Unknown } from './expression.ts';
import { indexTemplate } from './template-index.ts';
import type { Question, QuestionnaireTemplate } from './template-schema.ts';

export const MAX_NOTE_LENGTH = 4000;
export const MAX_FILE_REFERENCE_LENGTH = 500;

/**
 * A stored answer value. yes-no: "yes" | "no" | "na"; single-choice: the option id; multiple-choice: option ids;
 * text: the text; number: the number; date: "YYYY-MM-DD"; file: a reference to the uploaded evidence (document id).
 */
export type AnswerValue = string | number | readonly string[];

export interface AnswerEntry {
  value: AnswerValue;
  comment?: string | undefined;
  /** The vendor's explanation of a control that offsets the risk this answer implies. */
  compensatingControl?: string | undefined;
  /** When the vendor commits to fix the gap, "YYYY-MM-DD". */
  remediationDate?: string | undefined;
}

/** Answers keyed by question id. */
export type Answers = Readonly<Record<string, AnswerEntry>>;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True when the entry holds an answer: not missing, not blank text, not an empty selection. */
export function hasAnswer(entry: AnswerEntry | undefined): entry is AnswerEntry {
  if (typeof entry !== 'object' || entry === null) return false;
  const { value } = entry;
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.length > 0;
}

/** Reads an answer without walking the prototype chain (ids come from untrusted input). */
export function answerOf(answers: Answers, questionId: string): AnswerEntry | undefined {
  return Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

export type QuestionStatus = 'visible' | 'hidden' | 'pending';

function combine(conditions: (Expression | undefined)[], lookup: (id: string) => ExpressionValue | Unknown): QuestionStatus {
  let pending = false;
  for (const condition of conditions) {
    if (condition === undefined) continue;
    const value = evaluateExpression(condition, lookup);
    if (value === UNKNOWN) pending = true;
    else if (!isTruthy(value)) return 'hidden';
  }
  return pending ? 'pending' : 'visible';
}

/** The status of every question, keyed by id, in document order. */
export function questionStatuses(template: QuestionnaireTemplate, answers: Answers): Map<string, QuestionStatus> {
  const statuses = new Map<string, QuestionStatus>();
  const { byId, questions } = indexTemplate(template);
  const lookup = (id: string): ExpressionValue | Unknown => {
    const status = statuses.get(id);
    if (status === 'hidden') return null;
    const question = byId.get(id)?.question;
    const entry = answerOf(answers, id);
    if (status !== 'visible' || !question || !hasAnswer(entry)) return UNKNOWN;
    return answerValueProblem(question, entry.value) === undefined ? entry.value : UNKNOWN;
  };
  for (const indexed of questions) {
    statuses.set(indexed.question.id, combine([indexed.sectionWhen, indexed.when], lookup));
  }
  return statuses;
}

/** The questions shown for this answer set, in document order. */
export function visibleQuestions(template: QuestionnaireTemplate, answers: Answers): Question[] {
  const statuses = questionStatuses(template, answers);
  return indexTemplate(template)
    .questions.filter((q) => statuses.get(q.question.id) === 'visible')
    .map((q) => q.question);
}

/** The answers to questions that are not visible, removed (use after a vendor changes an earlier answer). */
export function pruneHiddenAnswers(template: QuestionnaireTemplate, answers: Answers): Record<string, AnswerEntry> {
  const statuses = questionStatuses(template, answers);
  return Object.fromEntries(Object.entries(answers).filter(([id]) => statuses.get(id) === 'visible'));
}

/** Why `value` is not a valid answer to `question`, or undefined when it is. */
export function answerValueProblem(question: Question, value: AnswerValue): string | undefined {
  switch (question.type) {
    case 'yes-no': {
      const allowed = question.allowNa ? ['yes', 'no', 'na'] : ['yes', 'no'];
      if (typeof value !== 'string' || !allowed.includes(value)) {
        return `answer must be ${allowed.map((a) => `"${a}"`).join(' or ')}${question.allowNa ? '' : ' (not applicable is not allowed here)'}`;
      }
      return undefined;
    }
    case 'single-choice': {
      if (typeof value !== 'string') return 'answer must be one option id';
      const ids = question.options.map((o) => o.id);
      return ids.includes(value) ? undefined : `unknown option "${value}"; expected one of ${ids.join(', ')}`;
    }
    case 'multiple-choice': {
      if (!Array.isArray(value)) return 'answer must be a list of option ids';
      const ids = question.options.map((o) => o.id);
      const unknown = value.filter((v) => typeof v !== 'string' || !ids.includes(v));
      if (unknown.length > 0) return `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${ids.join(', ')}`;
      if (new Set(value).size !== value.length) return 'an option is selected twice';
      if (question.minSelections !== undefined && value.length < question.minSelections) return `select at least ${question.minSelections} options`;
      if (question.maxSelections !== undefined && value.length > question.maxSelections) return `select at most ${question.maxSelections} options`;
      return undefined;
    }
    case 'text':
      if (typeof value !== 'string') return 'answer must be text';
      return value.length > question.maxLength ? `answer is longer than ${question.maxLength} characters` : undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'answer must be a number';
      if (question.integer && !Number.isInteger(value)) return 'answer must be a whole number';
      if (question.min !== undefined && value < question.min) return `answer must be at least ${question.min}`;
      if (question.max !== undefined && value > question.max) return `answer must be at most ${question.max}`;
      return undefined;
    case 'date':
      return typeof value === 'string' && isIsoDate(value) ? undefined : 'answer must be a date written YYYY-MM-DD';
    case 'file':
      if (typeof value !== 'string') return 'answer must be a reference to an uploaded file';
      return value.length > MAX_FILE_REFERENCE_LENGTH ? `file reference is longer than ${MAX_FILE_REFERENCE_LENGTH} characters` : undefined;
  }
}
