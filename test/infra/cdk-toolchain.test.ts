import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as { version: string; devDependencies?: Record<string, string> };

describe('CDK toolchain', () => {
  it('pins the aws-cdk CLI to the 2.x line that reads aws-cdk-lib 2 cloud assemblies (the registry latest, 3.0.0, does not)', () => {
    expect(json('package.json').devDependencies?.['aws-cdk']).toMatch(/^\^2\.\d+\.\d+$/);
    expect(json('node_modules/aws-cdk/package.json').version).toMatch(/^2\./);
    expect(json('node_modules/aws-cdk-lib/package.json').version).toMatch(/^2\./);
  });
});
