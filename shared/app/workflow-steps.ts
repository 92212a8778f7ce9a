/**
 * The assessment workflow's steps: what each Task state of the state machine does. The Lambda handler and the
 * local runner both call `runWorkflowStep` with the task's payload.
 */
import { applyDecision, planNextReview, revise, transition, type Assessment, type AssessmentDecision, type ReminderState } from '../domain/assessment.ts';
import { TrustgateError, ValidationError } from '../domain/errors.ts';
import { latestPeriodEnd } from '../domain/evidence.ts';
import { mailTemplates } from '../domain/mail-templates.ts';
import { dueDateLinksExpired } from '../domain/portal.ts';
import type { Principal } from '../domain/roles.ts';
import { AssessmentCancelledError, REANALYZE, WORKFLOW_STEPS, type WorkflowStep } from '../domain/workflow.ts';
import { assessmentUrl, changeAssessment, loadAssessment } from './assessment-store.ts';
import { eventOf, staffActor, SYSTEM, type Actor } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { issuePortalLink } from './portal-links.ts';
import { scoreAssessment } from './risk.ts';
import { activateVendorAfterApproval } from './vendors.ts';

export interface WorkflowStepEvent {
  step: WorkflowStep;
  assessmentId: string;
  /** Callback steps only. */
  taskToken?: string;
  stateName?: string;
  state?: unknown;
  /** remind only: the reminders as the state machine holds them when the reminder is due. */
  remindersBefore?: ReminderState;
  /** record-decision only: the decision security sent to the workflow. */
  decision?: DeliveredDecision;
  /** needs-attention only: the caught error and where to retry from. */
  error?: { Error?: string; Cause?: string };
  retryFrom?: string;
}

/** What `POST /decision` sends to the waiting AwaitSecurityReview task: the decision and who made it. */
export interface DeliveredDecision extends AssessmentDecision {
  principal?: Principal;
}

const FRESH_REMINDERS: ReminderState = { sent: 0, escalated: false, overdue: false };

/**
 * Runs one step; its return value is the Task's result. Every step may run again after a crash or a retry, and
 * each is written so that running it twice does what running it once did: state changes are applied only when not
 * applied yet, mail carries an idempotency key, and a portal link is issued only for a mail not yet sent. Every step
 * refuses a cancelled assessment with AssessmentCancelledError (the state machine's Cancelled catch).
 */
export async function runWorkflowStep(deps: AppDeps, event: WorkflowStepEvent): Promise<unknown> {
  if (!event || typeof event !== 'object' || !WORKFLOW_STEPS.includes(event.step) || typeof event.assessmentId !== 'string') {
    throw new ValidationError('Not a workflow step event', [{ path: 'step', message: `one of ${WORKFLOW_STEPS.join(', ')}` }]);
  }
  const assessment = await loadAssessment(deps, event.assessmentId);
  refuseCancelled(assessment);
  const handler = STEPS[event.step];
  return handler(deps, event, assessment);
}

type Step = (deps: AppDeps, event: WorkflowStepEvent, assessment: Assessment) => Promise<unknown>;

function refuseCancelled(a: Assessment): void {
  if (a.status === 'cancelled') throw new AssessmentCancelledError(a.id);
}

/** Stores the callback token; when what the wait waits for happened already (before a restart), answers it at once. */
const storeCallback =
  (alreadyAnswered: (deps: AppDeps, a: Assessment) => Promise<unknown> | null): Step =>
  async (deps, event, assessment) => {
    if (!event.taskToken || !event.stateName) throw new ValidationError('A callback step needs its task token', [{ path: 'taskToken', message: 'required' }]);
    await deps.assessments.putPendingTask({ assessmentId: event.assessmentId, token: event.taskToken, state: event.stateName, stateInput: event.state ?? null, since: deps.clock.now().toISOString() });
    const answer = alreadyAnswered(deps, assessment);
    if (answer === null) return null;
    try {
      await deps.workflow.sendTaskSuccess(event.taskToken, await answer);
      await deps.assessments.clearPendingTask(event.assessmentId, event.taskToken);
    } catch (error) {
      // A function that cannot answer tasks (AWS: the steps function) leaves the wait to the API, as before.
      if (!(error instanceof TrustgateError && error.code === 'workflow-unavailable')) throw error;
    }
    return null;
  };

/** The vendor's submission was taken (answers locked, status analyzing) but never reached the workflow. */
const submissionTaken = (deps: AppDeps, a: Assessment) =>
  a.status === 'analyzing' ? deps.assessments.listDocuments(a.id).then((docs) => ({ documentIds: docs.map((d) => d.id), submittedAt: a.submittedAt ?? deps.clock.now().toISOString() })) : null;

/** Security's decision is on record but never reached the workflow. */
const decisionTaken = (_deps: AppDeps, a: Assessment) => (a.status !== 'awaiting-review' && a.lastDecision && !a.lastDecision.automatic ? Promise.resolve(a.lastDecision) : null);

/** Someone retried (status moved on from needs-attention) but the retry never reached the workflow. */
const retryTaken = (_deps: AppDeps, a: Assessment) => (a.status === 'analyzing' || a.status === 'inviting' ? Promise.resolve({ action: 'retry' }) : null);

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

const mailRequester = async (deps: AppDeps, a: Assessment, key: string, content: { subject: string; text: string; purpose: string }) => {
  if (isEmail(a.requestedBy)) await deps.mailer.sendMail({ to: [a.requestedBy], ...content, idempotencyKey: key });
};

/**
 * Mails the vendor a new portal link once per `key`: when the mail went out already (a re-run), neither a new link
 * is issued (which would revoke the mailed one) nor a second mail sent.
 */
async function mailLinkOnce(deps: AppDeps, assessment: Assessment, key: string, why: string, compose: (link: string) => { subject: string; text: string; purpose: string }): Promise<void> {
  if (await deps.mailer.wasSent(key)) return;
  const link = await issuePortalLink(deps, assessment, SYSTEM, why);
  // Cancelled meanwhile: the new link must not go out (cancel revoked the links it saw, so revoke this one too).
  const now = await loadAssessment(deps, assessment.id);
  if (now.status === 'cancelled') {
    await deps.assessments.revokePortalTokens(assessment.id, 'cancelled', deps.clock.now().toISOString());
    throw new AssessmentCancelledError(assessment.id);
  }
  await deps.mailer.sendMail({ to: [assessment.contactEmail], ...compose(link), idempotencyKey: key });
}

const STEPS: Record<WorkflowStep, Step> = {
  invite: async (deps, event, assessment) => {
    await mailLinkOnce(deps, assessment, `invite:${assessment.id}`, 'invitation', (link) =>
      mailTemplates.invite({ vendorName: assessment.vendorName, dueDate: assessment.dueDate, link, requestedBy: assessment.requestedBy }),
    );
    await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.invited', (a, now) => {
      refuseCancelled(a);
      if (a.status !== 'inviting') return null;
      return { next: transition(a, 'awaiting-vendor', now, { reminders: FRESH_REMINDERS }), summary: `Invitation sent to ${a.contactEmail}` };
    });
    return FRESH_REMINDERS;
  },

  'await-vendor': storeCallback(submissionTaken),
  'await-review': storeCallback(decisionTaken),
  'await-attention': storeCallback(retryTaken),

  remind: async (deps, event, assessment) => {
    const before = event.remindersBefore ?? assessment.reminders;
    const reminders = { ...before, sent: before.sent + 1 };
    await mailLinkOnce(deps, assessment, `reminder:${assessment.id}:round-${assessment.round}:${reminders.sent}`, `reminder ${reminders.sent}`, (link) =>
      mailTemplates.reminder({ vendorName: assessment.vendorName, dueDate: assessment.dueDate, link, number: reminders.sent }),
    );
    await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.reminded', (a, now) => {
      refuseCancelled(a);
      if (a.reminders.sent === reminders.sent) return null;
      return { next: revise(a, now, { reminders: { ...a.reminders, sent: reminders.sent } }), summary: `Reminder ${reminders.sent} sent to ${a.contactEmail} with a new link` };
    });
    return reminders;
  },

  escalate: async (deps, event) => {
    const a = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.escalated', (cur, now) => {
      refuseCancelled(cur);
      if (cur.reminders.escalated) return null;
      return { next: revise(cur, now, { reminders: { ...cur.reminders, escalated: true } }), summary: `No answer after ${cur.reminders.sent} reminder(s): escalated to ${cur.requestedBy}` };
    });
    await mailRequester(deps, a, `escalation:${a.id}:round-${a.round}`, mailTemplates.escalation({ vendorName: a.vendorName, dueDate: a.dueDate, reminders: a.reminders.sent, assessmentUrl: assessmentUrl(deps, a.id) }));
    return a.reminders;
  },

  'mark-overdue': async (deps, event) => {
    const a = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.overdue', (cur, now) => {
      refuseCancelled(cur);
      if (cur.reminders.overdue && cur.status === 'overdue') return null;
      return { next: transition(cur, 'overdue', now, { reminders: { ...cur.reminders, overdue: true } }), summary: 'Marked overdue' };
    });
    await mailRequester(deps, a, `overdue:${a.id}:round-${a.round}`, mailTemplates.overdue({ vendorName: a.vendorName, dueDate: a.dueDate, assessmentUrl: assessmentUrl(deps, a.id) }));
    return a.reminders;
  },

  score: async (deps, event) => scoreAssessment(deps, event.assessmentId),

  'auto-approve': async (deps, event) => {
    await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.decided', (a, now) => {
      refuseCancelled(a);
      if (a.status === 'approved' && a.lastDecision?.automatic) return null;
      return {
        next: transition(a, 'approved', now, {
          lastDecision: { decision: 'approved', comment: 'Approved automatically: the policy allows it for this residual risk and findings', conditions: [], decidedBy: 'trustgate policy', decidedAt: now, automatic: true },
        }),
        summary: 'Approved automatically by policy (low residual risk, no high findings)',
      };
    });
    return null;
  },

  'record-decision': async (deps, event) => {
    const delivered = event.decision;
    if (!delivered || typeof delivered !== 'object') throw new ValidationError('RecordDecision needs the decision', [{ path: 'decision', message: 'required' }]);
    // Security's retry from review is not a decision: retryAssessment recorded it, and ApplyDecision routes it back to
    // the analysis.
    if ((delivered as { decision?: unknown }).decision === REANALYZE) return null;
    const { principal, ...decision } = delivered;
    await recordDecision(deps, event.assessmentId, principal ? staffActor(principal) : SYSTEM, decision);
    return null;
  },

  'request-changes': async (deps, event, assessment) => {
    const sheet = await deps.assessments.getAnswerSheet(event.assessmentId);
    if (sheet?.lockedAt) {
      await deps.assessments.replaceAnswerSheet({ ...sheet, lockedAt: null, version: sheet.version + 1 }, sheet.version, eventOf(deps, SYSTEM, 'assessment.answers-reopened', { type: 'assessment', id: assessment.id }, 'Answers reopened for changes'));
    }
    const key = `changes-requested:${assessment.id}:round-${assessment.round}`;
    const compose = (link: string) => mailTemplates.changesRequested({ vendorName: assessment.vendorName, comment: assessment.changesRequested ?? '', link });
    // The vendor's link must open again: after the links issued for the due date expired, a new one goes in the mail
    // (once per round: a re-run neither rotates it nor mails twice).
    if (dueDateLinksExpired(assessment.dueDate, deps.clock.now().toISOString())) await mailLinkOnce(deps, assessment, key, 'changes requested after the earlier links expired', compose);
    else await deps.mailer.sendMail({ to: [assessment.contactEmail], ...compose(''), idempotencyKey: key });
    return FRESH_REMINDERS;
  },

  finalize: async (deps, event, assessment) => {
    const decidedAt = assessment.lastDecision?.decidedAt ?? '';
    const decisionMailKey = `decision:${assessment.id}:${decidedAt}`;
    // The decision mail is the step's last effect: once it went out, the step ran to the end already.
    if (await deps.mailer.wasSent(decisionMailKey)) return null;
    const documents = await deps.assessments.listDocuments(event.assessmentId);
    const soc2 = latestPeriodEnd(documents, 'soc2');
    const bridge = latestPeriodEnd(documents, 'bridge-letter');
    const decidedOn = (decidedAt || deps.clock.now().toISOString()).slice(0, 10);
    const plan = planNextReview({ decidedOn, tier: assessment.vendorTier, soc2PeriodEnd: soc2, bridgeCoverageEnd: bridge });
    const final = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.finalized', (a, now) => {
      refuseCancelled(a);
      const nextReviewDate = a.status === 'rejected' ? null : plan.nextReviewDate;
      const bridgeLetterRequested = plan.bridgeLetterNeeded && a.status !== 'rejected';
      // Only a change is recorded, so a re-run (a Retry, a restart after a crash before the mail) writes nothing: a
      // rejection schedules nothing and its decision event is its record.
      if (a.nextReviewDate === nextReviewDate && a.bridgeLetterRequested === bridgeLetterRequested) return null;
      return {
        next: revise(a, now, { nextReviewDate, bridgeLetterRequested }),
        summary: a.status === 'rejected' ? 'Finalized: rejected, no review scheduled' : `Next review ${plan.nextReviewDate} (${plan.reason})${plan.bridgeLetterNeeded ? `; bridge letter requested: ${plan.bridgeLetterReason}` : ''}`,
      };
    });
    if (final.status === 'approved' || final.status === 'approved-with-conditions') await activateVendorAfterApproval(deps, final.vendorId, final.id);
    if (final.bridgeLetterRequested && plan.bridgeLetterReason) {
      await deps.mailer.sendMail({ to: [final.contactEmail], ...mailTemplates.bridgeLetter({ vendorName: final.vendorName, reason: plan.bridgeLetterReason }), idempotencyKey: `bridge-letter:${final.id}:${decidedAt}` });
    }
    await mailRequester(deps, final, decisionMailKey, mailTemplates.decision({ vendorName: final.vendorName, decision: final.status, nextReviewDate: final.nextReviewDate, assessmentUrl: assessmentUrl(deps, final.id) }));
    return null;
  },

  'needs-attention': async (deps, event) => {
    const reason = describeFailure(event.error);
    const a = await changeAssessment(deps, event.assessmentId, SYSTEM, 'assessment.needs-attention', (cur, now) => {
      refuseCancelled(cur);
      if (cur.status === 'needs-attention' && cur.attentionReason === reason) return null;
      // A re-run (a retry of this step after a crash or a lost answer) records the new reason, it does not fail.
      const next = cur.status === 'needs-attention' ? revise(cur, now, { attentionReason: reason }) : transition(cur, 'needs-attention', now, { attentionReason: reason });
      return { next, summary: `Needs attention: ${reason}` };
    });
    // Best effort: the reason is recorded and the workflow goes on to wait for a retry whether or not the mail goes out.
    const requesterMailed = await mailRequester(deps, a, `needs-attention:${a.id}:v${a.version}`, mailTemplates.needsAttention({ vendorName: a.vendorName, reason, assessmentUrl: assessmentUrl(deps, a.id) })).then(
      () => true,
      () => false,
    );
    return { requesterMailed };
  },
};

/** Applies security's decision with its audit event, unless it was applied already (by the API or an earlier run). */
export async function recordDecision(deps: AppDeps, assessmentId: string, actor: Actor, decision: AssessmentDecision): Promise<Assessment> {
  return changeAssessment(deps, assessmentId, actor, 'assessment.decided', (a, now) => {
    refuseCancelled(a);
    const next = applyDecision(a, decision, now);
    if (!next) return null;
    return { next, summary: `Decision: ${decision.decision}${decision.conditions.length ? ` with ${decision.conditions.length} condition(s)` : ''}. ${decision.comment}` };
  });
}

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
