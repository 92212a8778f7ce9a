/** Hostile PDFs: huge page trees, deep nesting, self-referencing trees. Each ends in a clear error code, in time. */
import { describe, expect, it } from 'vitest';
import { createPdfTextExtractor } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
import { analyzeDocument } from '../../shared/app/analyze-document.ts';
import { DocumentUnreadableError } from '../../shared/domain/soc2/errors.ts';

/** Assembles a PDF from numbered object bodies, with a correct cross-reference table. */
function pdf(objects: string[]): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const page = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>';

async function outcome(bytes: Uint8Array): Promise<string> {
  try {
    const analysis = await analyzeDocument({ extractor: createPdfTextExtractor(), timeoutMs: 20_000 }, bytes);
    return `read:${analysis.pages}`;
  } catch (error) {
    if (error instanceof DocumentUnreadableError) return error.code;
    throw error;
  }
}

describe('hostile PDFs', () => {
  it('refuses a page tree that claims a million pages, without walking it', async () => {
    const kids = Array.from({ length: 50 }, () => '3 0 R').join(' ');
    expect(['too-large', 'corrupt']).toContain(await outcome(pdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count 1000000 >>`, page])));
  });

  it('refuses a real document over the 2,000-page cap (too-large)', async () => {
    const kids = Array.from({ length: 2001 }, () => '3 0 R').join(' ');
    expect(await outcome(pdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count 2001 >>`, page]))).toBe('too-large');
  });

  it('survives a deeply nested object (corrupt or read, never a crash)', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const result = await outcome(pdf(['<< /Type /Catalog /Pages 2 0 R /Junk 4 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page, deep]));
    expect(['corrupt', 'read:1', 'empty']).toContain(result);
  });

  it('survives a page tree that points back at itself', async () => {
    const result = await outcome(pdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']));
    expect(['corrupt', 'empty']).toContain(result);
  });
});
