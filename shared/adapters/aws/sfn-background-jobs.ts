/**
 * Background jobs in AWS (docs/adr/0017): each is an execution of the job-runner state machine, whose one task invokes
 * the jobs function asynchronously with the job (Lambda retries a failed run twice, then its dead-letter queue takes
 * it). The execution is named after the job, so dispatching the same job twice starts it once. Step Functions and not
 * the Lambda API: the API bundle already carries the Step Functions client.
 */
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { BackgroundJob, BackgroundJobs } from '../../ports/background-jobs.ts';

export class SfnBackgroundJobs implements BackgroundJobs {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async dispatch(job: BackgroundJob): Promise<void> {
    const name = `${job.kind}-${job.id}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(job) }));
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  }
}
