/** The "done when", as a new user would do it: start, sign in with the CLI, register, restart, still there. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { safestAnswers } from '../support/answers.ts';
import { runCli, startServerProcess } from '../support/processes.ts';

/** Polls `probe` until it returns a value (at most 30 s). */
async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 250));
  }
}

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

  it('resumes a waiting assessment after the server is killed (SIGKILL) and started again', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustgate-kill-'));
    const env = { TRUSTGATE_DATA_DIR: dir, PORT: '0' };
    let server = await startServerProcess(env);
    try {
      const token = (await runCli(['token', '--role', 'procurement'], { TRUSTGATE_DATA_DIR: dir })).stdout.trim().split('\n').at(-1)!;
      const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const vendor = (await (await fetch(`${server.url}/api/vendors`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Killed Co', website: 'https://killed.example', contactEmail: 'sec@killed.example', criticality: 'low', dataClassification: 'internal' }) })).json()) as { id: string };
      const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      const started = await fetch(`${server.url}/api/assessments`, { method: 'POST', headers: auth, body: JSON.stringify({ vendorId: vendor.id, dueDate: due }) });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };
      const portalToken = await waitFor(async () => {
        const outbox = (await (await fetch(`${server.url}/api/dev/outbox`, { headers: auth })).json()) as { items: { text: string }[] };
        return /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(outbox.items.map((m) => m.text).join('\n'))?.[1] ?? null;
      });

      await server.kill();
      server = await startServerProcess(env);

      const view = (await (await fetch(`${server.url}/api/portal/assessment`, { headers: { authorization: `Bearer ${portalToken}` } })).json()) as { questionnaires: { template: { id: string } }[] };
      for (const q of view.questionnaires) {
        const saved = await fetch(`${server.url}/api/portal/answers`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${portalToken}` }, body: JSON.stringify({ templateId: q.template.id, answers: safestAnswers(getTemplate(q.template.id)!) }) });
        expect(saved.status).toBe(200);
      }
      const submitted = await fetch(`${server.url}/api/portal/submit`, { method: 'POST', headers: { authorization: `Bearer ${portalToken}` } });
      expect(submitted.status).toBe(200);
      // Wait until the workflow has left the states it passes through after submit, then look at where it ended.
      const assessment = await waitFor(async () => {
        const a = (await (await fetch(`${server.url}/api/assessments/${id}`, { headers: auth })).json()) as { assessment: { status: string; lastDecision?: { automatic?: boolean } } };
        return ['awaiting-vendor', 'analyzing'].includes(a.assessment.status) ? null : a.assessment;
      });
      // A low-criticality vendor with the safest answers is approved by policy: the workflow resumed after the kill.
      expect(assessment).toMatchObject({ status: 'approved', lastDecision: { automatic: true } });
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
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
