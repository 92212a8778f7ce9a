/**
 * All-or-nothing writes of several items. In AWS: TransactWriteItems. On dynalite, which has no transactions: a
 * write-ahead intent (the whole batch as one item), then the conditional writes one by one, then the intent deleted;
 * a batch left half-done by a crash is rolled forward or back from its intent (docs/adr/0002-atomic-writes-without-transactions.md).
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { crashPoint } from '../local/crash-points.ts';
import { keys } from './keys.ts';
import { TABLE_DESIGN } from './table-design.ts';

export interface WriteCondition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export type WriteOp =
  | { kind: 'put'; item: Record<string, unknown>; condition?: WriteCondition }
  | { kind: 'delete'; key: Record<string, unknown>; condition?: WriteCondition };

/**
 * Write `failedIndex` could not be made; nothing of the batch remains written. `condition`: its condition did not
 * hold. `contention`: another transaction was changing the item at that moment (DynamoDB's TransactionConflict):
 * trying again is safe.
 */
export class AtomicWriteConflictError extends Error {
  readonly failedIndex: number;
  readonly reason: 'condition' | 'contention';
  constructor(failedIndex: number, reason: 'condition' | 'contention', options?: { cause?: unknown }) {
    super(`${reason === 'condition' ? 'condition of' : 'contention on'} write ${failedIndex}`, options);
    this.name = 'AtomicWriteConflictError';
    this.failedIndex = failedIndex;
    this.reason = reason;
  }
}

/** Writes a batch of items all together or not at all. */
export interface AtomicWriter {
  write(ops: WriteOp[]): Promise<void>;
}

type Item = Record<string, unknown>;

const conditionParams = (c: WriteCondition | undefined) =>
  c
    ? {
        ConditionExpression: c.expression,
        ...(c.names ? { ExpressionAttributeNames: c.names } : {}),
        ...(c.values ? { ExpressionAttributeValues: c.values } : {}),
      }
    : {};

const keyOf = (item: Item) => ({
  [TABLE_DESIGN.partitionKey]: item[TABLE_DESIGN.partitionKey],
  [TABLE_DESIGN.sortKey]: item[TABLE_DESIGN.sortKey],
});

const keyOfOp = (op: WriteOp) => (op.kind === 'put' ? keyOf(op.item) : op.key);

const isConditionFailure = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/** TransactWriteItems: atomic and isolated. For DynamoDB itself. */
export class TransactionAtomicWriter implements AtomicWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(ops: WriteOp[]): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: ops.map((op) =>
            op.kind === 'put'
              ? { Put: { TableName: this.tableName, Item: op.item, ...conditionParams(op.condition) } }
              : { Delete: { TableName: this.tableName, Key: op.key, ...conditionParams(op.condition) } },
          ),
        }),
      );
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      const failed = reasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
      if (failed >= 0) throw new AtomicWriteConflictError(failed, 'condition', { cause: error });
      const contended = reasons?.findIndex((r) => r.Code === 'TransactionConflict') ?? -1;
      if (contended >= 0) throw new AtomicWriteConflictError(contended, 'contention', { cause: error });
      throw error;
    }
  }
}

/** What the intent item holds (gzipped JSON, so that a batch of large items still fits in one item). */
interface Intent {
  batchId: string;
  ops: WriteOp[];
  /** Each op's item as it was before the batch (null: absent). Undo restores it; a write applies only over it. */
  before: (Item | null)[];
}

/** The stamp every item written by a batch carries: which batch wrote it last. */
const TX = '_tx';

/**
 * Crash-safe multi-item writes for dynalite. A batch is (1) read: each item's current version; (2) recorded: the
 * whole batch and those versions as one intent item; (3) applied: each write in order, conditional on its own
 * condition and on the item still being the version read, stamped with the batch id in `_tx`; (4) forgotten: the
 * intent deleted. When a condition fails, the writes already applied are undone in reverse order (each undo only
 * while the item still carries this batch's stamp, so a newer write by someone else is never clobbered) and the
 * intent deleted. An intent that is still there belongs to a batch that stopped half-way: `recoverInterruptedWrites`
 * (at start) and the next write of this process finish it, forward when every remaining condition holds, else back.
 */
export class CompensatingAtomicWriter implements AtomicWriter {
  /** Batches of this process being written, each with a promise that settles when its write ends. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Batches of this process that the store failed in the middle of: finished before the next write. */
  private readonly unfinished = new Set<string>();
  private recovering: Promise<void> | null = null;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async write(ops: WriteOp[]): Promise<void> {
    const batchId = randomUUID();
    let settled!: () => void;
    this.inFlight.set(batchId, new Promise<void>((resolve) => (settled = resolve)));
    try {
      const before = await this.readSettled(ops.map(keyOfOp), batchId);
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.intentItem({ batchId, ops, before }), ConditionExpression: 'attribute_not_exists(pk)' }));
      crashPoint('writer:intent-written');
      await this.complete({ batchId, ops, before }, ops.map(() => false));
    } catch (error) {
      // The store failed mid-way: the intent (if written) stays, and the batch is finished before the next write.
      if (!(error instanceof AtomicWriteConflictError)) this.unfinished.add(batchId);
      throw error;
    } finally {
      this.inFlight.delete(batchId);
      settled();
    }
  }

  /**
   * The items as they are before this batch, once no other unfinished batch of this process has written any of them:
   * a batch never builds on a write that may still be undone (a count incremented over a batch later rolled back
   * would keep its increment). A batch that stamped an item has passed this point, so waits never form a cycle.
   */
  private async readSettled(itemKeys: Item[], batchId: string): Promise<(Item | null)[]> {
    for (;;) {
      if (this.unfinished.size) await this.recoverUnfinished();
      const before = await this.read(itemKeys);
      const busy = before.map((item) => item?.[TX]).find((tx): tx is string => typeof tx === 'string' && tx !== batchId && (this.inFlight.has(tx) || this.unfinished.has(tx)));
      if (busy === undefined) return before;
      await this.inFlight.get(busy);
    }
  }

  /**
   * Finishes every batch whose intent is still stored and that this process is not writing: at start, those are
   * the batches of a process that was killed. Returns how many went forward, how many back, and how many listed
   * intents were discarded: the index listed them but the table did not hold them (dynalite writes an item's index
   * entries before the item and removes them before the item, so a kill in between leaves an entry without its
   * intent; such a batch never began its writes, or had finished them). Only the table's own copy is trusted.
   */
  async recoverInterruptedWrites(): Promise<{ rolledForward: number; rolledBack: number; discarded: number }> {
    const counts = { rolledForward: 0, rolledBack: 0, discarded: 0 };
    const index = keys.allWriteIntents();
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ TableName: this.tableName, IndexName: index.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': index.pkName }, ExpressionAttributeValues: { ':pk': index.pk }, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const listed of page.Items ?? []) {
        const batchId = this.decodeIntent(listed).batchId;
        if (this.inFlight.has(batchId)) continue;
        const stored = (await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.writeIntent(batchId), ConsistentRead: true }))).Item;
        // The entry itself is removed by the index repair of the start (local-index-repair.ts), not here.
        if (!stored) counts.discarded++;
        else if ((await this.recover(this.decodeIntent(stored))) === 'forward') counts.rolledForward++;
        else counts.rolledBack++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return counts;
  }

  private recoverUnfinished(): Promise<void> {
    // One recovery at a time: two finishing the same batch would undo each other's progress.
    this.recovering ??= (async () => {
      try {
        for (const batchId of [...this.unfinished]) {
          const item = (await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.writeIntent(batchId), ConsistentRead: true }))).Item;
          if (item) await this.recover(this.decodeIntent(item));
          this.unfinished.delete(batchId);
        }
      } finally {
        this.recovering = null;
      }
    })();
    return this.recovering;
  }

  private async recover(intent: Intent): Promise<'forward' | 'back'> {
    const current = await this.read(intent.ops.map(keyOfOp));
    const applied = intent.ops.map((op, i) => (op.kind === 'put' ? current[i]?.[TX] === intent.batchId : intent.before[i] !== null && current[i] === null));
    try {
      await this.complete(intent, applied);
      return 'forward';
    } catch (error) {
      if (error instanceof AtomicWriteConflictError) return 'back';
      throw error;
    }
  }

  /**
   * Applies, in order, the writes of the batch not yet applied; when one's condition fails, undoes the applied ones
   * (newest first). Then deletes the intent. Any other error leaves the intent for recovery.
   */
  private async complete(intent: Intent, applied: boolean[]): Promise<void> {
    let failed: { index: number; cause: unknown } | null = null;
    for (const [index, op] of intent.ops.entries()) {
      if (applied[index]) continue;
      try {
        await this.apply(intent.batchId, op, intent.before[index] ?? null);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        failed = { index, cause: error };
        break;
      }
      applied[index] = true;
      crashPoint('writer:op-applied');
    }
    if (failed) {
      for (let index = intent.ops.length - 1; index >= 0; index--) {
        if (!applied[index]) continue;
        await this.undo(intent.batchId, intent.ops[index]!, intent.before[index] ?? null);
        crashPoint('writer:op-undone');
      }
    }
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.writeIntent(intent.batchId) }));
    crashPoint('writer:intent-deleted');
    if (failed) throw new AtomicWriteConflictError(failed.index, 'condition', { cause: failed.cause });
  }

  private async apply(batchId: string, op: WriteOp, before: Item | null): Promise<void> {
    // Only over the version read before the intent was written: an undo can then restore it without losing anything.
    const unchanged = before === null ? 'attribute_not_exists(#_txk)' : before[TX] === undefined ? 'attribute_not_exists(#_tx)' : '#_tx = :_txBefore';
    const names: Record<string, string> = { ...(op.condition?.names ?? {}), ...(before === null ? { '#_txk': TABLE_DESIGN.partitionKey } : { '#_tx': TX }) };
    const values: Record<string, unknown> = { ...(op.condition?.values ?? {}), ...(before !== null && before[TX] !== undefined ? { ':_txBefore': before[TX] } : {}) };
    const condition = {
      ConditionExpression: op.condition ? `(${op.condition.expression}) AND ${unchanged}` : unchanged,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    };
    if (op.kind === 'put') await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...op.item, [TX]: batchId }, ...condition }));
    else await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: op.key, ...condition }));
  }

  private async undo(batchId: string, op: WriteOp, before: Item | null): Promise<void> {
    const ours = { ConditionExpression: '#_tx = :_tx', ExpressionAttributeNames: { '#_tx': TX }, ExpressionAttributeValues: { ':_tx': batchId } };
    try {
      if (op.kind === 'put' && before) await this.client.send(new PutCommand({ TableName: this.tableName, Item: before, ...ours }));
      else if (op.kind === 'put') await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(op.item), ...ours }));
      else if (before) await this.client.send(new PutCommand({ TableName: this.tableName, Item: before, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': TABLE_DESIGN.partitionKey } }));
    } catch (error) {
      // Someone changed the item after this batch wrote it: their write wins and is left alone.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async read(itemKeys: Item[]): Promise<(Item | null)[]> {
    return Promise.all(itemKeys.map(async (Key) => (await this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }))).Item ?? null));
  }

  private intentItem(intent: Intent): Item {
    return {
      ...keys.writeIntent(intent.batchId),
      ...keys.writeIntentIndexes(intent.batchId, this.now().toISOString()),
      entity: 'write-intent',
      batch: gzipSync(JSON.stringify(intent)),
    };
  }

  private decodeIntent(item: Item): Intent {
    return JSON.parse(gunzipSync(item.batch as Uint8Array).toString('utf8')) as Intent;
  }
}
