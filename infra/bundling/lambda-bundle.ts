/**
 * How every Lambda is bundled: one esbuild configuration, used by the CDK construct (`npm run synth`), the bundle
 * tests and `npm run bench:bundles`, so what is tested and measured is what is deployed.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The API bundle's budget: the handler file alone, source map excluded, in KiB as esbuild and `ls -h` report it.
 * Issue 8 asked for "at most 1 MB minified" (1 MiB); corrections score again inside the API request, which brings the
 * risk model (~30 KB) into the API, so the budget was 1088 KiB (docs/adr/0006-corrections-score-in-the-api.md).
 * The merge of issues 14-16 and 18 (the materialized register and its schemas, scope fit, the S3 presigner for direct
 * uploads, audit verification jobs, the typed page bundles) took the handler to 1149 KiB (budget 1160 KiB). The pages of
 * issue 16 (review, portal, portfolio: the page scripts grew from 77 KB to 110 KB, with the domain modules they
 * share) and the fourth-party routes of issue 18 took it to 1214 KiB: the budget is 1248 KiB until the API is split
 * (portal and staff functions) or the page scripts are served as static files instead of from the function. Checked
 * by test/bundles and recorded by `npm run bench:bundles`.
 */
export const API_BUNDLE_BUDGET_BYTES = 1248 * 1024;

/** The handler file name inside every bundle: `index.mjs`, so the Lambda handler is `index.handler`. */
export const HANDLER_FILE = 'index.mjs';

/** Options shared by every bundle (entry points, output and plugins are added per build). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  // Stack traces map back to TypeScript (NODE_OPTIONS=--enable-source-maps); mappings only, no sources copied in.
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  charset: 'utf8',
  outExtension: { '.js': '.mjs' },
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
} as const satisfies BuildOptions;

const notBundled = (what: string) => `function notBundled() { throw new Error(${JSON.stringify(`${what} is left out of trustgate's Lambda bundles (infra/bundling/lambda-bundle.ts)`)}); }`;

/**
 * Modules of zod that only its `z` namespace object keeps alive: @hono/zod-openapi passes `z` around whole, so
 * esbuild cannot drop unused members. trustgate speaks English only and never compiles parsers or reads JSON
 * Schema into zod; the stubs keep the export names (a new import of them fails the build, not the Lambda).
 */
const ZOD_STUBS: Record<string, string> = {
  // Every locale (~260 kB minified) but English.
  'v4/locales/index.js': `export { default as en } from './en.js';`,
  'v4/core/compile.js': [
    notBundled('z.compile'),
    `export const INVALID = Symbol.for('zod.compile.invalid');`,
    `export class ZodCompileAsyncError extends Error {}`,
    `export class ZodCompileUnsupportedError extends Error {}`,
    `export { notBundled as compile, notBundled as withParser, notBundled as compileFn };`,
  ].join('\n'),
  'v4/classic/from-json-schema.js': `${notBundled('z.fromJSONSchema')}\nexport { notBundled as fromJSONSchema };`,
};

const zodTrimmed: Plugin = {
  name: 'zod-trimmed',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/](locales[\\/]index|core[\\/]compile|classic[\\/]from-json-schema)\.js$/ }, (args) => {
      const key = Object.keys(ZOD_STUBS).find((k) => args.path.replaceAll('\\', '/').endsWith(`/zod/${k}`));
      return key ? { contents: ZOD_STUBS[key], loader: 'js', resolveDir: dirname(args.path) } : undefined;
    });
  },
};

/**
 * aws-xray-sdk-core (under Powertools Tracer) loads semver (~29 kB) only to check the version of AWS SDK v2 in
 * its v2 patcher; trustgate uses SDK v3, whose patcher does not use it.
 */
const noSemverForXray: Plugin = {
  name: 'no-semver-for-xray',
  setup(b) {
    b.onResolve({ filter: /^semver$/ }, (args) =>
      /[\\/]aws-xray-sdk-core[\\/]/.test(args.importer) ? { path: 'semver', namespace: 'xray-semver' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'xray-semver' }, () => ({ contents: `module.exports = { gte: ${notBundled('semver').replace('function notBundled', 'function')} };`, loader: 'js' }));
  },
};

/**
 * @aws-sdk/s3-presigned-post pins an exact, older @aws-sdk/client-s3, so npm nests a second copy (~76 kB) under it.
 * It only takes PutObjectCommand from it: resolve that import to the project's own client-s3, one copy per bundle.
 */
const oneS3Client: Plugin = {
  name: 'one-s3-client',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/client-s3$/ }, async (args) =>
      /[\\/]@aws-sdk[\\/]s3-presigned-post[\\/]/.test(args.importer) ? b.resolve(args.path, { kind: args.kind, resolveDir: PROJECT_ROOT }) : undefined,
    );
  },
};

/**
 * On Lambda the execution role's credentials are always in the environment (AWS_ACCESS_KEY_ID, ...), the first
 * link of the SDK's default chain. The rest of the chain (profiles, SSO, web identity, login, IMDS) and the nested
 * STS/SSO clients it brings (~90 kB) never run there: every SDK client in a bundle reads credentials from the
 * environment only.
 */
const environmentCredentialsOnly: Plugin = {
  name: 'environment-credentials-only',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({ path: args.path, namespace: 'env-credentials', pluginData: args.resolveDir }));
    b.onLoad({ filter: /.*/, namespace: 'env-credentials' }, (args) => ({
      contents: "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';",
      resolveDir: args.pluginData as string,
      loader: 'js',
    }));
  },
};

/**
 * The web pages' own scripts and stylesheet are kept as readable source in `String.raw` modules
 * (shared/http/pages/assets); the Lambda serves them minified. A module of any other shape is left as it is.
 */
const minifiedPageAssets: Plugin = {
  name: 'minified-page-assets',
  setup(b) {
    b.onLoad({ filter: /[\\/]shared[\\/]http[\\/]pages[\\/]assets[\\/][\w-]+-(js|css)\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const asset = /^(?:\/\*\*[^]*?\*\/\s*)?export const (\w+) = String\.raw`([^`]*)`;\s*$/.exec(source);
      if (!asset || asset[2]!.includes('${')) return undefined;
      const minified = await transform(asset[2]!, { loader: args.path.endsWith('-css.ts') ? 'css' : 'js', minify: true, target: 'es2017', legalComments: 'none' });
      return { contents: `export const ${asset[1]} = ${JSON.stringify(minified.code.trim())};`, loader: 'js' };
    });
  },
};

/** The plugins every bundle is built with. */
export const BUNDLE_PLUGINS: Plugin[] = [zodTrimmed, oneS3Client, environmentCredentialsOnly, noSemverForXray, minifiedPageAssets];

export interface BuiltBundle {
  /** Absolute path of the handler file. */
  handlerFile: string;
  /** Every file written, with its size in bytes (source maps included). */
  files: { name: string; bytes: number }[];
  /** Bytes of the handler file alone (what is loaded at cold start). */
  handlerBytes: number;
  metafile: Metafile;
}

/**
 * Bundles one Lambda entry into `outdir` (emptied first). A bundle that carries pdf.js also gets pdf.js's worker
 * (`pdf.worker.mjs`, which pdf.js imports from beside the bundle) and a pure-JavaScript stand-in for the
 * `@napi-rs/canvas` binding it looks for: text extraction needs only DOMMatrix, ImageData and Path2D, and nothing
 * native has to match the Lambda's architecture.
 */
export async function buildLambdaBundle(entry: string, outdir: string): Promise<BuiltBundle> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const main = await build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { index: resolve(PROJECT_ROOT, entry) },
    outdir,
    metafile: true,
    plugins: BUNDLE_PLUGINS,
  });
  const pdfjsInput = Object.keys(main.metafile.inputs).find((input) => /pdfjs-dist[\\/]legacy[\\/]build[\\/]pdf\.mjs$/.test(input));
  if (pdfjsInput) {
    await build({
      ...BUNDLE_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      banner: {},
      entryPoints: { 'pdf.worker': resolve(PROJECT_ROOT, dirname(pdfjsInput), 'pdf.worker.mjs') },
      outdir,
    });
    const standIn = join(outdir, 'node_modules/@napi-rs/canvas');
    await build({
      ...BUNDLE_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      format: 'cjs',
      banner: {},
      sourcemap: false,
      entryPoints: [resolve(PROJECT_ROOT, 'infra/bundling/canvas-stand-in.ts')],
      outfile: join(standIn, 'index.js'),
      outExtension: {},
    });
    await writeFile(join(standIn, 'package.json'), `${JSON.stringify({ name: '@napi-rs/canvas', private: true, main: 'index.js' })}\n`);
  }
  const files = await listFiles(outdir);
  const handlerFile = join(outdir, HANDLER_FILE);
  return { handlerFile, files, handlerBytes: (await stat(handlerFile)).size, metafile: main.metafile };
}

async function listFiles(dir: string, prefix = ''): Promise<{ name: string; bytes: number }[]> {
  const out: { name: string; bytes: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), name)));
    else out.push({ name, bytes: (await stat(join(dir, entry.name))).size });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
