/**
 * What the risk model reads from a completed questionnaire: each scored answer (to trace assurance to a question)
 * and each finding an answer raises. A narrow shape on purpose: `questionnaireEvidenceFrom` is the one place that
 * knows the questionnaire engine's API.
 */
import { answerOf, hasAnswer, questionStatuses, type Answers } from '../questionnaire/answers.ts';
import { answerLabel, answerRisk, findingsFromAnswers } from '../questionnaire/scoring.ts';
import { indexTemplate } from '../questionnaire/template-index.ts';
import type { QuestionnaireTemplate, Severity } from '../questionnaire/template-schema.ts';

/** One visible, answered, scored question. */
export interface ScoredAnswer {
  questionId: string;
  /** The answer as the vendor saw it ("No", an option label). */
  answer: string;
  /** Trust Services Criteria ids the question maps to. */
  criteria: string[];
  /** The question's weight (> 0). */
  weight: number;
  /** The risk the answer implies, 0 (none) … 1 (the control is absent). */
  risk: number;
}

/** A problem an answer raises (the questionnaire engine's finding, narrowed). */
export interface AnswerFinding {
  questionId: string;
  question: string;
  answer: string;
  severity: Severity;
  whyItMatters: string;
  guidance: string | null;
  criteria: string[];
  /** The vendor's committed fix date, YYYY-MM-DD, when given. */
  remediationDate: string | null;
  compensatingControl: string | null;
}

/** One completed questionnaire, as the risk model reads it. */
export interface QuestionnaireEvidence {
  templateId: string;
  templateVersion: string;
  scoredAnswers: ScoredAnswer[];
  findings: AnswerFinding[];
}

/** Builds the risk model's view of a questionnaire from its template and the vendor's answers. */
export function questionnaireEvidenceFrom(template: QuestionnaireTemplate, answers: Answers): QuestionnaireEvidence {
  const statuses = questionStatuses(template, answers);
  const scoredAnswers: ScoredAnswer[] = [];
  for (const { question } of indexTemplate(template).questions) {
    if (statuses.get(question.id) !== 'visible') continue;
    const entry = answerOf(answers, question.id);
    if (!hasAnswer(entry)) continue;
    const risk = answerRisk(question, entry.value);
    if (risk === undefined) continue;
    scoredAnswers.push({ questionId: question.id, answer: answerLabel(question, entry.value), criteria: [...question.criteria], weight: question.weight, risk: risk.risk });
  }
  const findings = findingsFromAnswers(template, answers).map(
    (f): AnswerFinding => ({
      questionId: f.questionId,
      question: f.question,
      answer: f.answerLabel,
      severity: f.severity,
      whyItMatters: f.whyItMatters,
      guidance: f.guidance ?? null,
      criteria: [...f.criteria],
      remediationDate: f.remediationDate ?? null,
      compensatingControl: f.compensatingControl ?? null,
    }),
  );
  return { templateId: template.id, templateVersion: template.version, scoredAnswers, findings };
}
