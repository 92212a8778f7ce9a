import { TrustgateError } from '../domain/errors.ts';

/** Nothing waits on this token (it timed out, was answered already, or never existed). */
export class TaskNotWaitingError extends TrustgateError {
  constructor() {
    super('task-not-waiting', 'The workflow is not waiting on this task any more');
    this.name = 'TaskNotWaitingError';
  }
}

/** The assessment state machine: Step Functions in AWS, the same definition run in-process locally. */
export interface WorkflowInput {
  assessmentId: string;
  settings: { reminderIntervalSeconds: number; maxReminders: number };
}

export interface AssessmentWorkflow {
  /** Starts one execution per assessment; returns its id. */
  startExecution(input: WorkflowInput): Promise<string>;
  /** Resumes the state that waits on `token` with `output`. `TaskNotWaitingError` when nothing waits on it. */
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}

export interface PortalTokenMinter {
  /** A fresh random token (256 bits) and its hash. */
  mint(): { token: string; hash: string };
  hash(token: string): string;
}
