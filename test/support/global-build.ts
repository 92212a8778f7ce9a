/**
 * Vitest global setup: builds dist/ once before any test file runs when a source changed, so that the tests spawning
 * the CLI and the server (processes.ts) run the built artefacts a user runs, and no two test workers build at once.
 */
import { ensureLocalBuild } from '../../infra/bundling/ensure-local-build.mjs';

export async function setup(): Promise<void> {
  await ensureLocalBuild({ log: (line) => console.log(line) });
}
