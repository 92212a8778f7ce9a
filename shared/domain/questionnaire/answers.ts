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
import { answerOf, answerValueProblem, hasAnswer, isIsoDate, MAX_NOTE_LENGTH, questionStatuses, type AnswerEntry, type Answers } from './answer-visibility.ts';
import { indexTemplate } from './template-index.ts';
import type { QuestionnaireTemplate } from './template-schema.ts';

export {
  answerOf,
  answerValueProblem,
  hasAnswer,
  isIsoDate,
  MAX_FILE_REFERENCE_LENGTH,
  MAX_NOTE_LENGTH,
  pruneHiddenAnswers,
  questionStatuses,
  visibleQuestions,
  type AnswerEntry,
  type Answers,
  type AnswerValue,
  type QuestionStatus,
} from './answer-visibility.ts';

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


/** What a vendor submits: the answers and the exact template version they answered. */
export interface QuestionnaireResponse {
  templateId: string;
  templateVersion: string;
  answers: Answers;
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

export { computeProgress, sectionProgress, type Progress, type SectionProgress } from './progress.ts';
