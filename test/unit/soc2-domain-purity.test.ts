import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const domainDir = join(import.meta.dirname, '../../shared/domain/soc2');
const sources = readdirSync(domainDir).filter((f) => f.endsWith('.ts')).map((f) => ({ file: f, text: readFileSync(join(domainDir, f), 'utf8') }));

describe('the SOC 2 analyzer stays pure', () => {
  it('imports only its own modules and the domain error base', () => {
    const imports = sources.flatMap((s) => [...s.text.matchAll(/from '([^']+)'/g)].map((m) => `${s.file}: ${m[1]}`));
    expect(imports.filter((i) => !/: \.\.?\/[\w./-]+\.ts$/.test(i))).toEqual([]);
  });

  it('reads no clock and no environment', () => {
    expect(sources.filter((s) => /Date\.now\(|process\.env|new Date\(\)/.test(s.text)).map((s) => s.file)).toEqual([]);
  });

  it('leaves pdf-parse to the one adapter', () => {
    expect(sources.filter((s) => s.text.includes('pdf-parse')).map((s) => s.file)).toEqual([]);
  });
});
