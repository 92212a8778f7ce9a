import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DESIGN } from '../../shared/adapters/aws/table-design.ts';
import { ENV_VARS } from '../../shared/composition/config.ts';
import { TrustgateStack } from '../../infra/trustgate-stack.ts';

let template: Template;
beforeAll(() => {
  // Skipping bundling keeps synth fast; the bundles are built by `npm run synth`.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new TrustgateStack(app, 'Test', { mailFrom: 'trustgate@example.com', env: { account: '111111111111', region: 'eu-west-1' } }));
});

describe('TrustgateStack', () => {
  it('builds the table from the shared table design', () => {
    const [table] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable')) as { Properties: { KeySchema: unknown[]; GlobalSecondaryIndexes: { IndexName: string; KeySchema: unknown[] }[] } }[];
    expect(table!.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table!.Properties.GlobalSecondaryIndexes.map((g) => ({ name: g.IndexName, keys: g.KeySchema }))).toEqual(
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

  it('keeps documents private, KMS-encrypted, versioned and TLS-only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('runs the API on Node.js 22 with its configuration set from the shared env var names', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Environment: {
        Variables: Match.objectLike({
          [ENV_VARS.mode]: 'aws',
          [ENV_VARS.tableName]: Match.anyValue(),
          [ENV_VARS.documentsBucket]: Match.anyValue(),
          [ENV_VARS.cognitoIssuer]: Match.anyValue(),
          [ENV_VARS.cognitoClientId]: Match.anyValue(),
          [ENV_VARS.mailFrom]: 'trustgate@example.com',
          [ENV_VARS.publicBaseUrl]: Match.anyValue(),
        }),
      },
    });
  });

  it('guards /api routes with the Cognito JWT authorizer and leaves health public', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}', AuthorizationType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /health', AuthorizationType: 'NONE' });
  });

  it('creates one Cognito group per role', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => (g as { Properties: { GroupName: string } }).Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'procurement', 'security']);
  });
});
