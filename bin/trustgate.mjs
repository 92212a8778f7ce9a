#!/usr/bin/env node
// The `trustgate` command: runs the built CLI (dist/cli.mjs, plain JavaScript), building it first when a source
// changed since the last build (`npm install` builds it once; docs/adr/0008-built-cli-and-server.md).
import { ensureLocalBuild } from '../infra/bundling/ensure-local-build.mjs';

process.env.NODE_NO_WARNINGS ??= '1';
try {
  await ensureLocalBuild();
} catch (error) {
  console.error(`trustgate: the build failed, so the CLI cannot run (${error instanceof Error ? error.message.split('\n')[0] : error}).`);
  process.exit(1);
}
const { main } = await import('../dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
