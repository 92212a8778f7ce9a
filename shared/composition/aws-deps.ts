/** Composition root for AWS: DynamoDB, S3, SESv2 and Cognito. Built once per Lambda container. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionAtomicWriter } from '../adapters/aws/atomic-writer.ts';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoAssessmentRepository } from '../adapters/aws/dynamo-assessment-repository.ts';
import { DynamoRepository } from '../adapters/aws/dynamo-repository.ts';
import { DynamoRiskRegister } from '../adapters/aws/dynamo-risk-register.ts';
import { DynamoRegisterExports } from '../adapters/aws/dynamo-register-exports.ts';
import { DynamoAuditVerifier } from '../adapters/aws/dynamo-audit-verifier.ts';
import { backgroundTasks, inProcessJobs } from './background-tasks.ts';
import { SfnBackgroundJobs } from '../adapters/aws/sfn-background-jobs.ts';
import { DynamoSweepSchedule } from '../adapters/aws/dynamo-sweep-schedule.ts';
import { DynamoIdempotencyStore } from '../adapters/aws/dynamo-idempotency-store.ts';
import { SfnAssessmentWorkflow } from '../adapters/aws/sfn-assessment-workflow.ts';
import { SfnSweepRunner } from '../adapters/aws/sfn-sweep-runner.ts';
import { cryptoPortalTokens } from '../adapters/crypto-portal-tokens.ts';
import { TrustgateError } from '../domain/errors.ts';
import type { AssessmentWorkflow } from '../ports/assessment-workflow.ts';
import type { DocumentInspector } from '../ports/document-inspector.ts';
import type { DocumentTextExtractor } from '../ports/document-text-extractor.ts';
import { S3DocumentStore } from '../adapters/aws/s3-document-store.ts';
import { SesMailer } from '../adapters/aws/ses-mailer.ts';
import { CognitoTokenVerifier } from '../adapters/auth/cognito-token-verifier.ts';
import type { AppDeps } from '../app/deps.ts';
import type { AwsConfig } from './config.ts';

/** A function that must not start executions (the workflow's own steps) gets this in place of Step Functions. */
const noWorkflow: AssessmentWorkflow = {
  startExecution: () => Promise.reject(new TrustgateError('workflow-unavailable', 'This function does not start workflows')),
  sendTaskSuccess: () => Promise.reject(new TrustgateError('workflow-unavailable', 'This function does not answer workflow tasks')),
  sendTaskFailure: () => Promise.reject(new TrustgateError('workflow-unavailable', 'This function does not answer workflow tasks')),
  stopExecution: () => Promise.reject(new TrustgateError('workflow-unavailable', 'This function does not stop workflows')),
};

/** The API bundle must not carry pdf-parse: only the analyzer function passes a text extractor. */
const noExtractor: DocumentTextExtractor = {
  extractPages: () => Promise.reject(new TrustgateError('analyzer-unavailable', 'Documents are analyzed by the analyzer function')),
};

/**
 * The API bundle has no pdf.js (its 1 MB budget), so in AWS completing an upload checks size, encryption, content type
 * and the `%PDF-` header of the object in S3 but does not open it (page count null); an unreadable file shows up as a
 * failed document at analysis, which never stops the assessment (docs/workflow.md, ADR 10 and 11).
 */
const uncheckedUploads: DocumentInspector = { inspect: () => Promise.resolve({ pageCount: null }) };

export function createAwsDeps(config: AwsConfig, options: { textExtractor?: DocumentTextExtractor } = {}): AppDeps {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  const writer = new TransactionAtomicWriter(documentClient, config.tableName);
  const repository = new DynamoRepository(documentClient, config.tableName, writer);
  const auditVerifier = new DynamoAuditVerifier(documentClient, config.tableName, writer);
  const background = backgroundTasks();
  const deps: AppDeps = {
    vendors: repository,
    assessments: new DynamoAssessmentRepository(documentClient, config.tableName, writer),
    register: new DynamoRiskRegister(documentClient, config.tableName, writer),
    registerExports: new DynamoRegisterExports(documentClient, config.tableName, writer),
    // API Gateway and Lambda buffer the answer: 6 MB at most, headers included.
    inlineCsvMaxBytes: 5_000_000,
    workflow: config.stateMachineArn ? new SfnAssessmentWorkflow(new SFNClient({}), config.stateMachineArn) : noWorkflow,
    sweepSchedule: new DynamoSweepSchedule(documentClient, config.tableName, writer),
    workflowSettings: config.workflow,
    portalTokens: cryptoPortalTokens,
    textExtractor: options.textExtractor ?? noExtractor,
    documentInspector: uncheckedUploads,
    maxUploadBytes: config.maxUploadBytes,
    auditLog: repository,
    auditVerifier: auditVerifier,
    auditVerifications: auditVerifier,
    // Handed to the jobs function through the job runner; without one (a stack before it), run in this Lambda after the answer.
    jobs: config.jobRunnerArn ? new SfnBackgroundJobs(new SFNClient({}), config.jobRunnerArn) : inProcessJobs(background, () => deps),
    idempotency: new DynamoIdempotencyStore(documentClient, config.tableName),
    documents: new S3DocumentStore(new S3Client({}), config.documentsBucket, config.documentsKmsKeyId ?? undefined),
    // The URL the presigned posts name (virtual-hosted style, as the SDK builds it).
    documentsOrigin: config.awsRegion ? `https://${config.documentsBucket}.s3.${config.awsRegion}.amazonaws.com` : `https://${config.documentsBucket}.s3.amazonaws.com`,
    mailer: new SesMailer(new SESv2Client({}), config.mailFrom, config.mailConfigurationSet ?? undefined),
    outbox: null,
    tokens: new CognitoTokenVerifier(config.cognitoIssuer, config.cognitoClientId),
    clock: { now: () => new Date() },
    ids: { newId: () => randomUUID() },
    mode: 'aws',
    ...(config.cognitoDomain ? { hostedSignIn: { domain: config.cognitoDomain, clientId: config.cognitoClientId } } : {}),
    publicBaseUrl: config.publicBaseUrl,
    ...(config.sweepRunnerArn ? { sweepRunner: new SfnSweepRunner(new SFNClient({}), config.sweepRunnerArn, () => randomUUID()) } : {}),
  };
  return deps;
}
