/**
 * The multi-item writes the crash test kills, run on dynalite persisted to a folder (LevelDB), so that a process can
 * die in the middle of one and another can open the same data afterwards.
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CompensatingAtomicWriter } from '../../shared/adapters/aws/atomic-writer.ts';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository.ts';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { auditEvent } from '../../shared/domain/audit.ts';
import { newVendor, patchVendor, vendorIntakeSchema, type Vendor } from '../../shared/domain/vendor.ts';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/composition/embedded-dynamo.ts';

export const TABLE = 'trustgate';
export const VENDOR_ID = 'crash-vendor';
export const OLD_NAME = 'Before Crash Ltd';
export const NEW_NAME = 'After Crash Ltd';
/** Items of the refused batch: A and B are new, C exists, so the batch fails on C after writing A and B. */
export const REFUSED = { a: 'REFUSED#A', b: 'REFUSED#B', c: 'REFUSED#C' } as const;

export type Scenario = 'rename' | 'refused';

export interface Store {
  dynamo: EmbeddedDynamo;
  client: DynamoDBDocumentClient;
  writer: CompensatingAtomicWriter;
  vendors: DynamoRepository;
  close(): Promise<void>;
}

export async function openStore(path: string): Promise<Store> {
  const dynamo = await startEmbeddedDynamo({ path, tableName: TABLE });
  const client = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const writer = new CompensatingAtomicWriter(client, TABLE);
  return { dynamo, client, writer, vendors: new DynamoRepository(client, TABLE, writer), close: () => dynamo.close() };
}

const at = '2026-11-30T12:00:00.000Z';
const event = (action: string, version: number, summary: string) =>
  auditEvent({ id: `${action}-${version}`, at, actor: 'crash-test', role: 'procurement', action, target: { type: 'vendor', id: VENDOR_ID }, targetVersion: version, summary });

/** The state every scenario starts from: the vendor at version 1 (one audit event) and the item C. */
export async function seed(store: Store): Promise<void> {
  const intake = vendorIntakeSchema.parse({ name: OLD_NAME, website: 'https://before.example', contactEmail: 'security@before.example', criticality: 'high', dataClassification: 'confidential' });
  const vendor = newVendor(intake, { id: VENDOR_ID, now: at, actor: 'crash-test' });
  await store.vendors.insertVendor(vendor, event('vendor.registered', 1, 'Registered'));
  await store.client.send(new PutCommand({ TableName: TABLE, Item: { pk: REFUSED.c, sk: 'x', v: 'original' } }));
}

/** The write that gets killed: a rename (6 items: new name claim, old claim deleted, vendor, register line, event, head) or a batch that fails on its last item. */
export async function perform(store: Store, scenario: Scenario): Promise<void> {
  if (scenario === 'rename') {
    const current = (await store.vendors.getVendor(VENDOR_ID))!;
    const { vendor } = patchVendor(current, { name: NEW_NAME }, at);
    await store.vendors.replaceVendor(vendor, current.version, event('vendor.updated', vendor.version, 'Renamed'));
    return;
  }
  const isNew = { expression: 'attribute_not_exists(pk)' };
  await store.writer
    .write([
      { kind: 'put', item: { pk: REFUSED.a, sk: 'x', v: 'a' }, condition: isNew },
      { kind: 'put', item: { pk: REFUSED.b, sk: 'x', v: 'b' }, condition: isNew },
      { kind: 'put', item: { pk: REFUSED.c, sk: 'x', v: 'clobbered' }, condition: isNew },
    ])
    .catch((error: Error) => {
      if (error.name !== 'AtomicWriteConflictError') throw error;
    });
}

export interface Observed {
  vendor: Pick<Vendor, 'name' | 'version'> | null;
  nameClaims: { old: string | null; new: string | null };
  events: number;
  refused: { a: unknown; b: unknown; c: unknown };
  intents: number;
}

/** Everything the scenarios touch, as stored now. */
export async function observe(store: Store): Promise<Observed> {
  const get = async (key: { pk: string; sk: string }) => (await store.client.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item;
  const vendor = await store.vendors.getVendor(VENDOR_ID);
  const events = await store.vendors.listAuditEventsFor({ type: 'vendor', id: VENDOR_ID }, { limit: 100 });
  const intents = keys.allWriteIntents();
  const pending = await store.client.send(
    new QueryCommand({ TableName: TABLE, IndexName: intents.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': intents.pkName }, ExpressionAttributeValues: { ':pk': intents.pk } }),
  );
  return {
    vendor: vendor && { name: vendor.name, version: vendor.version },
    nameClaims: { old: ((await get(keys.vendorNameClaim(OLD_NAME)))?.vendorId as string) ?? null, new: ((await get(keys.vendorNameClaim(NEW_NAME)))?.vendorId as string) ?? null },
    events: events.items.length,
    refused: { a: (await get({ pk: REFUSED.a, sk: 'x' }))?.v, b: (await get({ pk: REFUSED.b, sk: 'x' }))?.v, c: (await get({ pk: REFUSED.c, sk: 'x' }))?.v },
    intents: pending.Items?.length ?? 0,
  };
}
