/** `tsx infra/bundling/bundle-command.ts <entry> <outdir>`: what CDK runs to bundle one function (esbuild plugins need async). */
import { buildLambdaBundle } from './lambda-bundle.ts';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('Usage: bundle-command.ts <entry, relative to the repository root> <output directory>');
  process.exit(2);
}
const bundle = await buildLambdaBundle(entry, outdir);
console.error(`  ${entry}: ${(bundle.handlerBytes / 1024).toFixed(0)} KiB handler, ${bundle.files.length} files`);
