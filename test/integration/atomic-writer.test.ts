import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtomicWriteConflictError, CompensatingAtomicWriter } from '../../shared/adapters/aws/atomic-writer.ts';
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
