/**
 * `npm run bench:bundles`: builds every Lambda bundle exactly as `npm run synth` does, then records each bundle's
 * size and its import-plus-init time (a fresh Node process importing index.mjs with the AWS-mode environment:
 * module evaluation, config, SDK clients) in the "## Lambda bundles" section of docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_BUNDLE_BUDGET_BYTES, buildLambdaBundle, PROJECT_ROOT, type BuiltBundle } from '../infra/bundling/lambda-bundle.ts';
import { ENV_VARS } from '../shared/composition/config.ts';

const FUNCTIONS = [
  { name: 'API', entry: 'functions/api-handler.ts' },
  { name: 'Workflow steps', entry: 'functions/workflow-step-handler.ts' },
  { name: 'Analyzer', entry: 'functions/analyze-document-handler.ts' },
  { name: 'Daily sweep', entry: 'functions/sweep-handler.ts' },
] as const;
const RUNS = 7;

const ENV = {
  PATH: process.env.PATH ?? '',
  NODE_NO_WARNINGS: '1',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  [ENV_VARS.mode]: 'aws',
  [ENV_VARS.tableName]: 'trustgate',
  [ENV_VARS.documentsBucket]: 'trustgate-documents',
  [ENV_VARS.mailFrom]: 'trustgate@example.com',
  [ENV_VARS.publicBaseUrl]: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
  [ENV_VARS.cognitoIssuer]: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench',
  [ENV_VARS.cognitoClientId]: 'benchclient',
  [ENV_VARS.stateMachineArn]: 'arn:aws:states:eu-west-1:000000000000:stateMachine:bench',
};

/** Milliseconds to import the bundle in a fresh process (median of RUNS), with or without source-map support. */
function importTime(bundle: BuiltBundle, sourceMaps: boolean): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle.handlerFile).href)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script], { env: ENV, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`Importing ${bundle.handlerFile} failed:\n${run.stderr}`);
    times.push(Number(run.stdout));
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const workDir = await mkdtemp(join(tmpdir(), 'trustgate-bench-bundles-'));
const rows: string[] = [];
try {
  for (const f of FUNCTIONS) {
    const started = performance.now();
    const bundle = await buildLambdaBundle(f.entry, join(workDir, f.entry.replace(/\W/g, '-')));
    const buildMs = performance.now() - started;
    const code = bundle.files.filter((file) => !file.name.endsWith('.map'));
    const codeBytes = code.reduce((sum, file) => sum + file.bytes, 0);
    const withMaps = importTime(bundle, true);
    const withoutMaps = importTime(bundle, false);
    const budget = f.name === 'API' ? ` (${((bundle.handlerBytes / API_BUNDLE_BUDGET_BYTES) * 100).toFixed(0)} % of budget)` : '';
    rows.push(
      `| ${f.name} | ${bundle.handlerBytes.toLocaleString('en')} B = ${kb(bundle.handlerBytes)}${budget} | ${kb(codeBytes)}${code.length > 1 ? ` (with ${code.filter((file) => file.name !== 'index.mjs' && !file.name.endsWith('package.json')).map((file) => file.name.replace(/^node_modules\//, '')).join(', ')})` : ''} | ${withMaps.toFixed(0)} ms | ${withoutMaps.toFixed(0)} ms | ${buildMs.toFixed(0)} ms |`,
    );
    console.log(rows.at(-1));
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const cpu = cpus();
const section = `## Lambda bundles

\`npm run bench:bundles\` (\`scripts/bench-bundles.ts\`) builds every function's bundle with the build \`npm run synth\`
uses (\`infra/bundling/lambda-bundle.ts\`: esbuild, ESM, minified, Node 22 target) and imports each one in a fresh
Node process with the AWS-mode environment, ${RUNS} times, reporting the median. **Import + init** is module
evaluation: configuration, SDK clients, Powertools, the Hono app. Lambda runs it once per cold start on top of its
own start-up. The stack sets \`NODE_OPTIONS=--enable-source-maps\` on every function, so the first timing column is
the deployed one.

Machine: ${cpu.length} vCPU (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}. Run of ${new Date().toISOString().slice(0, 10)}:

| function | handler (index.mjs) | all code in the bundle | import + init, source maps on | source maps off | build |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

Reading the figures:

- The API budget is 1 MB (1 MiB, ${API_BUNDLE_BUDGET_BYTES.toLocaleString('en')} bytes) for the handler file, checked by
  \`test/bundles\`. It carries no pdf-parse and only the SDK clients the API calls (DynamoDB, S3, SESv2, Step Functions).
- What keeps it there (\`infra/bundling/lambda-bundle.ts\`): zod without its 40-odd locales, compiler and JSON-Schema
  importer (~300 kB), one copy of the S3 client instead of two (~76 kB), SDK credentials from the environment only
  (~90 kB of profile/SSO/STS code never used on Lambda), the web pages' scripts and stylesheet minified (~20 kB), and
  no Powertools Tracer in the API (aws-xray-sdk-core, ~95 kB; the API is traced by Lambda's active tracing).
- The analyzer's pdf.js worker (\`pdf.worker.mjs\`) is imported at the first PDF, not at init; its canvas binding
  is a JavaScript stand-in (\`node_modules/@napi-rs/canvas\` in the bundle), so nothing native depends on the
  architecture.
- Sizes exclude the source maps (\`.map\`, mappings only), which Node reads when a stack trace is printed.
`;

const docPath = join(PROJECT_ROOT, 'docs/benchmarks.md');
const doc = await readFile(docPath, 'utf8').catch(() => '# Benchmarks\n');
const start = doc.indexOf('## Lambda bundles');
let next = start < 0 ? -1 : doc.indexOf('\n## ', start + 1);
if (next >= 0) next += 1;
const updated = start < 0 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, start)}${section}${next >= 0 ? `\n${doc.slice(next)}` : ''}`;
await writeFile(docPath, updated);
console.log(`\nRecorded in ${docPath}`);
