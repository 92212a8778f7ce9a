/**
 * The built CLI and local server (`dist/`): what `npx trustgate` and `npm start` run, as plain JavaScript. Built with
 * the Lambda bundles' esbuild options (lambda-bundle.ts, one source of configuration) by `npm install` (`prepare`)
 * and again by the launchers when an input changed (infra/bundling/ensure-local-build.mjs). docs/adr/0008.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build, version as esbuildVersion, type BuildOptions, type OutputFile } from 'esbuild';
import { writeClientModule } from './client-assets.ts';
import { BUNDLE_OPTIONS, BUNDLE_PLUGINS, PROJECT_ROOT } from './lambda-bundle.ts';

/** The build folder (gitignored). */
export const LOCAL_BUILD_DIR = join(PROJECT_ROOT, 'dist');

/** The stamp the launchers compare with the inputs (see ensure-local-build.mjs). */
export const LOCAL_BUILD_STAMP = 'build-stamp.json';

/**
 * Entry points, by output name. The extraction worker is an entry of its own so that it lands in dist/ beside the
 * chunks: isolated-pdf-text-extractor.ts starts it as `new URL('./pdf-extract-worker.mjs', import.meta.url)`.
 */
export const LOCAL_ENTRIES = {
  cli: 'functions/cli.ts',
  'local-server': 'functions/local-server.ts',
  'pdf-extract-worker': 'shared/adapters/pdf/pdf-extract-worker.mjs',
} as const;

/**
 * Packages loaded from node_modules instead of bundled, each because bundling would break it or cost more:
 * pdf-parse and pdfjs-dist run in the extraction worker only and pdf.js loads its own worker file from its package;
 * tesseract.js starts its worker script from its package folder; @tesseract.js-data/eng is found with
 * require.resolve; @napi-rs/canvas and classic-level (under dynalite) are native bindings; dynalite requires its
 * actions by computed path. Everything else (AWS SDK, hono, zod, jose, aws-local-stepfunctions) is bundled: fewer
 * files to resolve and load at every start (measured in docs/adr/0008-built-cli-and-server.md).
 */
export const LOCAL_EXTERNALS = ['pdf-parse', 'pdfjs-dist', 'tesseract.js', '@tesseract.js-data/eng', '@napi-rs/canvas', 'classic-level', 'dynalite'];

/** Files that shape the output without being bundled into it: a change to any of them makes the build stale. */
export const LOCAL_BUILD_CONFIG_FILES = ['infra/bundling/local-build.ts', 'infra/bundling/lambda-bundle.ts', 'infra/bundling/client-assets.ts', 'infra/bundling/ensure-local-build.mjs', 'tsconfig.json'];

/** Unreferenced chunks are kept this long, so that a process started from the previous build can still load its lazy chunks. */
const OLD_CHUNK_GRACE_MS = 24 * 3600 * 1000;

/** `dist/build-stamp.json`: each watched file (see watchedFileOf) with its modification time and size. */
export interface LocalBuildStamp {
  esbuild: string;
  inputs: Record<string, [mtimeMs: number, size: number]>;
  /** Files written (source maps left out), relative to the build folder: one missing makes the build stale. */
  outputs: string[];
}

export interface LocalBuild {
  outdir: string;
  files: { name: string; bytes: number }[];
  /** Packages the output imports from node_modules at run time, by package name (node: built-ins left out). */
  externals: string[];
  stamp: LocalBuildStamp;
  ms: number;
}

/** The esbuild options of the local build: the Lambda options, plus code splitting so a command loads only its own code. */
export function localBuildOptions(outdir: string): BuildOptions {
  return {
    ...BUNDLE_OPTIONS,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: Object.fromEntries(Object.entries(LOCAL_ENTRIES).map(([name, entry]) => [name, resolve(PROJECT_ROOT, entry)])),
    outdir,
    splitting: true,
    // In dist/ itself, beside the entries (see LOCAL_ENTRIES); named by content, so a rebuild never changes a chunk
    // that a running process may still import.
    chunkNames: 'chunk-[hash]',
    external: LOCAL_EXTERNALS,
    // The environment-only credential chain is for Lambda: locally the SDK talks to dynalite with fixed credentials,
    // and a user may point the CLI at anything.
    plugins: BUNDLE_PLUGINS.filter((plugin) => plugin.name !== 'environment-credentials-only'),
    metafile: true,
    write: false,
  };
}

/**
 * Builds dist/ and writes its stamp. Every file is written to a temporary name and renamed into place, the stamp
 * last, so a process starting meanwhile sees either the old or the new file, never half of one, and two builds at
 * once (two stale launchers) both end with a complete dist/.
 */
export async function buildLocal(outdir: string = LOCAL_BUILD_DIR): Promise<LocalBuild> {
  const started = performance.now();
  // The browser bundles first: the server imports the module they are written to (client-assets.ts), and their
  // sources are inputs of this build too, so that editing a page script makes dist/ stale.
  const client = await writeClientModule();
  const startedAt = Date.now();
  await mkdir(outdir, { recursive: true });
  const result = await build(localBuildOptions(outdir));
  const written = new Set<string>();
  for (const file of result.outputFiles ?? []) {
    await writeAtomically(file.path, file.contents);
    written.add(file.path);
  }
  await removeOldChunks(outdir, written);
  const inputs: LocalBuildStamp['inputs'] = {};
  const watched = new Set([...Object.keys(result.metafile!.inputs), ...client.inputs].map(watchedFileOf).concat(LOCAL_BUILD_CONFIG_FILES));
  for (const input of [...watched].sort()) {
    // esbuild names inputs relative to absWorkingDir, with a namespace prefix for virtual modules (plugins' stubs).
    if (input.includes(':')) continue;
    const info = await stat(resolve(PROJECT_ROOT, input));
    // A file saved while esbuild was reading it may not be in the output: record it as changed, so the next run rebuilds.
    inputs[relative(PROJECT_ROOT, resolve(PROJECT_ROOT, input))] = [info.mtimeMs >= startedAt ? -1 : info.mtimeMs, info.size];
  }
  const files = outputSizes(result.outputFiles ?? [], outdir);
  const stamp: LocalBuildStamp = { esbuild: esbuildVersion, inputs, outputs: files.map((f) => f.name).filter((name) => !name.endsWith('.map')) };
  await writeAtomically(join(outdir, LOCAL_BUILD_STAMP), `${JSON.stringify(stamp)}\n`);
  const externals = new Set<string>();
  for (const output of Object.values(result.metafile!.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const [first, second] = imported.path.split('/');
      externals.add(first!.startsWith('@') ? `${first}/${second}` : first!);
    }
  }
  return { outdir, files, externals: [...externals].sort(), stamp, ms: performance.now() - started };
}

/**
 * The file whose change makes an input stale: the input itself for the project's sources, the package's
 * package.json for a bundled dependency (npm rewrites it on every install or upgrade; one stat per package instead
 * of one per file keeps the launchers' check at a few milliseconds).
 */
function watchedFileOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return input;
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  return `${input.slice(0, at)}node_modules/${name}/package.json`;
}

async function writeAtomically(path: string, contents: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

async function removeOldChunks(outdir: string, keep: Set<string>): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(outdir)) {
    const path = join(outdir, name);
    if (!/^chunk-\w+\.mjs(\.map)?$/.test(name) || keep.has(path)) continue;
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > OLD_CHUNK_GRACE_MS) await rm(path, { force: true });
  }
}

function outputSizes(files: OutputFile[], outdir: string): { name: string; bytes: number }[] {
  return files.map((f) => ({ name: relative(outdir, f.path), bytes: f.contents.byteLength })).sort((a, b) => a.name.localeCompare(b.name));
}
