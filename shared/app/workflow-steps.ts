/**
 * The assessment workflow's steps: what each Task state of the state machine does. The Lambda handler and the
 * local runner both call `runWorkflowStep` with the task's payload.
 */
import { planNextReview, revise, transition, type Assessment, type ReminderState } from '../domain/assessment.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import { latestPeriodEnd } from '../domain/evidence.ts';
import { mailTemplates } from '../domain/mail-templates.ts';
import { dueDateLinksExpired } from '../domain/portal.ts';
import { WORKFLOW_STEPS, type WorkflowStep } from '../domain/workflow.ts';
import { assessmentUrl, changeAssessment, loadAssessment } from './assessment-store.ts';
import { eventOf, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { issuePortalLink } from './portal-links.ts';
import { refreshVendorSummary, scoreAssessment } from './risk.ts';
import { activateVendorAfterApproval } from './vendors.ts';

export interface WorkflowStepEvent {
  step: WorkflowStep;
  assessmentId: string;
  /** Callback steps only. */
  taskToken?: string;
  stateName?: string;
  state?: unknown;
  /** needs-attention only: the caught error and where to retry from. */
  error?: { Error?: string; Cause?: string };
  retryFrom?: string;
}

const FRESH_REMINDERS: ReminderState = { sent: 0, escalated: false, overdue: false };

/** Runs one step; its return value is the Task's result. */
export async function runWorkflowStep(deps: AppDeps, event: WorkflowStepEvent): Promise<unknown> {
  if (!event || typeof event !== 'object' || !WORKFLOW_STEPS.includes(event.step) || typeof event.assessmentId !== 'string') {
    throw new ValidationError('Not a workflow step event', [{ path: 'step', message: `one of ${WORKFLOW_STEPS.join(', ')}` }]);
  }
  const handler = STEPS[event.step];
  return handler(deps, event);
}

type Step = (deps: AppDeps, event: WorkflowStepEvent) => Promise<unknown>;

const storeCallback: Step = async (deps, event) => {
  if (!event.taskToken || !event.stateName) throw new ValidationError('A callback step needs its task token', [{ path: 'taskToken', message: 'required' }]);
  await deps.assessments.putPendingTask({ assessmentId: event.assessmentId, token: event.taskToken, state: event.stateName, stateInput: event.state ?? null, since: deps.clock.now().toISOString() });
  return null;
};

const mailRequester = async (deps: AppDeps, a: Assessment, content: { subject: string; text: string; purpose: string }) => {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.requestedBy)) await deps.mailer.sendMail({ to: [a.requestedBy], ...content });
};

const STEPS: Record<WorkflowStep, Step> = {
  invite: async (deps, event) => {
    const assessment = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.invited', (a, now) => {
      if (a.status === 'cancelled') throw new ConflictError('The assessment was cancelled', 'AssessmentCancelled');
      return { next: transition(a, 'awaiting-vendor', now, { reminders: FRESH_REMINDERS }), summary: `Invitation sent to ${a.contactEmail}` };
    });
    const link = await issuePortalLink(deps, assessment, SYSTEM, 'invitation');
    await deps.mailer.sendMail({ to: [assessment.contactEmail], ...mailTemplates.invite({ vendorName: assessment.vendorName, dueDate: assessment.dueDate, link, requestedBy: assessment.requestedBy }) });
    return FRESH_REMINDERS;
  },

  'await-vendor': storeCallback,
  'await-review': storeCallback,
  'await-attention': storeCallback,

  remind: async (deps, event) => {
    const assessment = await loadAssessment(deps, event.assessmentId);
    const reminders = { ...assessment.reminders, sent: assessment.reminders.sent + 1 };
    const link = await issuePortalLink(deps, assessment, SYSTEM, `reminder ${reminders.sent}`);
    await deps.mailer.sendMail({ to: [assessment.contactEmail], ...mailTemplates.reminder({ vendorName: assessment.vendorName, dueDate: assessment.dueDate, link, number: reminders.sent }) });
    await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.reminded', (a, now) => ({
      next: revise(a, now, { reminders }),
      summary: `Reminder ${reminders.sent} sent to ${a.contactEmail} with a new link`,
    }));
    return reminders;
  },

  escalate: async (deps, event) => {
    const a = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.escalated', (cur, now) => ({
      next: revise(cur, now, { reminders: { ...cur.reminders, escalated: true } }),
      summary: `No answer after ${cur.reminders.sent} reminder(s): escalated to ${cur.requestedBy}`,
    }));
    await mailRequester(deps, a, mailTemplates.escalation({ vendorName: a.vendorName, dueDate: a.dueDate, reminders: a.reminders.sent, assessmentUrl: assessmentUrl(deps, a.id) }));
    return a.reminders;
  },

  'mark-overdue': async (deps, event) => {
    const a = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.overdue', (cur, now) => ({
      next: transition(cur, 'overdue', now, { reminders: { ...cur.reminders, overdue: true } }),
      summary: 'Marked overdue',
    }));
    await mailRequester(deps, a, mailTemplates.overdue({ vendorName: a.vendorName, dueDate: a.dueDate, assessmentUrl: assessmentUrl(deps, a.id) }));
    return a.reminders;
  },

  score: async (deps, event) => scoreAssessment(deps, event.assessmentId),

  'auto-approve': async (deps, event) => {
    await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.decided', (a, now) => ({
      next: transition(a, 'approved', now, {
        lastDecision: { decision: 'approved', comment: 'Approved automatically: the policy allows it for this residual risk and findings', conditions: [], decidedBy: 'trustgate policy', decidedAt: now, automatic: true },
      }),
      summary: 'Approved automatically by policy (low residual risk, no high findings)',
    }));
    return null;
  },

  'request-changes': async (deps, event) => {
    const assessment = await loadAssessment(deps, event.assessmentId);
    const sheet = await deps.assessments.getAnswerSheet(event.assessmentId);
    if (sheet?.lockedAt) {
      await deps.assessments.replaceAnswerSheet({ ...sheet, lockedAt: null, version: sheet.version + 1 }, sheet.version, eventOf(deps, SYSTEM, 'assessment.answers-reopened', { type: 'assessment', id: assessment.id }, 'Answers reopened for changes'));
    }
    // The vendor's link must open again: after the links issued for the due date expired, a new one goes in the mail.
    const link = dueDateLinksExpired(assessment.dueDate, deps.clock.now().toISOString()) ? await issuePortalLink(deps, assessment, SYSTEM, 'changes requested after the earlier links expired') : '';
    await deps.mailer.sendMail({ to: [assessment.contactEmail], ...mailTemplates.changesRequested({ vendorName: assessment.vendorName, comment: assessment.changesRequested ?? '', link }) });
    return FRESH_REMINDERS;
  },

  finalize: async (deps, event) => {
    const assessment = await loadAssessment(deps, event.assessmentId);
    const documents = await deps.assessments.listDocuments(event.assessmentId);
    const soc2 = latestPeriodEnd(documents, 'soc2');
    const bridge = latestPeriodEnd(documents, 'bridge-letter');
    const decidedOn = (assessment.lastDecision?.decidedAt ?? deps.clock.now().toISOString()).slice(0, 10);
    const plan = planNextReview({ decidedOn, tier: assessment.vendorTier, soc2PeriodEnd: soc2, bridgeCoverageEnd: bridge });
    const final = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.finalized', (a, now) => ({
      next: revise(a, now, { nextReviewDate: a.status === 'rejected' ? null : plan.nextReviewDate, bridgeLetterRequested: plan.bridgeLetterNeeded && a.status !== 'rejected' }),
      summary: a.status === 'rejected' ? 'Finalized: rejected, no review scheduled' : `Next review ${plan.nextReviewDate} (${plan.reason})${plan.bridgeLetterNeeded ? `; bridge letter requested: ${plan.bridgeLetterReason}` : ''}`,
    }));
    await refreshVendorSummary(deps, final.id);
    if (final.status === 'approved' || final.status === 'approved-with-conditions') await activateVendorAfterApproval(deps, final.vendorId, final.id);
    if (final.bridgeLetterRequested && plan.bridgeLetterReason) {
      await deps.mailer.sendMail({ to: [final.contactEmail], ...mailTemplates.bridgeLetter({ vendorName: final.vendorName, reason: plan.bridgeLetterReason }) });
    }
    await mailRequester(deps, final, mailTemplates.decision({ vendorName: final.vendorName, decision: final.status, nextReviewDate: final.nextReviewDate, assessmentUrl: assessmentUrl(deps, final.id) }));
    return null;
  },

  'needs-attention': async (deps, event) => {
    const reason = describeFailure(event.error);
    const a = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.needs-attention', (cur, now) => ({
      // A re-run (a retry of this step after a crash or a lost answer) records the reason again, it does not fail.
      next: cur.status === 'needs-attention' ? revise(cur, now, { attentionReason: reason }) : transition(cur, 'needs-attention', now, { attentionReason: reason }),
      summary: `Needs attention: ${reason}`,
    }));
    // Best effort: the reason is recorded and the workflow goes on to wait for a retry whether or not the mail goes out.
    const requesterMailed = await mailRequester(deps, a, mailTemplates.needsAttention({ vendorName: a.vendorName, reason, assessmentUrl: assessmentUrl(deps, a.id) })).then(
      () => true,
      () => false,
    );
    return { requesterMailed };
  },
};

/** A readable reason from a Step Functions error: the Cause is the Lambda's error JSON, or text. */
export function describeFailure(error: { Error?: string; Cause?: string } | undefined): string {
  if (!error) return 'an unknown error';
  let message = error.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: string; errorType?: string };
    message = cause.errorMessage ?? message;
  } catch {
    // Cause was plain text.
  }
  const kind = error.Error && error.Error !== 'Error' ? `${error.Error}: ` : '';
  return `${kind}${message || 'no details'}`.slice(0, 1000);
}
