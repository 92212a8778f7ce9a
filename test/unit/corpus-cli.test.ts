/** `trustgate corpus add`: a labelled case lands in the corpus folder once, checked; every refusal says why. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli.ts';
import type { CliIo } from '../../shared/cli/cli-io.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/trustgate.mjs');
const PDF = Buffer.from('%PDF-1.4\n% a stand-in: corpus add copies bytes, it does not analyze them\n%%EOF\n');
const LABEL = { documentKind: 'soc2', reportType: 'type2', opinion: 'qualified', trustServicesCategories: ['availability', 'security'], exceptionCriteria: ['CC6.1'] };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustgate-corpus-cli-'));
  await writeFile(join(dir, 'report.pdf'), PDF);
  await writeFile(join(dir, 'label.json'), JSON.stringify(LABEL));
  await writeFile(join(dir, 'download.json'), JSON.stringify({ caseName: 'x', label: LABEL, document: { id: 'd', sha256: createHash('sha256').update(PDF).digest('hex') } }));
  await writeFile(join(dir, 'other-download.json'), JSON.stringify({ label: LABEL, document: { sha256: '0'.repeat(64) } }));
  await writeFile(join(dir, 'bad-label.json'), JSON.stringify({ documentKind: 'soc7', opinion: 'fine', extra: 1 }));
  await writeFile(join(dir, 'not-a-pdf.pdf'), 'hello');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function corpus(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), cwd: dir, env: {} };
  const code = await main(['corpus', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('trustgate corpus add', () => {
  it('writes <case>.pdf and the label into labels.json of ./corpus by default', async () => {
    const result = await corpus('add', 'bare-label-case', '--label', 'label.json', '--pdf', 'report.pdf');
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'corpus', 'labels.json'), 'utf8'))).toEqual({ 'bare-label-case': LABEL });
    expect((await readFile(join(dir, 'corpus', 'bare-label-case.pdf'))).equals(PDF)).toBe(true);
  });

  it('keeps the other cases of labels.json, sorted by name', async () => {
    expect((await corpus('add', 'another-case', '--label', 'download.json', '--pdf', 'report.pdf')).code).toBe(0);
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'corpus', 'labels.json'), 'utf8')) as Record<string, unknown>)).toEqual(['another-case', 'bare-label-case']);
  });

  it('refuses to overwrite a case (exit 1) unless --force', async () => {
    const refused = await corpus('add', 'another-case', '--label', 'label.json', '--pdf', 'report.pdf');
    expect([refused.code, refused.err]).toEqual([1, expect.stringContaining('already in')]);
    expect((await corpus('add', 'another-case', '--label', 'label.json', '--pdf', 'report.pdf', '--force')).out).toMatch(/^Replaced another-case/);
  });

  it('refuses a PDF that is not the document the download names (exit 1)', async () => {
    const result = await corpus('add', 'wrong-pdf', '--label', 'other-download.json', '--pdf', 'report.pdf', '--dir', 'elsewhere');
    expect([result.code, result.err]).toEqual([1, expect.stringContaining('not the document the label describes')]);
    expect(await readdir(dir)).not.toContain('elsewhere');
  });

  it('lists every problem of an invalid label (exit 1)', async () => {
    const result = await corpus('add', 'bad', '--label', 'bad-label.json', '--pdf', 'report.pdf');
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual(expect.arrayContaining([expect.stringMatching(/^bad-label\.json: documentKind: /), expect.stringMatching(/^bad-label\.json: opinion: /), expect.stringMatching(/not a valid label \(3 problems\)$/)]));
  });

  it('refuses a file that is not a PDF (exit 1)', async () => {
    expect((await corpus('add', 'no-pdf', '--label', 'label.json', '--pdf', 'not-a-pdf.pdf')).err).toMatch(/not a PDF/);
  });

  it('answers usage errors with exit 2: a case name that could be a path, a missing option, a missing file', async () => {
    expect(await corpus('add', '../escape', '--label', 'label.json', '--pdf', 'report.pdf')).toMatchObject({ code: 2, err: expect.stringContaining('is not a case name') });
    expect(await corpus('add', 'no-label', '--pdf', 'report.pdf')).toMatchObject({ code: 2, err: expect.stringContaining('--label') });
    expect(await corpus('add', 'missing', '--label', 'nope.json', '--pdf', 'report.pdf')).toMatchObject({ code: 2, err: 'nope.json: cannot read the label: file not found' });
    expect(await corpus('remove', 'x')).toMatchObject({ code: 2, err: expect.stringContaining("unknown subcommand 'remove'") });
  });

  it('runs as `npx trustgate corpus add` from the bin', async () => {
    const { stdout } = await run('node', [bin, 'corpus', 'add', 'from-bin', '--label', 'label.json', '--pdf', 'report.pdf', '--dir', 'bin-corpus'], { cwd: dir });
    expect(stdout).toMatch(/^Added from-bin in .*bin-corpus: from-bin\.pdf/);
  });
});
