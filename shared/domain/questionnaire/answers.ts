/**
 * Answers to a questionnaire and the rules over them: which questions are visible, whether an answer set is valid,
 * and how far along it is. Pure functions of (template, answers).
 *
 * Visibility. Each question is visible, hidden or pending. A question (and its section) is evaluated in document
 * order with three-valued logic (see expression.ts): `answer("q")` is q's answer when q is visible and answered,
 * null when q is hidden, and UNKNOWN when q is visible but unanswered or still pending. A question is visible when
 * its section's and its own conditions are true, hidden when either is false, and pending otherwise (it will appear
 * or not once earlier questions are answered). An answer that is not valid for its question reads as UNKNOWN too.
 * Only visible questions are shown and can be required; answering a hidden question is a problem.
 *
 * Progress. The counted questions are the template's required questions, or all of its questions when none is
 * required. progress = floor(100 × answered visible counted / (visible + pending counted)), and 100 when nothing is
 * counted. Answering a question never lowers it: answers only turn pending questions into visible ones (already in
 * the denominator) or hidden ones (which leave it).
 */
import { z } from 'zod';
import type { ProblemDetail } from '../errors.ts';
import { ValidationError } from '../errors.ts';
import { evaluateExpression, isTruthy, UNKNOWN, type ExpressionValue, type Expression, type Unknown } from './expression.ts';
import { indexTemplate, type IndexedQuestion } from './template-index.ts';
import type { Question, QuestionnaireTemplate } from './template-schema.ts';

export const MAX_NOTE_LENGTH = 4000;
export const MAX_FILE_REFERENCE_LENGTH = 500;

/**
 * The most an assessment's answers may take, as UTF-8 JSON. The sheet is one DynamoDB item (at most 400 KB), and the
 * local store's write-ahead intent holds it twice, before and after, gzipped: 200 KB leaves room for both even when
 * the text does not compress. Every question at its text limits would not fit (90 questions with two 4,000-character
 * notes are 720,000 characters), so the cap is the rule: longer material belongs in an uploaded document.
 */
export const MAX_ANSWER_SHEET_BYTES = 200 * 1024;

/** The size `MAX_ANSWER_SHEET_BYTES` limits: every questionnaire's answers of one assessment, as UTF-8 JSON. */
export function answerSheetBytes(answers: Record<string, Record<string, AnswerEntry>>): number {
  return new TextEncoder().encode(JSON.stringify(answers)).length;
}

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

/** What a vendor submits: the answers and the exact template version they answered. */
export interface QuestionnaireResponse {
  templateId: string;
  templateVersion: string;
  answers: Answers;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const isoDate = z.string().refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' });

export const answerEntrySchema = z.strictObject({
  value: z.union([z.string(), z.number(), z.array(z.string())]),
  comment: z.string().max(MAX_NOTE_LENGTH).optional(),
  compensatingControl: z.string().max(MAX_NOTE_LENGTH).optional(),
  remediationDate: isoDate.optional(),
});

export const questionnaireResponseSchema = z.strictObject({
  templateId: z.string().min(1),
  templateVersion: z.string().min(1),
  answers: z.record(z.string(), answerEntrySchema),
});

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

export interface ValidateAnswersOptions {
  /** Report unanswered visible required questions (true when submitting; false for a saved draft). Default true. */
  complete?: boolean;
}

/** Every problem of an answer set at once; each problem's path is the question id it concerns. */
export function validateAnswers(template: QuestionnaireTemplate, answers: Answers, options: ValidateAnswersOptions = {}): ProblemDetail[] {
  const complete = options.complete ?? true;
  const { byId, questions } = indexTemplate(template);
  const statuses = questionStatuses(template, answers);
  const problems: ProblemDetail[] = [];
  const problem = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  const entries = Object.entries(answers).sort(([a], [b]) => (byId.get(a)?.order ?? Infinity) - (byId.get(b)?.order ?? Infinity));
  for (const [questionId, entry] of entries) {
    const indexed = byId.get(questionId);
    if (!indexed) {
      problem(questionId, 'unknown question id');
      continue;
    }
    if (typeof entry !== 'object' || entry === null || !('value' in entry)) {
      problem(questionId, 'an answer must be an object with a value');
      continue;
    }
    // A pending question's condition waits on a required question that is unanswered or invalid; that question
    // carries the problem, so a draft may keep answers that the condition will decide later.
    if (statuses.get(questionId) === 'hidden') problem(questionId, 'question is hidden by its condition for these answers; remove its answer');
    const valueProblem = answerValueProblem(indexed.question, entry.value);
    if (valueProblem) problem(questionId, valueProblem);
    for (const note of ['comment', 'compensatingControl'] as const) {
      const text = entry[note];
      if (text !== undefined && (typeof text !== 'string' || text.length > MAX_NOTE_LENGTH)) {
        problem(questionId, `${note} must be text of at most ${MAX_NOTE_LENGTH} characters`);
      }
    }
    if (entry.remediationDate !== undefined && (typeof entry.remediationDate !== 'string' || !isIsoDate(entry.remediationDate))) {
      problem(questionId, 'remediationDate must be a date written YYYY-MM-DD');
    }
  }

  if (complete) {
    for (const { question } of questions) {
      if (question.required && statuses.get(question.id) === 'visible' && !hasAnswer(answerOf(answers, question.id))) {
        problem(question.id, 'required question is not answered');
      }
    }
  }
  return problems;
}

/** Throws ValidationError listing every problem, or returns when the answer set is valid. */
export function assertValidAnswers(template: QuestionnaireTemplate, answers: Answers, options: ValidateAnswersOptions = {}): void {
  const problems = validateAnswers(template, answers, options);
  if (problems.length > 0) {
    throw new ValidationError(`${problems.length} problem${problems.length > 1 ? 's' : ''} in the answers to ${template.id} ${template.version}`, problems, 'invalid-answers');
  }
}

/** validateAnswers for a stored response, which must also name this exact template id and version. */
export function validateResponse(template: QuestionnaireTemplate, response: QuestionnaireResponse, options: ValidateAnswersOptions = {}): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  if (response.templateId !== template.id) problems.push({ path: 'templateId', message: `answers are for template ${response.templateId}, not ${template.id}` });
  if (response.templateVersion !== template.version) {
    problems.push({ path: 'templateVersion', message: `answers are for version ${response.templateVersion}; read them with that version, not ${template.version}` });
  }
  return problems.length > 0 ? problems : validateAnswers(template, response.answers, options);
}

export interface Progress {
  /** 0-100, rounded down. */
  percent: number;
  answered: number;
  total: number;
}

/** How far along an answer set is (definition in the module comment). */
export function computeProgress(template: QuestionnaireTemplate, answers: Answers): Progress {
  const { questions } = indexTemplate(template);
  const anyRequired = questions.some((q) => q.question.required);
  const counted: IndexedQuestion[] = anyRequired ? questions.filter((q) => q.question.required) : questions;
  const statuses = questionStatuses(template, answers);
  let total = 0;
  let answered = 0;
  for (const { question } of counted) {
    const status = statuses.get(question.id);
    if (status === 'hidden') continue;
    total += 1;
    if (status === 'visible' && hasAnswer(answerOf(answers, question.id))) answered += 1;
  }
  return { percent: total === 0 ? 100 : Math.floor((100 * answered) / total), answered, total };
}
