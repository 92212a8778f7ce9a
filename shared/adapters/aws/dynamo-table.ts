/** What every repository of the table shares: the client, paging, atomic writes, error translation. */
import { takeTurns } from '../../app/take-turns.ts';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { chain } from './audit-chain.ts';
import type { AuditEvent } from '../../domain/audit.ts';
import { ConcurrentUpdateError, TrustgateError, ValidationError } from '../../domain/errors.ts';
import { AtomicWriteConflictError, type AtomicWriter, type WriteOp } from './atomic-writer.ts';
import { AUDIT_APPEND_ATTEMPTS, auditAppendBackoff } from './audit-append-retry.ts';
import { keys } from './keys.ts';

/** The store could not be reached or answered with an unexpected error. */
export class StorageUnavailableError extends TrustgateError {
  constructor(options?: { cause?: unknown }) {
    super('storage-unavailable', 'The data store is not available right now; try again', options);
    this.name = 'StorageUnavailableError';
  }
}

export type Item = Record<string, unknown>;

const encodeCursor = (key: Item) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

function decodeCursor(cursor: string, allowedKeys: string[]): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.entries(key).every(([k, v]) => allowedKeys.includes(k) && typeof v === 'string' && v.length > 0 && v.length <= 1024) &&
      Object.keys(key).length === allowedKeys.length
    ) {
      return key as Item;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

const invalidCursor = () => new ValidationError('The cursor is not valid for this list', [{ path: 'cursor', message: 'pass back the nextCursor of the previous page unchanged' }], 'invalid-cursor');

export abstract class DynamoTable {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
    protected readonly writer: AtomicWriter,
  ) {}

  /** The two writes that append `event` to its target's hash chain: the event and the moved head. */
  private async auditOps(event: AuditEvent): Promise<{ event: WriteOp; head: WriteOp }> {
    const headKey = keys.auditHead(event.target);
    const head = (await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: headKey.pk, sk: headKey.sk }, ConsistentRead: true })))).Item as
      | { seq: number; hash: string }
      | undefined;
    const chained = chain(event, head ? { seq: head.seq, hash: head.hash } : null);
    return {
      event: { kind: 'put', item: { ...keys.auditEvent(event.target, chained.seq, event.at, event.id), entity: 'audit', data: chained }, condition: { expression: 'attribute_not_exists(pk)' } },
      head: {
        kind: 'put',
        item: { ...headKey, entity: 'audit-head', seq: chained.seq, hash: chained.hash, target: event.target },
        condition: head ? { expression: '#seq = :seq', names: { '#seq': 'seq' }, values: { ':seq': head.seq } } : { expression: 'attribute_not_exists(pk)' },
      },
    };
  }

  /**
   * One page of a query whose FilterExpression may drop items: reads on until it holds one item more than the page
   * (which proves there is a next page) or the query ends.
   */
  protected async queryPage(input: QueryCommandInput, page: { limit: number; cursor?: string }, cursorKeys: string[]): Promise<{ items: Item[]; nextCursor: string | null }> {
    const want = page.limit + 1;
    const items: Item[] = [];
    let startKey = page.cursor ? decodeCursor(page.cursor, cursorKeys) : undefined;
    let exhausted = false;
    let more = false;
    while (items.length < want && !exhausted) {
      const from = startKey;
      const out = await this.call(async () => {
        try {
          return await this.client.send(new QueryCommand({ ...input, Limit: Math.max(want - items.length, 25), ...(from ? { ExclusiveStartKey: from } : {}) }));
        } catch (error) {
          // A cursor from another list (or made up) is outside this query's key range.
          if (from && (error as { name?: string }).name === 'ValidationException') throw invalidCursor();
          throw error;
        }
      });
      for (const item of out.Items ?? []) {
        if (items.length < want) items.push(item);
        else more = true;
      }
      startKey = out.LastEvaluatedKey;
      exhausted = !startKey;
    }
    if (items.length > page.limit) {
      more = true;
      items.length = page.limit;
    }
    const last = items.at(-1);
    return { items, nextCursor: more && last ? encodeCursor(Object.fromEntries(cursorKeys.map((k) => [k, last[k]]))) : null };
  }

  /**
   * Writes `ops`, the records `derived` from them (recomputed on each attempt) and the audit event of the change all
   * together. A failed condition of one of `ops` becomes
   * `conflict(index)`. A concurrent append to the same audit chain changed nothing of `ops`: the event is chained
   * again onto the new head and the write tried again (audit-append-retry.ts); only when that budget is spent does it
   * become ConcurrentUpdateError.
   *
   * The change goes first (a stale version fails before anything is written: the common conflict, as appends from
   * this process take turns), then the event, and the head last: it moves only once everything else is written, so
   * the events up to a head are final (what audit verification relies on).
   */
  protected async atomically(ops: WriteOp[], conflict: (failedIndex: number) => Error, event: AuditEvent, derived?: () => Promise<WriteOp[]>): Promise<void> {
    // Appends to one audit chain from this process take turns (keyed by table and target): concurrent changes of one
    // assessment never collide with each other here, and the retries only absorb other processes (Lambdas).
    await takeTurns(`audit:${this.tableName}\n${event.target.type}#${event.target.id}`, () => this.appendWith(ops, conflict, event, derived));
  }

  private async appendWith(ops: WriteOp[], conflict: (failedIndex: number) => Error, event: AuditEvent, derived?: () => Promise<WriteOp[]>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      // Derived records (the register line and counts) are computed afresh on every attempt: like the chain, a lost
      // race on them changed nothing of `ops` and is retried.
      const extra = derived ? await this.call(derived) : [];
      const audit = await this.auditOps(event);
      try {
        await this.writer.write([...ops, ...extra, audit.event, audit.head]);
        return;
      } catch (error) {
        if (!(error instanceof AtomicWriteConflictError)) throw error instanceof TrustgateError ? error : new StorageUnavailableError({ cause: error });
        const onChain = error.failedIndex >= ops.length;
        if (!onChain && error.reason === 'condition') throw conflict(error.failedIndex);
        if (attempt >= AUDIT_APPEND_ATTEMPTS) throw new ConcurrentUpdateError(`Audit trail of ${event.target.type}`, event.target.id, { cause: error });
        await auditAppendBackoff(attempt);
      }
    }
  }

  protected async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof TrustgateError) throw error;
      throw new StorageUnavailableError({ cause: error });
    }
  }
}
