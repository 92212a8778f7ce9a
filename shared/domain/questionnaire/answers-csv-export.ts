/**
 * Answers out as CSV, the half of answers-csv.ts (which re-exports it; the format is described there) that the
 * portal's bundle uses to offer the import template with the current answers: no zod, no parsing. Cells that a
 * spreadsheet would run as a formula are written behind an apostrophe, which `unescapeCell` removes on import.
 */
import { answerOf, hasAnswer, questionStatuses, type Answers, type AnswerValue } from './answer-visibility.ts';
import { indexTemplate } from './template-index.ts';
import type { Question, QuestionnaireTemplate } from './template-schema.ts';

const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED_FORMULA = /^'+[=+\-@\t\r]/;

function escapeCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(guarded) || guarded !== guarded.trim() ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** A cell as imported: one apostrophe that guarded a formula-like start is removed. */
export function unescapeCell(value: string): string {
  return GUARDED_FORMULA.test(value) ? value.slice(1) : value;
}

/** Writes CSV rows (CRLF line ends, as spreadsheets expect). */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(escapeCell).join(',')).join('\r\n') + '\r\n';
}

export const ANSWER_COLUMNS = ['questionId', 'answer', 'comment', 'compensatingControl', 'remediationDate'] as const;
export const READ_ONLY_COLUMNS = ['section', 'question'] as const;

/** Writes an answer value as a CSV cell that parseAnswerText reads back to the same value. */
export function formatAnswerText(question: Question, value: AnswerValue): string {
  if (question.type === 'yes-no' && value === 'na') return 'n/a';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

export interface ExportCsvOptions {
  /**
   * Also list the questions still waiting on an earlier answer (a template to fill in offline lists what may be
   * asked, not only what is asked now). Default false: only the visible questions.
   */
  includePending?: boolean;
}

/** Exports the visible (and optionally pending) questions and their answers as CSV that importAnswersCsv reads back. */
export function exportAnswersCsv(template: QuestionnaireTemplate, answers: Answers, options: ExportCsvOptions = {}): string {
  const statuses = questionStatuses(template, answers);
  const rows: string[][] = [[...ANSWER_COLUMNS, ...READ_ONLY_COLUMNS]];
  for (const { question, section } of indexTemplate(template).questions) {
    const status = statuses.get(question.id);
    if (status !== 'visible' && !(options.includePending && status === 'pending')) continue;
    const entry = answerOf(answers, question.id);
    const answered = hasAnswer(entry);
    rows.push([
      question.id,
      answered ? formatAnswerText(question, entry.value) : '',
      answered ? (entry.comment ?? '') : '',
      answered ? (entry.compensatingControl ?? '') : '',
      answered ? (entry.remediationDate ?? '') : '',
      section.title,
      question.text,
    ]);
  }
  return toCsv(rows);
}
