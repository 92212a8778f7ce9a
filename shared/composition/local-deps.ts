/**
 * Composition root for a laptop: dynalite in-process, documents and outbox on disk, locally signed tokens.
 * The only place (with aws-deps.ts) where adapters are constructed.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CompensatingAtomicWriter } from '../adapters/aws/atomic-writer.ts';
import { DynamoRepository } from '../adapters/aws/dynamo-repository.ts';
import { LocalTokenService } from '../adapters/auth/local-token-service.ts';
import { FilesystemDocumentStore } from '../adapters/local/filesystem-document-store.ts';
import { OutboxMailer } from '../adapters/local/outbox-mailer.ts';
import type { AppDeps } from '../app/deps.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';
import type { LocalConfig } from './config.ts';
import { startEmbeddedDynamo } from './embedded-dynamo.ts';

export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: IdGenerator = { newId: () => randomUUID() };

export interface LocalStack {
  deps: AppDeps;
  tokens: LocalTokenService;
  dynamoEndpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the embedded components and wires the adapters. `persist: false` keeps DynamoDB in memory
 * (tests); documents, outbox and signing key always live under `config.dataDir`.
 */
export async function startLocalStack(config: LocalConfig, options: { persist?: boolean; clock?: Clock; ids?: IdGenerator } = {}): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidIds;
  const dynamo = await startEmbeddedDynamo({ tableName: config.tableName, ...(options.persist === false ? {} : { path: join(config.dataDir, 'dynamodb') }) });
  const documentClient = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const repository = new DynamoRepository(documentClient, config.tableName, new CompensatingAtomicWriter(documentClient, config.tableName));
  const tokens = await LocalTokenService.fromKeyFile(localSigningKeyFile(config));
  const outbox = new OutboxMailer(join(config.dataDir, 'outbox'), config.mailFrom, clock, ids);
  const documents = new FilesystemDocumentStore(join(config.dataDir, 'documents'), {
    uploadBaseUrl: `${config.publicBaseUrl}/api/local-uploads`,
    signingSecret: randomUUID(),
  });
  const deps: AppDeps = {
    vendors: repository,
    auditLog: repository,
    documents,
    mailer: outbox,
    outbox,
    tokens,
    clock,
    ids,
    mode: 'local',
    publicBaseUrl: config.publicBaseUrl,
  };
  return { deps, tokens, dynamoEndpoint: dynamo.endpoint, close: () => dynamo.close() };
}

export const localSigningKeyFile = (config: Pick<LocalConfig, 'dataDir'>) => join(config.dataDir, 'local-signing-key');
