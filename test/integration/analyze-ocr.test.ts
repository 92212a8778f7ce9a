/** A scanned SOC 2 report (image-only pages) analysed through the OCR extractor, as the CLI and npm start do. */
import { describe, expect, it } from 'vitest';
import type { OcrPageReader } from '../../shared/adapters/pdf/ocr-page-reader.mjs';
import { withOcr } from '../../shared/adapters/pdf/ocr-text-extractor.ts';
import { createPdfTextExtractor } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
import { analyzeDocument } from '../../shared/app/analyze-document.ts';
import { generateScannedPdf } from '../fixtures/scanned-pdf.ts';

describe('analysis of an image-only scan', () => {
  it('reads the pages by OCR, marks them, and lowers the confidence of what it read there', async () => {
    const scan = await generateScannedPdf();
    const analysis = await analyzeDocument({ extractor: withOcr(createPdfTextExtractor()) }, scan.bytes);
    expect(analysis.textLayer).toBe(false);
    expect(analysis.extraction).toEqual({ method: 'text', ocrPages: [1, 2] });
    expect(analysis.documentKind).toBe('soc2');
    expect(analysis.serviceOrganization).toBe('Kestrel Ledger Inc.');
    expect(analysis.period).toEqual({ start: '2025-01-01', end: '2025-06-30' });
    expect(analysis.confidence?.serviceOrganization).toEqual({ level: 'low', reason: 'read by OCR (page 1)' });
    expect(analysis.warnings).toContain('Pages 1, 2 have no text layer and were read by OCR: check the facts taken from them.');
  }, 120_000);

  it('analyses the document as it is when OCR fails, instead of rejecting it', async () => {
    const scan = await generateScannedPdf();
    const broken: OcrPageReader = { readPages: () => Promise.reject(new Error('tesseract crashed')), terminate: () => Promise.resolve() };
    const analysis = await analyzeDocument({ extractor: withOcr(createPdfTextExtractor(), { reader: broken }) }, scan.bytes);
    expect([analysis.textLayer, analysis.documentKind, analysis.extraction?.ocrPages]).toEqual([false, 'unknown', []]);
  }, 60_000);
});
