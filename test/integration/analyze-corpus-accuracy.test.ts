import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPdfTextExtractor } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
import { analyzeDocument } from '../../shared/app/analyze-document.ts';
import { DocumentUnreadableError } from '../../shared/domain/soc2/errors.ts';
import { buildCorpus, type CorpusEntry } from '../fixtures/soc2-corpus/corpus.ts';
import { scoreAnalysis, type FieldResult } from '../fixtures/soc2-corpus/score.ts';

interface Scored {
  entry: CorpusEntry;
  results: FieldResult[];
}

const deps = { extractor: createPdfTextExtractor() };
let corpus: CorpusEntry[] = [];
const scored: Scored[] = [];

async function score(entry: CorpusEntry): Promise<FieldResult[]> {
  const bytes = readFileSync(entry.file);
  try {
    const analysis = await analyzeDocument(deps, bytes);
    if (!entry.labels) return [{ field: 'error', ok: false, expected: entry.expectedError, actual: 'read without error' }];
    return scoreAnalysis(analysis, entry.labels, entry.pages);
  } catch (error) {
    const code = error instanceof DocumentUnreadableError ? error.code : String(error);
    return [{ field: 'error', ok: entry.expectedError === code, expected: entry.expectedError ?? 'readable', actual: code }];
  }
}

function report(): { accuracy: number; lines: string[] } {
  const byField = new Map<string, { ok: number; total: number }>();
  for (const s of scored) {
    for (const r of s.results) {
      const t = byField.get(r.field) ?? { ok: 0, total: 0 };
      t.total++;
      if (r.ok) t.ok++;
      byField.set(r.field, t);
    }
  }
  const lines = [...byField].map(([field, t]) => `${field.padEnd(34)}${String(t.ok).padStart(4)}/${String(t.total).padEnd(4)} ${((100 * t.ok) / t.total).toFixed(1).padStart(6)}%`);
  const ok = [...byField.values()].reduce((n, t) => n + t.ok, 0);
  const total = [...byField.values()].reduce((n, t) => n + t.total, 0);
  for (const s of scored) for (const r of s.results) if (!r.ok) lines.push(`MISS ${s.entry.id} ${r.field}: expected ${JSON.stringify(r.expected)} got ${JSON.stringify(r.actual)}`);
  return { accuracy: total === 0 ? 0 : ok / total, lines: [...lines, `overall ${ok}/${total} = ${((100 * ok) / total).toFixed(2)}%`] };
}

describe('SOC 2 analyzer on the labelled corpus', () => {
  beforeAll(async () => {
    corpus = await buildCorpus();
    for (const entry of corpus) scored.push({ entry, results: await score(entry) });
    console.log(`SOC 2 corpus: ${corpus.length} files\n${report().lines.join('\n')}`);
  });

  it('holds at least 30 labelled documents in three layouts plus the other kinds and broken files', () => {
    const ids = corpus.map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    for (const prefix of ['classic-', 'modern-', 'terse-', 'kv-', 'handwritten-', 'soc1-', 'soc3-', 'bridge-', 'iso-', 'scan-', 'broken-encrypted', 'broken-truncated', 'broken-zero-byte', 'broken-not-a-pdf']) {
      expect(ids.some((id) => id.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it('reaches at least 98% field accuracy', () => {
    expect(report().accuracy).toBeGreaterThanOrEqual(0.98);
  });

  it('maps every unreadable file to its error code', () => {
    const broken = scored.filter((s) => s.entry.expectedError !== null);
    expect(broken.map((s) => [s.entry.id, s.results[0]?.actual])).toEqual(broken.map((s) => [s.entry.id, s.entry.expectedError]));
  });
});
