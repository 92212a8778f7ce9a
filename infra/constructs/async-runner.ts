/**
 * A one-task state machine that invokes a function asynchronously, so the API hands work over instead of doing it in
 * its 29-second request (and in a Lambda that may be frozen once it has answered). Used for admin-requested sweeps (the
 * sweep's reserved concurrency of 1 keeps runs from overlapping) and for background jobs (docs/adr/0017). A failed run
 * is retried by Lambda, then lands in the function's dead-letter queue.
 */
import { type CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, type TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvocationType, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { INLINE_POLICY_REASON, LOG_ENCRYPTION_REASON } from './trustgate-function.ts';

export class AsyncRunner extends Construct {
  readonly stateMachine: StateMachine;

  /**
   * `payload`: what the function receives (the sweep: who asked; a job: the whole execution input). `stateName`: the
   * task's name in the execution history.
   */
  constructor(scope: Construct, id: string, props: { fn: IFunction; stateName: string; payload: TaskInput }) {
    super(scope, id);
    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason: LOG_ENCRYPTION_REASON });
    const invoke = new LambdaInvoke(this, props.stateName, {
      stateName: props.stateName,
      lambdaFunction: props.fn,
      invocationType: LambdaInvocationType.EVENT,
      payload: props.payload,
      retryOnServiceExceptions: true,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(invoke),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    const stack = Stack.of(this);
    Validations.of(this.stateMachine.role).acknowledge(
      { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY_REASON },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.fn.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason: 'Versions and aliases of this one function only (the Step Functions Lambda task grants the function and its qualifiers).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (CreateLogDelivery, DescribeLogGroups, ...) have no resource-level permissions.',
      },
    );
  }
}
