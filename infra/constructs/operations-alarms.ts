/** CloudWatch alarms on what needs a human: function errors and throttles, failed or timed-out executions. */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** Subscribed to the alarm topic when given (the subscription must be confirmed from the mail). */
  email?: string;
  /** An existing topic to notify instead of creating one (its key policy must let CloudWatch publish). */
  topicArn?: string;
}

export interface FunctionAlarmOptions {
  /** Errors in `period` that raise the alarm (default 1). */
  errorThreshold?: number;
  period?: Duration;
}

export class OperationsAlarms extends Construct {
  readonly topic: ITopic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps = {}) {
    super(scope, id);
    if (props.topicArn) {
      this.topic = Topic.fromTopicArn(this, 'Topic', props.topicArn);
    } else {
      // CloudWatch cannot publish to a topic under the AWS-managed SNS key: a customer key it may use.
      const key = new Key(this, 'Key', { enableKeyRotation: true, description: 'trustgate alarm notifications', removalPolicy: RemovalPolicy.DESTROY });
      key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
      this.topic = new Topic(this, 'Topic', { displayName: 'trustgate alarms', masterKey: key, enforceSSL: true });
    }
    if (props.email) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.email));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason: 'An alarm that cannot be mailed stays in ALARM on the dashboard and in the console; a dead-letter queue of undelivered alarm mails would be one more thing nobody watches.',
      });
    }
    this.action = new SnsAction(this.topic);
  }

  /** Errors (threshold per period) and any throttle of one function. */
  watchFunction(name: string, fn: IFunction, options: FunctionAlarmOptions = {}): void {
    const period = options.period ?? Duration.minutes(5);
    const threshold = options.errorThreshold ?? 1;
    this.alarm(`${name}Errors`, fn.metricErrors({ period, statistic: 'Sum' }), threshold, `${name}: ${threshold} or more errors in ${period.toMinutes()} minutes`);
    this.alarm(`${name}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), 1, `${name}: throttled (concurrency limit reached)`);
  }

  /** Any failed, timed-out or aborted execution: the flow catches every error into needs-attention, so these are defects. */
  watchStateMachine(name: string, stateMachine: IStateMachine): void {
    const period = Duration.minutes(5);
    this.alarm(`${name}ExecutionsFailed`, stateMachine.metricFailed({ period, statistic: 'Sum' }), 1, `${name}: an execution failed`);
    this.alarm(`${name}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period, statistic: 'Sum' }), 1, `${name}: an execution timed out`);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    }).addAlarmAction(this.action);
  }
}
