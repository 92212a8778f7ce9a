/**
 * The portal's rules, as pure functions of the assessment and the answers (unit-tested in
 * test/unit/client-portal-logic.test.ts). Visibility and tips come from the domain modules the server uses, so the
 * page shows what the server will check and score.
 */
import { answerRisk } from '../../../../domain/questionnaire/answer-risk.ts';
import { answerOf, hasAnswer, questionStatuses, type AnswerEntry, type Answers, type QuestionStatus } from '../../../../domain/questionnaire/answer-visibility.ts';
import type { Question, QuestionnaireTemplate, Section, Tip } from '../../../../domain/questionnaire/template-schema.ts';
import type { PortalDocument } from '../api-types.ts';
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

/** The progress of all questionnaires together, from the server's per-questionnaire counts. */
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
