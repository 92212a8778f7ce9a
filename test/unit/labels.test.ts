/** Identifiers as people write them (issue 16, item 5): one function for the pages and the shells. */
import { describe, expect, it } from 'vitest';
import { humanLabel } from '../../shared/domain/labels.ts';
import { DOCUMENT_KINDS } from '../../shared/domain/assessment.ts';

describe('humanLabel', () => {
  it('writes evidence kinds and report types the way people do', () => {
    expect(DOCUMENT_KINDS.map((k) => humanLabel(k))).toEqual(['SOC 2 report', 'Bridge letter', 'ISO 27001 certificate', 'Other']);
    expect(humanLabel('type2')).toBe('Type II');
    expect(humanLabel('type1')).toBe('Type I');
    expect(humanLabel('soc2-type2')).toBe('SOC 2 Type II');
  });

  it('keeps a term its own case inside a sentence', () => {
    expect(humanLabel('bridge-letter', 'inside')).toBe('bridge letter');
    expect(humanLabel('soc2-report', 'inside')).toBe('SOC 2 report');
    expect(humanLabel('approved-with-conditions', 'inside')).toBe('approved with conditions');
  });

  it('spells any other identifier as words with a capital, and nothing as a dash', () => {
    expect(humanLabel('approved-with-conditions')).toBe('Approved with conditions');
    expect(humanLabel('high')).toBe('High');
    expect(humanLabel(null)).toBe('—');
    expect(humanLabel('')).toBe('—');
  });
});
