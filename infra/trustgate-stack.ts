/**
 * The trustgate stack, secure by default: the table (from the shared table design), the KMS-encrypted documents
 * bucket, Cognito, the HTTP API, the workflow and its functions, the daily sweep, mail, and the alarms.
 */
import { CfnOutput, type CfnResource, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnRoute, type CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpRoute, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, OAuthScope, StandardThreatProtectionMode, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduleLambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { CloudWatchDimensionSource, ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ENV_VARS } from '../shared/composition/config.ts';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../shared/adapters/aws/table-design.ts';
import { UPLOAD_LIMIT_MB } from '../shared/composition/config.ts';
import { OPERATIONAL_METRICS } from '../shared/composition/operational-metrics.ts';
import { ROLES } from '../shared/domain/roles.ts';
import { AWS_PAGE_PATHS } from '../shared/http/pages/register-pages.tsx';
import { AssessmentWorkflow } from './constructs/assessment-workflow.ts';
import { EdgeAclStack, EdgeDistribution } from './constructs/edge-protection.ts';
import { AsyncRunner } from './constructs/async-runner.ts';
import { JsonPath, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { TABLE_ACCESS } from './function-access.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { INLINE_POLICY_REASON, LOG_ENCRYPTION_REASON, s3ServiceName, TrustgateFunction, type MailSender, type TrustgateEnvironment } from './constructs/trustgate-function.ts';

export interface TrustgateStackProps extends StackProps {
  /** The stage (prod, staging, ...): part of every name that must be unique in the account or region. */
  stage: string;
  /** Sender address for mail. */
  mailFrom: string;
  /**
   * How SES knows the sender: 'email' creates an address identity (SES mails a verification link to it),
   * 'domain' creates a domain identity with Easy DKIM (publish the CNAME records in the outputs), 'existing'
   * uses an identity already verified in the account. Default 'email'.
   */
  mailIdentity?: 'email' | 'domain' | 'existing';
  /** The origin browsers load trustgate from, when not the API's own URL (a custom domain). */
  appOrigin?: string;
  /** Path the Cognito hosted UI returns to after sign-in (default /auth/callback). */
  authCallbackPath?: string;
  /** Prefix of the hosted UI domain, unique within the region (default trustgate-<stage>-<account>). */
  authDomainPrefix?: string;
  /** Subscribed to the stack's alarm topic. An alarm target (this or alarmTopicArn) is required. */
  alarmEmail?: string;
  /** An existing SNS topic the alarms notify instead of a topic of the stack's own. */
  alarmTopicArn?: string;
  /**
   * A role that may read and delete documents besides the API and the analyzer (an incident, a legal hold). Without
   * it nobody else can read them, account administrators included, until the bucket policy is changed.
   */
  breakGlassRoleArn?: string;
  /**
   * CloudFront with a WAF web ACL (per-IP rate rules) in front of the API. The ACL is a second stack in us-east-1
   * (`<id>-Edge`); both stacks need an explicit account and region.
   */
  waf?: boolean;
  /** Largest evidence upload in MB (1-100, default 50); presigned uploads carry it as a content-length condition. */
  maxUploadMb?: number;
}

/** Analyzer sizing, from docs/benchmarks.md: pdf.js is single-threaded and peaked at 207 MB on 630 pages. */
export const ANALYZER_SIZING = {
  // 1,769 MB is one full vCPU on Lambda: the 2,000-page limit extracts in ~30 s instead of ~50 s at 1 GB.
  memorySize: 1769,
  // Above the extractor's own 60 s limit (documentLimits.timeoutMs), below the workflow task's 90 s.
  timeout: Duration.seconds(75),
} as const;

/** Sweep batches swept at once by the batch workers (the event source's maximum concurrency; SQS needs at least 2). */
export const SWEEP_BATCH_CONCURRENCY = 4;

export class TrustgateStack extends Stack {
  constructor(scope: Construct, id: string, props: TrustgateStackProps) {
    super(scope, id, { description: `trustgate (${props.stage})`, ...props, ...(props.waf ? { crossRegionReferences: true } : {}) });
    if (!props.alarmEmail && !props.alarmTopicArn) throw new Error('An alarm target is required: alarmEmail or alarmTopicArn');
    // Access-log delivery by bucket policy, not the legacy log-delivery ACL (the bucket keeps ACLs disabled).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: TABLE_DESIGN.globalIndexes.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
      })),
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(table).acknowledge({
      id: 'AwsSolutions-DDB4',
      reason: 'Point-in-time recovery (35 days, to the second) is the backup; an AWS Backup plan is left to the account owner, who may already run one organisation-wide.',
    });

    // S3 server access logs for the documents bucket (S3 cannot deliver them to a KMS-encrypted bucket).
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge(
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket: logging its own access would log the log writes.' },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'S3 server access logging delivers only to buckets encrypted with S3-managed keys (SSE-S3), not SSE-KMS.' },
    );
    const replicationReason = 'Cross-region replication is the account owner\'s disaster-recovery choice (a second region, its cost and residency); versioning and retention keep objects recoverable here.';
    for (const bucket of [accessLogs]) Validations.of(bucket).acknowledge({ id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: replicationReason });

    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'trustgate API',
      createDefaultStage: false,
      // Browsers call the API cross-origin only when the app is served from another origin.
      ...(props.appOrigin
        ? { corsPreflight: { allowOrigins: [props.appOrigin], allowMethods: [CorsHttpMethod.ANY], allowHeaders: ['authorization', 'content-type', 'if-match'], maxAge: Duration.hours(1) } }
        : {}),
    });
    const edge = props.waf
      ? new EdgeDistribution(this, 'Edge', { httpApi, webAclArn: new EdgeAclStack(scope, `${id}-Edge`, { stage: props.stage, env: { account: this.account, region: 'us-east-1' }, crossRegionReferences: true }).webAclArn })
      : null;
    // Behind CloudFront the app is served from the distribution's domain unless a custom domain is given.
    const appOrigin = props.appOrigin ?? (edge ? `https://${edge.distribution.distributionDomainName}` : httpApi.apiEndpoint);

    const documentsKey = new Key(this, 'DocumentsKey', { enableKeyRotation: true, description: 'trustgate vendor documents', removalPolicy: RemovalPolicy.RETAIN });
    const documents = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.KMS,
      encryptionKey: documentsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      // Vendors upload straight from the browser with a presigned POST, from the app's origin only.
      cors: [{ allowedOrigins: [appOrigin], allowedMethods: [HttpMethods.POST, HttpMethods.GET], allowedHeaders: ['content-type', 'x-amz-*'], maxAge: 3600 }],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Versioning protects against overwrites and deletes; replaced or deleted evidence is kept 90 days.
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
        // Register exports (the whole portfolio as CSV) are for downloading, not keeping: gone after a day, every version.
        { id: 'expire-register-exports', prefix: 'exports/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(documents).acknowledge({ id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: replicationReason });
    // Uploads that name an encryption must name SSE-KMS with this key (uploads that name none get it by default).
    const denyUploads = (sid: string, header: string, value: string) =>
      documents.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: [documents.arnForObjects('*')],
          conditions: { StringNotEqualsIfExists: { [header]: value } },
        }),
      );
    denyUploads('DenyOtherEncryption', 's3:x-amz-server-side-encryption', 'aws:kms');
    denyUploads('DenyOtherEncryptionKeys', 's3:x-amz-server-side-encryption-aws-kms-key-id', documentsKey.keyArn);

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus plan: threat protection blocks sign-ins Cognito rates high-risk (compromised credentials, anomalies).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: userPool.userPoolId, groupName: role, description: `trustgate role: ${role}` });
    const hostedUi = userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.authDomainPrefix ?? `trustgate-${props.stage}-${this.account}` } });
    const client = new UserPoolClient(this, 'WebClient', {
      userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${appOrigin}${props.authCallbackPath ?? '/auth/callback'}`],
        logoutUrls: [`${appOrigin}/`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`;

    const mailConfigurationSetName = `trustgate-${props.stage}`;
    const mail = mailSender(this, props.mailFrom, props.mailIdentity ?? 'email', mailConfigurationSetName);

    // Every function loads the same AWS configuration (loadConfig); the use… calls below add env var and grant together.
    const baseEnvironment: TrustgateEnvironment = {
      mailFrom: mail.from,
      publicBaseUrl: appOrigin,
      cognitoIssuer: issuer,
      cognitoDomain: hostedUi.baseUrl(),
      cognitoClientId: client.userPoolClientId,
      // Named for configuration only: functions that do not touch documents get no access to them.
      documentsBucket: documents.bucketName,
    };

    const api = new TrustgateFunction(this, 'Api', {
      entry: 'functions/api-handler.ts',
      description: 'trustgate HTTP API (Hono)',
      // Behind CloudFront, the client's address is the last X-Forwarded-For entry CloudFront appends.
      environment: { ...baseEnvironment, maxUploadMb: String(props.maxUploadMb ?? UPLOAD_LIMIT_MB.default), ...(edge ? { trustedProxyHops: '1' } : {}) },
    })
      .useTable(table, TABLE_ACCESS.api)
      .useDocumentsBucket(documents, 'readwrite')
      .useMail(mail);

    // No useWorkflow: the state machine invokes this function, so its ARN here would be a dependency cycle.
    const workflowSteps = new TrustgateFunction(this, 'WorkflowSteps', {
      entry: 'functions/workflow-step-handler.ts',
      description: 'trustgate assessment workflow steps',
      timeout: Duration.seconds(50),
      environment: baseEnvironment,
    })
      .useTable(table, TABLE_ACCESS.workflowSteps)
      .useMail(mail);

    const analyzer = new TrustgateFunction(this, 'Analyzer', {
      entry: 'functions/analyze-document-handler.ts',
      description: 'trustgate SOC 2 report analyzer',
      ...ANALYZER_SIZING,
      environment: baseEnvironment,
    })
      .useTable(table, TABLE_ACCESS.analyzer)
      .useDocumentsBucket(documents, 'read');

    restrictDocumentAccess(documents, documentsKey, [api.role.roleArn, analyzer.role.roleArn, ...(props.breakGlassRoleArn ? [props.breakGlassRoleArn] : [])]);

    const workflow = new AssessmentWorkflow(this, 'AssessmentWorkflow', { stepFunction: workflowSteps.fn, analyzeFunction: analyzer.fn });
    // The API starts assessments and resumes them (vendor submission, review decision, retry, cancel).
    api.useWorkflow(workflow.stateMachine, 'operate');

    // Failed sweep runs: the function's asynchronous invocations after Lambda's retries, and schedules the scheduler could not deliver.
    const sweepFailures = new Queue(this, 'SweepFailures', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const deadLetterReason = 'This queue is the dead-letter queue of the sweep and its schedule (nothing consumes it to fail again); an alarm fires on its first message.';
    Validations.of(sweepFailures).acknowledge({ id: 'AwsSolutions-SQS3', reason: deadLetterReason }, { id: 'Serverless-SQSRedrivePolicy', reason: deadLetterReason });
    const sweep = new TrustgateFunction(this, 'Sweep', {
      entry: 'functions/sweep-handler.ts',
      deadLetterQueue: sweepFailures,
      description: 'trustgate daily sweep: due reassessments, evidence going stale',
      timeout: Duration.minutes(5),
      // One run at a time: a second run (the schedule's retry, an admin's request) waits instead of overlapping.
      reservedConcurrentExecutions: 1,
      environment: baseEnvironment,
    })
      .useTable(table, TABLE_ACCESS.sweep)
      .useWorkflow(workflow.stateMachine, 'start')
      .useMail(mail);
    api.useSweepRunner(new AsyncRunner(this, 'SweepRunner', { fn: sweep.fn, stateName: 'InvokeSweep', payload: TaskInput.fromObject({ requestedBy: JsonPath.stringAt('$.requestedBy') }) }).stateMachine);

    // Background jobs (ADR 17): the API records a queued audit verification or register export and starts the job
    // runner, whose task invokes the jobs function asynchronously with { kind, id }; a run that fails twice more
    // lands in JobFailures (alarmed). The function reads the table and writes register exports under exports/ only.
    const jobFailures = new Queue(this, 'JobFailures', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const jobDeadLetterReason = 'This queue is the dead-letter queue of the jobs function (nothing consumes it to fail again); an alarm fires on its first message.';
    Validations.of(jobFailures).acknowledge({ id: 'AwsSolutions-SQS3', reason: jobDeadLetterReason }, { id: 'Serverless-SQSRedrivePolicy', reason: jobDeadLetterReason });
    const jobs = new TrustgateFunction(this, 'Jobs', {
      entry: 'functions/job-handler.ts',
      deadLetterQueue: jobFailures,
      description: 'trustgate background jobs: audit verifications, register exports',
      timeout: Duration.minutes(15),
      environment: baseEnvironment,
    })
      .useTable(table, TABLE_ACCESS.jobs)
      .useDocumentExports(documents);
    api.useJobRunner(new AsyncRunner(this, 'JobRunner', { fn: jobs.fn, stateName: 'InvokeJob', payload: TaskInput.fromJsonPathAt('$') }).stateMachine);

    // The sweep's fan-out (ADR 14): the scheduled run plans, sending the due list in batches of 25 vendors to this
    // queue; the batch worker (the same handler) sweeps one message at a time, a few at once. A batch that fails three
    // receives goes to the sweep's dead-letter queue (alarmed). Visibility: 6 × the worker's timeout, as Lambda advises.
    const sweepBatches = new Queue(this, 'SweepBatches', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(12),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: sweepFailures, maxReceiveCount: 3 },
    });
    const sweepWorker = new TrustgateFunction(this, 'SweepBatchWorker', {
      entry: 'functions/sweep-handler.ts',
      description: 'trustgate daily sweep: one batch of due vendors from the sweep-batches queue',
      timeout: Duration.minutes(2),
      reservedConcurrentExecutions: SWEEP_BATCH_CONCURRENCY,
      noDeadLetterReason: 'Invoked by its SQS event source only: a failed batch is received again and, after 3 receives, moved to the queue\'s dead-letter queue (alarmed).',
      environment: baseEnvironment,
    })
      .useTable(table, TABLE_ACCESS.sweep)
      .useWorkflow(workflow.stateMachine, 'start')
      .useMail(mail);
    const batchSource = new SqsEventSource(sweepBatches, { batchSize: 1, maxConcurrency: SWEEP_BATCH_CONCURRENCY, reportBatchItemFailures: true });
    sweepWorker.fn.addEventSource(batchSource);
    Validations.of(sweepWorker.fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: 'An SQS event source takes no on-failure destination: a failed batch returns to the queue and, after 3 receives, its redrive policy moves it to the alarmed dead-letter queue.',
    });
    sweep.fn.addEnvironment(ENV_VARS.sweepQueueUrl, sweepBatches.queueUrl);
    sweepBatches.grantSendMessages(sweep.fn);

    // One-off maintenance an operator invokes (`aws lambda invoke`, docs/deployment.md): the register migration of a
    // table written before issue 15. Table only; one run at a time, so two migrations never interleave.
    const maintenance = new TrustgateFunction(this, 'Maintenance', {
      entry: 'functions/maintenance-handler.ts',
      description: 'trustgate one-off maintenance: register migration (invoked by an operator)',
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      environment: baseEnvironment,
    }).useTable(table, TABLE_ACCESS.maintenance);
    const schedulerRole = new Role(this, 'DailySweepRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: 'EventBridge Scheduler: invokes the daily sweep' });
    new Schedule(this, 'DailySweep', {
      description: 'trustgate daily sweep',
      schedule: ScheduleExpression.cron({ hour: '6', minute: '0' }),
      target: new ScheduleLambdaInvoke(sweep.fn, { role: schedulerRole, retryAttempts: 2, maxEventAge: Duration.hours(1), deadLetterQueue: sweepFailures }),
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(sweep.fn.node.defaultChild as CfnResource)}.Arn>:*]`,
      reason: 'Versions and aliases of the sweep function only (the scheduler target grants the function and its qualifiers).',
    });
    Validations.of(schedulerRole).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY_REASON });

    const accessLogGroup = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.SIX_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(accessLogGroup).acknowledge({ id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason: LOG_ENCRYPTION_REASON });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogGroup), format: ACCESS_LOG_FORMAT },
    });

    const integration = new HttpLambdaIntegration('ApiIntegration', api.fn);
    // The JWT authorizer rejects bad Cognito tokens at the edge; the app still checks roles per route.
    const authorizer = new HttpJwtAuthorizer('Cognito', issuer, { jwtAudience: [client.userPoolClientId] });
    httpApi.addRoutes({ path: '/api/{proxy+}', integration, authorizer });
    const publicRoutes = [
      // Vendors have no account: the app checks the assessment's portal token on every portal route.
      ...httpApi.addRoutes({ path: '/api/portal/{proxy+}', integration }),
      ...httpApi.addRoutes({ path: '/health', integration }),
      ...httpApi.addRoutes({ path: '/openapi.json', integration }),
      ...httpApi.addRoutes({ path: '/docs', integration }),
      // The web pages are shells without data; their scripts call the authorized API with the signed-in user's token.
      ...AWS_PAGE_PATHS.flatMap((path) => httpApi.addRoutes({ path: path.replace(/:([A-Za-z]+)/g, '{$1}'), methods: [HttpMethod.GET], integration })),
    ];
    // Each group of routes gets its own budget, so that vendors autosaving, staff working and pages loading never
    // take each other's requests (the stage default covers nothing else: every route is listed).
    const routeKeys = [...httpApi.node.children].flatMap((c) => (c instanceof HttpRoute ? [(c.node.defaultChild as CfnRoute).routeKey] : []));
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      routeKeys.map((key) => {
        const limits = ROUTE_THROTTLES[routeGroup(key)];
        return [key, { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit }];
      }),
    );
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public by design: health check, API description, and the vendor portal, whose routes the app authorizes with the portal token of one assessment.',
      });
    }

    const alarms = new OperationsAlarms(this, 'Alarms', {
      dashboardName: `trustgate-${props.stage}`,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
      ...(props.alarmTopicArn ? { topicArn: props.alarmTopicArn } : {}),
    });
    alarms.watchHttpApi('Api', httpApi);
    alarms.watchFunction('Api', api.fn);
    alarms.watchFunction('Sweep', sweep.fn);
    alarms.watchFunction('SweepBatchWorker', sweepWorker.fn);
    alarms.watchFunction('Jobs', jobs.fn);
    // An operator runs it and reads its answer; a failed run still lands on the topic, for whoever was not watching.
    alarms.watchFunction('Maintenance', maintenance.fn);
    // Expected domain errors (an unreadable PDF) end in these functions and are routed by the state machine;
    // a burst of them means something systemic.
    alarms.watchFunction('WorkflowSteps', workflowSteps.fn, { errorThreshold: 3, period: Duration.minutes(15) });
    alarms.watchFunction('Analyzer', analyzer.fn, { errorThreshold: 3, period: Duration.minutes(15) });
    alarms.watchStateMachine('AssessmentWorkflow', workflow.stateMachine, OPERATIONAL_METRICS.needsAttention);
    alarms.watchTable('Table', table, TABLE_DESIGN.globalIndexes.map((gsi) => gsi.indexName));
    alarms.watchSweep(OPERATIONAL_METRICS.sweepCompleted);
    alarms.watchDeadLetterQueue('SweepFailures', sweepFailures);
    alarms.watchDeadLetterQueue('JobFailures', jobFailures);
    alarms.watchMail(mailConfigurationSetName, MAIL_METRIC_DIMENSION);

    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: hostedUi.signInUrl(client, { redirectUri: `${appOrigin}${props.authCallbackPath ?? '/auth/callback'}` }) });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: documents.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
  }
}

/** S3 object actions: everything that reads, writes, lists or deletes documents (bucket configuration stays with CloudFormation). */
export const DOCUMENT_OBJECT_ACTIONS = ['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:ListBucket*', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:RestoreObject', 's3:ReplicateObject'];

/**
 * Documents are vendors' confidential reports: only `allowedRoleArns` may touch the objects (the bucket policy denies
 * every other principal of the account), and the key encrypts and decrypts for S3 only (`kms:ViaService`), so a role
 * granted kms:Decrypt elsewhere cannot use it directly. Bucket configuration actions are not denied: CloudFormation
 * must still be able to update the bucket, and an administrator to change this policy.
 */
function restrictDocumentAccess(documents: Bucket, key: Key, allowedRoleArns: string[]): void {
  documents.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyObjectAccessButTrustgate',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: DOCUMENT_OBJECT_ACTIONS,
      resources: [documents.bucketArn, documents.arnForObjects('*')],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': allowedRoleArns } },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyUseButThroughS3',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'kms:ViaService': s3ServiceName(Stack.of(documents)) } },
    }),
  );
}

/** Requests per second (steady) and burst, per route, for the whole API (account-wide limit: 10,000 rps). */
export const ROUTE_THROTTLES = {
  /** Vendors without accounts: autosave every few seconds per open questionnaire. */
  portal: { rateLimit: 200, burstLimit: 400 },
  /** Signed-in staff (JWT authorizer). */
  staff: { rateLimit: 100, burstLimit: 200 },
  /** Page shells and their assets. */
  pages: { rateLimit: 100, burstLimit: 200 },
  /** Health check and API description. */
  system: { rateLimit: 10, burstLimit: 20 },
} as const;
/** The stage default, for a route added without a group (there is none today). */
const STAGE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Which throttle group a route key belongs to. */
export function routeGroup(routeKey: string): keyof typeof ROUTE_THROTTLES {
  if (routeKey.startsWith('ANY /api/portal/')) return 'portal';
  if (routeKey.startsWith('ANY /api/')) return 'staff';
  if (routeKey.startsWith('GET ')) return 'pages';
  return 'system';
}

/** API access log: who called what, and how it ended; no headers, no bodies, no tokens. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    integrationLatency: '$context.integrationLatency',
    authorizerError: '$context.authorizer.error',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/** The CloudWatch dimension SES puts the configuration set's name in (SES's own auto-tag). */
export const MAIL_METRIC_DIMENSION = 'ses:configuration-set';

/**
 * The SES identity for the sender, created or existing, the identity ARNs a SendEmail grant needs, and the
 * configuration set every mail goes through: it publishes sends, deliveries, bounces and complaints to CloudWatch.
 */
function mailSender(scope: Construct, from: string, mode: 'email' | 'domain' | 'existing', configurationSetName: string): MailSender {
  const domain = from.split('@')[1];
  if (!domain) throw new Error(`mailFrom must be an email address (got "${from}")`);
  const stack = Stack.of(scope);
  const arn = (identity: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
  const set = new ConfigurationSet(scope, 'MailConfigurationSet', { configurationSetName, reputationMetrics: true, sendingEnabled: true });
  set.addEventDestination('ToCloudWatch', {
    destination: EventDestination.cloudWatchDimensions([{ name: MAIL_METRIC_DIMENSION, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: configurationSetName }]),
    events: [EmailSendingEvent.SEND, EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
  });
  const configurationSet = { name: set.configurationSetName, arn: stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: set.configurationSetName }) };
  if (mode === 'email') {
    const identity = new EmailIdentity(scope, 'MailSender', { identity: Identity.email(from) });
    return { from, identityArns: [identity.emailIdentityArn], configurationSet };
  }
  if (mode === 'domain') {
    const identity = new EmailIdentity(scope, 'MailDomain', { identity: Identity.domain(domain) });
    identity.dkimRecords.forEach((record, i) => new CfnOutput(scope, `MailDkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}` }));
    return { from, identityArns: [identity.emailIdentityArn], configurationSet };
  }
  // Already verified: as an address or through its domain; SES authorizes against whichever it used.
  return { from, identityArns: [arn(from), arn(domain)], configurationSet };
}
