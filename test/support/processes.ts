/**
 * Runs the product as a user does: `npm start`'s launcher and the `trustgate` bin, as child processes running the built
 * JavaScript in dist/ (test/support/global-build.ts builds it before the tests when a source changed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningServer {
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown handlers run, as when the machine loses power or the process is OOM-killed. */
  kill(): Promise<void>;
  /** Settles when the process ends, however it ends (e.g. killed by its own armed crash point). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every child this module started and that has not exited: killed when the test file ends, whatever happened. */
const liveChildren = new Set<ChildProcess>();
const track = <T extends ChildProcess>(child: T): T => {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
};

/** How many server or CLI children are running now. */
export const liveChildCount = (): number => liveChildren.size;

/** SIGKILLs every server or CLI child still running (test/setup.ts calls it after each test file, and at exit). */
export function killAllChildren(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
}
process.once('exit', killAllChildren);

/**
 * How long a server may take to answer /health. Generous: on a loaded 2-core machine a cold start under tsx has
 * taken 20 s; a wait that ends early on readiness costs nothing when the machine is idle.
 */
/** A loopback port free right now: mailed links carry TRUSTGATE_PUBLIC_URL, which must name the port before the server starts. */
export const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
    probe.once('error', reject);
  });

export const SERVER_START_TIMEOUT_MS = 120_000;

/**
 * Starts the local server (what `npm start` runs) and waits until it is ready: its banner printed and /health
 * answering. On every failure (timeout, early exit, failed health check) the child is killed before the error is
 * thrown, so no server outlives a failed start.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = SERVER_START_TIMEOUT_MS): Promise<RunningServer> {
  const child = track(
    spawn(process.execPath, [resolve(ROOT, 'bin/local-server.mjs')], {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const deadline = Date.now() + timeoutMs;
  let url: string;
  try {
    url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not print its banner within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const check = () => {
        const match = /running \(local mode\) at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      };
      child.stdout.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code ?? signal} before it was ready:\n${output}`));
      });
    });
    await waitForHealth(url, deadline, () => output);
  } catch (error) {
    await killChild(child);
    throw error;
  }
  return {
    url,
    exited,
    output: () => output,
    stop: () => stopProcess(child),
    kill: () => killChild(child),
  };
}

async function waitForHealth(url: string, deadline: number, output: () => string): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server at ${url} did not answer /health in time:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function killChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolveKill) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveKill();
    child.once('exit', () => resolveKill());
    child.kill('SIGKILL');
  });
}

/** SIGTERM, as Ctrl-C would; SIGKILL if the server has not exited 15 s later (a hung shutdown fails the test, not CI). */
function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveExit(child.exitCode);
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(force);
      resolveExit(code);
    });
    child.kill('SIGTERM');
  });
}

/** Runs `trustgate <args>` through the package's bin, as `npx trustgate` does. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = track(spawn(process.execPath, [resolve(ROOT, 'bin/trustgate.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}
