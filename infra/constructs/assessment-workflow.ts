/** The assessment state machine, defined once: Step Functions in AWS, the same synthesized definition run locally. */
import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { INLINE_POLICY_REASON, LOG_ENCRYPTION_REASON } from './trustgate-function.ts';
import { Construct } from 'constructs';
import { CANCELLED_ERROR, LONG_WAIT_SECONDS, REANALYZE, WORKFLOW_STATES as S, type WorkflowStep } from '../../shared/domain/workflow.ts';

/** Errors a re-run may cure (thrown by the step handlers, by name): retried with backoff and full jitter. */
export const TRANSIENT_ERRORS = ['StorageUnavailableError', 'ConcurrentUpdateError', 'ThrottlingException', 'Lambda.TooManyRequestsException'];
const TRANSIENT_RETRY = { errors: TRANSIENT_ERRORS, interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 4, maxDelay: Duration.seconds(20), jitterStrategy: JitterType.FULL };

export interface AssessmentWorkflowProps {
  /** Runs every workflow step but document analysis. */
  stepFunction: IFunction;
  /** Analyzes one uploaded document. */
  analyzeFunction: IFunction;
}

export class AssessmentWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: AssessmentWorkflowProps) {
    super(scope, id);

    /**
     * A step that returns its result directly (Resource = the function ARN). Every step is idempotent, so transient
     * failures are retried with exponential backoff and full jitter: throttling, storage unavailability, write
     * conflicts with a concurrent change (the step re-reads and re-applies on the next attempt).
     */
    const step = (name: string, stepName: WorkflowStep, resultPath: string | null, extra: Record<string, unknown> = {}) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: props.stepFunction,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({ step: stepName, assessmentId: JsonPath.stringAt('$.assessmentId'), ...extra }),
        resultPath: resultPath === null ? JsonPath.DISCARD : resultPath,
        taskTimeout: Timeout.duration(Duration.seconds(60)),
        retryOnServiceExceptions: true,
      }).addRetry(TRANSIENT_RETRY);

    /** A step that waits for a callback: the handler stores the token; the caller resumes it. */
    const wait = (name: string, stepName: WorkflowStep, resultPath: string, timeout: Timeout) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: props.stepFunction,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ step: stepName, assessmentId: JsonPath.stringAt('$.assessmentId'), taskToken: JsonPath.taskToken, state: JsonPath.objectAt('$'), stateName: name }),
        resultPath,
        taskTimeout: timeout,
      });

    const done = new Succeed(this, S.done, { stateName: S.done });
    const cancelled = new Succeed(this, S.cancelled, { stateName: S.cancelled });

    // Failures: record the reason, wait for someone to retry or cancel.
    const needsAttention = step(S.needsAttention, 'needs-attention', null, { error: JsonPath.objectAt('$.error'), retryFrom: JsonPath.stringAt('$.retryFrom') });
    const awaitAttention = wait(S.awaitAttention, 'await-attention', '$.resolution', Timeout.duration(Duration.seconds(LONG_WAIT_SECONDS)));
    const inviteFailed = new Pass(this, S.inviteFailed, { stateName: S.inviteFailed, result: Result.fromString('invite'), resultPath: '$.retryFrom' });
    const analysisFailed = new Pass(this, S.analysisFailed, { stateName: S.analysisFailed, result: Result.fromString('analysis'), resultPath: '$.retryFrom' });
    inviteFailed.next(needsAttention);
    analysisFailed.next(needsAttention);
    needsAttention.next(awaitAttention);
    // The way out of every failure must not fail itself: transient errors are retried, and if recording the reason
    // still fails the workflow waits for a retry or cancel all the same (the mail in it is best effort already).
    needsAttention.addRetry({ errors: [Errors.ALL], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2, jitterStrategy: JitterType.FULL });
    needsAttention.addCatch(awaitAttention, { errors: [Errors.ALL], resultPath: '$.attentionError' });
    awaitAttention.addCatch(cancelled, { errors: [CANCELLED_ERROR], resultPath: '$.cancellation' });

    const invite = step(S.invite, 'invite', '$.reminders');
    const awaitVendor = wait(S.awaitVendor, 'await-vendor', '$.submission', Timeout.at('$.settings.reminderIntervalSeconds'));
    const remind = step(S.remind, 'remind', '$.reminders', { remindersBefore: JsonPath.objectAt('$.reminders') });
    const escalate = step(S.escalate, 'escalate', '$.reminders');
    const markOverdue = step(S.markOverdue, 'mark-overdue', '$.reminders');
    for (const s of [remind, escalate, markOverdue]) s.next(awaitVendor);

    const reminderChoice = new Choice(this, S.reminderChoice, { stateName: S.reminderChoice })
      .when(Condition.numberLessThanJsonPath('$.reminders.sent', '$.settings.maxReminders'), remind)
      .when(Condition.booleanEquals('$.reminders.escalated', false), escalate)
      .when(Condition.booleanEquals('$.reminders.overdue', false), markOverdue)
      .otherwise(awaitVendor);

    const analyzeDocument = new LambdaInvoke(this, S.analyzeDocument, {
      stateName: S.analyzeDocument,
      lambdaFunction: props.analyzeFunction,
      payloadResponseOnly: true,
      taskTimeout: Timeout.duration(Duration.seconds(90)),
      retryOnServiceExceptions: true,
    }).addRetry(TRANSIENT_RETRY);
    const analyzeDocuments = new MapState(this, S.analyzeDocuments, {
      stateName: S.analyzeDocuments,
      itemsPath: '$.submission.documentIds',
      itemSelector: { 'assessmentId.$': '$.assessmentId', 'documentId.$': '$$.Map.Item.Value' },
      maxConcurrency: 2,
      resultPath: JsonPath.DISCARD,
    });
    analyzeDocuments.itemProcessor(analyzeDocument);

    const score = step(S.score, 'score', '$.score');
    const autoApprove = step(S.autoApprove, 'auto-approve', null);
    const awaitReview = wait(S.awaitReview, 'await-review', '$.decision', Timeout.duration(Duration.seconds(LONG_WAIT_SECONDS)));
    // The decision arrives with the callback and is recorded here, so a decision sent is never lost (the API also
    // records it; whichever comes second finds it applied).
    const recordDecision = step(S.recordDecision, 'record-decision', null, { decision: JsonPath.objectAt('$.decision') });
    const requestChanges = step(S.requestChanges, 'request-changes', '$.reminders');
    const finalize = step(S.finalize, 'finalize', null);

    const route = new Choice(this, S.route, { stateName: S.route }).when(Condition.booleanEquals('$.score.autoApprove', true), autoApprove).otherwise(awaitReview);
    const decisionChoice = new Choice(this, S.decisionChoice, { stateName: S.decisionChoice })
      .when(Condition.stringEquals('$.decision.decision', 'changes-requested'), requestChanges)
      .when(Condition.stringEquals('$.decision.decision', REANALYZE), analyzeDocuments)
      .otherwise(finalize);
    const attentionChoice = new Choice(this, S.attentionChoice, { stateName: S.attentionChoice })
      .when(Condition.and(Condition.stringEquals('$.resolution.action', 'retry'), Condition.stringEquals('$.retryFrom', 'invite')), invite)
      .when(Condition.stringEquals('$.resolution.action', 'retry'), analyzeDocuments)
      .otherwise(cancelled);
    awaitAttention.next(attentionChoice);

    const catchAll = (state: { addCatch: (handler: IChainable, props: { errors: string[]; resultPath: string }) => unknown }, failed: IChainable) => {
      state.addCatch(cancelled, { errors: [CANCELLED_ERROR], resultPath: '$.cancellation' });
      state.addCatch(failed, { errors: [Errors.ALL], resultPath: '$.error' });
    };
    catchAll(invite, inviteFailed);
    awaitVendor.addCatch(reminderChoice, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    catchAll(awaitVendor, inviteFailed);
    for (const s of [remind, escalate, markOverdue]) catchAll(s, inviteFailed);
    catchAll(analyzeDocuments, analysisFailed);
    catchAll(score, analysisFailed);
    catchAll(autoApprove, analysisFailed);
    catchAll(awaitReview, analysisFailed);
    catchAll(recordDecision, analysisFailed);
    catchAll(requestChanges, analysisFailed);
    catchAll(finalize, analysisFailed);

    invite.next(awaitVendor);
    awaitVendor.next(analyzeDocuments);
    analyzeDocuments.next(score);
    score.next(route);
    autoApprove.next(finalize);
    awaitReview.next(recordDecision);
    recordDecision.next(decisionChoice);
    requestChanges.next(awaitVendor);
    finalize.next(done);

    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.SIX_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason: LOG_ENCRYPTION_REASON });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(invite),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      // Every state transition is logged, without its input and output: those carry vendor data.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      comment: 'trustgate assessment: invite, await the vendor with reminders, analyze, score, review, decide, finalize',
    });
    const stack = Stack.of(this);
    for (const fn of [props.stepFunction, props.analyzeFunction]) {
      Validations.of(this.stateMachine.role).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY_REASON });
    Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason: 'Versions and aliases of the two workflow functions only (LambdaInvoke grants the function and its qualifiers).',
      });
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (CreateLogDelivery, DescribeLogGroups, ...) have no resource-level permissions.',
    });
  }
}
