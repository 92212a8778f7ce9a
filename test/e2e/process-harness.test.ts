/** The harness that starts `npm start`'s server for the end-to-end tests leaves no process behind when a start fails. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveChildCount, startServerProcess } from '../support/processes.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'trustgate-harness-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('server start-up in tests', () => {
  it('kills the server it started when the server is not ready in time', async () => {
    const before = liveChildCount();
    await expect(startServerProcess({ TRUSTGATE_DATA_DIR: dataDir, PORT: '0' }, 50)).rejects.toThrow(/did not print its banner within 50 ms/);
    expect(liveChildCount()).toBe(before);
  });

  it('reports a server that exits before it is ready, with its output', async () => {
    await expect(startServerProcess({ TRUSTGATE_DATA_DIR: dataDir, PORT: 'not-a-port' })).rejects.toThrow(/exited with 1 before it was ready[\s\S]*PORT must be a whole number/);
    expect(liveChildCount()).toBe(0);
  });

  it('waits for /health, and stop() ends the process with exit code 0', async () => {
    const server = await startServerProcess({ TRUSTGATE_DATA_DIR: dataDir, PORT: '0' });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(liveChildCount()).toBe(1);
    expect(await server.stop()).toBe(0);
    expect(liveChildCount()).toBe(0);
  });
});
