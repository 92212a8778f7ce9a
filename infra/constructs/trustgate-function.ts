/**
 * One construct sets every Lambda default: Node.js 22 on ARM (no native code is bundled), the shared esbuild
 * bundle, its own role and log group, JSON logs, active tracing, AWS mode. Each `use…` call sets a resource's env
 * var and grants exactly the access the function needs to it, in one call.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV_VARS } from '../../shared/composition/config.ts';
import { PROJECT_ROOT } from '../bundling/lambda-bundle.ts';
import type { TableAccess } from '../function-access.ts';

export type TrustgateEnvironment = Partial<Record<keyof typeof ENV_VARS, string>>;

export interface TrustgateFunctionProps {
  /** Entry file, relative to the repository root. */
  entry: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment?: TrustgateEnvironment;
  /**
   * Where failed asynchronous invocations go (the sweep). Functions without one are invoked synchronously only (API
   * Gateway, Step Functions tasks): their caller receives the error and handles it.
   */
  deadLetterQueue?: IQueue;
  /** Caps concurrent runs (the sweep: 1, so that runs never overlap). */
  reservedConcurrentExecutions?: number;
  /** Why a function without `deadLetterQueue` loses no event (default: invoked synchronously by API Gateway or a Step Functions task). */
  noDeadLetterReason?: string;
}

/** The sender trustgate mails from and the SES identities (address, and its domain) that cover it. */
export interface MailSender {
  from: string;
  identityArns: string[];
  /** The configuration set every mail goes through (bounce and complaint metrics). */
  configurationSet: { name: string; arn: string };
}

/** Why log groups keep CloudWatch Logs' own encryption at rest instead of a customer key. */
export const LOG_ENCRYPTION_REASON =
  'CloudWatch Logs encrypts log data at rest with service keys; the logs hold ids, statuses and error codes, never document contents or tokens, so a customer key would add cost and a key policy to maintain, not protection.';

/** Why each role keeps the policy CDK attaches to it instead of a customer-managed policy. */
export const INLINE_POLICY_REASON =
  'The policy belongs to this one role and is generated from its grants (per-function least privilege): a managed policy would be shared by nothing and only add a resource to keep in step.';

export const LAMBDA_DEFAULTS = {
  runtime: Runtime.NODEJS_22_X,
  // ARM: cheaper per GB-second; nothing native is bundled (pdf.js gets a JavaScript canvas stand-in).
  architecture: Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(29),
} as const;

export class TrustgateFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TrustgateFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${props.description} (Lambda role)` });
    logGroup.grantWrite(this.role);
    this.fn = new LambdaFunction(this, 'Function', {
      description: props.description,
      runtime: LAMBDA_DEFAULTS.runtime,
      architecture: LAMBDA_DEFAULTS.architecture,
      handler: 'index.handler',
      code: bundledCode(props.entry),
      memorySize: props.memorySize ?? LAMBDA_DEFAULTS.memorySize,
      timeout: props.timeout ?? LAMBDA_DEFAULTS.timeout,
      role: this.role,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        [ENV_VARS.mode]: 'aws',
        NODE_OPTIONS: '--enable-source-maps',
        ...Object.fromEntries(Object.entries(props.environment ?? {}).map(([k, v]) => [ENV_VARS[k as keyof typeof ENV_VARS], v])),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions (X-Ray accepts only "*").',
    });
    const runtimeReason = 'Node.js 22 is the runtime trustgate is built and tested for (issue 8); moving to a newer runtime is a deliberate, tested change.';
    Validations.of(this.fn).acknowledge({ id: 'AwsSolutions-L1', reason: runtimeReason }, { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason });
    Validations.of(this.fn).acknowledge({
      id: 'NIST.800.53.R5-LambdaInsideVPC',
      reason: 'The functions reach only AWS APIs (DynamoDB, S3, Step Functions, SES) over TLS with IAM; a VPC would add NAT or endpoint costs and protect no private resource.',
    });
    if (!props.deadLetterQueue) {
      const reason = props.noDeadLetterReason ?? 'Invoked synchronously only (API Gateway, Step Functions task): the caller receives the error and handles it, so no event can be lost in an asynchronous queue.';
      Validations.of(this.fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason }, { id: 'NIST.800.53.R5-LambdaDLQ', reason });
    }
    if (props.reservedConcurrentExecutions === undefined) {
      Validations.of(this.fn).acknowledge({
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'Scales with vendors and staff; API Gateway route throttles bound the API, and the state machine bounds the analysis (two documents at a time per assessment).',
      });
    }
    Validations.of(logGroup).acknowledge({ id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason: LOG_ENCRYPTION_REASON });
    Validations.of(this.role).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY_REASON });
  }

  /**
   * Sets the table's env var and grants exactly the item actions in `access` (function-access.ts), on the indexes
   * only when it queries them, and only on the partitions `access.leadingKeys` names when it names any.
   */
  useTable(table: ITable, access: TableAccess): this {
    this.fn.addEnvironment(ENV_VARS.tableName, table.tableName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'TableItems',
        actions: access.actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn, ...(access.indexes ? [`${table.tableArn}/index/*`] : [])],
        ...(access.leadingKeys ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...access.leadingKeys] } } } : {}),
      }),
    );
    if (access.indexes) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(table.node.defaultChild as never)}.Arn>/index/*]`,
        reason: 'Queries on the global secondary indexes of this one table (the index names come from the shared table design).',
      });
    }
    return this;
  }

  /**
   * Sets the documents bucket's env vars and grants object access with its KMS key: 'read' (the analyzer) or
   * 'readwrite' (the API: stores, presigns uploads, deletes; writes register exports as multipart uploads, and aborts
   * a failed one). ListBucket lets a missing key answer 404, not 403.
   */
  useDocumentsBucket(bucket: IBucket, access: 'read' | 'readwrite'): this {
    this.fn.addEnvironment(ENV_VARS.documentsBucket, bucket.bucketName);
    const objects = bucket.arnForObjects('*');
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], resources: [objects] }));
    if (bucket.encryptionKey) {
      this.fn.addEnvironment(ENV_VARS.documentsKmsKeyId, bucket.encryptionKey.keyArn);
      // Through S3 only: the function never calls KMS itself (the key policy denies every other use as well).
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [bucket.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': s3ServiceName(Stack.of(this)) } },
        }),
      );
    }
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as never)}.Arn>/*]`,
      reason: 'Objects of this one bucket: their keys are generated per document, so they cannot be listed in the policy.',
    });
    return this;
  }

  /** Sets the state machine's env var and grants starting executions and, with 'operate', answering its task tokens and stopping executions. */
  useWorkflow(stateMachine: IStateMachine, access: 'start' | 'operate'): this {
    this.fn.addEnvironment(ENV_VARS.stateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.fn);
    if (access === 'operate') {
      // Answer waiting tasks (submit, decide, retry) and stop an assessment's execution (cancel).
      stateMachine.grantTaskResponse(this.fn);
      stateMachine.grantExecution(this.fn, 'states:StopExecution');
      const stack = Stack.of(this);
      const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
      const machineId = stack.getLogicalId(stateMachine.node.defaultChild as never);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${known(stack.region, '<AWS::Region>')}:${known(stack.account, '<AWS::AccountId>')}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}:*]`,
        reason: "Stopping executions of this one state machine (cancel): execution names are per assessment, so they cannot be listed in the policy.",
      });
    }
    return this;
  }

  /** Sets the sweep runner's env var and grants starting its executions (admin-requested sweeps). */
  useSweepRunner(stateMachine: IStateMachine): this {
    this.fn.addEnvironment(ENV_VARS.sweepRunnerArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.fn);
    return this;
  }

  /** Sets the job runner's env var and grants starting its executions (background jobs, docs/adr/0017). */
  useJobRunner(stateMachine: IStateMachine): this {
    this.fn.addEnvironment(ENV_VARS.jobRunnerArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.fn);
    return this;
  }

  /**
   * Sets the documents bucket's env vars and grants writing register exports only: objects under `exports/` (put, the
   * multipart upload's abort, and the HeadObject that refuses an existing key), ListBucket so a missing key answers
   * 404, and the bucket key through S3 (a multipart upload with SSE-KMS needs GenerateDataKey and Decrypt).
   */
  useDocumentExports(bucket: IBucket): this {
    this.fn.addEnvironment(ENV_VARS.documentsBucket, bucket.bucketName);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [bucket.arnForObjects('exports/*')] }));
    if (bucket.encryptionKey) {
      this.fn.addEnvironment(ENV_VARS.documentsKmsKeyId, bucket.encryptionKey.keyArn);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [bucket.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': s3ServiceName(Stack.of(this)) } },
        }),
      );
    }
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as never)}.Arn>/exports/*]`,
      reason: 'Register exports of this one bucket: their keys are generated per export job, so they cannot be listed in the policy.',
    });
    return this;
  }

  /** Sets the sender's env vars and grants SESv2 SendEmail on its identities and configuration set, from that address only. */
  useMail(mail: MailSender): this {
    this.fn.addEnvironment(ENV_VARS.mailFrom, mail.from);
    this.fn.addEnvironment(ENV_VARS.mailConfigurationSet, mail.configurationSet.name);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        // SESv2 authorizes the identity and the configuration set the mail names.
        resources: [...mail.identityArns, mail.configurationSet.arn],
        conditions: { StringEquals: { 'ses:FromAddress': mail.from } },
      }),
    );
    return this;
  }
}

/** The service name KMS sees when S3 encrypts or decrypts for a caller (the `kms:ViaService` condition key). */
export function s3ServiceName(stack: Stack): string {
  return `s3.${stack.region}.amazonaws.com`;
}

/**
 * The function's code: built locally by `infra/bundling` (the same build the bundle tests run). Bundling is
 * skipped when a test synthesizes with `aws:cdk:bundling-stacks: []`.
 */
function bundledCode(entry: string): Code {
  const command = join(PROJECT_ROOT, 'infra/bundling/bundle-command.ts');
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always answers (it throws rather than fall back to Docker).
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      command: ['node', '--import', 'tsx', 'infra/bundling/bundle-command.ts', entry, '/asset-output'],
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(process.execPath, ['--import', 'tsx', command, entry, outputDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
          if (run.status !== 0) throw new Error(`Bundling ${entry} failed (exit ${run.status ?? run.signal}); run: npx tsx infra/bundling/bundle-command.ts ${entry} /tmp/out`);
          return true;
        },
      },
    },
  });
}
