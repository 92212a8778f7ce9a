/** Composition root for AWS: DynamoDB, S3, SESv2 and Cognito. Built once per Lambda container. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionAtomicWriter } from '../adapters/aws/atomic-writer.ts';
import { DynamoRepository } from '../adapters/aws/dynamo-repository.ts';
import { S3DocumentStore } from '../adapters/aws/s3-document-store.ts';
import { SesMailer } from '../adapters/aws/ses-mailer.ts';
import { CognitoTokenVerifier } from '../adapters/auth/cognito-token-verifier.ts';
import type { AppDeps } from '../app/deps.ts';
import type { AwsConfig } from './config.ts';

export function createAwsDeps(config: AwsConfig): AppDeps {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const repository = new DynamoRepository(documentClient, config.tableName, new TransactionAtomicWriter(documentClient, config.tableName));
  return {
    vendors: repository,
    auditLog: repository,
    documents: new S3DocumentStore(new S3Client({}), config.documentsBucket, config.documentsKmsKeyId ?? undefined),
    mailer: new SesMailer(new SESv2Client({}), config.mailFrom),
    outbox: null,
    tokens: new CognitoTokenVerifier(config.cognitoIssuer, config.cognitoClientId),
    clock: { now: () => new Date() },
    ids: { newId: () => randomUUID() },
    mode: 'aws',
    publicBaseUrl: config.publicBaseUrl,
  };
}
