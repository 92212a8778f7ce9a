/**
 * All-or-nothing writes of several items. In AWS: TransactWriteItems. On dynalite, which has no
 * transactions: conditional writes applied one by one, undone in reverse order when one fails
 * (see docs/adr/0002-atomic-writes-without-transactions.md for what this does and does not promise).
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DESIGN } from './table-design.ts';

export interface WriteCondition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export type WriteOp =
  | { kind: 'put'; item: Record<string, unknown>; condition?: WriteCondition }
  | { kind: 'delete'; key: Record<string, unknown>; condition?: WriteCondition };

/** A condition of operation `failedIndex` did not hold; nothing of the batch remains written. */
export class AtomicWriteConflictError extends Error {
  readonly failedIndex: number;
  constructor(failedIndex: number, options?: { cause?: unknown }) {
    super(`condition of write ${failedIndex} failed`, options);
    this.name = 'AtomicWriteConflictError';
    this.failedIndex = failedIndex;
  }
}

/** Writes a batch of items all together or not at all. */
export interface AtomicWriter {
  write(ops: WriteOp[]): Promise<void>;
}

const conditionParams = (c: WriteCondition | undefined) =>
  c
    ? {
        ConditionExpression: c.expression,
        ...(c.names ? { ExpressionAttributeNames: c.names } : {}),
        ...(c.values ? { ExpressionAttributeValues: c.values } : {}),
      }
    : {};

const keyOf = (item: Record<string, unknown>) => ({
  [TABLE_DESIGN.partitionKey]: item[TABLE_DESIGN.partitionKey],
  [TABLE_DESIGN.sortKey]: item[TABLE_DESIGN.sortKey],
});

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
      if (failed >= 0) throw new AtomicWriteConflictError(failed, { cause: error });
      throw error;
    }
  }
}

/**
 * Sequential conditional writes with compensation, for dynalite. Each item it writes carries the batch id
 * in `_tx`, so an undo only touches items still as this batch left them.
 */
export class CompensatingAtomicWriter implements AtomicWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(ops: WriteOp[]): Promise<void> {
    const batchId = randomUUID();
    const applied: { op: WriteOp; before: Record<string, unknown> | null }[] = [];
    for (const [index, op] of ops.entries()) {
      const key = op.kind === 'put' ? keyOf(op.item) : op.key;
      const before = (await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item ?? null;
      try {
        if (op.kind === 'put') {
          await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...op.item, _tx: batchId }, ...conditionParams(op.condition) }));
        } else {
          await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: op.key, ...conditionParams(op.condition) }));
        }
        applied.push({ op, before });
      } catch (error) {
        await this.undo(applied, batchId);
        if (isConditionFailure(error)) throw new AtomicWriteConflictError(index, { cause: error });
        throw error;
      }
    }
  }

  private async undo(applied: { op: WriteOp; before: Record<string, unknown> | null }[], batchId: string): Promise<void> {
    for (const { op, before } of applied.reverse()) {
      const ours = { ConditionExpression: '#tx = :tx', ExpressionAttributeNames: { '#tx': '_tx' }, ExpressionAttributeValues: { ':tx': batchId } };
      try {
        if (op.kind === 'put' && before) {
          await this.client.send(new PutCommand({ TableName: this.tableName, Item: before, ...ours }));
        } else if (op.kind === 'put') {
          await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(op.item), ...ours }));
        } else if (before) {
          await this.client.send(new PutCommand({ TableName: this.tableName, Item: before, ConditionExpression: 'attribute_not_exists(pk)' }));
        }
      } catch (error) {
        // Someone changed the item after this batch wrote it: their write wins and is left alone.
        if (!isConditionFailure(error)) throw error;
      }
    }
  }
}
