/**
 * The stored form of the risk register: a line item per vendor (beside the vendor, on the register views) and
 * the sharded portfolio counts. Every item carries `schemaVersion` and is validated when read back, so a renamed
 * or missing field fails loudly (`stored-item-invalid`) instead of reading `undefined`.
 */
import { createHash } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { TrustgateError } from '../../domain/errors.ts';
import {
  REGISTER_SCHEMA_VERSION,
  countsAfter,
  countsChange,
  emptyCounts,
  registerCountsSchema,
  registerLineSchema,
  type RegisterCounts,
  type RegisterLine,
} from '../../domain/risk-register.ts';
import type { WriteOp } from './atomic-writer.ts';
import { fourthPartyOps } from './fourth-party-items.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

/** Shards of the portfolio counts: concurrent changes of different vendors rarely write the same one. */
export const REGISTER_COUNT_SHARDS = 8;

export const countsShardOf = (vendorId: string) => createHash('sha256').update(vendorId).digest()[0]! % REGISTER_COUNT_SHARDS;

/** An item read back from the table does not match its schema (a renamed field, an unknown version). */
export class StoredItemInvalidError extends TrustgateError {
  constructor(entity: string, key: string, problem: string) {
    super('stored-item-invalid', `Stored ${entity} ${key} does not match its schema: ${problem}`);
    this.name = 'StoredItemInvalidError';
  }
}

/**
 * The `data` of a stored item, checked against the schema of its entity and version. `unversionedAs`: the version of
 * items written before the entity stored one (absent: every item must carry its version).
 */
export function readStored<S extends z.ZodType>(item: Item, entity: string, schema: S, version = REGISTER_SCHEMA_VERSION, unversionedAs?: number): z.infer<S> {
  const key = `${String(item.pk)}/${String(item.sk)}`;
  if (item.entity !== entity) throw new StoredItemInvalidError(entity, key, `entity is ${String(item.entity)}`);
  const stored = item.schemaVersion ?? unversionedAs;
  if (stored !== version) throw new StoredItemInvalidError(entity, key, `schemaVersion ${String(item.schemaVersion)}, this code reads ${version}`);
  const parsed = schema.safeParse(item.data);
  if (!parsed.success) throw new StoredItemInvalidError(entity, key, parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; '));
  return parsed.data;
}

export function registerLineItem(line: RegisterLine, version: number): Item {
  return { ...keys.registerLine(line.vendorId), ...keys.registerLineIndexes(line), entity: 'register-line', schemaVersion: REGISTER_SCHEMA_VERSION, version, data: line };
}

export const readRegisterLine = (item: Item): RegisterLine => readStored(item, 'register-line', registerLineSchema);

export function countsShardItem(shard: number, counts: RegisterCounts, version: number): Item {
  return { ...keys.registerCountsShard(shard), entity: 'register-counts', schemaVersion: REGISTER_SCHEMA_VERSION, version, data: counts };
}

export const readCounts = (item: Item): RegisterCounts => readStored(item, 'register-counts', registerCountsSchema);

const versionIs = (expected: number) => ({ expression: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expected } });
const isNew = { expression: 'attribute_not_exists(pk)' };

/**
 * The writes that keep a vendor's register line, its counts shard and its fourth-party memberships current, for the same atomic write as the
 * change that moves them. Read fresh on every attempt: a lost race on the line or the shard is retried with the
 * audit append (dynamo-table.ts), never reported as the caller's conflict.
 */
export async function registerOps(client: DynamoDBDocumentClient, tableName: string, vendorId: string, change: (line: RegisterLine | null) => RegisterLine | null): Promise<WriteOp[]> {
  const get = async (key: Record<string, string>) => (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const stored = await get(keys.registerLine(vendorId));
  const before = stored ? readRegisterLine(stored) : null;
  const after = change(before);
  if (!after || (before && JSON.stringify(after) === JSON.stringify(before))) return [];
  const version = stored ? (stored.version as number) : 0;
  const ops: WriteOp[] = [{ kind: 'put', item: registerLineItem(after, version + 1), condition: stored ? versionIs(version) : isNew }];
  if (countsChange(before, after)) {
    const shard = countsShardOf(vendorId);
    const shardItem = await get(keys.registerCountsShard(shard));
    const counts = shardItem ? readCounts(shardItem) : emptyCounts();
    const shardVersion = shardItem ? (shardItem.version as number) : 0;
    ops.push({ kind: 'put', item: countsShardItem(shard, countsAfter(counts, before, after), shardVersion + 1), condition: shardItem ? versionIs(shardVersion) : isNew });
  }
  // The providers the vendor joins or leaves, and their counters (fourth parties).
  ops.push(...(await fourthPartyOps(client, tableName, before, after)));
  return ops;
}
