/**
 * Admin-requested sweeps in AWS: starts the sweep-runner state machine, whose one task invokes the sweep function
 * asynchronously (reserved concurrency 1, so runs never overlap; failed runs go to its dead-letter queue). Step
 * Functions and not the Lambda API: the API bundle already carries the Step Functions client, and the Lambda
 * client would take it past its size budget.
 */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { TrustgateError } from '../../domain/errors.ts';
import type { SweepRunner } from '../../ports/sweep-runner.ts';

export class SfnSweepRunner implements SweepRunner {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly newId: () => string,
  ) {}

  async requestSweep(requestedBy: string): Promise<{ runId: string }> {
    const runId = `sweep-${this.newId()}`.slice(0, 80);
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: runId, input: JSON.stringify({ requestedBy }) }));
    } catch (error) {
      throw new TrustgateError('workflow-unavailable', 'The sweep could not be started right now; try again', { cause: error });
    }
    return { runId };
  }
}
