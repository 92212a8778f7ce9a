/**
 * Composition root for a laptop: dynalite in-process, documents and outbox on disk, locally signed tokens.
 * The only place (with aws-deps.ts) where adapters are constructed.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CompensatingAtomicWriter } from '../adapters/aws/atomic-writer.ts';
import { DynamoAssessmentRepository } from '../adapters/aws/dynamo-assessment-repository.ts';
import { DynamoRepository } from '../adapters/aws/dynamo-repository.ts';
import { DynamoRiskRegister } from '../adapters/aws/dynamo-risk-register.ts';
import { DynamoRegisterExports } from '../adapters/aws/dynamo-register-exports.ts';
import { DynamoAuditVerifier } from '../adapters/aws/dynamo-audit-verifier.ts';
import { backgroundTasks, inProcessJobs } from './background-tasks.ts';
import { DynamoSweepSchedule } from '../adapters/aws/dynamo-sweep-schedule.ts';
import { DynamoIdempotencyStore } from '../adapters/aws/dynamo-idempotency-store.ts';
import { cryptoPortalTokens } from '../adapters/crypto-portal-tokens.ts';
import { LocalWorkflowRunner } from '../adapters/local/local-workflow-runner.ts';
import { DynamoExecutionStore } from '../adapters/local/execution-store.ts';
import { createIsolatedPdfTextExtractor } from '../adapters/pdf/isolated-pdf-text-extractor.ts';
import { withOcr } from '../adapters/pdf/ocr-text-extractor.ts';
import { createPdfInspector } from '../adapters/pdf/pdf-inspector.ts';
import { analyzeEvidence, type AnalyzeEvidenceEvent } from '../app/analyze-evidence.ts';
import { runWorkflowStep, type WorkflowStepEvent } from '../app/workflow-steps.ts';
import { WORKFLOW_STATES } from '../domain/workflow.ts';
import { LocalTokenService } from '../adapters/auth/local-token-service.ts';
import { loadAssessmentDefinition } from '../adapters/local/assessment-definition.ts';
import { FilesystemDocumentStore } from '../adapters/local/filesystem-document-store.ts';
import { LOCAL_DOWNLOAD_PATH, LOCAL_UPLOAD_PATH } from '../http/routes/local-object-routes.ts';
import { OutboxMailer } from '../adapters/local/outbox-mailer.ts';
import type { AppDeps } from '../app/deps.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';
import type { DocumentTextExtractor } from '../ports/document-text-extractor.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { LocalConfig } from './config.ts';
import { missingIndexes, startEmbeddedDynamo } from './embedded-dynamo.ts';
import { localSigningKeyFile } from './local-paths.ts';

export { localSigningKeyFile };

export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: IdGenerator = { newId: () => randomUUID() };

/** The local table predates indexes of the current design; `trustgate migrate` rebuilds it and backfills. */
export class LocalTableOutdatedError extends Error {
  constructor(missing: string[]) {
    super(`The local data was written before the index(es) ${missing.join(', ')} existed: stop the server and run \`npx trustgate migrate\` once.`);
    this.name = 'LocalTableOutdatedError';
  }
}

export interface LocalStack {
  deps: AppDeps;
  tokens: LocalTokenService;
  workflow: LocalWorkflowRunner;
  /** The runner's durable execution history. */
  executions: DynamoExecutionStore;
  dynamoEndpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the embedded components and wires the adapters. `persist: false` keeps DynamoDB in memory
 * (tests); documents, outbox and signing key always live under `config.dataDir`. `dynamoEndpoint` uses a dynalite
 * another process serves instead of starting one in this process (the scale benchmark: the table out of the app's heap).
 */
export async function startLocalStack(
  config: LocalConfig,
  options: { persist?: boolean; dynamoEndpoint?: string; clock?: Clock; ids?: IdGenerator; textExtractor?: DocumentTextExtractor; documents?: DocumentStore } = {},
): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidIds;
  const dynamo = await startEmbeddedDynamo({ tableName: config.tableName, ...(options.dynamoEndpoint ? { endpoint: options.dynamoEndpoint } : options.persist === false ? {} : { path: join(config.dataDir, 'dynamodb') }) });
  // A data folder written before an index was added to the design cannot serve its queries: say what to run.
  if (dynamo.indexRepair && dynamo.indexRepair.orphaned + dynamo.indexRepair.misplaced + dynamo.indexRepair.unlisted > 0) {
    const r = dynamo.indexRepair;
    console.log(`The last run stopped without closing the store; its indexes were repaired: ${r.orphaned} stray entr(ies) removed, ${r.misplaced} moved back, ${r.unlisted} item(s) listed again`);
  }
  const missing = await missingIndexes(dynamo.client, config.tableName);
  if (missing.length > 0) {
    await dynamo.close();
    throw new LocalTableOutdatedError(missing);
  }
  const documentClient = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const writer = new CompensatingAtomicWriter(documentClient, config.tableName, () => clock.now());
  // A process killed in the middle of a multi-item write left its intent: finish it before anything reads or writes.
  const recovered = await writer.recoverInterruptedWrites();
  if (recovered.rolledForward + recovered.rolledBack + recovered.discarded > 0) {
    console.log(`Finished ${recovered.rolledForward + recovered.rolledBack} interrupted write(s): ${recovered.rolledForward} completed, ${recovered.rolledBack} undone; ${recovered.discarded} stale index entr(ies) dropped`);
  }
  const repository = new DynamoRepository(documentClient, config.tableName, writer);
  const auditVerifier = new DynamoAuditVerifier(documentClient, config.tableName, writer);
  const background = backgroundTasks();
  const assessments = new DynamoAssessmentRepository(documentClient, config.tableName, writer);
  const tokens = await LocalTokenService.fromKeyFile(localSigningKeyFile(config));
  const outbox = new OutboxMailer(join(config.dataDir, 'outbox'), config.mailFrom, clock, ids);
  // Signed for this process only: a form or download URL from before a restart is refused, as an expired one. The
  // URLs are relative: the browser resolves them against the origin it loaded the page from (localhost or 127.0.0.1).
  const documents = new FilesystemDocumentStore(join(config.dataDir, 'documents'), {
    uploadUrl: LOCAL_UPLOAD_PATH,
    downloadUrl: LOCAL_DOWNLOAD_PATH,
    signingSecret: randomUUID(),
    now: () => clock.now(),
  });
  // The runner serves the workflow's tasks with the same handlers the Lambdas run; they need deps, deps need it.
  let stepDeps: AppDeps | null = null;
  const executions = new DynamoExecutionStore(documentClient, config.tableName, writer);
  const workflow = new LocalWorkflowRunner(
    loadAssessmentDefinition(),
    {
      step: (payload) => runWorkflowStep(stepDeps!, payload as WorkflowStepEvent),
      analyze: (payload) => analyzeEvidence(stepDeps!, payload as AnalyzeEvidenceEvent),
    },
    { analyzerStates: [WORKFLOW_STATES.analyzeDocument], executions, now: () => clock.now(), onExecutionFailed: (id, error) => console.error(`Workflow execution ${id} failed:`, error) },
  );
  const deps: AppDeps = {
    vendors: repository,
    assessments,
    register: new DynamoRiskRegister(documentClient, config.tableName, writer),
    registerExports: new DynamoRegisterExports(documentClient, config.tableName, writer),
    inlineCsvMaxBytes: null,
    workflow,
    sweepSchedule: new DynamoSweepSchedule(documentClient, config.tableName, writer),
    workflowSettings: config.workflow,
    portalTokens: cryptoPortalTokens,
    textExtractor: options.textExtractor ?? withOcr(createIsolatedPdfTextExtractor()),
    documentInspector: createPdfInspector(createIsolatedPdfTextExtractor()),
    maxUploadBytes: config.maxUploadBytes,
    auditLog: repository,
    auditVerifier: auditVerifier,
    auditVerifications: auditVerifier,
    jobs: inProcessJobs(background, () => deps),
    idempotency: new DynamoIdempotencyStore(documentClient, config.tableName),
    // Tests of the S3 adapter put it here (against s3rver); then S3's own endpoints replace the local ones.
    ...(options.documents ? { documents: options.documents } : { documents, localObjects: documents }),
    mailer: outbox,
    outbox,
    tokens,
    localSignIn: (role) => tokens.issueToken({ role, email: `${role}@trustgate.local`, expiresInSeconds: 8 * 3600, now: clock.now() }),
    clock,
    ids,
    mode: 'local',
    publicBaseUrl: config.publicBaseUrl,
  };
  stepDeps = deps;
  // Every execution unfinished when the last process stopped (however it stopped) goes on from the state it was in.
  await workflow.resume(await assessments.listPendingTasks());
  return {
    deps,
    tokens,
    workflow,
    executions,
    dynamoEndpoint: dynamo.endpoint,
    close: async () => {
      await background.idle();
      await workflow.close();
      await dynamo.close();
    },
  };
}

