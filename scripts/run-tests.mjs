#!/usr/bin/env node
// npm test: type-check, run every vitest test, and end with the one plain line CI reads:
// "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const env = { ...process.env, NODE_NO_WARNINGS: '1' };
const extra = process.argv.slice(2);

const tsc = spawnSync('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'], { stdio: 'inherit', env });
if (tsc.status !== 0) {
  console.error('Type-check failed.');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

mkdirSync('.test-results', { recursive: true });
const resultsFile = '.test-results/vitest.json';
if (existsSync(resultsFile)) rmSync(resultsFile);
const vitest = spawnSync(
  'npx',
  ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra],
  { stdio: 'inherit', env },
);

let passed = 0;
let failed;
let skipped = 0;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests ?? 0;
  failed = results.numFailedTests ?? 0;
  skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  // A suite that fails to load has no failed tests but is a failure all the same.
  const brokenSuites = (results.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
  failed += brokenSuites;
} else {
  failed = 1;
}
const code = vitest.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code);
