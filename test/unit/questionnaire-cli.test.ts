import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.ts';
import { main } from '../../functions/cli.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function capture(cwd = repoRoot) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {} };
  return { io, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const SHIPPED = ['baseline-security', 'saas-lite', 'privacy-dpa', 'availability-critical'].map((id) => `questionnaires/${id}.json`);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustgate-questionnaires-'));
  const broken = {
    id: 'broken',
    version: '1.0',
    title: 'Broken',
    description: 'Broken on purpose',
    sections: [{ id: 's', title: 'S', questions: [{ id: 'q1', text: 'Q?', type: 'yes-no', criteria: ['CC6.9'] }] }],
  };
  const badCondition = {
    id: 'bad-condition',
    version: '1.0.0',
    title: 'Bad condition',
    description: 'Reads a later question',
    sections: [
      {
        id: 's',
        title: 'S',
        questions: [
          { id: 'q1', text: 'Q1?', type: 'yes-no', criteria: ['CC6.1'], when: 'answer("q2") == "yes"' },
          { id: 'q2', text: 'Q2?', type: 'yes-no', criteria: ['CC6.1'] },
        ],
      },
    ],
  };
  await writeFile(join(dir, 'broken.json'), JSON.stringify(broken));
  await writeFile(join(dir, 'bad-condition.json'), JSON.stringify(badCondition));
  await writeFile(join(dir, 'not-json.json'), '{ "id": ');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trustgate questionnaires validate', () => {
  it('exits 0 for the shipped templates', async () => {
    const { io } = capture();
    expect(await main(['questionnaires', 'validate', ...SHIPPED], io)).toBe(0);
  });

  it('prints a one-line summary per valid file', async () => {
    const { io, stdout } = capture();
    await main(['questionnaires', 'validate', 'questionnaires/saas-lite.json'], io);
    expect(stdout()).toMatch(/^questionnaires\/saas-lite\.json: ok: saas-lite 1\.0\.0, \d+ sections, \d+ questions$/);
  });

  it('exits 1 for a broken template', async () => {
    const { io } = capture(dir);
    expect(await main(['questionnaires', 'validate', 'broken.json'], io)).toBe(1);
  });

  it('lists every problem as file: path: reason', async () => {
    const { io, stderr } = capture(dir);
    await main(['questionnaires', 'validate', 'broken.json'], io);
    expect(stderr().split('\n')).toEqual([
      'broken.json: version: version must be a semantic version such as 1.0.0',
      expect.stringMatching(/^broken\.json: sections\[0\]\.questions\[0\]\.criteria\[0\]: unknown Trust Services Criteria id "CC6\.9"/),
      'broken.json: 2 problems',
    ]);
  });

  it('explains a condition that reads a later question', async () => {
    const { io, stderr } = capture(dir);
    await main(['questionnaires', 'validate', 'bad-condition.json'], io);
    expect(stderr()).toContain('bad-condition.json: sections[0].questions[0].when: answer("q2") refers to a question that is not defined before this point');
  });

  it('reports invalid JSON with its position', async () => {
    const { io, stderr } = capture(dir);
    await main(['questionnaires', 'validate', 'not-json.json'], io);
    expect(stderr()).toMatch(/^not-json\.json: \(root\): not valid JSON/);
  });

  it('checks every file even after a broken one', async () => {
    const { io, stdout } = capture();
    await main(['questionnaires', 'validate', join(dir, 'broken.json'), 'questionnaires/privacy-dpa.json'], io);
    expect(stdout()).toContain('questionnaires/privacy-dpa.json: ok');
  });

  it('validates the template files of a directory, skipping schema.json and selection-policy.json', async () => {
    const { io, stdout } = capture();
    expect(await main(['questionnaires', 'validate', 'questionnaires'], io)).toBe(0);
    expect(stdout().split('\n').map((line) => line.split(':')[0])).toEqual([
      'questionnaires/availability-critical.json',
      'questionnaires/baseline-security.json',
      'questionnaires/privacy-dpa.json',
      'questionnaires/saas-lite.json',
    ]);
  });

  it('exits 2 for a file that cannot be read', async () => {
    const { io, stderr } = capture(dir);
    expect(await main(['questionnaires', 'validate', 'missing.json'], io)).toBe(2);
    expect(stderr()).toBe('missing.json: cannot read: file not found');
  });

  it('exits 2 without a file', async () => {
    const { io, stderr } = capture();
    expect(await main(['questionnaires', 'validate'], io)).toBe(2);
    expect(stderr()).toContain('give at least one template file or directory');
  });

  it('exits 2 for an unknown subcommand', async () => {
    const { io } = capture();
    expect(await main(['questionnaires', 'publish'], io)).toBe(2);
  });
});

describe('trustgate questionnaires list', () => {
  it('prints one line per shipped template', async () => {
    const { io, stdout } = capture();
    expect(await main(['questionnaires', 'list'], io)).toBe(0);
    expect(stdout().split('\n').map((line) => line.split(/\s+/)[0])).toEqual(['baseline-security', 'saas-lite', 'privacy-dpa', 'availability-critical']);
  });
});
