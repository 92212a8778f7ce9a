/** The "done when", as a new user would do it: start, sign in with the CLI, register, restart, still there. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServerProcess } from '../support/processes.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'trustgate-e2e-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('npm start and npx trustgate, end to end', () => {
  it('serves health and OpenAPI, registers a vendor with a CLI token, and keeps it across a restart', async () => {
    const env = { TRUSTGATE_DATA_DIR: dataDir, PORT: '0' };
    let server = await startServerProcess(env);
    try {
      expect(server.output()).toContain('npx trustgate token --role procurement');
      expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({ status: 'ok', mode: 'local' });
      expect(((await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string }).openapi).toMatch(/^3\./);

      const cli = await runCli(['token', '--role', 'procurement'], { TRUSTGATE_DATA_DIR: dataDir });
      expect(cli.code).toBe(0);
      const token = cli.stdout.trim().split('\n').at(-1)!;
      expect(token.split('.')).toHaveLength(3);

      const intake = { name: 'Restart Proof Ltd', website: 'https://restart.example', contactEmail: 'sec@restart.example', criticality: 'medium', dataClassification: 'internal' };
      const anonymous = await fetch(`${server.url}/api/vendors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(intake) });
      expect(anonymous.status).toBe(401);
      const created = await fetch(`${server.url}/api/vendors`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(intake) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };

      expect(await server.stop()).toBe(0);
      server = await startServerProcess(env);
      const again = await fetch(`${server.url}/api/vendors/${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ id, name: 'Restart Proof Ltd' });
    } finally {
      await server.stop();
    }
  });

  it('refuses an unknown role with exit 2 and a usage line', async () => {
    const cli = await runCli(['token', '--role', 'vendor'], { TRUSTGATE_DATA_DIR: dataDir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--role must be one of procurement, security, admin');
  });

  it('answers an unknown command with exit 2 and the list of commands', async () => {
    const cli = await runCli(['frobnicate']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('Usage: trustgate <command>');
  });
});
