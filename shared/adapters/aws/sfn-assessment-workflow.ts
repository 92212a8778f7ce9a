/** The assessment workflow on AWS Step Functions. */
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { TaskNotWaitingError, type AssessmentWorkflow, type WorkflowInput } from '../../ports/assessment-workflow.ts';

const executionName = (assessmentId: string) => `assessment-${assessmentId}`.slice(0, 80);

const NOT_WAITING = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export class SfnAssessmentWorkflow implements AssessmentWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async startExecution(input: WorkflowInput): Promise<string> {
    // The execution name makes a second start of the same assessment answer the running execution (same input) or
    // fail (ExecutionAlreadyExists) instead of running twice.
    try {
      const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: executionName(input.assessmentId), input: JSON.stringify(input) }));
      return out.executionArn ?? '';
    } catch (error) {
      if ((error as { name?: string }).name === 'ExecutionAlreadyExists') return this.executionArn(input.assessmentId);
      throw error;
    }
  }

  async stopExecution(assessmentId: string, cause: string): Promise<void> {
    try {
      await this.sfn.send(new StopExecutionCommand({ executionArn: this.executionArn(assessmentId), error: 'AssessmentCancelled', cause: cause.slice(0, 32_000) }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionDoesNotExist') throw error;
    }
  }

  private executionArn(assessmentId: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(assessmentId)}`;
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    await this.translate(() => this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })));
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    await this.translate(() => this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause: cause.slice(0, 32_000) })));
  }

  private async translate(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (NOT_WAITING.has((error as { name?: string }).name ?? '')) throw new TaskNotWaitingError();
      throw error;
    }
  }
}
