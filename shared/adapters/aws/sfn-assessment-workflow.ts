/** The assessment workflow on AWS Step Functions. */
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { TaskNotWaitingError, type AssessmentWorkflow, type WorkflowInput } from '../../ports/assessment-workflow.ts';

const NOT_WAITING = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export class SfnAssessmentWorkflow implements AssessmentWorkflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async startExecution(input: WorkflowInput): Promise<string> {
    // The execution name makes a second start of the same assessment fail instead of running twice.
    const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: `assessment-${input.assessmentId}`.slice(0, 80), input: JSON.stringify(input) }));
    return out.executionArn ?? '';
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
