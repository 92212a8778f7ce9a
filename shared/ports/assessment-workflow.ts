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
  /**
   * Starts the assessment's one execution; returns its id. Starting it again while it runs changes nothing (the
   * execution is named after the assessment), so a caller unsure whether a start happened may simply start again.
   */
  startExecution(input: WorkflowInput): Promise<string>;
  /** Stops the assessment's execution (it runs no further state); nothing happens when none runs. */
  stopExecution(assessmentId: string, cause: string): Promise<void>;
  /** Resumes the state that waits on `token` with `output`. `TaskNotWaitingError` when nothing waits on it. */
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}

export interface PortalTokenMinter {
  /** A fresh random token (256 bits) and its hash. */
  mint(): { token: string; hash: string };
  hash(token: string): string;
}
