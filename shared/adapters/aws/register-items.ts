/**
 * The stored form of the risk register: a line item per vendor (beside the vendor, on the register views) and
 * the sharded portfolio counts. Every item carries `schemaVersion` and is validated when read back (stored-item.ts).
 */
import { createHash } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  REGISTER_COUNTS_SCHEMA_VERSION,
  REGISTER_SCHEMA_VERSION,
  countsAfter,
  countsChange,
  daysPlus,
  emptyCounts,
  emptySummary,
  registerCountsSchema,
  registerCountsSummarySchema,
  registerLineSchema,
  reviewDaysSchema,
  storedCountsOf,
  summaryIsEmpty,
  summaryPlus,
  type RegisterCounts,
  type RegisterCountsSummary,
  type RegisterLine,
  type ReviewDays,
} from '../../domain/risk-register.ts';
import type { WriteOp } from './atomic-writer.ts';
import { fourthPartyOps } from './fourth-party-items.ts';
import { keys } from './keys.ts';
import { readStored } from './stored-item.ts';

type Item = Record<string, unknown>;

/** Shards of the portfolio counts: concurrent changes of different vendors rarely write the same one. */
export const REGISTER_COUNT_SHARDS = 8;

export const countsShardOf = (vendorId: string) => createHash('sha256').update(vendorId).digest()[0]! % REGISTER_COUNT_SHARDS;


export function registerLineItem(line: RegisterLine, version: number): Item {
  return { ...keys.registerLine(line.vendorId), ...keys.registerLineIndexes(line), entity: 'register-line', schemaVersion: REGISTER_SCHEMA_VERSION, version, data: line };
}

export const readRegisterLine = (item: Item): RegisterLine => readStored(item, 'register-line', registerLineSchema, REGISTER_SCHEMA_VERSION);

export function countsShardItem(shard: number, summary: RegisterCountsSummary, version: number): Item {
  return { ...keys.registerCountsShard(shard), entity: 'register-counts', schemaVersion: REGISTER_COUNTS_SCHEMA_VERSION, version, data: summary };
}

export function reviewDaysItem(shard: number, days: ReviewDays, version: number): Item {
  return { ...keys.registerReviewDays(shard, days.month), entity: 'register-review-days', schemaVersion: REGISTER_COUNTS_SCHEMA_VERSION, version, data: days };
}

/**
 * A counts shard as stored: version 2 is a summary (dates per month; `days` is null: they are in their own items),
 * version 1 held every date (its summary derived, its dates returned as `days` by month).
 */
export function readCountsShard(item: Item): { summary: RegisterCountsSummary; days: Record<string, Record<string, number>> | null } {
  if (item.schemaVersion === 1) {
    const stored = storedCountsOf(readStored(item, 'register-counts', registerCountsSchema, 1));
    return { summary: stored.summary, days: stored.days };
  }
  return { summary: readStored(item, 'register-counts', registerCountsSummarySchema, REGISTER_COUNTS_SCHEMA_VERSION), days: null };
}

export const readReviewDays = (item: Item): ReviewDays => readStored(item, 'register-review-days', reviewDaysSchema, REGISTER_COUNTS_SCHEMA_VERSION);

/** Counts as written whole (bulk load, rebuild): the shard's summary item and one item per month in use. */
export function countsItems(shard: number, counts: RegisterCounts, version: number): Item[] {
  const { summary, days } = storedCountsOf(counts);
  return [countsShardItem(shard, summary, version), ...Object.entries(days).map(([month, byDay]) => reviewDaysItem(shard, { month, byDay }, version))];
}

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
  if (countsChange(before, after)) ops.push(...(await countsOps(get, countsShardOf(vendorId), countsAfter(emptyCounts(), before, after))));
  // The providers the vendor joins or leaves, and their counters (fourth parties).
  ops.push(...(await fourthPartyOps(client, tableName, before, after)));
  return ops;
}

/**
 * The writes that add a delta of counts to a shard: its summary when the delta moves it, and each month's dates it
 * touches. A version 1 shard is converted on the way: its summary rewritten and its dates put in month items.
 */
async function countsOps(get: (key: Record<string, string>) => Promise<Item | undefined>, shard: number, delta: RegisterCounts): Promise<WriteOp[]> {
  const ops: WriteOp[] = [];
  const stored = storedCountsOf(delta);
  const shardItem = await get(keys.registerCountsShard(shard));
  const current = shardItem ? readCountsShard(shardItem) : { summary: emptySummary(), days: null };
  const shardVersion = shardItem ? (shardItem.version as number) : 0;
  const converting = current.days !== null;
  if (converting || !summaryIsEmpty(stored.summary)) {
    ops.push({ kind: 'put', item: countsShardItem(shard, summaryPlus(current.summary, stored.summary), shardVersion + 1), condition: shardItem ? versionIs(shardVersion) : isNew });
  }
  const months = new Set([...Object.keys(stored.days), ...Object.keys(current.days ?? {})]);
  for (const month of months) {
    const delta = stored.days[month] ?? {};
    const daysItem = await get(keys.registerReviewDays(shard, month));
    // While converting, the version 1 shard's dates are the month's (a month item cannot exist yet).
    const base = daysItem ? readReviewDays(daysItem).byDay : (current.days?.[month] ?? {});
    const version = daysItem ? (daysItem.version as number) : 0;
    ops.push({ kind: 'put', item: reviewDaysItem(shard, { month, byDay: daysPlus(base, delta) }, version + 1), condition: daysItem ? versionIs(version) : isNew });
  }
  return ops;
}
