import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli.ts';
import type { CliIo } from '../../shared/cli/cli-io.ts';
import { buildCorpus, type CorpusEntry } from '../fixtures/soc2-corpus/corpus.ts';
import { generateScannedPdf } from '../fixtures/scanned-pdf.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/trustgate.mjs');

function capture(env: Record<string, string | undefined> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), cwd: process.cwd(), env };
}

let corpus: CorpusEntry[] = [];
const file = (id: string): string => corpus.find((e) => e.id === id)!.file;

describe('trustgate analyze', () => {
  beforeAll(async () => {
    corpus = await buildCorpus();
  });

  it('prints one JSON object with the contract fields for one readable file', async () => {
    const io = capture();
    const code = await main(['analyze', file('classic-02-qualified'), '--json'], io);
    const body = JSON.parse(io.out.join(''));
    expect([code, body.documentKind, body.reportType, body.opinion, body.period]).toEqual([0, 'soc2', 'type2', 'qualified', { start: '2024-01-01', end: '2024-12-31' }]);
  });

  it('exits 0 for a readable file that is not a SOC report', async () => {
    const io = capture();
    const code = await main(['analyze', file('iso-01-2022'), '--json'], io);
    expect([code, JSON.parse(io.out.join('')).documentKind]).toEqual([0, 'iso27001']);
  });

  it('prints an error object and exits 2 for an encrypted file', async () => {
    const io = capture();
    const code = await main(['analyze', file('broken-encrypted'), '--json'], io);
    expect([code, JSON.parse(io.out.join('')).error.code]).toEqual([2, 'encrypted']);
  });

  it('writes one line on stderr for an unreadable file', async () => {
    const io = capture();
    await main(['analyze', file('broken-zero-byte'), '--json'], io);
    expect(io.err).toEqual([expect.stringMatching(/broken-zero-byte\.pdf: empty: /)]);
  });

  it('prints an array with an error object in place of each unreadable file and exits 2', async () => {
    const io = capture();
    const code = await main(['analyze', file('bridge-01'), file('broken-not-a-pdf'), '--json'], io);
    const body = JSON.parse(io.out.join(''));
    expect([code, body[0].documentKind, body[1]]).toEqual([2, 'bridge-letter', { file: file('broken-not-a-pdf'), error: expect.objectContaining({ code: 'not-a-pdf' }) }]);
  });

  it('reports a missing file as unreadable', async () => {
    const io = capture();
    const code = await main(['analyze', join(tmpdir(), 'no-such-report.pdf'), '--json'], io);
    expect([code, JSON.parse(io.out.join('')).error.code]).toEqual([2, 'not-found']);
  });

  it('maps an analysis that outlasts the time budget to "timeout"', async () => {
    const io = capture({ TRUSTGATE_ANALYZE_TIMEOUT_MS: '1' });
    const code = await main(['analyze', file('classic-01-unqualified'), '--json'], io);
    expect([code, JSON.parse(io.out.join('')).error.code]).toEqual([2, 'timeout']);
  });

  it('prints a readable summary with pages by default', async () => {
    const io = capture();
    await main(['analyze', file('classic-01-unqualified')], io);
    expect(io.out.join('\n')).toMatch(/SOC 2 Type II[\s\S]*Service auditor\s+Harbor & Pine CPAs LLP \(p\. \d+\)[\s\S]*Exceptions\s+2/);
  });

  it('rejects an unknown option with usage on stderr and exit 2', async () => {
    const io = capture();
    const code = await main(['analyze', '--pretty', 'x.pdf'], io);
    expect([code, io.err.join('')]).toEqual([2, expect.stringContaining('Usage: trustgate analyze')]);
  });

  it('exits 2 with usage when no file is given', async () => {
    const io = capture();
    expect(await main(['analyze'], io)).toBe(2);
  });

  it('runs as a new user would: bin/trustgate.mjs analyze <file> --json', async () => {
    const { stdout } = await run(process.execPath, [bin, 'analyze', file('modern-01-unqualified'), '--json']);
    const body = JSON.parse(stdout);
    expect([body.documentKind, body.serviceOrganization, body.evidence.serviceOrganization.page]).toEqual(['soc2', 'Juniper Data Ltd', 3]);
  });

  it('reads image-only pages by OCR from the built bin (tesseract.js and pdf.js found from dist/)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trustgate-cli-'));
    const path = join(dir, 'scan.pdf');
    writeFileSync(path, (await generateScannedPdf()).bytes);
    const { stdout } = await run(process.execPath, [bin, 'analyze', path, '--json']);
    const body = JSON.parse(stdout);
    expect([body.extraction?.ocrPages, body.documentKind, body.serviceOrganization]).toEqual([[1, 2], 'soc2', 'Kestrel Ledger Inc.']);
  }, 120_000);

  it('exits 2 from bin/trustgate.mjs with the error object on stdout for a non-PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trustgate-cli-'));
    const path = join(dir, 'notes.pdf');
    writeFileSync(path, 'just some text\n');
    const result = await run(process.execPath, [bin, 'analyze', path, '--json']).then(() => null, (e: { code: number; stdout: string; stderr: string }) => e);
    expect([result?.code, JSON.parse(result?.stdout ?? '{}').error?.code, result?.stderr.trim().split('\n').length]).toEqual([2, 'not-a-pdf', 1]);
  });
});
