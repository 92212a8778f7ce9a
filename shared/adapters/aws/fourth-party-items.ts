/**
 * The stored form of the fourth parties: one membership item per vendor and provider, and one counters item per
 * provider, both in the provider's partition (`FOURTHPARTY#<provider>`). Written with the register line that moves
 * them (register-items.ts), in the same atomic write; validated when read back like the register's items.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  changesOf,
  countsAfterChange,
  countsMove,
  FOURTH_PARTY_SCHEMA_VERSION,
  fourthPartyCountsSchema,
  fourthPartyMemberSchema,
  type FourthPartyCounts,
  type FourthPartyLine,
  type FourthPartyMember,
} from '../../domain/fourth-parties.ts';
import type { WriteOp } from './atomic-writer.ts';
import { keys } from './keys.ts';
import { readStored } from './stored-item.ts';

type Item = Record<string, unknown>;

export function fourthPartyMemberItem(member: FourthPartyMember): Item {
  return { ...keys.fourthPartyMember(member), entity: 'fourth-party-member', schemaVersion: FOURTH_PARTY_SCHEMA_VERSION, data: member };
}

export const readFourthPartyMember = (item: Item): FourthPartyMember => readStored(item, 'fourth-party-member', fourthPartyMemberSchema, FOURTH_PARTY_SCHEMA_VERSION);

export function fourthPartyCountsItem(counts: FourthPartyCounts, version: number): Item {
  return {
    ...keys.fourthPartyCounts(counts.providerKey),
    ...keys.fourthPartyCountsIndexes({ providerKey: counts.providerKey, vendors: counts.vendors, tier1Vendors: counts.byTier['1'] ?? 0 }),
    entity: 'fourth-party-counts',
    schemaVersion: FOURTH_PARTY_SCHEMA_VERSION,
    version,
    data: counts,
  };
}

export const readFourthPartyCounts = (item: Item): FourthPartyCounts => readStored(item, 'fourth-party-counts', fourthPartyCountsSchema, FOURTH_PARTY_SCHEMA_VERSION);

const versionIs = (expected: number) => ({ expression: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expected } });
const isNew = { expression: 'attribute_not_exists(pk)' };

/**
 * The writes that move a vendor's fourth-party memberships and the providers' counters when its line changes from
 * `before` to `after`. Memberships need no condition of their own: the line's version condition, in the same batch,
 * lets only one change of the vendor through. Counters are conditional on the version read (a lost race is retried
 * with the batch, like the register's count shards).
 */
export async function fourthPartyOps(client: DynamoDBDocumentClient, tableName: string, before: FourthPartyLine | null, after: FourthPartyLine | null): Promise<WriteOp[]> {
  const ops: WriteOp[] = [];
  for (const change of changesOf(before, after)) {
    const oldKey = change.before ? keys.fourthPartyMember(change.before) : null;
    const newKey = change.after ? keys.fourthPartyMember(change.after) : null;
    if (oldKey && (!newKey || oldKey.sk !== newKey.sk)) ops.push({ kind: 'delete', key: oldKey });
    if (change.after) ops.push({ kind: 'put', item: fourthPartyMemberItem(change.after) });
    if (!countsMove(change)) continue;
    const stored = (await client.send(new GetCommand({ TableName: tableName, Key: keys.fourthPartyCounts(change.providerKey), ConsistentRead: true }))).Item;
    const counts = stored ? readFourthPartyCounts(stored) : null;
    const version = stored ? (stored.version as number) : 0;
    const next = countsAfterChange(counts, change);
    if (next) ops.push({ kind: 'put', item: fourthPartyCountsItem(next, version + 1), condition: stored ? versionIs(version) : isNew });
    else if (stored) ops.push({ kind: 'delete', key: keys.fourthPartyCounts(change.providerKey), condition: versionIs(version) });
  }
  return ops;
}
