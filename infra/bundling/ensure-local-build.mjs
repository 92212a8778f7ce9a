// Keeps dist/ (the built CLI and local server) in step with the sources, for the launchers (bin/trustgate.mjs,
// bin/local-server.mjs), `npm install` (scripts/build.mjs) and the tests' global setup. Plain JavaScript: it runs
// before anything is built. When fresh it costs one stat per input; when stale it compiles the build module
// (local-build.ts, which holds the configuration) with esbuild and runs it in this process. docs/adr/0008.
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LOCAL_BUILD_DIR = join(PROJECT_ROOT, 'dist');

/** Why dist/ must be built again (a short phrase), or null when every input is as the last build saw it. */
export function staleReason(outdir = LOCAL_BUILD_DIR) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outdir, 'build-stamp.json'), 'utf8'));
  } catch {
    return 'not built yet';
  }
  for (const [file, [mtimeMs, size]] of Object.entries(stamp.inputs ?? {})) {
    let info;
    try {
      info = statSync(resolve(PROJECT_ROOT, file));
    } catch {
      return `${file} is gone`;
    }
    if (info.mtimeMs !== mtimeMs || info.size !== size) return `${file} changed`;
  }
  for (const name of stamp.outputs ?? []) {
    try {
      statSync(join(outdir, name));
    } catch {
      return `the built ${name} is missing`;
    }
  }
  return Object.keys(stamp.inputs ?? {}).length === 0 ? 'the build stamp lists no inputs' : null;
}

/**
 * Builds dist/ (or `outdir`, which must be inside the project so that node_modules resolves) when it is stale or when
 * `force`, logging one line before and one after on stderr. Resolves to whether it built, why, and what; rejects when
 * the build fails (esbuild has printed the errors).
 */
export async function ensureLocalBuild({ force = false, outdir = LOCAL_BUILD_DIR, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const reason = force ? 'asked to' : staleReason(outdir);
  if (!reason) return { built: false, reason: null };
  log(`trustgate: building ${relative(PROJECT_ROOT, outdir)}/ (${reason})`);
  const { build } = await import('esbuild');
  // One file per process: two stale launchers at once must not overwrite each other's builder.
  const builder = join(LOCAL_BUILD_DIR, '.builder', `local-build-${process.pid}.mjs`);
  mkdirSync(dirname(builder), { recursive: true });
  try {
    await build({
      entryPoints: [join(PROJECT_ROOT, 'infra/bundling/local-build.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: builder,
      logLevel: 'warning',
    });
    const module = await import(pathToFileURL(builder).href);
    // lambda-bundle.ts finds the project root two folders above itself; dist/.builder/ keeps that true.
    if (module.LOCAL_BUILD_DIR !== LOCAL_BUILD_DIR) throw new Error(`the build module resolved the build folder to ${module.LOCAL_BUILD_DIR}, not ${LOCAL_BUILD_DIR}`);
    const result = await module.buildLocal(outdir);
    log(`trustgate: built ${relative(PROJECT_ROOT, outdir)}/ in ${Math.round(result.ms)} ms`);
    return { built: true, reason, ms: result.ms, files: result.files, externals: result.externals };
  } finally {
    rmSync(builder, { force: true });
  }
}
