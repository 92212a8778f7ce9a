#!/usr/bin/env node
// `npm run build` (and `prepare`, which `npm install` and `npm ci` run): builds dist/, the CLI and local server.
import { ensureLocalBuild } from '../infra/bundling/ensure-local-build.mjs';

try {
  await ensureLocalBuild({ force: process.argv.includes('--force') });
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
