/** One construct sets every Lambda default: Node 22, ARM, bundling, log retention, tracing, env mode. */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV_VARS } from '../../shared/composition/config.ts';

export interface TrustgateFunctionProps {
  /** Entry file, relative to the repository root. */
  entry: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment?: Partial<Record<keyof typeof ENV_VARS, string>>;
}

export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  // The Lambda runtime ships the AWS SDK v3, but bundling pins the version we test against.
  externalModules: [],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

export class TrustgateFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: TrustgateFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: Tracing.ACTIVE,
      logGroup,
      bundling: { ...BUNDLING, externalModules: [...BUNDLING.externalModules] },
      environment: {
        [ENV_VARS.mode]: 'aws',
        NODE_OPTIONS: '--enable-source-maps',
        ...Object.fromEntries(Object.entries(props.environment ?? {}).map(([k, v]) => [ENV_VARS[k as keyof typeof ENV_VARS], v!])),
      },
    });
  }

  /** Sets the env var and grants read/write on the table: one call, so neither is forgotten. */
  useTable(table: ITable): this {
    this.fn.addEnvironment(ENV_VARS.tableName, table.tableName);
    table.grantReadWriteData(this.fn);
    return this;
  }

  /** Sets the env var and grants starting executions and answering task tokens of the state machine. */
  useWorkflow(stateMachine: IStateMachine): this {
    this.fn.addEnvironment(ENV_VARS.stateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.fn);
    stateMachine.grantTaskResponse(this.fn);
    return this;
  }

  /** Sets the env vars and grants read/write on the documents bucket (and its key). */
  useDocumentsBucket(bucket: IBucket): this {
    this.fn.addEnvironment(ENV_VARS.documentsBucket, bucket.bucketName);
    if (bucket.encryptionKey) this.fn.addEnvironment(ENV_VARS.documentsKmsKeyId, bucket.encryptionKey.keyArn);
    bucket.grantReadWrite(this.fn);
    return this;
  }
}
