/**
 * Bulk load of a whole portfolio through BatchWriteItem (25 items a call, several calls in flight): for the scale
 * benchmark and for seeding large demos, never for changes of a live record (no conditions, no atomic batches).
 * Items have exactly the shapes the repositories write; the portfolio counts are summed as lines go in and written
 * by `flushCounts`.
 */
import { BatchWriteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Assessment } from '../../domain/assessment.ts';
import type { AuditEvent } from '../../domain/audit.ts';
import { countsAfter, emptyCounts, type RegisterCounts, type RegisterLine } from '../../domain/risk-register.ts';
import type { ReviewSchedule } from '../../domain/review-schedule.ts';
import type { Vendor } from '../../domain/vendor.ts';
import { chain } from './audit-chain.ts';
import { assessmentItem } from './dynamo-assessment-repository.ts';
import { auditCheckpointItem, auditVerifiedThroughItem } from './dynamo-audit-verifier.ts';
import { vendorItem } from './dynamo-repository.ts';
import { reviewScheduleItem } from './dynamo-sweep-schedule.ts';
import { keys } from './keys.ts';
import { countsItems, countsShardOf, REGISTER_COUNT_SHARDS, registerLineItem } from './register-items.ts';

type Item = Record<string, unknown>;

/**
 * One vendor as loaded: the vendor, its register line, its assessments, the audit events of each target in order, and
 * the review schedule of its latest decision (none when no review is scheduled).
 */
export interface PortfolioEntry {
  vendor: Vendor;
  line: RegisterLine;
  assessments: Assessment[];
  events: AuditEvent[];
  schedule: ReviewSchedule | null;
}

/** How the loaded trail was verified: every chain checkpointed at its head at `at`, as a verification run would leave it. */
export interface LoadOptions {
  verifiedAt?: string;
}

export class DynamoBulkLoader {
  private readonly counts: RegisterCounts[] = Array.from({ length: REGISTER_COUNT_SHARDS }, emptyCounts);
  private countsVersion = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly parallel = 4,
  ) {}

  /** Writes the entries' items; returns how many. */
  async load(entries: PortfolioEntry[], options: LoadOptions = {}): Promise<number> {
    const items: Item[] = [];
    for (const e of entries) {
      items.push(vendorItem(e.vendor), { ...keys.vendorNameClaim(e.vendor.name), vendorId: e.vendor.id }, registerLineItem(e.line, 1));
      for (const a of e.assessments) items.push(assessmentItem(a));
      if (e.schedule) items.push(reviewScheduleItem(e.schedule));
      const heads = new Map<string, { seq: number; hash: string }>();
      for (const event of e.events) {
        const key = `${event.target.type}#${event.target.id}`;
        const chained = chain(event, heads.get(key) ?? null);
        heads.set(key, { seq: chained.seq, hash: chained.hash });
        items.push({ ...keys.auditEvent(event.target, chained.seq, event.at, event.id), entity: 'audit', data: chained });
      }
      for (const [key, head] of heads) {
        const [type, id] = key.split('#') as [AuditEvent['target']['type'], string];
        items.push({ ...keys.auditHead({ type, id }), entity: 'audit-head', seq: head.seq, hash: head.hash, target: { type, id } });
        if (options.verifiedAt) items.push(auditCheckpointItem({ type, id }, head, options.verifiedAt));
      }
      const shard = countsShardOf(e.vendor.id);
      this.counts[shard] = countsAfter(this.counts[shard]!, null, e.line);
    }
    const batches: Item[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: this.parallel }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = { [this.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
          while (request && Object.keys(request).length) request = (await this.client.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
        }
      }),
    );
    if (options.verifiedAt) await this.client.send(new PutCommand({ TableName: this.tableName, Item: auditVerifiedThroughItem(options.verifiedAt) }));
    return items.length;
  }

  /**
   * Writes the portfolio counts of everything loaded so far: each shard's summary and its months' review dates are
   * replaced (counts only grow while loading, so no month item of an earlier flush is left behind).
   */
  async flushCounts(): Promise<void> {
    this.countsVersion++;
    const items = this.counts.flatMap((c, shard) => countsItems(shard, c, this.countsVersion));
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = { [this.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) request = (await this.client.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
    }
  }
}
