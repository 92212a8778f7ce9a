/**
 * Admin-requested sweeps: a one-task state machine that invokes the sweep function asynchronously, so the API hands
 * the run over instead of running it inside its 29-second request, and the sweep's reserved concurrency of 1 keeps
 * runs from overlapping (a second request waits in Lambda's async queue; a failed run lands in its dead-letter queue).
 */
import { type CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, JsonPath, LogLevel, StateMachine, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvocationType, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { INLINE_POLICY_REASON, LOG_ENCRYPTION_REASON } from './trustgate-function.ts';

export class SweepRunner extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: { sweepFunction: IFunction }) {
    super(scope, id);
    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason: LOG_ENCRYPTION_REASON });
    const invoke = new LambdaInvoke(this, 'InvokeSweep', {
      stateName: 'InvokeSweep',
      lambdaFunction: props.sweepFunction,
      invocationType: LambdaInvocationType.EVENT,
      payload: TaskInput.fromObject({ requestedBy: JsonPath.stringAt('$.requestedBy') }),
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
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.sweepFunction.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason: 'Versions and aliases of the sweep function only (the Step Functions Lambda task grants the function and its qualifiers).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (CreateLogDelivery, DescribeLogGroups, ...) have no resource-level permissions.',
      },
    );
  }
}
