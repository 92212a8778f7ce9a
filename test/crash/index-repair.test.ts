/**
 * A process killed inside one of dynalite's writes leaves an index that disagrees with its table (the index entries are
 * written before the item, and removed before it). The next start finds the store still marked open and repairs every
 * index before anything reads it: each index then lists exactly the table's items, under their current keys.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamo } from '../../shared/composition/embedded-dynamo.ts';
import { ROOT } from '../support/processes.ts';

const TABLE = 'index-repair';
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

function runChild(path: string, scenario: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'test/crash/index-repair-child.ts'), path, scenario], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('exit', (_code, signal) => done({ signal, stderr }));
  });
}

describe('a kill inside a dynalite write, then a start', () => {
  for (const [scenario, expected, repairKilled] of [
    // The entry of an item whose put never reached the table: gone.
    ['new-item', { orphaned: 1, misplaced: 0, unlisted: 0 }, false],
    // The entry moved to the new keys, the item kept the old ones: the entry back under the item's keys.
    ['keys-changed', { orphaned: 0, misplaced: 1, unlisted: 0 }, false],
    // The same, and the start that repairs it killed while the item is rewritten: the next start puts the journalled
    // original back first, which moves the entry back under its keys (nothing left to count).
    ['keys-changed', { orphaned: 0, misplaced: 0, unlisted: 0 }, true],
    // The entry removed, the item still there: listed again.
    ['deleted', { orphaned: 0, misplaced: 0, unlisted: 1 }, false],
  ] as const) {
    it(`lists exactly the table's items in each index again (${scenario}${repairKilled ? ', the repair killed once' : ''})`, async () => {
      const folder = await mkdtemp(join(tmpdir(), 'trustgate-index-repair-'));
      folders.push(folder);
      const path = join(folder, 'dynamodb');
      const killed = await runChild(path, scenario);
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(existsSync(`${path}.open`)).toBe(true);
      if (repairKilled) expect((await runChild(path, 'repair')).signal).toBe('SIGKILL');

      const dynamo = await startEmbeddedDynamo({ path, tableName: TABLE });
      try {
        const doc = DynamoDBDocumentClient.from(dynamo.client);
        const table = (await doc.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
        const listed = (await doc.send(new QueryCommand({ TableName: TABLE, IndexName: 'vendors-by-next-review-due', KeyConditionExpression: 'reviewWatchPk = :pk', ExpressionAttributeValues: { ':pk': 'REVIEWWATCH' } }))).Items ?? [];
        const summary = (items: Record<string, unknown>[]) => items.map((i) => `${String(i.pk)} ${String(i.reviewWatchSk)} ${String(i.note)}`).sort();
        expect(summary(listed)).toEqual(summary(table));
        // The kill never reaches the table: the items are as before the killed write.
        expect(summary(table)).toEqual(['kept 2027-01-11#kept before', 'moved 2027-01-10#moved before']);
        expect(dynamo.indexRepair).toEqual(expected);
      } finally {
        await dynamo.close();
      }
      // Closed cleanly: the next start has nothing to repair.
      expect(existsSync(`${path}.open`)).toBe(false);
      const again = await startEmbeddedDynamo({ path, tableName: TABLE });
      expect(again.indexRepair).toBeNull();
      await again.close();
    }, 60_000);
  }
});
