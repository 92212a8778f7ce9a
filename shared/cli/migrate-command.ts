/**
 * `trustgate migrate [register]`: brings local data written before issue 15 to the current design (stop `npm start`
 * first): the table gets the new indexes (rebuilt, as dynalite cannot add one), then the risk register, the sparse
 * status indexes and the portfolio counts are backfilled. Idempotent and resumable: run it again after any stop.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CompensatingAtomicWriter } from '../adapters/aws/atomic-writer.ts';
import { backfillRegister } from '../adapters/aws/register-backfill.ts';
import { armCrashPoint } from '../adapters/local/crash-points.ts';
import { loadConfig } from '../composition/config.ts';
import { startEmbeddedDynamo, upgradeLocalTable } from '../composition/embedded-dynamo.ts';
import type { CliCommand } from './cli-io.ts';

const USAGE = 'Usage: trustgate migrate [register] [--data-dir <dir>] [--json]';

export const migrateCommand: CliCommand = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`trustgate migrate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals.length > 1 || (parsed.positionals[0] !== undefined && parsed.positionals[0] !== 'register')) {
    io.stderr(USAGE);
    return 2;
  }
  const config = loadConfig(io.env, io.cwd);
  if (config.mode !== 'local') {
    io.stderr('trustgate migrate runs on the local data folder; in AWS deploy the stack (it adds the indexes) and run the backfill as a one-off task');
    return 2;
  }
  armCrashPoint(config.crashAt);
  const dataDir = resolve(io.cwd, parsed.values['data-dir'] ?? config.dataDir);
  const dbPath = join(dataDir, 'dynamodb');
  if (!existsSync(dbPath)) {
    io.stderr(`trustgate migrate: no trustgate data in ${dataDir}`);
    return 2;
  }
  let dynamo;
  try {
    dynamo = await startEmbeddedDynamo({ path: dbPath, tableName: config.tableName });
  } catch (error) {
    io.stderr(`trustgate migrate: cannot open ${dbPath} (${(error as Error).message}). If npm start is running, stop it first.`);
    return 2;
  }
  try {
    const table = await upgradeLocalTable(dynamo.client, config.tableName);
    const client = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    // A write interrupted by a crash is finished first, as the server does at start.
    await new CompensatingAtomicWriter(client, config.tableName).recoverInterruptedWrites();
    const report = await backfillRegister(client, config.tableName);
    if (parsed.values.json) io.stdout(JSON.stringify({ table, ...report }));
    else {
      if (table.rebuilt) io.stdout(`Table rebuilt with the current indexes (${table.items} items).`);
      if (report.resumedFrom) io.stdout(`Resumed an interrupted run at: ${report.resumedFrom}.`);
      io.stdout(`Risk register: ${report.linesWritten} line(s) built, ${report.linesKept} already there, of ${report.vendors} vendor(s) read; ${report.assessmentsIndexed} open assessment(s) indexed; counts rebuilt in ${report.countShards} shards.`);
    }
    return 0;
  } finally {
    await dynamo.close();
  }
};
