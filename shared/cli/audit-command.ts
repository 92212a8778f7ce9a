/** `trustgate audit verify`: checks the hash chains of the local audit trail (stop `npm start` first). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CompensatingAtomicWriter } from '../adapters/aws/atomic-writer.ts';
import { DynamoAuditVerifier } from '../adapters/aws/dynamo-audit-verifier.ts';
import { loadConfig } from '../composition/config.ts';
import { startEmbeddedDynamo } from '../composition/embedded-dynamo.ts';
import type { CliCommand } from './cli-io.ts';

const USAGE = 'Usage: trustgate audit verify [--incremental] [--data-dir <dir>] [--json]';

export const auditCommand: CliCommand = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, incremental: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`trustgate audit: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals[0] !== 'verify' || parsed.positionals.length !== 1) {
    io.stderr(USAGE);
    return 2;
  }
  const config = loadConfig(io.env, io.cwd);
  if (config.mode !== 'local') {
    io.stderr('trustgate audit verify reads the local data folder; in AWS call GET /api/admin/audit/verify or POST /api/audit/verifications as an admin');
    return 2;
  }
  const dataDir = resolve(io.cwd, parsed.values['data-dir'] ?? config.dataDir);
  const dbPath = join(dataDir, 'dynamodb');
  if (!existsSync(dbPath)) {
    io.stderr(`trustgate audit: no trustgate data in ${dataDir}`);
    return 2;
  }
  let dynamo;
  try {
    dynamo = await startEmbeddedDynamo({ path: dbPath, tableName: config.tableName });
  } catch (error) {
    io.stderr(`trustgate audit: cannot open ${dbPath} (${(error as Error).message}). If npm start is running, stop it first, or call GET /api/admin/audit/verify as an admin.`);
    return 2;
  }
  try {
    const client = DynamoDBDocumentClient.from(dynamo.client);
    const writer = new CompensatingAtomicWriter(client, config.tableName);
    // A write interrupted by a crash is finished first, as the server does at start, so that its event counts.
    const recovered = await writer.recoverInterruptedWrites();
    if (recovered.rolledForward + recovered.rolledBack > 0 && !parsed.values.json) io.stdout(`Finished ${recovered.rolledForward + recovered.rolledBack} interrupted write(s) first: ${recovered.rolledForward} completed, ${recovered.rolledBack} undone.`);
    // Full by default (every chain from its first event, read only); --incremental checks what was appended since the
    // last checkpointed run and moves the checkpoints of the chains it found intact.
    const verifier = new DynamoAuditVerifier(client, config.tableName, writer);
    const result = parsed.values.incremental ? await verifier.verifyWithCheckpoints('incremental', new Date().toISOString()) : await verifier.verifyAuditTrail();
    if (parsed.values.json) io.stdout(JSON.stringify({ ok: result.problems.length === 0, ...result }));
    else {
      for (const p of result.problems) io.stdout(`${p.target.type} ${p.target.id}: event ${p.seq ?? '?'}: ${p.problem}: ${p.detail}`);
      io.stdout(result.problems.length === 0 ? `Audit trail intact: ${result.events} events in ${result.chains} chains.` : `Audit trail BROKEN: ${result.problems.length} problem(s) in ${result.chains} chains, ${result.events} events.`);
    }
    return result.problems.length === 0 ? 0 : 1;
  } finally {
    await dynamo.close();
  }
};
