/** Assessment use cases for procurement and security: start, read, list, cancel, resend, decide, retry. */
import { getTemplate, selectTemplates } from '../../questionnaires/library.ts';
import {
  AssessmentOpenError,
  isFinal,
  newAssessment,
  transition,
  type Assessment,
  type AssessmentRequest,
  type AssessmentDecision,
  type AssessmentStatus,
  type DecisionRequest,
  type TemplateRef,
} from '../domain/assessment.ts';
import type { AuditEvent } from '../domain/audit.ts';
import { ConflictError, NotFoundError, TrustgateError, ValidationError } from '../domain/errors.ts';
import { effectiveAnalysis, type EvidenceDocument } from '../domain/evidence.ts';
import type { CorrectableAnalysis } from '../domain/analysis-corrections.ts';
import type { Principal } from '../domain/roles.ts';
import { REANALYZE, WORKFLOW_STATES } from '../domain/workflow.ts';
import { TaskNotWaitingError } from '../ports/assessment-workflow.ts';
import type { AnswerSheet, PendingTask } from '../ports/assessment-repository.ts';
import type { Page } from '../ports/page.ts';
import { changeAssessment, loadAssessment } from './assessment-store.ts';
import { eventOf, staffActor, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { issuePortalLink } from './portal-links.ts';
import { mailTemplates } from '../domain/mail-templates.ts';
import { getVendor } from './vendors.ts';
import { recordDecision, type DeliveredDecision } from './workflow-steps.ts';
import { carryOverEvidence, initialAnswerSheet } from './reassessment.ts';

/** The workflow is not waiting where this action needs it to (e.g. a decision before the analysis finished). */
export class WorkflowNotReadyError extends TrustgateError {
  constructor(message: string) {
    super('workflow-not-ready', message);
    this.name = 'WorkflowNotReadyError';
  }
}

/** Starts an assessment of a vendor: picks the questionnaires (by the selection policy unless given) and starts the workflow. */
export async function startAssessment(deps: AppDeps, principal: Principal, request: AssessmentRequest): Promise<Assessment> {
  const vendor = await getVendor(deps, request.vendorId);
  const templateIds = request.templates ?? selectTemplates({ tier: vendor.inherentRisk.tier, dataTypes: vendor.dataTypes, criticality: vendor.criticality }).map((t) => t.templateId);
  const unknown = templateIds.filter((id) => !getTemplate(id));
  if (unknown.length) throw new ValidationError('Unknown questionnaire templates', unknown.map((id) => ({ path: 'templates', message: `no template "${id}"` })));
  const templates: TemplateRef[] = [...new Set(templateIds)].map((id) => ({ id, version: getTemplate(id)!.version }));
  const now = deps.clock.now().toISOString();
  const assessment = newAssessment({
    id: deps.ids.newId(),
    vendor: { id: vendor.id, name: vendor.name, contactEmail: vendor.contactEmail, tier: vendor.inherentRisk.tier },
    templates,
    dueDate: request.dueDate,
    requestedBy: principal.email ?? principal.subject,
    now,
  });
  const sheet = await initialAnswerSheet(deps, vendor, assessment.id, templates);
  const actor = staffActor(principal);
  // Assessments started before the open-assessment marker existed hold none: this read catches those.
  const open = await deps.assessments.listAssessments({ vendorId: vendor.id, openOnly: true }, { limit: 1 });
  if (open.items[0]) throw new AssessmentOpenError(vendor.id, open.items[0].id);
  await deps.assessments.insertAssessment(
    assessment,
    sheet,
    eventOf(deps, actor, 'assessment.started', { type: 'assessment', id: assessment.id }, `Started for ${vendor.name} with ${templates.map((t) => t.id).join(', ')}; due ${request.dueDate}${sheet.carriedOver ? `; answers of ${sheet.carriedOver.fromAssessmentId} carried over` : ''}`, { targetVersion: 1, at: now }),
  );
  await carryOverEvidence(deps, sheet);
  await startWorkflowOrWithdraw(deps, assessment.id);
  return assessment;
}

/**
 * Starts the assessment's workflow. When the start fails, the assessment is cancelled with the reason (so no
 * assessment waits in `inviting` with no workflow, and the vendor may be assessed again) and the error is raised.
 * A process that dies between the insert and the start leaves `inviting`: the daily sweep starts those.
 */
export async function startWorkflowOrWithdraw(deps: AppDeps, assessmentId: string): Promise<void> {
  try {
    await deps.workflow.startExecution({ assessmentId, settings: deps.workflowSettings });
  } catch (error) {
    await changeAssessment(deps, assessmentId, SYSTEM, 'assessment.cancelled', (a, now) =>
      a.status === 'inviting' ? { next: transition(a, 'cancelled', now), summary: 'Cancelled: the workflow could not be started' } : null,
    ).catch(() => undefined);
    throw new TrustgateError('workflow-unavailable', 'The assessment workflow could not be started; nothing was sent. Try again.', { cause: error });
  }
}

export interface AssessmentView {
  assessment: Assessment;
  answers: AnswerSheet | null;
  /** Each with the analysis as extracted, security's corrections, and the effective (corrected) analysis. */
  documents: (EvidenceDocument & { effectiveAnalysis: CorrectableAnalysis | null })[];
  timeline: AuditEvent[];
  waitingAt: string | null;
}

/** Everything staff see about one assessment: status, timeline, answers, documents with analyses. */
export async function getAssessmentView(deps: AppDeps, id: string): Promise<AssessmentView> {
  const assessment = await loadAssessment(deps, id);
  const [answers, documents, timeline, pending] = await Promise.all([
    deps.assessments.getAnswerSheet(id),
    deps.assessments.listDocuments(id),
    deps.auditLog.listAuditEventsFor({ type: 'assessment', id }, { limit: 100 }),
    deps.assessments.getPendingTask(id),
  ]);
  return {
    assessment,
    answers,
    documents: documents.map((d) => ({ ...d, corrections: d.corrections ?? [], effectiveAnalysis: effectiveAnalysis(d) })),
    timeline: timeline.items,
    waitingAt: pending?.state ?? null,
  };
}

export async function listAssessments(deps: AppDeps, filter: { vendorId?: string; status?: AssessmentStatus; openOnly?: boolean }, page: { limit: number; cursor?: string }): Promise<Page<Assessment>> {
  return deps.assessments.listAssessments(filter, page);
}

async function pendingAt(deps: AppDeps, id: string, states: string[]): Promise<PendingTask | null> {
  const pending = await deps.assessments.getPendingTask(id);
  return pending && states.includes(pending.state) ? pending : null;
}

/**
 * Cancels an open assessment: revokes the portal links and stops the workflow's execution. A step running at that
 * moment finds the assessment cancelled and refuses to act (AssessmentCancelled), so nothing goes out after cancel.
 */
export async function cancelAssessment(deps: AppDeps, principal: Principal, id: string, reason: string): Promise<Assessment> {
  const cancelled = await changeAssessment(deps, id, staffActor(principal), 'assessment.cancelled', (current, now) => {
    if (isFinal(current.status)) throw new ConflictError(`The assessment is already ${current.status}`, 'already-final');
    return { next: transition(current, 'cancelled', now), summary: `Cancelled: ${reason}` };
  });
  await deps.assessments.revokePortalTokens(id, 'cancelled', deps.clock.now().toISOString());
  const pending = await deps.assessments.getPendingTask(id);
  // Stopping is best effort: an execution that runs on regardless meets the cancelled assessment at its next step.
  await deps.workflow.stopExecution(id, `Cancelled: ${reason}`).catch(() => undefined);
  if (pending) await deps.assessments.clearPendingTask(id, pending.token);
  return cancelled;
}

/** Sends the vendor a fresh portal link (earlier links stop working). */
export async function resendInvite(deps: AppDeps, principal: Principal, id: string): Promise<{ sentTo: string }> {
  const assessment = await loadAssessment(deps, id);
  if (!['awaiting-vendor', 'overdue'].includes(assessment.status)) {
    throw new ConflictError(`Invitations are resent while the vendor is expected to answer; this assessment is ${assessment.status}`, 'not-awaiting-vendor');
  }
  const link = await issuePortalLink(deps, assessment, staffActor(principal), 'invitation resent');
  await deps.mailer.sendMail({ to: [assessment.contactEmail], ...mailTemplates.invite({ vendorName: assessment.vendorName, dueDate: assessment.dueDate, link, requestedBy: assessment.requestedBy }) });
  return { sentTo: assessment.contactEmail };
}

/**
 * Security's decision on an assessment that waits for review. The decision is delivered to the waiting workflow
 * first and recorded after: a delivery that fails changes nothing, and a decision delivered is recorded by the
 * workflow's RecordDecision step even if this request dies before recording it.
 */
export async function decideAssessment(deps: AppDeps, principal: Principal, id: string, request: DecisionRequest): Promise<Assessment> {
  const pending = await pendingAt(deps, id, [WORKFLOW_STATES.awaitReview]);
  const current = await loadAssessment(deps, id);
  if (current.status !== 'awaiting-review' || !pending) {
    throw new WorkflowNotReadyError(`Only an assessment awaiting review can be decided; this one is ${current.status}`);
  }
  const today = deps.clock.now().toISOString().slice(0, 10);
  const late = request.conditions.map((c, i) => ({ c, i })).filter(({ c }) => c.dueDate <= today);
  if (late.length) throw new ValidationError('Remediation due dates must be in the future', late.map(({ i }) => ({ path: `conditions.${i}.dueDate`, message: 'must be after today' })));
  const decision: AssessmentDecision = { decision: request.decision, comment: request.comment, conditions: request.conditions, decidedBy: principal.email ?? principal.subject, decidedAt: deps.clock.now().toISOString(), automatic: false };
  const delivered: DeliveredDecision = { ...decision, principal };
  try {
    await deps.workflow.sendTaskSuccess(pending.token, delivered);
  } catch (error) {
    if (error instanceof TaskNotWaitingError) throw new WorkflowNotReadyError('The assessment was decided meanwhile, or its workflow is restarting; reload it');
    throw error;
  }
  await deps.assessments.clearPendingTask(id, pending.token);
  return recordDecision(deps, id, staffActor(principal), decision);
}

/**
 * Resumes an assessment that needs attention, from the step that failed; or, while it awaits review, sends it back
 * to analysis so that documents that could not be read are read again (after the file was fixed, or a timeout).
 */
export async function retryAssessment(deps: AppDeps, principal: Principal, id: string): Promise<Assessment> {
  const pending = await pendingAt(deps, id, [WORKFLOW_STATES.awaitAttention, WORKFLOW_STATES.awaitReview]);
  if (!pending) throw new WorkflowNotReadyError('Only an assessment that needs attention or awaits review can be retried');
  if (pending.state === WORKFLOW_STATES.awaitReview) {
    const resumed = await changeAssessment(deps, id, staffActor(principal), 'assessment.retried', (a, now) => {
      if (a.status !== 'awaiting-review') throw new WorkflowNotReadyError(`Only an assessment awaiting review can be analyzed again; this one is ${a.status}`);
      return { next: transition(a, 'analyzing', now), summary: 'Analysis retried from review: documents not read yet are read again' };
    });
    await deps.assessments.clearPendingTask(id, pending.token);
    await deps.workflow.sendTaskSuccess(pending.token, { decision: REANALYZE });
    return resumed;
  }
  const retryFrom = (pending.stateInput as { retryFrom?: string } | null)?.retryFrom === 'invite' ? 'inviting' : 'analyzing';
  const resumed = await changeAssessment(deps, id, staffActor(principal), 'assessment.retried', (a, now) => {
    if (a.status !== 'needs-attention') throw new WorkflowNotReadyError(`Only an assessment that needs attention can be retried; this one is ${a.status}`);
    return { next: transition(a, retryFrom, now, { attentionReason: null }), summary: `Retried from ${retryFrom === 'inviting' ? 'the invitation' : 'the analysis'}` };
  });
  await deps.assessments.clearPendingTask(id, pending.token);
  await deps.workflow.sendTaskSuccess(pending.token, { action: 'retry' });
  return resumed;
}

/** How long a reviewer's download URL works: enough to start the download, too short to pass around. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;

/** A short-lived signed URL that downloads an uploaded document as an attachment with the vendor's file name. */
export async function getDocumentDownloadUrl(deps: AppDeps, assessmentId: string, documentId: string): Promise<string> {
  const document = await deps.assessments.getDocument(assessmentId, documentId);
  if (!document) throw new NotFoundError('Document', documentId);
  return deps.documents.createDownloadUrl(document.storageKey, { fileName: document.fileName, expiresInSeconds: DOWNLOAD_URL_SECONDS });
}
