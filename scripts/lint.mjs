#!/usr/bin/env node
// House rules that the type-checker does not see (STYLE.md). Exit 1 listing every offence.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, basename } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
// The lint script itself spells out the patterns it looks for, so it is not linted.
const DIRS = ['infra', 'functions', 'shared', 'questionnaires', 'test'];
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  });

const offences = [];
for (const dir of DIRS) {
  let all;
  try {
    all = files(join(ROOT, dir));
  } catch {
    continue;
  }
  for (const file of all.filter((f) => /\.(ts|tsx|mjs)$/.test(f))) {
    const rel = relative(ROOT, file);
    const name = basename(file).replace(/\.(test|bench|contract\.test|d)\.ts$/, '').replace(/\.(ts|tsx|mjs)$/, '');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9-]+)*$/.test(name)) offences.push(`${rel}: file names are kebab-case`);
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, i) => {
      const at = `${rel}:${i + 1}`;
      if (/\b(describe|it|test)\.only\(/.test(line)) offences.push(`${at}: .only left in a test`);
      if (/\bdebugger\b/.test(line)) offences.push(`${at}: debugger statement`);
      if (/\b(TODO|FIXME)\b(?!\s*\(#\d+\))/.test(line)) offences.push(`${at}: TODO/FIXME without an issue number, e.g. TODO(#12)`);
      if (rel.startsWith('shared/domain/') && /console\.(log|error|warn)/.test(line)) offences.push(`${at}: the domain core does not log`);
      if (/export default /.test(line) && !rel.startsWith('types/') && !rel.endsWith('vitest.config.ts')) offences.push(`${at}: use named exports`);
    });
  }
}
if (offences.length) {
  console.error(offences.join('\n'));
  console.error(`\n${offences.length} lint offence(s)`);
  process.exit(1);
}
console.log('lint: ok');
