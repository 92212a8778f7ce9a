/**
 * Answers in and out as CSV (RFC 4180: comma-separated, fields quoted with double quotes, "" inside quotes) and JSON.
 *
 * Import columns: `questionId` and `answer` (required), `comment`, `compensatingControl`, `remediationDate`
 * (optional), and the read-only `section` and `question` columns that exports add for readability (ignored).
 * Answers are written as: yes-no "yes" / "no" / "n/a"; a choice as its option id or label; several choices separated
 * by ";"; numbers in plain notation; dates as YYYY-MM-DD. A row with an empty answer and no notes is skipped.
 * Import is all or nothing: any problem returns every error with its line number and no answers.
 *
 * Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) are exported
 * behind a leading apostrophe, and one leading apostrophe before such a character is removed on import, so the
 * round trip is exact.
 */
import {
  answerOf,
  answerValueProblem,
  computeProgress,
  hasAnswer,
  isIsoDate,
  MAX_NOTE_LENGTH,
  questionStatuses,
  validateAnswers,
  type AnswerEntry,
  type Answers,
  type AnswerValue,
  type Progress,
} from './answers.ts';
import { ANSWER_COLUMNS, READ_ONLY_COLUMNS, unescapeCell } from './answers-csv-export.ts';
import { answerLabel, findingsFromAnswers, scoreAnswers, type Finding, type QuestionnaireScores } from './scoring.ts';
import { indexTemplate } from './template-index.ts';
import type { Question, QuestionnaireTemplate } from './template-schema.ts';

export const MAX_CSV_LENGTH = 2_000_000;

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

export interface CsvLineError {
  line: number;
  message: string;
}

/** Splits CSV text into records; reports an unterminated quote or stray characters after a closing quote. */
export function parseCsv(text: string): { records: CsvRecord[]; errors: CsvLineError[] } {
  const records: CsvRecord[] = [];
  const errors: CsvLineError[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < input.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let recordDone = false;
    let broken = false;
    while (!recordDone) {
      if (input[i] === '"') {
        i += 1;
        let closed = false;
        while (i < input.length) {
          const ch = input[i] as string;
          if (ch === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            closed = true;
            i += 1;
            break;
          }
          if (ch === '\n') line += 1;
          field += ch;
          i += 1;
        }
        if (!closed) {
          errors.push({ line: startLine, message: 'a quoted field is never closed' });
          return { records, errors };
        }
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          broken = true;
          errors.push({ line, message: 'unexpected text after a closing quote; quote the whole field and double any quote inside' });
          while (i < input.length && input[i] !== '\n') i += 1;
        }
      } else {
        while (i < input.length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
          field += input[i];
          i += 1;
        }
      }
      const ch = input[i];
      if (ch === ',') {
        fields.push(field);
        field = '';
        i += 1;
        continue;
      }
      fields.push(field);
      if (ch === '\r') i += 1;
      if (input[i] === '\n') i += 1;
      line += 1;
      recordDone = true;
    }
    const blank = fields.length === 1 && fields[0] === '';
    if (!broken && !blank) records.push({ line: startLine, fields });
  }
  return { records, errors };
}


export { ANSWER_COLUMNS, exportAnswersCsv, formatAnswerText, READ_ONLY_COLUMNS, toCsv, unescapeCell, type ExportCsvOptions } from './answers-csv-export.ts';

type AnswerColumn = (typeof ANSWER_COLUMNS)[number];

const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);
const NA = new Set(['na', 'n/a', 'not applicable']);

/** Reads a CSV answer cell as the value `question` expects, or explains why it cannot. */
export function parseAnswerText(question: Question, text: string): { ok: true; value: AnswerValue } | { ok: false; message: string } {
  const trimmed = text.trim();
  const findOption = (token: string) => {
    const lower = token.toLowerCase();
    return question.type === 'single-choice' || question.type === 'multiple-choice'
      ? (question.options.find((o) => o.id === token) ?? question.options.find((o) => o.label.toLowerCase() === lower))
      : undefined;
  };
  let value: AnswerValue;
  switch (question.type) {
    case 'yes-no': {
      const lower = trimmed.toLowerCase();
      value = YES.has(lower) ? 'yes' : NO.has(lower) ? 'no' : NA.has(lower) ? 'na' : trimmed;
      break;
    }
    case 'single-choice':
      value = findOption(trimmed)?.id ?? trimmed;
      break;
    case 'multiple-choice':
      value = trimmed
        .split(';')
        .map((token) => token.trim())
        .filter((token) => token !== '')
        .map((token) => findOption(token)?.id ?? token);
      break;
    case 'number': {
      if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return { ok: false, message: `"${trimmed}" is not a number` };
      value = Number(trimmed);
      break;
    }
    case 'date':
    case 'file':
      value = trimmed;
      break;
    case 'text':
      value = text;
      break;
  }
  const problem = answerValueProblem(question, value);
  return problem === undefined ? { ok: true, value } : { ok: false, message: problem };
}


export type CsvImportResult = { ok: true; answers: Record<string, AnswerEntry> } | { ok: false; errors: CsvLineError[] };

/** Imports answers from CSV (format in the module comment); every problem is reported with its line number. */
export function importAnswersCsv(template: QuestionnaireTemplate, text: string): CsvImportResult {
  if (text.length > MAX_CSV_LENGTH) return { ok: false, errors: [{ line: 1, message: `file is larger than ${MAX_CSV_LENGTH} characters` }] };
  const { records, errors } = parseCsv(text);
  const [header, ...rows] = records;
  if (!header) return { ok: false, errors: errors.length > 0 ? errors : [{ line: 1, message: `empty file; expected a header row ${ANSWER_COLUMNS.join(',')}` }] };

  const columns = new Map<AnswerColumn, number>();
  header.fields.forEach((raw, index) => {
    const name = raw.trim();
    const known = ANSWER_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (known) {
      if (columns.has(known)) errors.push({ line: header.line, message: `column ${known} appears twice` });
      else columns.set(known, index);
    } else if (!READ_ONLY_COLUMNS.some((c) => c === name.toLowerCase())) {
      errors.push({ line: header.line, message: `unknown column "${name}"; expected ${ANSWER_COLUMNS.join(', ')}` });
    }
  });
  for (const required of ['questionId', 'answer'] as const) {
    if (!columns.has(required)) errors.push({ line: header.line, message: `missing column ${required}; the header must include ${ANSWER_COLUMNS.slice(0, 3).join(',')}` });
  }
  if (errors.some((e) => e.line === header.line)) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const { byId } = indexTemplate(template);
  const answers: Record<string, AnswerEntry> = {};
  const lineOf = new Map<string, number>();
  for (const row of rows) {
    const cell = (column: AnswerColumn): string => {
      const index = columns.get(column);
      return index === undefined ? '' : unescapeCell(row.fields[index] ?? '');
    };
    const error = (message: string): void => {
      errors.push({ line: row.line, message });
    };
    if (row.fields.slice(header.fields.length).some((field) => field.trim() !== '')) {
      error(`${row.fields.length} fields but the header has ${header.fields.length}; quote fields that contain commas`);
      continue;
    }
    const questionId = cell('questionId').trim();
    const indexed = byId.get(questionId);
    if (!indexed) {
      error(questionId === '' ? 'questionId is empty' : `unknown question id "${questionId}"`);
      continue;
    }
    const firstLine = lineOf.get(questionId);
    if (firstLine !== undefined) {
      error(`question ${questionId} is already answered on line ${firstLine}`);
      continue;
    }
    lineOf.set(questionId, row.line);
    const answerText = cell('answer');
    const notes = { comment: cell('comment'), compensatingControl: cell('compensatingControl'), remediationDate: cell('remediationDate').trim() };
    if (answerText.trim() === '') {
      if (Object.values(notes).some((n) => n.trim() !== '')) error(`${questionId}: the answer is empty but notes are given; answer the question or clear the notes`);
      continue;
    }
    const parsed = parseAnswerText(indexed.question, answerText);
    if (!parsed.ok) {
      error(`${questionId}: ${parsed.message}`);
      continue;
    }
    if (notes.remediationDate !== '' && !isIsoDate(notes.remediationDate)) {
      error(`${questionId}: remediationDate "${notes.remediationDate}" must be a date written YYYY-MM-DD`);
      continue;
    }
    const tooLong = (['comment', 'compensatingControl'] as const).find((n) => notes[n].length > MAX_NOTE_LENGTH);
    if (tooLong) {
      error(`${questionId}: ${tooLong} is longer than ${MAX_NOTE_LENGTH} characters`);
      continue;
    }
    answers[questionId] = {
      value: parsed.value,
      ...(notes.comment !== '' ? { comment: notes.comment } : {}),
      ...(notes.compensatingControl !== '' ? { compensatingControl: notes.compensatingControl } : {}),
      ...(notes.remediationDate !== '' ? { remediationDate: notes.remediationDate } : {}),
    };
  }
  if (errors.length === 0) {
    for (const problem of validateAnswers(template, answers, { complete: false })) {
      errors.push({ line: lineOf.get(problem.path) ?? 1, message: `${problem.path}: ${problem.message}` });
    }
  }
  return errors.length > 0 ? { ok: false, errors: errors.sort((a, b) => a.line - b.line) } : { ok: true, answers };
}


export interface ExportedQuestion {
  id: string;
  text: string;
  type: Question['type'];
  criteria: string[];
  required: boolean;
  answer: AnswerValue | null;
  answerLabel: string | null;
  comment?: string | undefined;
  compensatingControl?: string | undefined;
  remediationDate?: string | undefined;
}

export interface AnswersExport {
  format: 'trustgate-questionnaire-answers';
  formatVersion: 1;
  templateId: string;
  templateVersion: string;
  generatedAt: string;
  progress: Progress;
  scores: QuestionnaireScores;
  findings: Finding[];
  sections: { id: string; title: string; questions: ExportedQuestion[] }[];
  answers: Answers;
}

/** A completed questionnaire as one JSON document; `generatedAt` is passed in (the domain reads no clock). */
export function exportAnswersJson(template: QuestionnaireTemplate, answers: Answers, generatedAt: string): AnswersExport {
  const statuses = questionStatuses(template, answers);
  const visibleAnswers: Record<string, AnswerEntry> = {};
  const sections = template.sections
    .map((section) => ({
      id: section.id,
      title: section.title,
      questions: section.questions
        .filter((question) => statuses.get(question.id) === 'visible')
        .map((question): ExportedQuestion => {
          const entry = answerOf(answers, question.id);
          const answered = hasAnswer(entry);
          if (answered) visibleAnswers[question.id] = entry;
          return {
            id: question.id,
            text: question.text,
            type: question.type,
            criteria: [...question.criteria],
            required: question.required,
            answer: answered ? entry.value : null,
            answerLabel: answered ? answerLabel(question, entry.value) : null,
            ...(answered && entry.comment !== undefined ? { comment: entry.comment } : {}),
            ...(answered && entry.compensatingControl !== undefined ? { compensatingControl: entry.compensatingControl } : {}),
            ...(answered && entry.remediationDate !== undefined ? { remediationDate: entry.remediationDate } : {}),
          };
        }),
    }))
    .filter((section) => section.questions.length > 0);
  return {
    format: 'trustgate-questionnaire-answers',
    formatVersion: 1,
    templateId: template.id,
    templateVersion: template.version,
    generatedAt,
    progress: computeProgress(template, answers),
    scores: scoreAnswers(template, answers),
    findings: findingsFromAnswers(template, answers),
    sections,
    answers: visibleAnswers,
  };
}
