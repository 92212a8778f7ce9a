import { spawnSync } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalBuild, LOCAL_BUILD_DIR, staleReason, type LocalBuildOutcome } from '../../infra/bundling/ensure-local-build.mjs';
import { LOCAL_BUILD_STAMP, LOCAL_EXTERNALS, type LocalBuildStamp } from '../../infra/bundling/local-build.ts';

// Inside the project (node_modules must resolve for the externals), apart from dist/ itself, which other tests run.
const outdir = join(LOCAL_BUILD_DIR, `.test-${process.pid}`);
const logged: string[] = [];
let first: LocalBuildOutcome;

beforeAll(async () => {
  first = await ensureLocalBuild({ outdir, log: (line) => logged.push(line) });
}, 180_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

const readStamp = async (): Promise<LocalBuildStamp> => JSON.parse(await readFile(join(outdir, LOCAL_BUILD_STAMP), 'utf8')) as LocalBuildStamp;
const writeStamp = (stamp: LocalBuildStamp) => writeFile(join(outdir, LOCAL_BUILD_STAMP), JSON.stringify(stamp));

describe('the local build (dist/)', () => {
  it('builds a folder that has never been built, saying why', () => {
    expect(first.built).toBe(true);
    expect(logged[0]).toMatch(/building dist\/\.test-\d+\/ \(not built yet\)/);
  });

  it('writes the CLI, the server and the extraction worker as entries', () => {
    const names = first.built ? first.files.map((f) => f.name) : [];
    expect(names).toEqual(expect.arrayContaining(['cli.mjs', 'local-server.mjs', 'pdf-extract-worker.mjs']));
  });

  it('loads only the declared externals from node_modules', () => {
    const externals = first.built ? first.externals : [];
    expect(externals.filter((name) => !LOCAL_EXTERNALS.includes(name) && !isBuiltin(name))).toEqual([]);
    expect(externals).toEqual(expect.arrayContaining(['pdf-parse', 'dynalite', 'tesseract.js']));
  });

  it('is fresh right after it was built', async () => {
    expect(staleReason(outdir)).toBeNull();
    expect((await ensureLocalBuild({ outdir, log: () => undefined })).built).toBe(false);
  });

  it('watches the sources, the build configuration and one package.json per bundled package', async () => {
    const watched = Object.keys((await readStamp()).inputs);
    expect(watched).toEqual(expect.arrayContaining(['functions/cli.ts', 'shared/adapters/local/assessment-definition.ts', 'infra/generated/assessment-state-machine.asl.json', 'infra/bundling/local-build.ts', 'tsconfig.json']));
    expect(watched.filter((file) => /node_modules\/hono\//.test(file))).toEqual([expect.stringMatching(/node_modules\/hono\/package\.json$/)]);
    expect(watched.some((file) => /node_modules\/pdfjs-dist\//.test(file))).toBe(false);
  });

  it('is stale when a watched file changed since the build, naming it', async () => {
    const stamp = await readStamp();
    const saved = stamp.inputs['functions/cli.ts']!;
    stamp.inputs['functions/cli.ts'] = [saved[0] - 1000, saved[1]];
    await writeStamp(stamp);
    try {
      expect(staleReason(outdir)).toBe('functions/cli.ts changed');
    } finally {
      stamp.inputs['functions/cli.ts'] = saved;
      await writeStamp(stamp);
    }
  });

  it('is stale when a watched file is gone', async () => {
    const stamp = await readStamp();
    await writeStamp({ ...stamp, inputs: { ...stamp.inputs, 'shared/removed-module.ts': [1, 1] } });
    try {
      expect(staleReason(outdir)).toBe('shared/removed-module.ts is gone');
    } finally {
      await writeStamp(stamp);
    }
  });

  it('is stale when an output is missing', async () => {
    const stamp = await readStamp();
    await writeStamp({ ...stamp, outputs: [...stamp.outputs, 'chunk-DELETED.mjs'] });
    try {
      expect(staleReason(outdir)).toBe("the built chunk-DELETED.mjs is missing");
    } finally {
      await writeStamp(stamp);
    }
  });

  it('runs on plain Node without the TypeScript loader', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const { main, usage } = await import(${JSON.stringify(join(outdir, 'cli.mjs'))}); console.log(usage());`], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: trustgate <command>/);
  });
});
