/**
 * A process killed (SIGKILL) at any step boundary of a multi-item write on dynalite leaves nothing half-done: on the
 * next start the write is finished forward or back, the records are writable and the audit trail verifies.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../shared/domain/audit.ts';
import { patchVendor } from '../../shared/domain/vendor.ts';
import { ROOT } from '../support/processes.ts';
import { NEW_NAME, OLD_NAME, TABLE, VENDOR_ID, observe, openStore, seed, type Scenario } from './atomic-write-scenarios.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/aws/keys.ts';

const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

async function seededFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'trustgate-crash-'));
  folders.push(folder);
  const store = await openStore(folder);
  await seed(store);
  await store.close();
  return folder;
}

function runChild(folder: string, scenario: Scenario, crashAt: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'test/crash/atomic-write-child.ts'), folder, scenario, crashAt], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('exit', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** Every crash point the scenario's write passes, as `<name>@<n>` (the n-th time it is reached). */
async function boundariesOf(scenario: Scenario): Promise<string[]> {
  const run = await runChild(await seededFolder(), scenario, 'writer:never-reached');
  expect(run.code, run.stderr).toBe(0);
  const counts = new Map<string, number>();
  return (JSON.parse(run.stdout) as string[]).map((name) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return `${name}@${counts.get(name)}`;
  });
}

const before = { vendor: { name: OLD_NAME, version: 1 }, nameClaims: { old: VENDOR_ID, new: null }, events: 1 };
const after = { vendor: { name: NEW_NAME, version: 2 }, nameClaims: { old: null, new: VENDOR_ID }, events: 2 };
const untouched = { a: undefined, b: undefined, c: 'original' };

describe('SIGKILL inside a multi-item write (CompensatingAtomicWriter)', () => {
  it('passes the intent, every write and the intent deletion of a rename as crash points', async () => {
    expect(await boundariesOf('rename')).toEqual(['writer:intent-written@1', ...[1, 2, 3, 4, 5, 6].map((n) => `writer:op-applied@${n}`), 'writer:intent-deleted@1']);
  }, 60_000);

  it('leaves the old or the new vendor, never a mix, and a writable record with a clean audit trail, wherever the rename is killed', async () => {
    const outcomes: Record<string, string> = {};
    for (const boundary of await boundariesOf('rename')) {
      const folder = await seededFolder();
      const run = await runChild(folder, 'rename', boundary);
      expect(run.signal, `${boundary}: ${run.stderr}`).toBe('SIGKILL');
      const store = await openStore(folder);
      try {
        await store.writer.recoverInterruptedWrites();
        const seen = await observe(store);
        const state = seen.vendor?.version === 2 ? after : before;
        expect({ vendor: seen.vendor, nameClaims: seen.nameClaims, events: seen.events }, boundary).toEqual(state);
        expect(seen.intents, boundary).toBe(0);
        // The register line moved in the same batch: it shows the name the vendor has, whichever way recovery went.
        const line = (await store.client.send(new GetCommand({ TableName: TABLE, Key: keys.registerLine(VENDOR_ID), ConsistentRead: true }))).Item;
        expect((line?.data as { vendorName?: string } | undefined)?.vendorName, boundary).toBe(state.vendor.name);
        expect((await store.vendors.verifyAuditTrail()).problems, boundary).toEqual([]);
        const current = (await store.vendors.getVendor(VENDOR_ID))!;
        const { vendor } = patchVendor(current, { criticality: 'low' }, '2026-11-30T13:00:00.000Z');
        const next = auditEvent({ id: `after-${boundary}`, at: '2026-11-30T13:00:00.000Z', actor: 'crash-test', role: 'procurement', action: 'vendor.updated', target: { type: 'vendor', id: VENDOR_ID }, targetVersion: vendor.version, summary: 'Written after the crash' });
        await store.vendors.replaceVendor(vendor, current.version, next);
        expect((await store.vendors.getVendor(VENDOR_ID))?.version, boundary).toBe(current.version + 1);
        expect((await store.vendors.verifyAuditTrail()).problems, boundary).toEqual([]);
        outcomes[boundary] = state === after ? 'new' : 'old';
      } finally {
        await store.close();
      }
    }
    // Nothing else wrote meanwhile, so every condition of the rename still holds: recovery completes it wherever it stopped.
    expect(outcomes).toEqual({
      'writer:intent-written@1': 'new',
      'writer:op-applied@1': 'new',
      'writer:op-applied@2': 'new',
      'writer:op-applied@3': 'new',
      'writer:op-applied@4': 'new',
      'writer:op-applied@5': 'new',
      'writer:op-applied@6': 'new',
      'writer:intent-deleted@1': 'new',
    });
  }, 240_000);

  it('undoes a refused batch wherever it is killed, also in the middle of its undo', async () => {
    const boundaries = await boundariesOf('refused');
    expect(boundaries).toEqual(['writer:intent-written@1', 'writer:op-applied@1', 'writer:op-applied@2', 'writer:op-undone@1', 'writer:op-undone@2', 'writer:intent-deleted@1']);
    for (const boundary of boundaries) {
      const folder = await seededFolder();
      const run = await runChild(folder, 'refused', boundary);
      expect(run.signal, `${boundary}: ${run.stderr}`).toBe('SIGKILL');
      const store = await openStore(folder);
      try {
        await store.writer.recoverInterruptedWrites();
        const seen = await observe(store);
        expect(seen.refused, boundary).toEqual(untouched);
        expect(seen.intents, boundary).toBe(0);
      } finally {
        await store.close();
      }
    }
  }, 240_000);
});
