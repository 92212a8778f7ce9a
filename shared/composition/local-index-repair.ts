/**
 * Index repair for the local store after an unclean stop. dynalite keeps an item and its index entries in separate
 * LevelDB records written one after the other (a put writes the index entries first, a delete removes them first), so a
 * process killed inside a write leaves an index that disagrees with its table: an entry for an item that is not there,
 * an entry under index keys the item no longer has, or no entry for an item that should have one. DynamoDB's own
 * indexes converge on their table; dynalite's never do, and a wrong entry would hide a vendor from the daily sweep or
 * show a finished write as interrupted. `repairIndexes` makes every index agree with the table again, through the API
 * only (no LevelDB internals), and is safe to interrupt: items it changes for a moment are journalled first.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { crashPoint } from '../adapters/local/crash-points.ts';
import { TABLE_DESIGN } from '../adapters/aws/table-design.ts';

type Item = Record<string, unknown>;

export interface IndexRepairReport {
  /** Index entries of items the table does not hold: removed. */
  orphaned: number;
  /** Index entries under keys their item no longer has: removed. */
  misplaced: number;
  /** Items whose index entry was missing: written again (unchanged) so that the index lists them. */
  unlisted: number;
}

const { partitionKey: PK, sortKey: SK } = TABLE_DESIGN;
const tableKey = (item: Item) => `${String(item[PK])}\n${String(item[SK])}`;

async function* scan(doc: DynamoDBDocumentClient, tableName: string, indexName?: string): AsyncGenerator<Item> {
  let start: Item | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ...(indexName ? { IndexName: indexName } : {}), ...(start ? { ExclusiveStartKey: start } : {}) }));
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Makes every index of `tableName` list exactly the table's items under their current keys. `journalFile` holds the
 * original of an item while a misplaced entry is removed (the item is rewritten under the entry's keys and back); a
 * journal left by an interrupted repair is put back first.
 */
export async function repairIndexes(client: DynamoDBClient, tableName: string, journalFile: string): Promise<IndexRepairReport> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const report: IndexRepairReport = { orphaned: 0, misplaced: 0, unlisted: 0 };
  if (existsSync(journalFile)) {
    const originals = JSON.parse(await readFile(journalFile, 'utf8')) as Item[];
    for (const original of originals) await doc.send(new PutCommand({ TableName: tableName, Item: original }));
    await rm(journalFile, { force: true });
  }
  const described = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const present = new Set((described?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  const indexes = TABLE_DESIGN.globalIndexes.filter((g) => present.has(g.indexName));
  const listed = new Map<string, Set<string>>(indexes.map((g) => [g.indexName, new Set<string>()]));

  for (const index of indexes) {
    for await (const entry of scan(doc, tableName, index.indexName)) {
      const item = (await doc.send(new GetCommand({ TableName: tableName, Key: { [PK]: entry[PK], [SK]: entry[SK] }, ConsistentRead: true }))).Item;
      if (!item) {
        // Written again and deleted: the store removes the entry with the item.
        await doc.send(new PutCommand({ TableName: tableName, Item: entry, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }));
        await doc.send(new DeleteCommand({ TableName: tableName, Key: { [PK]: entry[PK], [SK]: entry[SK] } }));
        report.orphaned++;
      } else if (item[index.partitionKey] !== entry[index.partitionKey] || item[index.sortKey] !== entry[index.sortKey]) {
        // Rewritten under the entry's keys (which moves the entry there, over the stray one) and back (which moves it
        // to the item's own keys). The original is journalled first: a kill in between loses nothing.
        await writeFile(journalFile, JSON.stringify([item]));
        await doc.send(new PutCommand({ TableName: tableName, Item: { ...item, [index.partitionKey]: entry[index.partitionKey], [index.sortKey]: entry[index.sortKey] } }));
        crashPoint('index-repair:item-moved');
        await doc.send(new PutCommand({ TableName: tableName, Item: item }));
        await rm(journalFile, { force: true });
        listed.get(index.indexName)!.add(tableKey(item));
        report.misplaced++;
      } else listed.get(index.indexName)!.add(tableKey(item));
    }
  }

  for await (const item of scan(doc, tableName)) {
    const unlisted = indexes.some((g) => item[g.partitionKey] !== undefined && item[g.sortKey] !== undefined && !listed.get(g.indexName)!.has(tableKey(item)));
    if (!unlisted) continue;
    // The same item put again: the store writes its index entries.
    await doc.send(new PutCommand({ TableName: tableName, Item: item }));
    report.unlisted++;
  }
  return report;
}
