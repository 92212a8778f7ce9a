/**
 * What needs a human, and one dashboard to look at: alarms on API errors and latency, function errors and throttles,
 * failed or aborted executions, assessments needing attention, table throttles, a sweep that did not run, failed
 * asynchronous runs, mail bounces and complaints. Every alarm notifies the alarm topic.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/composition/operational-metrics.ts';

export interface OperationsAlarmsProps {
  /** Subscribed to the alarm topic when given (the subscription must be confirmed from the mail). */
  email?: string;
  /** An existing topic to notify instead of creating one (its key policy must let CloudWatch publish). */
  topicArn?: string;
  /** Dashboard name (unique in the account and region: carries the stage). */
  dashboardName: string;
}

export interface FunctionAlarmOptions {
  /** Errors in `period` that raise the alarm (default 1). */
  errorThreshold?: number;
  period?: Duration;
}

/** Thresholds in one place (docs/deployment.md lists them). */
export const ALARM_THRESHOLDS = {
  /** API Gateway 5xx answers in 5 minutes (Hono answers every failure with a 500, so Lambda Errors stay at 0). */
  api5xxPer5Minutes: 3,
  /** Share of 4xx answers over 15 minutes, once at least `api4xxMinRequests` requests came in. */
  api4xxPercent: 25,
  api4xxMinRequests: 50,
  /** p99 latency in ms, three 5-minute periods in a row. */
  apiP99LatencyMs: 5000,
  /** Aborted executions in an hour: cancelling an assessment aborts its execution, a burst is not a cancel. */
  abortedPerHour: 5,
  /** Hours without a completed sweep (the schedule runs it daily). */
  sweepSilenceHours: 26,
  /** Bounces and complaints in an hour, as the mail's configuration set counts them. */
  bouncesPerHour: 3,
  complaintsPerHour: 1,
} as const;

export class OperationsAlarms extends Construct {
  readonly topic: ITopic;
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
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
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(new TextWidget({ markdown: '# trustgate\nEvery alarm below notifies the alarm topic. Runbook: docs/deployment.md#when-an-alarm-fires', width: 24, height: 2 }));
  }

  /** 5xx answers, the share of 4xx answers, and p99 latency of the HTTP API (its $default stage). */
  watchHttpApi(name: string, api: IHttpApi): void {
    const t = ALARM_THRESHOLDS;
    const fiveMinutes = Duration.minutes(5);
    const errors5xx = api.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    this.alarm(`${name}5xx`, errors5xx, t.api5xxPer5Minutes, `${name}: ${t.api5xxPer5Minutes} or more 5xx answers in 5 minutes`);
    const fifteen = Duration.minutes(15);
    const rate4xx = new MathExpression({
      expression: `IF(requests >= ${t.api4xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { errors: api.metricClientError({ period: fifteen, statistic: 'Sum' }), requests: api.metricCount({ period: fifteen, statistic: 'Sum' }) },
      period: fifteen,
      label: '4xx %',
    });
    this.alarm(`${name}4xxRate`, rate4xx, t.api4xxPercent, `${name}: ${t.api4xxPercent}% or more of the requests in 15 minutes answered 4xx (at least ${t.api4xxMinRequests} requests)`);
    const p99 = api.metricLatency({ period: fiveMinutes, statistic: 'p99' });
    this.alarm(`${name}LatencyP99`, p99, t.apiP99LatencyMs, `${name}: p99 latency at or above ${t.apiP99LatencyMs} ms for 15 minutes`, { evaluationPeriods: 3 });
    this.dashboard.addWidgets(
      new GraphWidget({ title: `${name}: requests and errors`, left: [api.metricCount({ period: fiveMinutes, statistic: 'Sum' })], right: [errors5xx, api.metricClientError({ period: fiveMinutes, statistic: 'Sum' })], width: 12 }),
      new GraphWidget({ title: `${name}: latency`, left: [p99, api.metricLatency({ period: fiveMinutes, statistic: 'p50' })], width: 12 }),
    );
  }

  /** Errors (threshold per period) and any throttle of one function. */
  watchFunction(name: string, fn: IFunction, options: FunctionAlarmOptions = {}): void {
    const period = options.period ?? Duration.minutes(5);
    const threshold = options.errorThreshold ?? 1;
    const errors = fn.metricErrors({ period, statistic: 'Sum' });
    const throttles = fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' });
    this.alarm(`${name}Errors`, errors, threshold, `${name}: ${threshold} or more errors in ${period.toMinutes()} minutes`);
    this.alarm(`${name}Throttles`, throttles, 1, `${name}: throttled (concurrency limit reached)`);
    this.dashboard.addWidgets(
      new GraphWidget({ title: `${name}: invocations, errors, throttles`, left: [fn.metricInvocations({ statistic: 'Sum' })], right: [errors, throttles], width: 12 }),
      new GraphWidget({ title: `${name}: duration`, left: [fn.metricDuration({ statistic: 'p99' }), fn.metricDuration({ statistic: 'Average' })], width: 12 }),
    );
  }

  /**
   * Any failed or timed-out execution (the flow catches every error into needs-attention, so these are defects), a
   * burst of aborted ones, and assessments entering needs-attention (the workflow function's custom metric).
   */
  watchStateMachine(name: string, stateMachine: IStateMachine, needsAttention: { name: string; service: string }): void {
    const period = Duration.minutes(5);
    const failed = stateMachine.metricFailed({ period, statistic: 'Sum' });
    const timedOut = stateMachine.metricTimedOut({ period, statistic: 'Sum' });
    const aborted = stateMachine.metricAborted({ period: Duration.hours(1), statistic: 'Sum' });
    this.alarm(`${name}ExecutionsFailed`, failed, 1, `${name}: an execution failed`);
    this.alarm(`${name}ExecutionsTimedOut`, timedOut, 1, `${name}: an execution timed out`);
    this.alarm(`${name}ExecutionsAborted`, aborted, ALARM_THRESHOLDS.abortedPerHour, `${name}: ${ALARM_THRESHOLDS.abortedPerHour} or more executions aborted in an hour (a cancel aborts one; a burst is something else)`);
    const attention = this.customMetric(needsAttention, period);
    this.alarm('AssessmentsNeedingAttention', attention, 1, 'An assessment needs attention: open it, read the reason, retry or cancel');
    this.dashboard.addWidgets(
      new GraphWidget({ title: `${name}: executions`, left: [stateMachine.metricStarted({ statistic: 'Sum' }), stateMachine.metricSucceeded({ statistic: 'Sum' })], right: [failed, timedOut, aborted], width: 12 }),
      new GraphWidget({ title: 'Assessments entering needs-attention', left: [attention], width: 12 }),
    );
  }

  /** Read and write throttles of the table and of each of its indexes. */
  watchTable(name: string, table: ITableV2, indexNames: readonly string[]): void {
    const period = Duration.minutes(5);
    const throttle = (metricName: string, index?: string) =>
      new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: table.tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) }, period, statistic: 'Sum' });
    // An alarm's math expression may use at most 10 metrics: the table and its indexes are watched in groups of
    // five (read and write each), one alarm per group; the first keeps the plain name.
    const sources: (string | undefined)[] = [undefined, ...indexNames];
    const expressions: MathExpression[] = [];
    for (let start = 0; start < sources.length; start += 5) {
      const parts: Record<string, IMetric> = {};
      sources.slice(start, start + 5).forEach((index, i) => {
        parts[`r${start + i}`] = throttle('ReadThrottleEvents', index);
        parts[`w${start + i}`] = throttle('WriteThrottleEvents', index);
      });
      const group = start / 5;
      const throttles = new MathExpression({ expression: Object.keys(parts).join(' + '), usingMetrics: parts, period, label: group === 0 ? 'throttle events' : `throttle events (indexes, group ${group + 1})` });
      this.alarm(group === 0 ? `${name}Throttles` : `${name}Throttles${group + 1}`, throttles, 1, `${name}: DynamoDB throttled requests (on-demand limits or a hot partition)`);
      expressions.push(throttles);
    }
    this.dashboard.addWidgets(new GraphWidget({ title: `${name}: throttle events`, left: expressions, width: 12 }));
  }

  /** Alarms when the sweep has not completed for `sweepSilenceHours` (its completion metric is missing every hour). */
  watchSweep(completed: { name: string; service: string }): void {
    const hours = ALARM_THRESHOLDS.sweepSilenceHours;
    const metric = this.customMetric(completed, Duration.hours(1));
    new Alarm(this, 'SweepDidNotRun', {
      metric,
      threshold: 1,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data is the signal: a sweep that did not run publishes nothing.
      treatMissingData: TreatMissingData.BREACHING,
      alarmDescription: `The daily sweep has not completed in ${hours} hours: reassessments and evidence notices are not going out`,
    }).addAlarmAction(this.action);
    this.dashboard.addWidgets(new GraphWidget({ title: 'Daily sweeps completed', left: [metric], width: 12 }));
  }

  /** Any message in a dead-letter queue: an asynchronous run failed after its retries. */
  watchDeadLetterQueue(name: string, queue: IQueue): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    this.alarm(`${name}Messages`, visible, 1, `${name}: a failed asynchronous run is waiting in the dead-letter queue`);
    this.dashboard.addWidgets(new GraphWidget({ title: `${name}: messages`, left: [visible], width: 12 }));
  }

  /** Bounces and complaints of the mail sent through the configuration set (SES event destination to CloudWatch). */
  watchMail(configurationSetName: string, dimension: string): void {
    const metric = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, dimensionsMap: { [dimension]: configurationSetName }, period: Duration.hours(1), statistic: 'Sum' });
    const bounces = metric('Bounce');
    const complaints = metric('Complaint');
    this.alarm('MailBounces', bounces, ALARM_THRESHOLDS.bouncesPerHour, `Mail: ${ALARM_THRESHOLDS.bouncesPerHour} or more bounces in an hour (wrong vendor contacts, or SES reputation at risk)`);
    this.alarm('MailComplaints', complaints, ALARM_THRESHOLDS.complaintsPerHour, 'Mail: a recipient marked trustgate mail as spam (SES reputation at risk)');
    this.dashboard.addWidgets(new GraphWidget({ title: 'Mail', left: [metric('Send'), metric('Delivery')], right: [bounces, complaints], width: 12 }));
  }

  private customMetric(metric: { name: string; service: string }, period: Duration): Metric {
    return new Metric({ namespace: METRICS_NAMESPACE, metricName: metric.name, dimensionsMap: { service: metric.service }, period, statistic: 'Sum' });
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, options: { evaluationPeriods?: number } = {}): void {
    new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    }).addAlarmAction(this.action);
  }
}
