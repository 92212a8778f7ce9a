/** dynalite started in-process: LevelDB under a folder for `npm start`, memory for tests. */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { crashPoint } from '../adapters/local/crash-points.ts';
import dynalite from 'dynalite';
import { createTableInput, TABLE_DESIGN } from '../adapters/aws/table-design.ts';
import { repairIndexes, type IndexRepairReport } from './local-index-repair.ts';

export interface EmbeddedDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** What the start repaired in the indexes after an unclean stop (null: the last stop was clean, or in memory). */
  indexRepair: IndexRepairReport | null;
  close(): Promise<void>;
}

/**
 * Starts dynalite on a free loopback port and creates the table if it is not there yet. A stored table is marked open
 * (`<path>.open`) while served; found still marked at start, the last process stopped without closing it (a kill, a
 * power cut), and its indexes are repaired before anything reads them (local-index-repair.ts).
 */
export async function startEmbeddedDynamo(options: { path?: string; tableName: string; endpoint?: string }): Promise<EmbeddedDynamo> {
  const openMarker = options.path && !options.endpoint ? `${options.path}.open` : null;
  const uncleanStop = openMarker !== null && existsSync(openMarker);
  // With `endpoint`, a server another process runs (the scale benchmark's dynalite in its own process): only the table is made here.
  const server = options.endpoint ? null : dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  if (server) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  }
  const endpoint = options.endpoint ?? `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: options.tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(options.tableName)));
    // dynalite answers ResourceNotFound until the new table turns ACTIVE (a timer, even with createTableMs 0).
    while ((await client.send(new DescribeTableCommand({ TableName: options.tableName }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
  }
  let indexRepair: IndexRepairReport | null = null;
  if (openMarker) {
    // Only now: a store another process holds open fails above, and its marker is not this process's to touch.
    await writeFile(openMarker, `${process.pid}\n`);
    if (uncleanStop) indexRepair = await repairIndexes(client, options.tableName, `${options.path}.index-repair.json`);
  }
  return {
    endpoint,
    client,
    indexRepair,
    close: async () => {
      client.destroy();
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (openMarker) await rm(openMarker, { force: true });
    },
  };
}

/** The indexes of the table design that the stored table lacks (a table created before they were added). */
export async function missingIndexes(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const have = new Set((table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  return TABLE_DESIGN.globalIndexes.map((g) => g.indexName).filter((name) => !have.has(name));
}

/**
 * Brings a local table to the current design. dynalite cannot add an index to a table (UpdateTable ignores
 * GlobalSecondaryIndexUpdates), so the table is rebuilt: every item copied to `<table>--upgrade` (created with the
 * design), the table deleted and created again with the design, the items copied back, the copy deleted. Each step
 * is safe to repeat, so a run that stopped anywhere is finished by the next. In AWS, CloudFormation adds the indexes.
 */
export async function upgradeLocalTable(client: DynamoDBClient, tableName: string): Promise<{ rebuilt: boolean; items: number }> {
  const temp = `${tableName}--upgrade`;
  const exists = async (name: string) => {
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  };
  const create = async (name: string) => {
    await client.send(new CreateTableCommand(createTableInput(name)));
    while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
  };
  const drop = async (name: string) => {
    await client.send(new DeleteTableCommand({ TableName: name }));
    while (await exists(name)) await new Promise((r) => setTimeout(r, 5));
  };
  const tempExists = await exists(temp);
  const originalExists = await exists(tableName);
  if (originalExists && !tempExists && (await missingIndexes(client, tableName)).length === 0) return { rebuilt: false, items: 0 };
  if (originalExists && (await missingIndexes(client, tableName)).length > 0) {
    if (!tempExists) await create(temp);
    await copyItems(client, tableName, temp);
    crashPoint('migrate:table-copied');
    await drop(tableName);
  }
  if (!(await exists(tableName))) await create(tableName);
  const items = await copyItems(client, temp, tableName);
  await drop(temp);
  return { rebuilt: true, items };
}

async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client);
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: from, ...(start ? { ExclusiveStartKey: start } : {}) }));
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [to]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) request = (await doc.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
    }
    count += items.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
