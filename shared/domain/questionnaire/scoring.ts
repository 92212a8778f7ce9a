/**
 * Scores and findings from answers.
 *
 * Risk of one answer, r in [0, 1]: a yes-no question with a `riskyAnswer` scores 1 for that answer and 0 for the
 * other ("na" is left out); a single choice scores its option's `risk`; a multiple choice scores the highest `risk`
 * among the selected options. Text, number, date and file answers, choice questions whose options all carry risk 0,
 * yes-no questions without a risky answer and questions of weight 0 are informational and not scored.
 *
 * Score of a group of questions (a section, a Trust Services category, a criterion, the whole questionnaire):
 *   score = round(100 × (1 − Σ weight × r / Σ weight))
 * over the visible, answered, scored questions of the group; null when there are none. 100 means no answer implies
 * risk. A question counts once in each category its criteria belong to. Unanswered questions do not count: read a
 * score together with progress.
 */
import { categoryOfCriterion, TSC_CATEGORIES, type TscCategory } from './trust-services-criteria.ts';
import { answerOf, hasAnswer, questionStatuses, type AnswerEntry, type Answers, type AnswerValue } from './answers.ts';
import { indexTemplate } from './template-index.ts';
import { answerRisk } from './answer-risk.ts';
import { answerLabel } from './answer-label.ts';
import { severityRank, type Severity } from './severity.ts';
import type { QuestionnaireTemplate } from './template-schema.ts';

export { answerRisk, isScoredQuestion, type AnswerRisk } from './answer-risk.ts';

export interface ScoreBucket {
  /** 0-100, or null when no answered question in the group is scored. */
  score: number | null;
  scoredQuestions: number;
  /** Σ weight of the scored answers. */
  weight: number;
  /** Σ weight × risk of the scored answers. */
  riskWeight: number;
}

export interface SectionScore extends ScoreBucket {
  sectionId: string;
  title: string;
}

export interface QuestionnaireScores {
  overall: ScoreBucket;
  sections: SectionScore[];
  categories: Record<TscCategory, ScoreBucket>;
  /** Keyed by criterion id; only criteria with at least one visible scored question appear. */
  criteria: Record<string, ScoreBucket>;
}

const emptyBucket = (): ScoreBucket => ({ score: null, scoredQuestions: 0, weight: 0, riskWeight: 0 });

function add(bucket: ScoreBucket, weight: number, risk: number): void {
  bucket.scoredQuestions += 1;
  bucket.weight += weight;
  bucket.riskWeight += weight * risk;
  const ratio = Math.min(1, Math.max(0, bucket.riskWeight / bucket.weight));
  bucket.score = Math.round(100 * (1 - ratio));
}

/** Scores per section, per Trust Services category, per criterion and overall (formula in the module comment). */
export function scoreAnswers(template: QuestionnaireTemplate, answers: Answers): QuestionnaireScores {
  const statuses = questionStatuses(template, answers);
  const overall = emptyBucket();
  const sections = template.sections.map((section): SectionScore => ({ sectionId: section.id, title: section.title, ...emptyBucket() }));
  const categories = Object.fromEntries(TSC_CATEGORIES.map((c) => [c, emptyBucket()])) as Record<TscCategory, ScoreBucket>;
  const criteria: Record<string, ScoreBucket> = {};
  for (const { question, sectionIndex } of indexTemplate(template).questions) {
    if (statuses.get(question.id) !== 'visible') continue;
    const entry = answerOf(answers, question.id);
    if (!hasAnswer(entry)) continue;
    const risk = answerRisk(question, entry.value);
    if (risk === undefined) continue;
    add(overall, question.weight, risk.risk);
    const section = sections[sectionIndex];
    if (section) add(section, question.weight, risk.risk);
    for (const category of new Set(question.criteria.map(categoryOfCriterion))) add(categories[category], question.weight, risk.risk);
    for (const criterion of question.criteria) add((criteria[criterion] ??= emptyBucket()), question.weight, risk.risk);
  }
  return { overall, sections, categories, criteria };
}

/** A problem an answer reveals, with the vendor's own explanation. */
export interface Finding {
  questionId: string;
  sectionId: string;
  question: string;
  answer: AnswerValue;
  answerLabel: string;
  severity: Severity;
  whyItMatters: string;
  guidance?: string | undefined;
  criteria: string[];
  /** The answer's risk, 0 < risk ≤ 1. */
  risk: number;
  comment?: string | undefined;
  compensatingControl?: string | undefined;
  remediationDate?: string | undefined;
}

export { answerLabel } from './answer-label.ts';

function explanation(entry: AnswerEntry): Pick<Finding, 'comment' | 'compensatingControl' | 'remediationDate'> {
  return {
    ...(entry.comment?.trim() ? { comment: entry.comment } : {}),
    ...(entry.compensatingControl?.trim() ? { compensatingControl: entry.compensatingControl } : {}),
    ...(entry.remediationDate ? { remediationDate: entry.remediationDate } : {}),
  };
}

/** Findings raised by the visible answers that imply risk, most severe first, then in document order. */
export function findingsFromAnswers(template: QuestionnaireTemplate, answers: Answers): Finding[] {
  const statuses = questionStatuses(template, answers);
  const findings: Finding[] = [];
  for (const { question, section } of indexTemplate(template).questions) {
    if (statuses.get(question.id) !== 'visible') continue;
    const entry = answerOf(answers, question.id);
    if (!hasAnswer(entry)) continue;
    const risk = answerRisk(question, entry.value);
    if (risk === undefined || risk.risk <= 0 || risk.tip === undefined) continue;
    findings.push({
      questionId: question.id,
      sectionId: section.id,
      question: question.text,
      answer: entry.value,
      answerLabel: answerLabel(question, entry.value),
      severity: risk.tip.severity,
      whyItMatters: risk.tip.whyItMatters,
      ...(risk.tip.guidance === undefined ? {} : { guidance: risk.tip.guidance }),
      criteria: [...question.criteria],
      risk: risk.risk,
      ...explanation(entry),
    });
  }
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}
