/**
 * The shapes of the API's answers, as the browser receives them: derived from the route schemas where they are precise
 * and otherwise from the use case or domain type the route returns (type-only imports, erased from the bundles). A
 * route that changes what it returns changes these types, and `tsc` checks every page script against them.
 */
import type { z } from '@hono/zod-openapi';
import type { getPortalView, portalDocumentOf, submitAssessment, saveDraftAnswers } from '../../../app/portal.ts';
import type { AssessmentView } from '../../../app/assessments.ts';
import type { CorpusCase, CorrectionsView } from '../../../app/corrections.ts';
import type { AssessmentChanges } from '../../../app/reassessment.ts';
import type { RegisterDashboard, RegisterLine } from '../../../domain/risk-register.ts';
import type { FourthPartyDetail, FourthPartyList } from '../../../app/fourth-parties.ts';
import type { RegisterExportView } from '../../../app/register-exports.ts';
import type { listQuestionnaires } from '../../../app/questionnaires.ts';
import type { Assessment, DecisionRequest } from '../../../domain/assessment.ts';
import type { AnswerEntry } from '../../../domain/questionnaire/answer-visibility.ts';
import type { RiskRecord } from '../../../domain/risk-record.ts';
import type { CuecTask } from '../../../domain/risk/cuec-tasks.ts';
import type { Finding } from '../../../domain/risk/findings.ts';
import type { RiskPolicy } from '../../../domain/risk/risk-policy.ts';
import type { ScopeFit } from '../../../domain/risk/scope-fit.ts';
import type { VendorIntake } from '../../../domain/vendor.ts';
import type { SentMail } from '../../../ports/mailer.ts';
import type { problemSchema, vendorSchema } from '../../schemas.ts';

/** RFC 9457 problem+json, as every error answer is. */
export type Problem = z.infer<typeof problemSchema>;
export type Vendor = z.infer<typeof vendorSchema>;
export type PortalView = Awaited<ReturnType<typeof getPortalView>>;
export type PortalQuestionnaire = PortalView['questionnaires'][number];
export type PortalDocument = ReturnType<typeof portalDocumentOf>;
export type SavedDraft = Awaited<ReturnType<typeof saveDraftAnswers>>;
export type Submitted = Awaited<ReturnType<typeof submitAssessment>>;
export type StaffAssessmentView = AssessmentView;
export type StaffDocument = AssessmentView['documents'][number];
export type { FourthPartyDetail, FourthPartyList, RegisterExportView };
export type { Assessment, AssessmentChanges, CorpusCase, CorrectionsView, CuecTask, DecisionRequest, Finding, RegisterDashboard, RegisterLine, SentMail, VendorIntake, AnswerEntry, RiskPolicy, ScopeFit };
export type DocumentKind = PortalDocument['kind'];
export type Score = RiskRecord['score'];
export type ScoreAnswer = { score: Score; policyVersion: string | null; updatedAt: string };
export type TemplateSummary = ReturnType<typeof listQuestionnaires>[number];
export interface ItemsOf<T> {
  items: T[];
}
export interface PageOf<T> extends ItemsOf<T> {
  nextCursor: string | null;
}
export interface SelectedTemplate {
  templateId: string;
  reasons: string[];
}
/** `POST /api/portal/answers/csv`: the answers read from the file (not saved yet). */
export interface ImportedAnswers {
  answers: Record<string, AnswerEntry>;
}
