/**
 * Child process of the index repair test: `node --import tsx index-repair-child.ts <folder> <scenario>` writes two items
 * to a stored local table, then makes one more write that is killed (SIGKILL) inside dynalite, after the write's index
 * entries changed and before its item did: exactly where a kill of `npm start` leaves an index that disagrees with its
 * table. dynalite's own index update is wrapped for that (the test reaches into the store; the product never does).
 */
import { createRequire } from 'node:module';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { armCrashPoint, crashPoint } from '../../shared/adapters/local/crash-points.ts';
import { startEmbeddedDynamo } from '../../shared/composition/embedded-dynamo.ts';

type Callback = (error?: unknown) => void;
const [folder, scenario] = process.argv.slice(2);
const TABLE = 'index-repair';
const dynaliteDb = createRequire(import.meta.url)('dynalite/db') as { updateIndexes: (...args: unknown[]) => void };
const updateIndexes = dynaliteDb.updateIndexes;
dynaliteDb.updateIndexes = (...args: unknown[]) => {
  const done = args.pop() as Callback;
  updateIndexes(...args, (error?: unknown) => {
    if (!error) crashPoint('dynalite:index-updated');
    done(error);
  });
};

if (scenario === 'repair') {
  // A start that repairs the index, killed while an item is rewritten under a stray entry's keys.
  armCrashPoint('index-repair:item-moved');
  await startEmbeddedDynamo({ path: folder!, tableName: TABLE });
  process.stderr.write('the repair was not killed\n');
  process.exit(1);
}
const dynamo = await startEmbeddedDynamo({ path: folder!, tableName: TABLE });
const doc = DynamoDBDocumentClient.from(dynamo.client);
const due = (pk: string, day: string) => ({ pk, sk: 'SCHEDULE', reviewWatchPk: 'REVIEWWATCH', reviewWatchSk: `${day}#${pk}`, note: 'before' });
await doc.send(new PutCommand({ TableName: TABLE, Item: due('moved', '2027-01-10') }));
await doc.send(new PutCommand({ TableName: TABLE, Item: due('kept', '2027-01-11') }));
armCrashPoint('dynalite:index-updated');
if (scenario === 'new-item') await doc.send(new PutCommand({ TableName: TABLE, Item: due('new', '2027-01-12') }));
if (scenario === 'keys-changed') await doc.send(new PutCommand({ TableName: TABLE, Item: { ...due('moved', '2027-03-01'), note: 'after' } }));
if (scenario === 'deleted') await doc.send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'kept', sk: 'SCHEDULE' } }));
process.stderr.write('the write was not killed\n');
process.exit(1);
