#!/usr/bin/env node
// `npm start`: runs the built local server (dist/local-server.mjs, plain JavaScript), building it first when a source
// changed since the last build. `npm run dev` runs the TypeScript through tsx instead. docs/adr/0008.
import { ensureLocalBuild } from '../infra/bundling/ensure-local-build.mjs';

try {
  await ensureLocalBuild();
} catch (error) {
  console.error(`trustgate: the build failed, so the server cannot start (${error instanceof Error ? error.message.split('\n')[0] : error}).`);
  process.exit(1);
}
await import('../dist/local-server.mjs');
