/** What the fourth-party pages compute from the API's answers, kept pure for unit tests. */

/** 0.75 → "75 %". */
export const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** {"1": 3, "4": 1} → "Tier 1: 3, Tier 4: 1" (tiers in order; empty: "—"). */
export function tierCounts(byTier: Record<string, number>): string {
  const parts = Object.entries(byTier)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([tier, n]) => `Tier ${tier}: ${n}`);
  return parts.length ? parts.join(', ') : '—';
}

const CLASSIFICATION_ORDER = ['restricted', 'confidential', 'internal', 'public', 'unknown'];

/** {"internal": 1, "restricted": 3} → "restricted 3, internal 1" (most sensitive first). */
export function classificationCounts(byClassification: Record<string, number>): string {
  const rank = (k: string) => (CLASSIFICATION_ORDER.includes(k) ? CLASSIFICATION_ORDER.indexOf(k) : CLASSIFICATION_ORDER.length);
  const parts = Object.entries(byClassification)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : '—';
}

/** Where a dependency is stated: "report.pdf, page 3" (or the file alone when the page is not known). */
export const citationText = (c: { fileName: string; page: number | null }): string => (c.page === null ? c.fileName : `${c.fileName}, page ${c.page}`);

/** The policy sentence above the list. */
export const policyText = (p: { version: string; maxShareOfTier1: number; minVendors: number }, portfolioTier1Vendors: number): string =>
  `A provider raises a finding when more than ${percent(p.maxShareOfTier1)} of our ${portfolioTier1Vendors} tier-1 vendors depend on it, and at least ${p.minVendors} of them (risk policy ${p.version}).`;
