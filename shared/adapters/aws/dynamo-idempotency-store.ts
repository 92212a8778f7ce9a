/**
 * Idempotency records in the single table, expiring after 24 hours (DynamoDB TTL in AWS). A claim that never
 * finished (the process died) holds the key only for its lease; then a retry claims it afresh.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStart, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { keys } from './keys.ts';
import { TABLE_DESIGN } from './table-design.ts';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a claimed key stays claimed while its request runs: past it, the request is taken to have crashed. */
export const IDEMPOTENCY_LEASE_SECONDS = 120;

const isConditionFailure = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private key(scope: string, key: string) {
    return keys.idempotency(createHash('sha256').update(`${scope}\n${key}`).digest('base64url'));
  }

  async begin(scope: string, key: string, requestHash: string, now: Date): Promise<IdempotencyStart> {
    const k = this.key(scope, key);
    const nowEpoch = Math.floor(now.getTime() / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...k, entity: 'idempotency', state: 'in-progress', requestHash, leaseUntil: nowEpoch + IDEMPOTENCY_LEASE_SECONDS, [TABLE_DESIGN.timeToLiveAttribute]: nowEpoch + IDEMPOTENCY_TTL_SECONDS },
          // An expired record (TTL deletes lazily) counts as absent; so does a claim whose lease ran out unfinished.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now OR (#state = :inProgress AND #lease < :now)',
          ExpressionAttributeNames: { '#ttl': TABLE_DESIGN.timeToLiveAttribute, '#state': 'state', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: { ':now': nowEpoch, ':inProgress': 'in-progress' },
        }),
      );
      return { kind: 'started' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = (await this.client.send(new GetCommand({ TableName: this.tableName, Key: k, ConsistentRead: true }))).Item;
    if (!existing) return this.begin(scope, key, requestHash, now);
    if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
    if (existing.state !== 'done') return { kind: 'in-progress' };
    return { kind: 'replay', response: existing.response as StoredResponse };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.client.send(
      new UpdateCommand({ TableName: this.tableName, Key: this.key(scope, key), UpdateExpression: 'SET #state = :done, #response = :response', ExpressionAttributeNames: { '#state': 'state', '#response': 'response' }, ExpressionAttributeValues: { ':done': 'done', ':response': response } }),
    );
  }

  async abandon(scope: string, key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(scope, key) }));
  }
}
