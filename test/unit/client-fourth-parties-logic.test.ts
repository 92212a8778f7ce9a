/** The fourth-party pages' pure logic: counts and shares in words, citations, the policy sentence. */
import { describe, expect, it } from 'vitest';
import { citationText, classificationCounts, percent, policyText, tierCounts } from '../../shared/http/pages/client/staff/fourth-parties-logic.ts';

describe('fourth-party page logic', () => {
  it('writes tiers in order and data classifications most sensitive first, leaving out zeros', () => {
    expect(tierCounts({ '4': 1, '1': 3, '2': 0 })).toBe('Tier 1: 3, Tier 4: 1');
    expect(classificationCounts({ internal: 1, restricted: 3, unknown: 2 })).toBe('restricted 3, internal 1, unknown 2');
    expect([tierCounts({}), classificationCounts({})]).toEqual(['—', '—']);
  });

  it('rounds a share to a whole percent and cites the page when it is known', () => {
    expect([percent(0.75), percent(2 / 3), percent(0)]).toEqual(['75 %', '67 %', '0 %']);
    expect([citationText({ fileName: 'soc2.pdf', page: 3 }), citationText({ fileName: 'soc2.pdf', page: null })]).toEqual(['soc2.pdf, page 3', 'soc2.pdf']);
  });

  it('states the policy threshold with the number of tier-1 vendors it is measured against', () => {
    expect(policyText({ version: '2026-12', maxShareOfTier1: 0.4, minVendors: 3 }, 12)).toBe('A provider raises a finding when more than 40 % of our 12 tier-1 vendors depend on it, and at least 3 of them (risk policy 2026-12).');
  });
});
