/**
 * Names shared by the state machine definition (CDK), the step handlers and the local runner: one source, so the
 * definition and the code that serves its tasks cannot drift apart.
 */
import { TrustgateError } from './errors.ts';

export const WORKFLOW_STATES = {
  invite: 'Invite',
  awaitVendor: 'AwaitVendorSubmission',
  reminderChoice: 'ReminderOrEscalate',
  remind: 'SendReminder',
  escalate: 'Escalate',
  markOverdue: 'MarkOverdue',
  analyzeDocuments: 'AnalyzeDocuments',
  analyzeDocument: 'AnalyzeDocument',
  score: 'Score',
  route: 'Route',
  autoApprove: 'AutoApprove',
  awaitReview: 'AwaitSecurityReview',
  recordDecision: 'RecordDecision',
  decisionChoice: 'ApplyDecision',
  requestChanges: 'RequestChanges',
  finalize: 'Finalize',
  inviteFailed: 'InviteFailed',
  analysisFailed: 'AnalysisFailed',
  needsAttention: 'NeedsAttention',
  awaitAttention: 'AwaitAttention',
  attentionChoice: 'RetryOrStop',
  cancelled: 'Cancelled',
  done: 'Done',
} as const;

/** The `step` field of every task payload: which use case the step handler runs. */
export const WORKFLOW_STEPS = [
  'invite',
  'await-vendor',
  'remind',
  'escalate',
  'mark-overdue',
  'score',
  'auto-approve',
  'await-review',
  'record-decision',
  'request-changes',
  'finalize',
  'needs-attention',
  'await-attention',
] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/**
 * The answer to the security-review wait that sends the assessment back to analysis (security's retry): documents
 * not read yet, or whose reading failed, are read again; the rest keep their analysis.
 */
export const REANALYZE = 'reanalyze';

/** The error name every step refuses a cancelled assessment with; the state machine's Cancelled catch matches it. */
export const CANCELLED_ERROR = 'AssessmentCancelled';

/** A workflow step was asked to act on a cancelled assessment. Named for Step Functions' ErrorEquals. */
export class AssessmentCancelledError extends TrustgateError {
  constructor(assessmentId: string) {
    super('assessment-cancelled', `Assessment ${assessmentId} was cancelled`);
    this.name = CANCELLED_ERROR;
  }
}

/** Task timeout for waits with no natural deadline (security review, attention): a year, Step Functions' maximum. */
export const LONG_WAIT_SECONDS = 365 * 24 * 3600 - 3600;

export interface WorkflowSettings {
  reminderIntervalSeconds: number;
  maxReminders: number;
}
