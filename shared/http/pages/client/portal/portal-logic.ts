/**
 * The portal's rules, as pure functions of the assessment and the answers (unit-tested in
 * test/unit/client-portal-logic.test.ts). Visibility and tips come from the domain modules the server uses, so the
 * page shows what the server will check and score.
 */
import { answerLabel } from '../../../../domain/questionnaire/answer-label.ts';
import { answerRisk } from '../../../../domain/questionnaire/answer-risk.ts';
import { exportAnswersCsv } from '../../../../domain/questionnaire/answers-csv-export.ts';
import { computeProgress, sectionProgress, type SectionProgress } from '../../../../domain/questionnaire/progress.ts';
import { answerOf, hasAnswer, questionStatuses, type AnswerEntry, type Answers, type QuestionStatus } from '../../../../domain/questionnaire/answer-visibility.ts';
import type { Question, QuestionnaireTemplate, Section, Tip } from '../../../../domain/questionnaire/template-schema.ts';
import type { PortalDocument, PortalView, Problem } from '../api-types.ts';
import { humanLabel } from '../../../../domain/labels.ts';
import { kilobytes, label } from '../common/format.ts';

/** The tip for an answer: the one the server scores (for a multiple choice, the worst selected option's), or null. */
export function tipFor(question: Question, entry: AnswerEntry | undefined): Tip | null {
  if (!hasAnswer(entry)) return null;
  const risk = answerRisk(question, entry.value);
  return risk && risk.risk > 0 && risk.tip ? risk.tip : null;
}

/** Visibility of every question of each questionnaire, keyed by template id then question id. */
export function statusesOf(templates: readonly QuestionnaireTemplate[], answers: Readonly<Record<string, Answers>>): Map<string, Map<string, QuestionStatus>> {
  return new Map(templates.map((t) => [t.id, questionStatuses(t, answers[t.id] ?? {})]));
}

/** Answers to questions that the current answers hide: removed before they are saved, so a submission stays valid. */
export function hiddenAnswerIds(template: QuestionnaireTemplate, answers: Answers): string[] {
  const statuses = questionStatuses(template, answers);
  return Object.keys(answers).filter((id) => statuses.get(id) === 'hidden');
}

export interface MissingAnswer {
  templateId: string;
  question: Question;
  section: Section;
}

/** Required visible questions without an answer, in document order. */
export function missingAnswers(templates: readonly QuestionnaireTemplate[], answers: Readonly<Record<string, Answers>>): MissingAnswer[] {
  const missing: MissingAnswer[] = [];
  for (const template of templates) {
    const given = answers[template.id] ?? {};
    const statuses = questionStatuses(template, given);
    for (const section of template.sections) {
      for (const question of section.questions) {
        if (question.required && statuses.get(question.id) === 'visible' && !hasAnswer(answerOf(given, question.id))) missing.push({ templateId: template.id, question, section });
      }
    }
  }
  return missing;
}

export interface ProgressCount {
  answered: number;
  total: number;
}

/** The progress of all questionnaires together, from per-questionnaire counts. */
export function overallProgress(progress: readonly ProgressCount[]): { percent: number; answered: number; total: number } {
  const answered = progress.reduce((sum, p) => sum + p.answered, 0);
  const total = progress.reduce((sum, p) => sum + p.total, 0);
  return { percent: total === 0 ? 100 : Math.floor((100 * answered) / total), answered, total };
}

/** What the page can say about a file before sending it (the server checks again, and opens it). */
export function fileProblems(file: { name: string; type: string; size: number }, maxBytes: number): string[] {
  const problems: string[] = [];
  if (!/\.pdf$/i.test(file.name) && file.type !== 'application/pdf') problems.push(`${file.name} is not a PDF.`);
  if (file.size === 0) problems.push(`${file.name} is empty.`);
  if (file.size > maxBytes) problems.push(`${file.name} is larger than ${Math.round(maxBytes / 1048576)} MB.`);
  return problems;
}

/** The analysis state of an uploaded document, in words for the vendor. */
export function documentStatusText(doc: PortalDocument, locked: boolean): string {
  if (doc.analysisStatus === 'pending') return locked ? 'Analyzing' : 'Analyzed after you submit';
  if (doc.analysisStatus === 'failed') return 'could not be read';
  return label(doc.analysisStatus);
}

/** "report.pdf · SOC 2 report · 12 page(s) · 340 KB · analysis: " */
export function documentFacts(doc: PortalDocument): string {
  return `${doc.fileName} · ${label(doc.kind)}${doc.pageCount ? ` · ${doc.pageCount} page(s)` : ''} · ${kilobytes(doc.size)} · analysis: `;
}

/** The answer read from a question's inputs: the raw value(s) and the optional notes; null when nothing is answered. */
export function entryFrom(question: Question, raw: { values: string[]; compensatingControl?: string; remediationDate?: string }): AnswerEntry | null {
  let value: AnswerEntry['value'];
  if (question.type === 'multiple-choice') value = raw.values;
  else if (question.type === 'number') value = raw.values[0] === undefined || raw.values[0] === '' ? '' : Number(raw.values[0]);
  else value = raw.values[0] ?? '';
  const entry: AnswerEntry = { value };
  if (raw.compensatingControl?.trim()) entry.compensatingControl = raw.compensatingControl;
  if (raw.remediationDate) entry.remediationDate = raw.remediationDate;
  return hasAnswer(entry) ? entry : null;
}

/** Each questionnaire's progress, by the server's own function (so the bar, the sections and the server agree). */
export function progressOf(templates: readonly QuestionnaireTemplate[], answers: Readonly<Record<string, Answers>>): ProgressCount[] {
  return templates.map((t) => computeProgress(t, answers[t.id] ?? {}));
}

export type SectionReview = NonNullable<PortalView['carriedOver']>['sections'][string][string];

export interface SectionState extends SectionProgress {
  /** Questions of the section marked with an error (a missing answer after "Review and submit"). */
  errors: number;
  /** What the vendor did with answers carried from the last assessment; undefined when none were carried. */
  review: SectionReview | undefined;
}

/** Every section's counts, errors and review, keyed by section id (the counts are those of computeProgress). */
export function sectionStates(template: QuestionnaireTemplate, answers: Answers, errorQuestionIds: ReadonlySet<string>, reviews: Readonly<Record<string, SectionReview>> = {}): Map<string, SectionState> {
  const sectionOf = new Map(template.sections.flatMap((s) => s.questions.map((q) => [q.id, s.id] as const)));
  const errors = new Map<string, number>();
  for (const id of errorQuestionIds) {
    const sid = sectionOf.get(id);
    if (sid) errors.set(sid, (errors.get(sid) ?? 0) + 1);
  }
  return new Map(sectionProgress(template, answers).map((p) => [p.sectionId, { ...p, errors: errors.get(p.sectionId) ?? 0, review: reviews[p.sectionId] }]));
}

/** A section's status in words, for its heading and the sections list: errors first, then the carried answers, then the count. */
export function sectionStatusText(state: SectionState, answeredOn: string | null): string {
  const parts: string[] = [];
  if (state.errors > 0) parts.push(state.errors === 1 ? '1 question needs an answer' : `${state.errors} questions need an answer`);
  if (state.review === 'unconfirmed') parts.push(`answers from ${answeredOn ?? 'your last assessment'}: confirm or edit`);
  if (state.review === 'confirmed') parts.push('confirmed unchanged');
  if (state.review === 'edited') parts.push('edited');
  if (state.total === 0) parts.push(state.shown ? 'optional' : 'no questions apply');
  else if (state.answered === state.total) parts.push('complete');
  else parts.push(`${state.answered} of ${state.total} answered`);
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The kind of a section's status, for its colour: an error, a step still open, or done. */
export function sectionTone(state: SectionState): 'error' | 'open' | 'done' {
  if (state.errors > 0) return 'error';
  if (state.review === 'unconfirmed' || state.answered < state.total) return 'open';
  return 'done';
}

/** An answer in words for the read-only page: the option labels, a number with its unit, a document by name. */
export function answerText(question: Question, entry: AnswerEntry | undefined, documents: readonly PortalDocument[]): string {
  if (!hasAnswer(entry)) return 'Not answered';
  if (question.type === 'file') {
    const doc = documents.find((d) => d.id === entry.value);
    return doc ? `${doc.fileName} (${label(doc.kind)})` : String(entry.value);
  }
  return answerLabel(question, entry.value);
}

/** The unit a number question is answered in ("hours", "days", "%"), or null. */
export const unitOf = (question: Question): string | null => (question.type === 'number' && question.unit ? question.unit : null);

/** The CSV to fill in offline: every question that is or may be asked, with the answers given so far (the import reads it back). */
export function csvTemplate(template: QuestionnaireTemplate, answers: Answers): { fileName: string; text: string } {
  return { fileName: `${template.id}-answers.csv`, text: exportAnswersCsv(template, answers, { includePending: true }) };
}

/** Where the errors of a refused submission go: each question's field, each carried section, the rest in a list. */
export interface PlacedSubmitErrors {
  questions: { templateId: string; questionId: string; message: string }[];
  sections: { templateId: string; sectionId: string; message: string }[];
  other: string[];
}

/**
 * Reads the errors of `POST /api/portal/submit` (paths `<templateId>.<questionId>` for answers,
 * `<templateId>.sections.<sectionId>` for carried sections not yet confirmed) against the questionnaires shown.
 */
export function placeSubmitErrors(problem: Problem, templates: readonly QuestionnaireTemplate[]): PlacedSubmitErrors {
  const placed: PlacedSubmitErrors = { questions: [], sections: [], other: [] };
  for (const error of problem.errors ?? []) {
    const template = templates.find((t) => error.path.startsWith(`${t.id}.`));
    const rest = template ? error.path.slice(template.id.length + 1) : '';
    const sectionId = rest.startsWith('sections.') ? rest.slice('sections.'.length) : null;
    if (template && sectionId !== null && template.sections.some((s) => s.id === sectionId)) placed.sections.push({ templateId: template.id, sectionId, message: error.message });
    else if (template && template.sections.some((s) => s.questions.some((q) => q.id === rest))) placed.questions.push({ templateId: template.id, questionId: rest, message: error.message });
    else placed.other.push(error.message);
  }
  if (!placed.questions.length && !placed.sections.length && !placed.other.length) placed.other.push(problem.title + (problem.detail ? `: ${problem.detail}` : ''));
  return placed;
}

/** Under the evidence asked for again: what the vendor has uploaded in this assessment so far, or null when nothing. */
export function uploadedSinceText(documents: readonly PortalDocument[]): string | null {
  const fresh = documents.filter((d) => !d.carriedOver);
  return fresh.length ? `Uploaded in this assessment: ${fresh.map((d) => `${d.fileName} (${humanLabel(d.kind, 'inside')})`).join(', ')}.` : null;
}
