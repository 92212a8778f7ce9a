/**
 * Reassessment that respects the vendor's time (issue 18, item 2): the answers of the vendor's last approved
 * assessment open the next one, marked "from <date>", and the vendor confirms each section unchanged or edits it.
 * Pure: the app layer finds the previous sheet and stores the result.
 */
import { answerValueProblem, type AnswerEntry, type Answers } from './answers.ts';
import type { QuestionnaireTemplate } from './template-schema.ts';

/** unconfirmed: carried over, not looked at yet; confirmed: the vendor said it is unchanged; edited: answered anew. */
export type SectionReview = 'unconfirmed' | 'confirmed' | 'edited';

export interface CarriedOver {
  /** The approved assessment the answers come from. */
  fromAssessmentId: string;
  /** YYYY-MM-DD: when those answers were submitted. */
  answeredOn: string;
  /** Per questionnaire, each section that received carried answers and what the vendor did with it. */
  sections: Record<string, Record<string, SectionReview>>;
  /**
   * Evidence of the approved assessment: still fresh under the policy, carried over with its analysis (the previous
   * document's id and file name), or stale and asked for again with the reason. Absent on sheets from before.
   */
  evidence?: { carried: { fromDocumentId: string; fileName: string }[]; askAgain: { fileName: string; reason: string }[] };
}

export interface PreviousAnswers {
  assessmentId: string;
  answeredOn: string;
  answers: Record<string, Answers>;
}

/**
 * The new assessment's answers: for each of its questionnaires that the previous assessment also had, every previous
 * answer to a question that still exists and whose value the current version still accepts (file answers excepted:
 * they name the previous assessment's documents). Null `carriedOver`
 * when nothing was carried.
 */
export function carryOverAnswers(previous: PreviousAnswers, templates: readonly QuestionnaireTemplate[]): { answers: Record<string, Record<string, AnswerEntry>>; carriedOver: CarriedOver | null } {
  const answers: Record<string, Record<string, AnswerEntry>> = {};
  const sections: CarriedOver['sections'] = {};
  for (const template of templates) {
    const before = previous.answers[template.id] ?? {};
    const carried: Record<string, AnswerEntry> = {};
    for (const section of template.sections) {
      for (const question of section.questions) {
        const entry = before[question.id];
        // A file answer names a document of the previous assessment: the vendor uploads anew.
        if (!entry || question.type === 'file' || answerValueProblem(question, entry.value) !== undefined) continue;
        carried[question.id] = entry;
        (sections[template.id] ??= {})[section.id] = 'unconfirmed';
      }
    }
    answers[template.id] = carried;
  }
  const any = Object.keys(sections).length > 0;
  return { answers, carriedOver: any ? { fromAssessmentId: previous.assessmentId, answeredOn: previous.answeredOn, sections } : null };
}

/** The sections of `template` that hold one of `questionIds`. */
function sectionsOf(template: QuestionnaireTemplate, questionIds: readonly string[]): string[] {
  const wanted = new Set(questionIds);
  return template.sections.filter((s) => s.questions.some((q) => wanted.has(q.id))).map((s) => s.id);
}

/** After a save: every carried section the save touched counts as edited. */
export function markEdited(carriedOver: CarriedOver | null | undefined, template: QuestionnaireTemplate, questionIds: readonly string[]): CarriedOver | null {
  if (!carriedOver) return null;
  const mine = carriedOver.sections[template.id];
  if (!mine) return carriedOver;
  const touched = sectionsOf(template, questionIds).filter((id) => id in mine && mine[id] !== 'edited');
  if (!touched.length) return carriedOver;
  return { ...carriedOver, sections: { ...carriedOver.sections, [template.id]: { ...mine, ...Object.fromEntries(touched.map((id) => [id, 'edited' as const])) } } };
}

/** The vendor confirms a carried section unchanged; null when there is nothing to change (already confirmed or edited). */
export function confirmSection(carriedOver: CarriedOver, templateId: string, sectionId: string): CarriedOver | null {
  const current = carriedOver.sections[templateId]?.[sectionId];
  if (current !== 'unconfirmed') return null;
  return { ...carriedOver, sections: { ...carriedOver.sections, [templateId]: { ...carriedOver.sections[templateId], [sectionId]: 'confirmed' } } };
}

/** The carried sections the vendor has neither confirmed nor edited. */
export function unconfirmedSections(carriedOver: CarriedOver | null | undefined): { templateId: string; sectionId: string }[] {
  if (!carriedOver) return [];
  return Object.entries(carriedOver.sections).flatMap(([templateId, sections]) =>
    Object.entries(sections)
      .filter(([, review]) => review === 'unconfirmed')
      .map(([sectionId]) => ({ templateId, sectionId })),
  );
}

export interface AnswerChange {
  templateId: string;
  questionId: string;
  before: AnswerEntry | null;
  after: AnswerEntry | null;
}

const sameEntry = (a: AnswerEntry | undefined, b: AnswerEntry | undefined): boolean => JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
const normalized = (e: AnswerEntry | undefined) =>
  e === undefined ? null : { value: Array.isArray(e.value) ? [...(e.value as string[])].sort() : e.value, comment: e.comment ?? null, compensatingControl: e.compensatingControl ?? null, remediationDate: e.remediationDate ?? null };

/** Every answer that differs between two sheets (added, removed or changed), in template and question order. */
export function answerChanges(before: Record<string, Answers>, after: Record<string, Answers>, templates: readonly QuestionnaireTemplate[]): AnswerChange[] {
  const changes: AnswerChange[] = [];
  for (const template of templates) {
    const was = before[template.id] ?? {};
    const now = after[template.id] ?? {};
    for (const question of template.sections.flatMap((s) => s.questions)) {
      const a = was[question.id];
      const b = now[question.id];
      if (!sameEntry(a, b)) changes.push({ templateId: template.id, questionId: question.id, before: a ?? null, after: b ?? null });
    }
  }
  return changes;
}
