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
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV_VARS } from '../../shared/composition/config.ts';
import { PROJECT_ROOT } from '../bundling/lambda-bundle.ts';

export type TrustgateEnvironment = Partial<Record<keyof typeof ENV_VARS, string>>;

export interface TrustgateFunctionProps {
  /** Entry file, relative to the repository root. */
  entry: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment?: TrustgateEnvironment;
}

/** The sender trustgate mails from and the SES identities (address, and its domain) that cover it. */
export interface MailSender {
  from: string;
  identityArns: string[];
}

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
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime trustgate is built and tested for (issue 8); moving to a newer runtime is a deliberate, tested change.',
    });
  }

  /** Sets the table's env var and grants item reads and writes on it and its indexes (no table administration). */
  useTable(table: ITable): this {
    this.fn.addEnvironment(ENV_VARS.tableName, table.tableName);
    table.grantReadWriteData(this.fn);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(table.node.defaultChild as never)}.Arn>/index/*]`,
      reason: 'Queries on the global secondary indexes of this one table (the index names come from the shared table design).',
    });
    return this;
  }

  /**
   * Sets the documents bucket's env vars and grants object access with its KMS key: 'read' (the analyzer) or
   * 'readwrite' (the API: stores, presigns uploads, deletes). ListBucket lets a missing key answer 404, not 403.
   */
  useDocumentsBucket(bucket: IBucket, access: 'read' | 'readwrite'): this {
    this.fn.addEnvironment(ENV_VARS.documentsBucket, bucket.bucketName);
    const objects = bucket.arnForObjects('*');
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [objects] }));
    if (bucket.encryptionKey) {
      this.fn.addEnvironment(ENV_VARS.documentsKmsKeyId, bucket.encryptionKey.keyArn);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [bucket.encryptionKey.keyArn] }),
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

  /** Sets the sender's env var and grants SESv2 SendEmail on its identities, from that address only. */
  useMail(mail: MailSender): this {
    this.fn.addEnvironment(ENV_VARS.mailFrom, mail.from);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: mail.identityArns,
        conditions: { StringEquals: { 'ses:FromAddress': mail.from } },
      }),
    );
    return this;
  }
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
