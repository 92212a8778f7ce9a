/**
 * Vitest global setup, run once in the main process before any test file:
 * - builds dist/ when a source changed, so that the tests spawning the CLI and the server (processes.ts) run the
 *   built artefacts a user runs, and no two test workers build at once;
 * - unpacks the npm-packaged Chromium when the browser tests will use it: @sparticuz/chromium extracts into
 *   /tmp/chromium and returns that path as soon as the file exists, so two workers unpacking at once would launch a
 *   half-written browser ("Target page, context or browser has been closed").
 */
import { ensureLocalBuild } from '../../infra/bundling/ensure-local-build.mjs';
import { chromiumExecutable } from './browser.ts';

export async function setup(): Promise<void> {
  await ensureLocalBuild({ log: (line) => console.log(line) });
  await chromiumExecutable();
}
