import { describe, expect, it } from 'vitest';
import { cleanDocument, normalizeTypography } from '../../shared/domain/soc2/document.ts';

const page = (num: number, text: string) => ({ num, text });
const texts = (pages: Array<{ num: number; text: string }>): string[] => cleanDocument(pages).lines.map((l) => l.text);

describe('normalizeTypography', () => {
  it('maps curly quotes, non-breaking spaces and ligatures to plain text', () => {
    expect(normalizeTypography('Auditor\u2019s\u00a0report \ufb01le')).toBe("Auditor's report file");
  });
});

describe('cleanDocument', () => {
  it('drops running headers and footers that repeat on many pages', () => {
    const pages = [1, 2, 3, 4, 5].map((n) => page(n, `Acme Corp Confidential\nBody line ${'x'.repeat(n)}\nPage ${n} of 5`));
    expect(texts(pages)).toEqual([1, 2, 3, 4, 5].map((n) => `Body line ${'x'.repeat(n)}`));
  });

  it('keeps "No exceptions noted." although it ends many pages', () => {
    const pages = [1, 2, 3, 4].map((n) => page(n, `C-10${n} Control text ${n}\nNo exceptions noted.`));
    expect(texts(pages).filter((t) => t === 'No exceptions noted.')).toHaveLength(4);
  });

  it('skips the table of contents with dot leaders', () => {
    const pages = [page(1, 'Table of Contents\nSection I Independent Service Auditor\'s Report ........ 1\nSection II Management\'s Assertion ........ 4\nSection III System Description ........ 6'), page(2, "Independent Service Auditor's Report")];
    expect(texts(pages)).toEqual(["Independent Service Auditor's Report"]);
  });

  it('re-joins words hyphenated across a line break', () => {
    expect(texts([page(1, 'the exam-\nination covered')])).toEqual(['the examination covered']);
  });

  it('attaches a bullet glyph on its own line to the item that follows', () => {
    expect(texts([page(1, '•\nUser entities are responsible for access.')])).toEqual(['• User entities are responsible for access.']);
  });
});
