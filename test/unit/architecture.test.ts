/** The domain core stays pure and use cases reach the world only through ports. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes.ts';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

const INFRASTRUCTURE = [/^@aws-sdk\//, /^hono/, /^@hono\//, /^pdf-parse/, /^dynalite/, /^jose/, /^node:(fs|child_process|net|http|os)/, /^aws-cdk-lib/, /\/adapters\//, /\/http\//, /\/composition\//];

describe('architecture', () => {
  const domain = filesUnder(join(ROOT, 'shared/domain'));
  const app = filesUnder(join(ROOT, 'shared/app'));

  it('finds the domain and use-case files it checks', () => {
    expect(domain.length).toBeGreaterThan(3);
    expect(app.length).toBeGreaterThan(1);
  });

  it('keeps infrastructure imports out of the domain core and the use cases', () => {
    const offences = [...domain, ...app].flatMap((file) =>
      importsOf(file)
        .filter((spec) => INFRASTRUCTURE.some((re) => re.test(spec)))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it('keeps the clock and the environment out of the domain core', () => {
    const offences = domain.filter((file) => /process\.env|Date\.now\(|new Date\(\)/.test(readFileSync(file, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offences).toEqual([]);
  });

  it('reads process.env only in loadConfig', () => {
    const readers = ['shared', 'functions']
      .flatMap((d) => filesUnder(join(ROOT, d)))
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8').replace(/process\.env\.NODE_NO_WARNINGS/g, '')))
      .map((f) => relative(ROOT, f));
    expect(readers).toEqual(['shared/cli/cli-io.ts', 'shared/composition/config.ts']);
  });
});
