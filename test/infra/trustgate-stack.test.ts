import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AWS_PAGE_PATHS } from '../../shared/http/pages/register-pages.tsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DESIGN } from '../../shared/adapters/aws/table-design.ts';
import { ENV_VARS, loadConfig } from '../../shared/composition/config.ts';
import { ROLES } from '../../shared/domain/roles.ts';
import { WORKFLOW_STATES } from '../../shared/domain/workflow.ts';
import { ANALYZER_SIZING, DOCUMENT_OBJECT_ACTIONS, ROUTE_THROTTLES, SWEEP_BATCH_CONCURRENCY, TrustgateStack, type TrustgateStackProps } from '../../infra/trustgate-stack.ts';
import { WAF_RATE_LIMITS } from '../../infra/constructs/edge-protection.ts';
import { ANALYZER_LEADING_KEYS, TABLE_ACCESS } from '../../infra/function-access.ts';
import { ALARM_THRESHOLDS } from '../../infra/constructs/operations-alarms.ts';
import { OPERATIONAL_METRICS } from '../../shared/composition/operational-metrics.ts';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { readFileSync } from 'node:fs';
import { renderAssessmentDefinitionJson, synthesizeAssessmentDefinition } from '../../infra/local-definition.ts';
import { loadAssessmentDefinition } from '../../shared/adapters/local/assessment-definition.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation properties are nested JSON the assertions read by shape; typing them would restate CloudFormation
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

/** Skipping bundling keeps synth fast; the bundles are built and run in test/bundles. */
function synth(props: Partial<TrustgateStackProps> = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new TrustgateStack(app, 'Test', { stage: 'test', mailFrom: 'trustgate@example.com', alarmEmail: 'ops@example.com', env: { account: '111111111111', region: 'eu-west-1' }, ...props }));
}

let template: Template;
/** Every option set at once: one more synth instead of one per option. */
let custom: Template;
beforeAll(() => {
  template = synth();
  custom = synth({
    appOrigin: 'https://trustgate.example.org',
    maxUploadMb: 10,
    authDomainPrefix: 'acme-trustgate',
    alarmEmail: 'ops@acme.example',
    mailFrom: 'trustgate@acme.example',
    mailIdentity: 'domain',
    breakGlassRoleArn: 'arn:aws:iam::111111111111:role/trustgate-break-glass',
  });
});

const resources = (type: string): [string, Resource][] => Object.entries(template.findResources(type)) as [string, Resource][];
const only = (type: string): Resource => {
  const found = resources(type);
  expect(found).toHaveLength(1);
  return found[0]![1];
};
/** The Lambda function whose logical id starts with the construct id (Api, WorkflowSteps, Analyzer, Sweep). */
const fn = (id: string): [string, Resource] => {
  const found = resources('AWS::Lambda::Function').find(([logicalId]) => logicalId.startsWith(`${id}Function`));
  if (!found) throw new Error(`No function ${id}`);
  return found;
};
const roleStatements = (id: string): Statement[] => {
  const roleId = (fn(id)[1].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
};
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
/** Replaces CloudFormation intrinsics by a placeholder, as the deployed value would replace them. */
const placeholder = (value: unknown): string => (typeof value === 'string' ? value : 'https://resolved-at-deploy.example');

describe('TrustgateStack: data', () => {
  it('builds the table from the shared table design', () => {
    const table = only('AWS::DynamoDB::GlobalTable');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
    ]);
    expect((table.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]).map((g) => ({ name: g.IndexName, keys: g.KeySchema }))).toEqual(
      TABLE_DESIGN.globalIndexes.map((g) => ({ name: g.indexName, keys: [{ AttributeName: g.partitionKey, KeyType: 'HASH' }, { AttributeName: g.sortKey, KeyType: 'RANGE' }] })),
    );
  });

  it('protects the table: point-in-time recovery, deletion protection, encryption, retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true },
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it('keeps documents private, encrypted with a rotating KMS key, versioned, access-logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DocumentsKey'), 'Arn'] } } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogs') }, LogFilePrefix: 'documents/' },
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'trustgate vendor documents', EnableKeyRotation: true });
  });

  it('expires only what is no longer current: aborted uploads after a day, old versions after 90 days, register exports after a day', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('accepts browser uploads from the app origin only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] }], AllowedMethods: ['POST', 'GET'] })] },
    });
    custom.hasResourceProperties('AWS::S3::Bucket', { CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://trustgate.example.org'] })] } });
  });

  it('limits presigned uploads to the configured size', () => {
    expect(fn('Api')[1].Properties.Environment.Variables[ENV_VARS.maxUploadMb]).toBe('50');
    custom.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ [ENV_VARS.maxUploadMb]: '10' }) } });
  });

  it('refuses plain-HTTP access and uploads under another encryption or KMS key', () => {
    const statements = resources('AWS::S3::BucketPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
    const tlsDenials = statements.filter((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }));
    expect(tlsDenials).toHaveLength(2); // documents and access logs
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:PutObject',
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [expect.stringMatching(/^DocumentsKey/), 'Arn'] } } },
      }),
    );
  });

  it('keeps the access-log bucket private, encrypted and TLS-only', () => {
    const [, logs] = resources('AWS::S3::Bucket').find(([id]) => id.startsWith('AccessLogs'))!;
    expect(logs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(logs.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });
});

describe('TrustgateStack: sign-in and API', () => {
  it('creates one Cognito group per role', () => {
    const groups = resources('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName as string);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('lets only admins create users, requires TOTP MFA and a strong password, and blocks risky sign-ins', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, RequireUppercase: true }) },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('signs in through the hosted UI with the authorization-code flow back to the app', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'trustgate-test-111111111111' });
    custom.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-trustgate' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] }, '/auth/callback']] }],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('checks Cognito tokens at the edge for /api and leaves the vendor portal, health and API docs to the app', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: Match.stringLikeRegexp('^WebClient') }], Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: Match.stringLikeRegexp('^Users') }]] } },
    });
    const routes = Object.fromEntries(resources('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties.AuthorizationType]));
    const pages = Object.fromEntries(AWS_PAGE_PATHS.map((p) => [`GET ${p.replace(/:([A-Za-z]+)/g, '{$1}')}`, 'NONE']));
    expect(routes).toEqual({ 'ANY /api/{proxy+}': 'JWT', 'ANY /api/portal/{proxy+}': 'NONE', 'ANY /health': 'NONE', 'ANY /openapi.json': 'NONE', 'ANY /docs': 'NONE', ...pages });
  });

  it('logs every API request and throttles each route by its group: portal, staff, pages, system', () => {
    const stage = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 });
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const routeKeys = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    expect(Object.keys(settings).sort()).toEqual(routeKeys.sort());
    expect(settings['ANY /api/portal/{proxy+}']).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
    expect(settings['ANY /api/{proxy+}']).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(settings['GET /sign-in']).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(settings['ANY /health']).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    // The portal's budget is its own: more than the old shared stage limit (50 rps), and not shared with staff.
    expect(ROUTE_THROTTLES.portal.rateLimit).toBeGreaterThan(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit as number);
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] });
    expect(Object.keys(JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, unknown>)).toEqual(expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status']));
  });

  it('puts CloudFront with a per-IP rate-limiting WAF web ACL (in us-east-1) in front of the API only when asked', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new TrustgateStack(app, 'Waf', { stage: 'test', mailFrom: 'trustgate@example.com', alarmEmail: 'ops@example.com', waf: true, env: { account: '111111111111', region: 'eu-west-1' } });
    const edge = app.node.findChild('Waf-Edge') as Stack;
    expect(edge.region).toBe('us-east-1');
    const acl = Template.fromStack(edge);
    acl.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({ Name: 'portal-per-ip', Action: { Block: {} }, Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP', Limit: WAF_RATE_LIMITS.portalPerIpPer5Minutes, ScopeDownStatement: Match.objectLike({ ByteMatchStatement: Match.objectLike({ SearchString: '/api/portal/', PositionalConstraint: 'STARTS_WITH' }) }) }) } }),
        Match.objectLike({ Name: 'all-per-ip', Action: { Block: {} }, Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: WAF_RATE_LIMITS.perIpPer5Minutes } } }),
      ],
    });
    const main = Template.fromStack(stack);
    const [, distribution] = Object.entries(main.findResources('AWS::CloudFront::Distribution'))[0] as [string, Resource];
    const config = distribution.Properties.DistributionConfig;
    expect(config.WebACLId).toBeDefined();
    expect(JSON.stringify(config.Origins[0].DomainName)).toContain('.execute-api.eu-west-1.');
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: expect.arrayContaining(['POST', 'PUT', 'DELETE']) });
    // The app, the sign-in callback and the CORS rule follow the distribution's domain; the API counts one proxy hop.
    const apiEnv = (Object.entries(main.findResources('AWS::Lambda::Function')) as [string, Resource][]).find(([id]) => id.startsWith('ApiFunction'))![1].Properties.Environment.Variables;
    expect(JSON.stringify(apiEnv[ENV_VARS.publicBaseUrl])).toContain('DomainName');
    expect(apiEnv[ENV_VARS.trustedProxyHops]).toBe('1');
  });

  it('allows no cross-origin API calls unless an app origin is configured, and then only from it', () => {
    expect(only('AWS::ApiGatewayV2::Api').Properties.CorsConfiguration).toBeUndefined();
    custom.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://trustgate.example.org'] }) });
  });
});

describe('TrustgateStack: functions', () => {
  it('runs seven functions, all on Node.js 22, ARM, traced, with JSON logs to their own log group', () => {
    const functions = resources('AWS::Lambda::Function');
    expect(functions.map(([id]) => id.replace(/Function[0-9A-F]{8}$/, '')).sort()).toEqual(['Analyzer', 'Api', 'Jobs', 'Maintenance', 'Sweep', 'SweepBatchWorker', 'WorkflowSteps']);
    for (const [, f] of functions) {
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      });
    }
    for (const [, logs] of resources('AWS::Logs::LogGroup')) expect(logs.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('gives every function a configuration loadConfig accepts in aws mode', () => {
    for (const [id, f] of resources('AWS::Lambda::Function')) {
      const env = Object.fromEntries(Object.entries(f.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => [k, placeholder(v)]));
      expect(() => loadConfig(env), id).not.toThrow();
      expect(loadConfig(env).mode, id).toBe('aws');
    }
  });

  it('gives the state machine ARN to the API and the sweep functions only (the workflow steps would make a cycle)', () => {
    const withArn = resources('AWS::Lambda::Function').filter(([, f]) => ENV_VARS.stateMachineArn in f.Properties.Environment.Variables).map(([id]) => id.replace(/Function[0-9A-F]{8}$/, ''));
    expect(withArn.sort()).toEqual(['Api', 'Sweep', 'SweepBatchWorker']);
  });

  it('commits the state machine the local runner loads exactly as CDK synthesizes it (npm run generate:state-machine)', () => {
    const committed = readFileSync(new URL('../../infra/generated/assessment-state-machine.asl.json', import.meta.url), 'utf8');
    expect(committed, 'stale: run npm run generate:state-machine').toBe(renderAssessmentDefinitionJson());
    expect(loadAssessmentDefinition()).toEqual(synthesizeAssessmentDefinition());
  });

  it('retries every Lambda step on throttling, storage unavailability and write conflicts, with backoff and full jitter', () => {
    type State = { Type: string; Resource?: string; Retry?: { ErrorEquals: string[]; BackoffRate?: number; JitterStrategy?: string; MaxAttempts?: number }[]; ItemProcessor?: { States: Record<string, State> } };
    const states = loadAssessmentDefinition().States as Record<string, State>;
    const lambdaSteps = Object.entries({ ...states, ...states[WORKFLOW_STATES.analyzeDocuments]!.ItemProcessor!.States }).filter(([, st]) => st.Type === 'Task' && !String(st.Resource).includes('waitForTaskToken'));
    expect(lambdaSteps.length).toBeGreaterThan(8);
    for (const [name, st] of lambdaSteps) {
      const transient = st.Retry?.find((r) => r.ErrorEquals.includes('ConcurrentUpdateError'));
      expect(transient, name).toMatchObject({ ErrorEquals: expect.arrayContaining(['StorageUnavailableError', 'ConcurrentUpdateError', 'ThrottlingException']), JitterStrategy: 'FULL', BackoffRate: 2 });
    }
  });

  it('lets the API stop executions (cancel) besides starting them and answering their tasks', () => {
    expect(actionsOf(roleStatements('Api'))).toEqual(expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess', 'states:StopExecution']));
  });

  it('sizes the analyzer from the benchmark and stops it before the workflow task times out', () => {
    const [, analyzer] = fn('Analyzer');
    expect(analyzer.Properties.MemorySize).toBe(ANALYZER_SIZING.memorySize);
    const definition = synthesizeAssessmentDefinition() as { States: Record<string, { ItemProcessor?: { States: Record<string, { TimeoutSeconds?: number }> }; TimeoutSeconds?: number }> };
    const taskTimeout = definition.States[WORKFLOW_STATES.analyzeDocuments]!.ItemProcessor!.States[WORKFLOW_STATES.analyzeDocument]!.TimeoutSeconds!;
    expect(analyzer.Properties.Timeout).toBeLessThan(taskTimeout);
    expect(fn('WorkflowSteps')[1].Properties.Timeout).toBeLessThan(definition.States[WORKFLOW_STATES.score]!.TimeoutSeconds!);
  });

  it('grants no wildcard resource but for X-Ray and CloudWatch Logs delivery, which have no resource-level permissions', () => {
    const statements = resources('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(statements.length).toBeGreaterThan(10);
    for (const s of statements.filter((st) => st.Resource === '*' || (Array.isArray(st.Resource) && st.Resource.includes('*')))) {
      for (const action of actionsOf([s])) expect(action).toMatch(/^(xray:(PutTraceSegments|PutTelemetryRecords|GetSampling\w+)|logs:(\w+LogDeliver\w*|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/);
    }
    for (const action of actionsOf(statements)) expect(action).not.toMatch(/(^\*$|:\*$)/);
  });

  it('lets each function touch only what it uses: the analyzer reads documents, only the API writes them', () => {
    expect(actionsOf(roleStatements('Api'))).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 'kms:GenerateDataKey', 'ses:SendEmail', 'states:StartExecution']));
    const analyzer = actionsOf(roleStatements('Analyzer'));
    expect(analyzer).toEqual(expect.arrayContaining(['s3:GetObject', 'kms:Decrypt']));
    expect(analyzer).not.toEqual(expect.arrayContaining(['s3:PutObject']));
    expect(analyzer.filter((a) => a.startsWith('ses:') || a.startsWith('states:') || a === 's3:DeleteObject' || a === 'kms:GenerateDataKey')).toEqual([]);
    for (const id of ['WorkflowSteps', 'Sweep']) expect(actionsOf(roleStatements(id)).filter((a) => a.startsWith('s3:') || a.startsWith('kms:')), id).toEqual([]);
    expect(actionsOf(roleStatements('WorkflowSteps')).filter((a) => a.startsWith('states:'))).toEqual([]);
    expect(actionsOf(roleStatements('Sweep')).filter((a) => a.startsWith('states:'))).toEqual(['states:StartExecution']);
  });

  it('grants each function exactly the table actions its code uses, and no scan or table administration', () => {
    const tableActions = (id: string) => actionsOf(roleStatements(id)).filter((a) => a.startsWith('dynamodb:')).sort();
    const expected = (access: { actions: readonly string[] }) => access.actions.map((a) => `dynamodb:${a}`).sort();
    expect(tableActions('Api')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(tableActions('WorkflowSteps')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(tableActions('Sweep')).toEqual(expected(TABLE_ACCESS.sweep));
    expect(tableActions('Analyzer')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(tableActions('Maintenance')).toEqual(expected(TABLE_ACCESS.maintenance));
    expect(tableActions('Jobs')).toEqual(expected(TABLE_ACCESS.jobs));
  });

  it('hands background jobs to the jobs function (ADR 17): the API starts the job runner, whose task invokes it asynchronously; it writes register exports only', () => {
    const runnerId = resources('AWS::StepFunctions::StateMachine').find(([id]) => id.startsWith('JobRunner'))![0];
    expect(fn('Api')[1].Properties.Environment.Variables[ENV_VARS.jobRunnerArn]).toEqual({ Ref: runnerId });
    const starts = (id: string) => roleStatements(id).filter((st) => actionsOf([st]).includes('states:StartExecution') && JSON.stringify(st.Resource).includes(runnerId));
    expect(starts('Api')).toHaveLength(1);
    for (const id of ['WorkflowSteps', 'Analyzer', 'Sweep', 'Jobs']) expect(starts(id), id).toEqual([]);
    const jobs = fn('Jobs')[1].Properties;
    const [failuresId] = resources('AWS::SQS::Queue').find(([id]) => id.startsWith('JobFailures'))!;
    expect(jobs).toMatchObject({ Timeout: 900, DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [failuresId, 'Arn'] } } });
    const objectStatements = roleStatements('Jobs').filter((st) => actionsOf([st]).some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'));
    expect(actionsOf(objectStatements).sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject']);
    for (const st of objectStatements) expect(JSON.stringify(st.Resource)).toContain('/exports/*');
    expect(actionsOf(roleStatements('Jobs')).filter((a) => a.startsWith('ses:') || a.startsWith('states:') || a === 's3:DeleteObject')).toEqual([]);
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.filter((a) => JSON.stringify(a.Dimensions ?? []).includes(failuresId))).toHaveLength(1);
  });

  it('gives the maintenance function the table only, 15 minutes, and one run at a time', () => {
    const statements = roleStatements('Maintenance');
    expect(actionsOf(statements).filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
    expect(fn('Maintenance')[1].Properties).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 1 });
  });

  it('lets the analyzer touch only the assessment and audit partitions, and no index', () => {
    const [statement] = roleStatements('Analyzer').filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(statement!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ASSESSMENT#*', 'AUDIT#assessment#*', 'AUDITHEAD#assessment#*'] } });
    expect(statement!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] });
    // The patterns cover the keys the analyzer writes (built by the same key builders) and not tokens or other chains.
    const matches = (key: string) => ANALYZER_LEADING_KEYS.some((p) => new RegExp(`^${p.replace(/[#]/g, '\\#').replace('*', '.*')}$`).test(key));
    for (const key of [keys.document('a1', 'd1').pk, keys.auditHead({ type: 'assessment', id: 'a1' }).pk, keys.auditEvent({ type: 'assessment', id: 'a1' }, 3, '2026-11-30T00:00:00Z', 'e1').pk]) expect(matches(key), key).toBe(true);
    for (const key of [keys.portalToken('h').pk, keys.vendor('v1').pk, keys.auditHead({ type: 'vendor', id: 'v1' }).pk, keys.idempotency('h').pk]) expect(matches(key), key).toBe(false);
  });

  it('denies document objects to every principal but the API and analyzer roles, and the break-glass role when named', () => {
    const deny = (t: Template) =>
      (Object.values(t.findResources('AWS::S3::BucketPolicy')) as Resource[])
        .flatMap((p) => p.Properties.PolicyDocument.Statement as (Statement & { Sid?: string; Principal?: unknown })[])
        .find((s) => s.Sid === 'DenyObjectAccessButTrustgate')!;
    const roleArn = (id: string) => ({ 'Fn::GetAtt': [(fn(id)[1].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0], 'Arn'] });
    const statement = deny(template);
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: DOCUMENT_OBJECT_ACTIONS });
    expect(statement.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [roleArn('Api'), roleArn('Analyzer')] } });
    expect(JSON.stringify(statement.Resource)).toMatch(/Documents.*Arn.*\/\*/);
    expect(actionsOf([statement])).not.toContain('s3:PutBucketPolicy');
    expect((deny(custom).Condition as { ArnNotEquals: { 'aws:PrincipalArn': unknown[] } }).ArnNotEquals['aws:PrincipalArn']).toContain('arn:aws:iam::111111111111:role/trustgate-break-glass');
    // Every role granted document access is one the bucket lets in.
    const withS3 = ['Api', 'WorkflowSteps', 'Analyzer', 'Sweep'].filter((id) => actionsOf(roleStatements(id)).some((a) => a.startsWith('s3:')));
    expect(withS3.map(roleArn)).toEqual((statement.Condition as { ArnNotEquals: { 'aws:PrincipalArn': unknown[] } }).ArnNotEquals['aws:PrincipalArn']);
  });

  it('lets the documents key encrypt and decrypt through S3 only', () => {
    const [key] = (Object.values(template.findResources('AWS::KMS::Key', { Properties: { Description: 'trustgate vendor documents' } })) as Resource[]);
    const statements = key!.Properties.KeyPolicy.Statement as (Statement & { Sid?: string })[];
    expect(statements.find((s) => s.Sid === 'DenyUseButThroughS3')).toMatchObject({
      Effect: 'Deny',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Condition: { StringNotEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
    for (const id of ['Api', 'Analyzer']) {
      const kms = roleStatements(id).filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
      expect(kms, id).toHaveLength(1);
      expect(kms[0]!.Condition, id).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    }
  });

  it('lets functions send mail only from the configured sender, through its SES identity', () => {
    const identity = only('AWS::SES::EmailIdentity');
    expect(identity.Properties.EmailIdentity).toBe('trustgate@example.com');
    for (const id of ['Api', 'WorkflowSteps', 'Sweep']) {
      const mail = roleStatements(id).filter((s) => actionsOf([s]).includes('ses:SendEmail'));
      expect(mail, id).toHaveLength(1);
      expect(mail[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'trustgate@example.com' } });
      expect(JSON.stringify(mail[0]!.Resource)).toMatch(/:identity\/.*MailSender/);
    }
  });

  it('verifies a sending domain with DKIM, or uses an identity already verified, when told to', () => {
    custom.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'acme.example' });
    expect(Object.keys(custom.findOutputs('*')).filter((o) => o.startsWith('MailDkimRecord'))).toHaveLength(3);
    const existing = synth({ mailFrom: 'trustgate@acme.example', mailIdentity: 'existing' });
    existing.resourceCountIs('AWS::SES::EmailIdentity', 0);
    existing.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ses:SendEmail', Resource: Match.arrayWith([{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':identity/acme.example$')])] }]) })]) },
    });
  });
});

describe('TrustgateStack: workflow, schedule and alarms', () => {
  it('logs every state transition without execution data, and traces executions', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [Match.anyValue()] },
    });
  });

  it('runs the daily sweep from EventBridge Scheduler with retries', () => {
    const schedule = only('AWS::Scheduler::Schedule');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 6 * * ? *)');
    expect(schedule.Properties.Target).toMatchObject({ Arn: { 'Fn::GetAtt': [fn('Sweep')[0], 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } });
  });

  it('hands admin-requested sweeps to the sweep function asynchronously, through a state machine only the API may start', () => {
    const [runnerId, runner] = resources('AWS::StepFunctions::StateMachine').find(([id]) => id.startsWith('SweepRunner'))!;
    const definition = JSON.stringify(runner.Properties.DefinitionString);
    expect(definition).toContain('\\"InvocationType\\":\\"Event\\"');
    expect(definition).toContain(fn('Sweep')[0]);
    expect(runner.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(fn('Api')[1].Properties.Environment.Variables[ENV_VARS.sweepRunnerArn]).toEqual({ Ref: runnerId });
    const starts = (id: string) => roleStatements(id).filter((st) => actionsOf([st]).includes('states:StartExecution') && JSON.stringify(st.Resource).includes(runnerId));
    expect(starts('Api')).toHaveLength(1);
    for (const id of ['WorkflowSteps', 'Analyzer', 'Sweep']) expect(starts(id), id).toEqual([]);
  });

  it('sends failed sweep runs to a dead-letter queue, from the function and from the scheduler, and runs one sweep at a time', () => {
    const queues = resources('AWS::SQS::Queue');
    expect(queues.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['JobFailures', 'SweepBatches', 'SweepFailures']);
    const [queueId, queue] = queues.find(([id]) => id.startsWith('SweepFailures'))!;
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const sweep = fn('Sweep')[1].Properties;
    expect(sweep.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(sweep.ReservedConcurrentExecutions).toBe(1);
    expect(only('AWS::Scheduler::Schedule').Properties.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    // The other functions are invoked synchronously only (API Gateway, Step Functions, an SQS event source): no async queue.
    for (const id of ['Api', 'WorkflowSteps', 'Analyzer', 'SweepBatchWorker']) expect(fn(id)[1].Properties.DeadLetterConfig, id).toBeUndefined();
  });

  it('fans the sweep out (ADR 14): the planner sends batches to an encrypted queue whose worker sweeps one at a time, a few at once, failures redriven to the dead-letter queue', () => {
    const [batchesId, batches] = resources('AWS::SQS::Queue').find(([id]) => id.startsWith('SweepBatches'))!;
    const [failuresId] = resources('AWS::SQS::Queue').find(([id]) => id.startsWith('SweepFailures'))!;
    expect(batches.Properties).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 12 * 60, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [failuresId, 'Arn'] }, maxReceiveCount: 3 } });
    const mapping = only('AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': [batchesId, 'Arn'] }, BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: SWEEP_BATCH_CONCURRENCY } });
    expect(mapping.Properties.FunctionName).toEqual({ Ref: fn('SweepBatchWorker')[0] });
    const worker = fn('SweepBatchWorker')[1].Properties;
    expect(worker.Timeout).toBe(120);
    expect(worker.ReservedConcurrentExecutions).toBe(SWEEP_BATCH_CONCURRENCY);
    expect(worker.Environment.Variables[ENV_VARS.sweepQueueUrl]).toBeUndefined();
    expect(fn('Sweep')[1].Properties.Environment.Variables[ENV_VARS.sweepQueueUrl]).toEqual({ Ref: batchesId });
    const sends = (id: string) => roleStatements(id).filter((st) => actionsOf([st]).includes('sqs:SendMessage') && JSON.stringify(st.Resource).includes(batchesId));
    expect(sends('Sweep')).toHaveLength(1);
    for (const id of ['Api', 'WorkflowSteps', 'Analyzer', 'SweepBatchWorker', 'Maintenance', 'Jobs']) expect(sends(id), id).toEqual([]);
    expect(actionsOf(roleStatements('SweepBatchWorker'))).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
  });

  it('alarms on API Gateway 5xx answers, the 4xx rate and p99 latency of the HTTP API', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const apiId = { Ref: resources('AWS::ApiGatewayV2::Api')[0]![0] };
    expect(alarms).toContainEqual(expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: apiId }], Statistic: 'Sum', Threshold: ALARM_THRESHOLDS.api5xxPer5Minutes }));
    expect(alarms).toContainEqual(expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 5000, EvaluationPeriods: 3 }));
    const rate = alarms.find((a) => (a.Metrics as { Expression?: string }[] | undefined)?.some((m) => m.Expression?.includes('100 * errors / requests')));
    expect(rate).toMatchObject({ Threshold: ALARM_THRESHOLDS.api4xxPercent, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const inputs = (rate!.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    expect(inputs.map((m) => m.MetricName).sort()).toEqual(['4xx', 'Count']);
    for (const m of inputs) expect(m.Dimensions).toEqual([{ Name: 'ApiId', Value: apiId }]);
  });

  it('alarms on assessments entering needs-attention, with the metric the workflow function publishes', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({ Namespace: 'trustgate', MetricName: 'AssessmentsNeedingAttention', Dimensions: [{ Name: 'service', Value: 'trustgate-workflow' }], Statistic: 'Sum', Threshold: 1 }),
    );
    expect(OPERATIONAL_METRICS.needsAttention).toEqual({ name: 'AssessmentsNeedingAttention', service: 'trustgate-workflow' });
  });

  it('alarms when the daily sweep has not completed for 26 hours, counting missing data as not run', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'trustgate',
        MetricName: 'DailySweepsCompleted',
        Dimensions: [{ Name: 'service', Value: 'trustgate-sweep' }],
        Period: 3600,
        EvaluationPeriods: 26,
        DatapointsToAlarm: 26,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      }),
    );
  });

  it('alarms on DynamoDB throttles of the table and each index, and on failed sweep runs waiting in the dead-letter queue', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    // One alarm per group of at most 10 metrics (CloudWatch's limit for an alarm's math expression).
    const throttles = alarms.filter((a) => (a.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[] | undefined)?.some((m) => m.MetricStat?.Metric.MetricName === 'WriteThrottleEvents'));
    const metrics = throttles.flatMap((t) => (t.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : [])));
    for (const t of throttles) expect((t.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length).toBeLessThanOrEqual(10);
    expect(metrics).toHaveLength(2 + 2 * TABLE_DESIGN.globalIndexes.length);
    expect(metrics.flatMap((m) => m.Dimensions.filter((d) => d.Name === 'GlobalSecondaryIndexName').map((d) => d.Value))).toEqual(TABLE_DESIGN.globalIndexes.flatMap((g) => [g.indexName, g.indexName]));
    expect(alarms).toContainEqual(expect.objectContaining({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 }));
  });

  it('sends mail through a configuration set that counts bounces and complaints, and alarms on them', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'trustgate-test', ReputationOptions: { ReputationMetricsEnabled: true } });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        CloudWatchDestination: { DimensionConfigurations: [{ DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'trustgate-test' }] },
      }),
    });
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const metric of ['Bounce', 'Complaint']) {
      expect(alarms, metric).toContainEqual(expect.objectContaining({ Namespace: 'AWS/SES', MetricName: metric, Dimensions: [{ Name: 'ses:configuration-set', Value: 'trustgate-test' }] }));
    }
    for (const id of ['Api', 'WorkflowSteps', 'Sweep']) {
      // The name by reference: the functions deploy after the configuration set exists.
      expect(fn(id)[1].Properties.Environment.Variables[ENV_VARS.mailConfigurationSet], id).toEqual({ Ref: expect.stringMatching(/^MailConfigurationSet/) });
      const send = roleStatements(id).find((st) => actionsOf([st]).includes('ses:SendEmail'))!;
      expect(JSON.stringify(send.Resource), id).toMatch(/:configuration-set\/",\{"Ref":"MailConfigurationSet/);
    }
  });

  it('draws one dashboard named for the stage, with the API, functions, workflow, table, sweep and mail', () => {
    const dashboard = only('AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('trustgate-test');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of ['Api: requests and errors', 'Api: latency', 'Analyzer: duration', 'AssessmentWorkflow: executions', 'Assessments entering needs-attention', 'Table: throttle events', 'Daily sweeps completed', 'SweepFailures: messages', 'Mail']) {
      expect(body, title).toContain(`\\"title\\":\\"${title}`);
    }
  });

  it('notifies an existing SNS topic instead of its own when given one', () => {
    const withTopic = synth({ alarmEmail: undefined, alarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:ops-alarms' });
    withTopic.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(withTopic.findResources('AWS::CloudWatch::Alarm')) as Resource[]) expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:111111111111:ops-alarms']);
  });

  it('alarms on errors and throttles of every function and on failed or timed-out executions, to an encrypted topic', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const functionIds = resources('AWS::Lambda::Function').map(([id]) => id);
    for (const id of functionIds) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarms.some((a) => a.MetricName === metric && a.Namespace === 'AWS/Lambda' && a.Dimensions[0].Value.Ref === id), `${id} ${metric}`).toBe(true);
      }
    }
    expect(alarms.filter((a) => a.Namespace === 'AWS/States').map((a) => a.MetricName as string).sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    const [topicId, topic] = resources('AWS::SNS::Topic')[0]!;
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(alarms.length).toBeGreaterThan(15);
    for (const a of alarms) expect(a.AlarmActions, a.AlarmDescription as string).toEqual([{ Ref: topicId }]);
    custom.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@acme.example' });
  });
  it('routes the web pages to the app without the JWT authorizer (the pages hold no data)', () => {
    for (const key of ['GET /sign-in', 'GET /vendors/{id}', 'GET /assets/{file}', 'GET /portal/open', 'GET /auth/callback']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'NONE' });
    }
  });

  it('gives the functions the hosted UI domain for browser sign-in', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TRUSTGATE_COGNITO_DOMAIN: Match.anyValue() }) } });
  });
});
