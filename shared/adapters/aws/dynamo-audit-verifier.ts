/**
 * Audit verification with checkpoints (issue 15, item 3). A checkpoint per chain holds the last verified sequence
 * number and that event's hash; the chain must still reproduce it. The incremental pass finds the chains that grew from
 * the events of each day since the last run (gsi1 `AUDIT#<day>`), so its cost follows the events appended, not the
 * size of the trail. Verification jobs (the API's asynchronous runs) live here too.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../domain/assessment.ts';
import type { AuditEvent, AuditTarget } from '../../domain/audit.ts';
import { AUDIT_VERIFICATION_JOB_SCHEMA_VERSION, auditVerificationJobSchema } from '../../domain/audit-verification.ts';
import { ConcurrentUpdateError, ConflictError } from '../../domain/errors.ts';
import type { AuditVerification, AuditVerificationJob, AuditVerificationJobs, AuditVerificationMode, AuditVerifier } from '../../ports/audit-log.ts';
import { GENESIS_HASH, verifyChain, verifyCheckpoint, type ChainedAuditEvent } from './audit-chain.ts';
import { DynamoTable, type Item } from './dynamo-table.ts';
import { keys } from './keys.ts';
import { readStored, StoredItemInvalidError } from './stored-item.ts';
import { z } from 'zod';

/** Events are read from this long before the last run began: an append whose event was stamped before it committed. */
export const INCREMENTAL_OVERLAP_MS = 10 * 60_000;

interface Link {
  seq: number;
  hash: string;
}

/** A chain verified through `head` at `at`: the next incremental pass starts after it. */
export function auditCheckpointItem(target: AuditTarget, head: Link, at: string): Item {
  return { ...keys.auditCheckpoint(target), entity: 'audit-checkpoint', schemaVersion: AUDIT_CHECKPOINT_SCHEMA_VERSION, seq: head.seq, hash: head.hash, verifiedAt: at };
}

/** When the last verification began: the next incremental pass reads the events stamped since (less the overlap). */
export function auditVerifiedThroughItem(at: string): Item {
  return { ...keys.auditVerifiedThrough(), entity: 'audit-verified-through', at };
}

const AUDIT_CHECKPOINT_SCHEMA_VERSION = 1;

const checkpointSchema = z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });
/** A chain's checkpoint as stored (its fields beside the key; written before it carried a version: version 1). */
function readCheckpoint(item: Item): Link {
  const key = `${String(item.pk)}/${String(item.sk)}`;
  if (item.entity !== 'audit-checkpoint') throw new StoredItemInvalidError('audit-checkpoint', key, `entity is ${String(item.entity)}`);
  if ((item.schemaVersion ?? 1) !== AUDIT_CHECKPOINT_SCHEMA_VERSION) throw new StoredItemInvalidError('audit-checkpoint', key, `schemaVersion ${String(item.schemaVersion)}`);
  const parsed = checkpointSchema.safeParse({ seq: item.seq, hash: item.hash });
  if (!parsed.success) throw new StoredItemInvalidError('audit-checkpoint', key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}


export class DynamoAuditVerifier extends DynamoTable implements AuditVerifier, AuditVerificationJobs {
  async verifyAuditTrail(): Promise<AuditVerification> {
    const result: AuditVerification = { chains: 0, events: 0, problems: [] };
    for await (const head of this.allHeads()) {
      const events = await this.eventsBetween(head.target, 0, head.seq);
      result.chains++;
      result.events += events.length;
      for (const problem of verifyChain(events, head)) result.problems.push({ target: head.target, ...problem });
    }
    return result;
  }

  async verifyWithCheckpoints(mode: AuditVerificationMode, at: string): Promise<AuditVerification> {
    const result: AuditVerification = { chains: 0, events: 0, problems: [] };
    const through = (await this.getItem(keys.auditVerifiedThrough()))?.at as string | undefined;
    // The first incremental run has nothing to start from: it is a full one.
    const heads = mode === 'full' || !through ? this.allHeads() : this.headsOfChainsGrownSince(new Date(Date.parse(through) - INCREMENTAL_OVERLAP_MS).toISOString(), at);
    for await (const head of heads) {
      const checked = await this.verifyChainFrom(head, mode === 'full' || !through ? 'full' : 'incremental');
      result.chains++;
      result.events += checked.events;
      for (const problem of checked.problems) result.problems.push({ target: head.target, ...problem });
      if (checked.problems.length === 0) await this.putItem(auditCheckpointItem(head.target, head, at));
    }
    await this.putItem(auditVerifiedThroughItem(at));
    return result;
  }

  /** One chain: its checkpoint against the event it names, then the events after it (or all of them) to the head. */
  private async verifyChainFrom(head: Link & { target: AuditTarget }, mode: AuditVerificationMode): Promise<{ events: number; problems: ReturnType<typeof verifyChain> }> {
    const checkpointItem = await this.getItem(keys.auditCheckpoint(head.target));
    const checkpoint = checkpointItem ? readCheckpoint(checkpointItem) : null;
    const problems: ReturnType<typeof verifyChain> = [];
    if (checkpoint) {
      const event = (await this.getItem(keys.auditEventAt(head.target, checkpoint.seq)))?.data as ChainedAuditEvent | undefined;
      problems.push(...verifyCheckpoint(checkpoint, event ?? null, head));
    }
    const from: Link = mode === 'incremental' && checkpoint && problems.length === 0 ? checkpoint : { seq: 0, hash: GENESIS_HASH };
    const events = head.seq > from.seq ? await this.eventsBetween(head.target, from.seq, head.seq) : [];
    // A head behind its checkpoint was reported as truncated above; the events up to it are still checked.
    problems.push(...verifyChain(events, head, from));
    return { events: events.length, problems };
  }

  /** The heads of the chains with an event stamped from `fromAt` on: read day by day from gsi1. */
  private async *headsOfChainsGrownSince(fromAt: string, toAt: string): AsyncGenerator<Link & { target: AuditTarget }> {
    const seen = new Set<string>();
    for (let day = fromAt.slice(0, 10); day <= toAt.slice(0, 10); day = addDays(day, 1)) {
      const index = keys.auditEventsOfDay(day, fromAt);
      const items = await this.queryAll({
        TableName: this.tableName,
        IndexName: index.index,
        KeyConditionExpression: '#pk = :pk AND #sk >= :from',
        ExpressionAttributeNames: { '#pk': index.pkName, '#sk': index.skName },
        ExpressionAttributeValues: { ':pk': index.pk, ':from': index.fromSk },
      });
      for (const item of items) {
        const target = (item.data as AuditEvent).target;
        const id = `${target.type}#${target.id}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const head = await this.getItem(keys.auditHead(target));
        if (head) yield { target, seq: head.seq as number, hash: head.hash as string };
      }
    }
  }

  private async *allHeads(): AsyncGenerator<Link & { target: AuditTarget }> {
    const heads = keys.allAuditHeads();
    let start: Record<string, unknown> | undefined;
    do {
      const from = start;
      const page = await this.call(() =>
        this.client.send(new QueryCommand({ TableName: this.tableName, IndexName: heads.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': heads.pkName }, ExpressionAttributeValues: { ':pk': heads.pk }, ...(from ? { ExclusiveStartKey: from } : {}) })),
      );
      for (const head of page.Items ?? []) yield { target: head.target as AuditTarget, seq: head.seq as number, hash: head.hash as string };
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /**
   * A target's events after `afterSeq` through `throughSeq`. Only what the head vouches for: events after it are being
   * appended right now (their batch may still fail and take them back) and are checked by the next verification.
   */
  private async eventsBetween(target: AuditTarget, afterSeq: number, throughSeq: number): Promise<ChainedAuditEvent[]> {
    const range = keys.auditEventsBetween(target, afterSeq, throughSeq);
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :last',
      ExpressionAttributeValues: { ':pk': range.pk, ':after': range.afterSk, ':last': range.lastSk },
      ConsistentRead: true,
    });
    // BETWEEN includes the event at `afterSeq` (verified before, or no event at 0).
    return items.map((i) => i.data as ChainedAuditEvent).filter((e) => e.seq !== afterSeq || afterSeq === 0);
  }

  async insertJob(job: AuditVerificationJob, event: AuditEvent): Promise<void> {
    await this.atomically([{ kind: 'put', item: this.jobItem(job), condition: { expression: 'attribute_not_exists(pk)' } }], () => new ConflictError(`Verification ${job.id} already exists`), event);
  }

  async getJob(id: string): Promise<AuditVerificationJob | null> {
    const item = await this.getItem(keys.auditVerificationJob(id));
    return item ? readStored(item, 'audit-verification', auditVerificationJobSchema, AUDIT_VERIFICATION_JOB_SCHEMA_VERSION, 1) : null;
  }

  async replaceJob(job: AuditVerificationJob, expectedVersion: number, event: AuditEvent): Promise<void> {
    await this.atomically(
      [{ kind: 'put', item: this.jobItem(job), condition: { expression: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expectedVersion } } }],
      () => new ConcurrentUpdateError('Audit verification', job.id),
      event,
    );
  }

  private jobItem(job: AuditVerificationJob): Item {
    return { ...keys.auditVerificationJob(job.id), entity: 'audit-verification', schemaVersion: AUDIT_VERIFICATION_JOB_SCHEMA_VERSION, version: job.version, data: job };
  }

  private async getItem(key: { pk: string; sk: string }): Promise<Item | undefined> {
    return (await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true })))).Item;
  }

  private async putItem(item: Item): Promise<void> {
    await this.call(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: item })));
  }

  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const from = start;
      const out = await this.call(() => this.client.send(new QueryCommand({ ...input, ...(from ? { ExclusiveStartKey: from } : {}) })));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
