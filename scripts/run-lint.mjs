#!/usr/bin/env node
// `npm run lint`: tsc and ESLint side by side (each builds the TypeScript program on one core; docs/benchmarks.md),
// then the house rules. Prints each tool's output whole, in that order; exit 1 when any of them fails.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

function run(name, command, args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ name, ok: false, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code) => resolve({ name, ok: code === 0, output: Buffer.concat(output).toString(), seconds: (performance.now() - started) / 1000 }));
  });
}

const results = await Promise.all([run('tsc', bin('tsc'), ['--noEmit', '-p', '.']), run('eslint', bin('eslint'), ['.'])]);
for (const result of results) {
  process.stdout.write(result.output);
  console.log(`${result.name}: ${result.ok ? 'ok' : 'failed'} (${result.seconds.toFixed(0)} s)`);
}
const houseRules = spawnSync(process.execPath, [join(ROOT, 'scripts', 'lint.mjs')], { cwd: ROOT, stdio: 'inherit' });
process.exit(results.every((r) => r.ok) && houseRules.status === 0 ? 0 : 1);
