import { gzipSync } from 'node:zlib';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicWriteConflictError, CompensatingAtomicWriter, TransactionAtomicWriter, type AtomicWriter } from '../../shared/adapters/aws/atomic-writer.ts';
import { chain } from '../../shared/adapters/aws/audit-chain.ts';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository.ts';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { auditEvent } from '../../shared/domain/audit.ts';
import { newVendor, patchVendor, vendorIntakeSchema } from '../../shared/domain/vendor.ts';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/composition/embedded-dynamo.ts';

let dynamo: EmbeddedDynamo;
let client: DynamoDBDocumentClient;
let writer: CompensatingAtomicWriter;
const TABLE = 'atomic-test';

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({ tableName: TABLE });
  client = DynamoDBDocumentClient.from(dynamo.client);
  writer = new CompensatingAtomicWriter(client, TABLE);
});
afterAll(async () => dynamo.close());

const get = async (pk: string) => (await client.send(new GetCommand({ TableName: TABLE, Key: { pk, sk: 'x' } }))).Item;
const newOnly = { expression: 'attribute_not_exists(pk)' };

describe('CompensatingAtomicWriter (dynalite has no transactions)', () => {
  it('writes every item when every condition holds', async () => {
    await writer.write([
      { kind: 'put', item: { pk: 'ok-1', sk: 'x', v: 1 }, condition: newOnly },
      { kind: 'put', item: { pk: 'ok-2', sk: 'x', v: 2 }, condition: newOnly },
    ]);
    expect((await get('ok-1'))?.v).toBe(1);
    expect((await get('ok-2'))?.v).toBe(2);
  });

  it('undoes earlier writes when a later condition fails, and names the failed write', async () => {
    await writer.write([{ kind: 'put', item: { pk: 'taken', sk: 'x', v: 'original' } }]);
    await writer.write([{ kind: 'put', item: { pk: 'existing', sk: 'x', v: 'before' } }]);
    const attempt = writer.write([
      { kind: 'put', item: { pk: 'fresh', sk: 'x', v: 'new' }, condition: newOnly },
      { kind: 'put', item: { pk: 'existing', sk: 'x', v: 'after' } },
      { kind: 'delete', key: { pk: 'ok-1', sk: 'x' } },
      { kind: 'put', item: { pk: 'taken', sk: 'x', v: 'clobbered' }, condition: newOnly },
    ]);
    await expect(attempt).rejects.toSatisfy((e) => e instanceof AtomicWriteConflictError && e.failedIndex === 3);
    expect(await get('fresh')).toBeUndefined();
    expect((await get('existing'))?.v).toBe('before');
    expect((await get('ok-1'))?.v).toBe(1);
    expect((await get('taken'))?.v).toBe('original');
  });

  it('leaves a newer write by someone else alone when undoing', async () => {
    await writer.write([{ kind: 'put', item: { pk: 'guard', sk: 'x', v: 'g' } }]);
    // A client that lets another writer replace `race` just before our batch's failing write.
    const interleaving = {
      send: async (command: { input: { Item?: { pk?: string } } }) => {
        if (command instanceof PutCommand && command.input.Item?.pk === 'guard') {
          await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'race', sk: 'x', v: 'theirs' } }));
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const ours = new CompensatingAtomicWriter(interleaving, TABLE).write([
      { kind: 'put', item: { pk: 'race', sk: 'x', v: 'ours' }, condition: newOnly },
      { kind: 'put', item: { pk: 'guard', sk: 'x', v: 'never' }, condition: newOnly },
    ]);
    await expect(ours).rejects.toBeInstanceOf(AtomicWriteConflictError);
    expect((await get('race'))?.v).toBe('theirs');
    expect((await get('guard'))?.v).toBe('g');
  });
});

describe('recovering interrupted batches', () => {
  it('never applies an intent that the index lists but the table does not hold (a kill inside the store between the two)', async () => {
    // dynalite writes an item's index entries before the item itself: a kill in between leaves an index entry of an
    // intent whose batch never got past writing it (its writes never began). Found by the sweep crash test: the
    // entry was rolled forward at every start, and once newer writes covered its items, rolled back over them.
    await writer.write([{ kind: 'put', item: { pk: 'ghost-x', sk: 'x', v: 'kept' } }]);
    const current = (await client.send(new GetCommand({ TableName: TABLE, Key: { pk: 'ghost-x', sk: 'x' } }))).Item!;
    const intent = { batchId: 'ghost-batch', ops: [{ kind: 'put', item: { pk: 'ghost-x', sk: 'x', v: 'half-done' } }, { kind: 'put', item: { pk: 'ghost-y', sk: 'x', v: 'half-done' } }], before: [current, null] };
    const ghost = { ...keys.writeIntent('ghost-batch'), ...keys.writeIntentIndexes('ghost-batch', '2026-01-01T00:00:00.000Z'), entity: 'write-intent', batch: gzipSync(JSON.stringify(intent)) };
    const indexWithGhost = {
      send: async (command: unknown) => {
        const out = (await client.send(command as never)) as { Items?: unknown[] };
        if (command instanceof QueryCommand && command.input.IndexName === keys.allWriteIntents().index) return { ...out, Items: [...(out.Items ?? []), ghost] };
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    const recovered = await new CompensatingAtomicWriter(indexWithGhost, TABLE).recoverInterruptedWrites();
    expect(recovered).toMatchObject({ rolledForward: 0, rolledBack: 0, discarded: 1 });
    expect((await get('ghost-x'))?.v).toBe('kept');
    expect(await get('ghost-y')).toBeUndefined();
  });

  it('lets no batch build on an item of a batch still being written, so a batch that stops half-way is finished forward', async () => {
    await writer.write([{ kind: 'put', item: { pk: 'dirty-x', sk: 'x', v: 0 } }]);
    const other: { write?: Promise<void> } = {};
    let failed = false;
    // The store fails under batch A's second write; meanwhile batch B (same process) reads dirty-x, which A wrote.
    const flaky = {
      send: async (command: unknown) => {
        if (!failed && command instanceof PutCommand && command.input.Item?.pk === 'dirty-y') {
          failed = true;
          other.write = shared.write([{ kind: 'put', item: { pk: 'dirty-x', sk: 'x', v: 'b-over-a' } }]);
          await new Promise((r) => setTimeout(r, 100));
          throw Object.assign(new Error('store unavailable'), { name: 'InternalServerError' });
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const shared = new CompensatingAtomicWriter(flaky, TABLE);
    const a = shared.write([
      { kind: 'put', item: { pk: 'dirty-x', sk: 'x', v: 'a' } },
      { kind: 'put', item: { pk: 'dirty-y', sk: 'x', v: 'a' } },
    ]);
    await expect(a).rejects.toThrow('store unavailable');
    await other.write;
    // The process dies here; the next one recovers whatever is left.
    await new CompensatingAtomicWriter(client, TABLE).recoverInterruptedWrites();
    // B came after A: A is whole (forward), and B's write is the last one on dirty-x.
    expect((await get('dirty-y'))?.v).toBe('a');
    expect((await get('dirty-x'))?.v).toBe('b-over-a');
  });
});

describe('appending to an audit chain that another process moved', () => {
  it('chains the event again onto the new head and writes the change once', async () => {
    const repository = new DynamoRepository(client, TABLE, writer);
    const target = { type: 'vendor' as const, id: 'moved-head' };
    const event = (id: string, version: number) => auditEvent({ id, at: '2026-11-30T12:00:00.000Z', actor: 't', role: 'procurement', action: 'vendor.updated', target, targetVersion: version, summary: id });
    const vendor = newVendor(vendorIntakeSchema.parse({ name: 'Moved Head Ltd', website: 'https://moved.example', contactEmail: 'a@moved.example', criticality: 'low', dataClassification: 'internal' }), { id: target.id, now: '2026-11-30T12:00:00.000Z', actor: 't' });
    await repository.insertVendor(vendor, event('registered', 1));
    // Another process (a second Lambda) appends to the same chain between our read of the head and our write.
    let calls = 0;
    const racing: AtomicWriter = {
      write: async (ops) => {
        if (++calls === 1) {
          const linked = chain(event('elsewhere', 1), { seq: 1, hash: ((await client.send(new GetCommand({ TableName: TABLE, Key: { pk: keys.auditHead(target).pk, sk: 'HEAD' } }))).Item as { hash: string }).hash });
          await writer.write([
            { kind: 'put', item: { ...keys.auditEvent(target, 2, linked.at, linked.id), entity: 'audit', data: linked } },
            { kind: 'put', item: { ...keys.auditHead(target), entity: 'audit-head', seq: 2, hash: linked.hash, target } },
          ]);
        }
        return writer.write(ops);
      },
    };
    const { vendor: renamed } = patchVendor(vendor, { criticality: 'high' }, '2026-11-30T12:01:00.000Z');
    await new DynamoRepository(client, TABLE, racing).replaceVendor(renamed, 1, event('ours', 2));
    expect(calls).toBe(2);
    expect((await repository.getVendor(target.id))?.criticality).toBe('high');
    expect((await repository.listAuditEventsFor(target, { limit: 10 })).items.map((e) => e.id)).toEqual(['registered', 'elsewhere', 'ours']);
    expect((await repository.verifyAuditTrail()).problems).toEqual([]);
  });
});

describe('TransactionAtomicWriter (DynamoDB; the SDK client stands in for AWS)', () => {
  const failing = (reasons: { Code: string }[]) =>
    new TransactionAtomicWriter({ send: async () => Promise.reject(Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: reasons })) } as unknown as DynamoDBDocumentClient, TABLE);
  const ops = [
    { kind: 'put' as const, item: { pk: 'p', sk: 'x' } },
    { kind: 'put' as const, item: { pk: 'q', sk: 'x' } },
  ];

  it('names the write whose condition failed', async () => {
    await expect(failing([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]).write(ops)).rejects.toSatisfy((e) => e instanceof AtomicWriteConflictError && e.failedIndex === 1 && e.reason === 'condition');
  });

  it('reports a transaction conflict as contention, safe to try again', async () => {
    await expect(failing([{ Code: 'TransactionConflict' }, { Code: 'None' }]).write(ops)).rejects.toSatisfy((e) => e instanceof AtomicWriteConflictError && e.failedIndex === 0 && e.reason === 'contention');
  });
});
