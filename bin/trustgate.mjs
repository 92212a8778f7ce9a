#!/usr/bin/env node
// The `trustgate` command: runs the TypeScript CLI through tsx so that no build step is needed.
import { register } from 'tsx/esm/api';

process.env.NODE_NO_WARNINGS ??= '1';
// pdf.js ships large source maps; loading them doubles the CLI's memory on big reports.
process.setSourceMapsEnabled(false);
register();
const { main } = await import('../functions/cli.ts');
process.exitCode = await main(process.argv.slice(2));
