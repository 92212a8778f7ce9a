/** The trustgate stack: the table (from the shared table design), the documents bucket, Cognito, and the API. */
import { HttpApi, CorsHttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { CfnUserPoolGroup, UserPool, UserPoolClient, AccountRecovery } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../shared/adapters/aws/table-design.ts';
import { ROLES } from '../shared/domain/roles.ts';
import { AssessmentWorkflow } from './constructs/assessment-workflow.ts';
import { TrustgateFunction } from './constructs/trustgate-function.ts';

export interface TrustgateStackProps extends StackProps {
  /** Sender address for mail (must be verified in SES). */
  mailFrom: string;
}

export class TrustgateStack extends Stack {
  constructor(scope: Construct, id: string, props: TrustgateStackProps) {
    super(scope, id, props);

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

    const documentsKey = new Key(this, 'DocumentsKey', { enableKeyRotation: true, description: 'trustgate vendor documents' });
    const documents = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.KMS,
      encryptionKey: documentsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: userPool.userPoolId, groupName: role });
    const client = new UserPoolClient(this, 'WebClient', { userPool, generateSecret: false, authFlows: { userSrp: true }, idTokenValidity: Duration.hours(1) });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`;

    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'trustgate API',
      corsPreflight: { allowOrigins: ['*'], allowMethods: [CorsHttpMethod.ANY], allowHeaders: ['authorization', 'content-type', 'if-match'] },
    });

    const api = new TrustgateFunction(this, 'Api', {
      entry: 'functions/api-handler.ts',
      description: 'trustgate HTTP API (Hono)',
      environment: { mailFrom: props.mailFrom, cognitoIssuer: issuer, cognitoClientId: client.userPoolClientId, publicBaseUrl: httpApi.apiEndpoint },
    })
      .useTable(table)
      .useDocumentsBucket(documents);

    const workflowSteps = new TrustgateFunction(this, 'WorkflowSteps', {
      entry: 'functions/workflow-step-handler.ts',
      description: 'trustgate assessment workflow steps',
      timeout: Duration.seconds(60),
      environment: { mailFrom: props.mailFrom, publicBaseUrl: httpApi.apiEndpoint },
    })
      .useTable(table)
      .useDocumentsBucket(documents);
    const analyzer = new TrustgateFunction(this, 'Analyzer', {
      entry: 'functions/analyze-document-handler.ts',
      description: 'trustgate SOC 2 report analyzer',
      memorySize: 1024,
      timeout: Duration.seconds(90),
      environment: { mailFrom: props.mailFrom, publicBaseUrl: httpApi.apiEndpoint },
    })
      .useTable(table)
      .useDocumentsBucket(documents);
    const workflow = new AssessmentWorkflow(this, 'AssessmentWorkflow', { stepFunction: workflowSteps.fn, analyzeFunction: analyzer.fn });
    api.useWorkflow(workflow.stateMachine);

    const integration = new HttpLambdaIntegration('ApiIntegration', api.fn);
    // The JWT authorizer rejects bad Cognito tokens at the edge; the app still checks roles per route.
    const authorizer = new HttpJwtAuthorizer('Cognito', issuer, { jwtAudience: [client.userPoolClientId] });
    httpApi.addRoutes({ path: '/api/{proxy+}', integration, authorizer });
    httpApi.addRoutes({ path: '/health', integration });
    httpApi.addRoutes({ path: '/openapi.json', integration });
    httpApi.addRoutes({ path: '/docs', integration });

    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
  }
}
