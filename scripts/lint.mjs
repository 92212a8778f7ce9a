#!/usr/bin/env node
// The house rules that neither tsc nor ESLint (eslint.config.mjs) can express: kebab-case file names, and a TODO or
// FIXME only with the issue that tracks it. Why each rule lives where it does: docs/adr/0009-linting.md.
// Exit 1 listing every offence.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, basename } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DIRS = ['bin', 'functions', 'infra', 'questionnaires', 'scripts', 'shared', 'test', 'types'];
// This file spells out the comment markers it looks for.
const SELF = 'scripts/lint.mjs';
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
    if (rel === SELF) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/\b(TODO|FIXME)\b(?!\s*\(#\d+\))/.test(line)) offences.push(`${rel}:${i + 1}: TODO/FIXME without an issue number, e.g. TODO(#12)`);
    });
  }
}
if (offences.length) {
  console.error(offences.join('\n'));
  console.error(`\n${offences.length} lint offence(s)`);
  process.exit(1);
}
console.log('house rules: ok');
