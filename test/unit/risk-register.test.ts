/** The register's pure rules: lines follow their sources, counts follow lines, queries pick a view that serves them. */
import { describe, expect, it } from 'vitest';
import {
  countsAfter,
  countsChange,
  dashboardFrom,
  emptyCounts,
  lineWithAssessment,
  lineWithRiskSummary,
  lineWithVendor,
  mergeCounts,
  monthsFromTo,
  storedCountsOf,
  summaryPlus,
  summaryIsEmpty,
  daysPlus,
  planRegisterQuery,
  registerLineSchema,
  UnsupportedRegisterQueryError,
  type RegisterLine,
} from '../../shared/domain/risk-register.ts';
import type { VendorRiskSummary } from '../../shared/domain/risk-record.ts';
import { newVendor, vendorIntakeSchema } from '../../shared/domain/vendor.ts';

const vendor = newVendor(
  vendorIntakeSchema.parse({ name: 'Acme Cloud', website: 'https://acme.example', contactEmail: 'sec@acme.example', criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'], systemAccess: 'network', recordVolume: '1k-100k' }),
  { id: 'v1', now: '2026-11-01T00:00:00.000Z', actor: 'p@example.com' },
);
const summary: VendorRiskSummary = {
  vendorId: 'v1',
  assessmentId: 'a1',
  assessmentStatus: 'awaiting-review',
  score: 62,
  computedRating: 'high',
  rating: 'high',
  overridden: false,
  openFindings: 3,
  highestOpenSeverity: 'high',
  nextReviewDate: null,
  policyVersion: '2026-11',
  updatedAt: '2026-11-02T00:00:00.000Z',
};
const scored = (): RegisterLine => lineWithRiskSummary(lineWithVendor(null, vendor, vendor.updatedAt), summary, ['AWS', 'Stripe'])!;

describe('lines', () => {
  it('keeps the risk side when the vendor changes', () => {
    const renamed = lineWithVendor(scored(), { ...vendor, name: 'Acme Cloud Ltd', status: 'active' }, '2026-11-03T00:00:00.000Z');
    expect(renamed).toMatchObject({ vendorName: 'Acme Cloud Ltd', status: 'active', rating: 'high', openFindings: 3, subservices: ['AWS', 'Stripe'] });
    expect(registerLineSchema.parse(renamed)).toEqual(renamed);
  });

  it('follows only the assessment it shows', () => {
    expect(lineWithAssessment(scored(), { id: 'other', status: 'approved', nextReviewDate: '2027-11-01' }, 'x')).toEqual(scored());
    expect(lineWithAssessment(scored(), { id: 'a1', status: 'approved', nextReviewDate: '2027-11-01' }, 'x')).toMatchObject({ assessmentStatus: 'approved', nextReviewDate: '2027-11-01' });
  });

  it('does not invent a line for a vendor that has none', () => {
    expect(lineWithRiskSummary(null, summary, [])).toBeNull();
  });
});

describe('counts', () => {
  it('moves a vendor from one rating and review date to another, dropping emptied entries', () => {
    const before = { ...scored(), nextReviewDate: '2027-01-01' };
    const after = { ...before, rating: 'low' as const, nextReviewDate: '2027-06-01', subservices: ['AWS'] };
    const counts = countsAfter(countsAfter(emptyCounts(), null, before), before, after);
    expect(counts).toEqual({ vendors: 1, byRating: { low: 1 }, byTier: { [String(vendor.inherentRisk.tier)]: 1 }, byStatus: { onboarding: 1 }, byNextReview: { '2027-06-01': 1 }, bySubservice: { AWS: 1 }, byTierInUse: { [String(vendor.inherentRisk.tier)]: 1 } });
  });

  it('stores dates per month in the summary and per day apart, and adds deltas back to the same counts', () => {
    const a = { ...scored(), vendorId: 'a', nextReviewDate: '2027-01-05' };
    const b = { ...scored(), vendorId: 'b', nextReviewDate: '2027-01-20' };
    const moved = { ...a, nextReviewDate: '2027-03-01' };
    const whole = storedCountsOf(countsAfter(countsAfter(emptyCounts(), null, a), null, b));
    expect(whole.summary.byReviewMonth).toEqual({ '2027-01': 2 });
    expect(whole.days).toEqual({ '2027-01': { '2027-01-05': 1, '2027-01-20': 1 } });
    const delta = storedCountsOf(countsAfter(emptyCounts(), a, moved));
    expect(delta.summary).toMatchObject({ vendors: 0, byReviewMonth: { '2027-01': -1, '2027-03': 1 }, byRating: {} });
    const summary = summaryPlus(whole.summary, delta.summary);
    expect(summary.byReviewMonth).toEqual({ '2027-01': 1, '2027-03': 1 });
    expect(daysPlus(whole.days['2027-01']!, delta.days['2027-01']!)).toEqual({ '2027-01-20': 1 });
    expect(daysPlus({}, delta.days['2027-03']!)).toEqual({ '2027-03-01': 1 });
    // A move within the month leaves the summary as it was.
    expect(summaryIsEmpty(storedCountsOf(countsAfter(emptyCounts(), a, { ...a, nextReviewDate: '2027-01-06' })).summary)).toBe(true);
  });

  it('lists the months of a window across a year end', () => {
    expect(monthsFromTo('2026-12-15', '2027-01-14')).toEqual(['2026-12', '2027-01']);
    expect(monthsFromTo('2026-11-30', '2026-11-30')).toEqual(['2026-11']);
  });

  it('counts overdue over past months and today\'s month up to today, due over the window\'s dates', () => {
    const summary = { ...storedCountsOf(emptyCounts()).summary, byReviewMonth: { '2025-06': 3, '2026-10': 1, '2026-11': 4, '2026-12': 2, '2027-05': 9 } };
    const reviewDays = { '2026-11-02': 1, '2026-11-30': 2, '2026-12-01': 1, '2026-12-31': 1 };
    const dash = dashboardFrom({ summary, reviewDays }, '2026-11-30', '2026-12-30', 30);
    expect(dash).toMatchObject({ overdueReviews: 3 + 1 + 1 + 2, dueReviews: 1 });
  });

  it('sees that a change of score alone moves no count', () => {
    expect(countsChange(scored(), { ...scored(), score: 10, openFindings: 0 })).toBe(false);
    expect(countsChange(scored(), { ...scored(), rating: 'low' })).toBe(true);
  });

  it('sums due and overdue reviews over dates, leaving offboarded vendors out', () => {
    const lines = [
      { ...scored(), vendorId: 'a', nextReviewDate: '2026-11-30' },
      { ...scored(), vendorId: 'b', nextReviewDate: '2026-12-15' },
      { ...scored(), vendorId: 'c', nextReviewDate: '2027-03-01' },
      { ...scored(), vendorId: 'd', nextReviewDate: '2026-01-01', status: 'offboarded' as const },
    ];
    const shards = lines.map((l) => countsAfter(emptyCounts(), null, l));
    const stored = storedCountsOf(mergeCounts(shards));
    const months = monthsFromTo('2026-11-30', '2026-12-30');
    const reviewDays = Object.fromEntries(months.flatMap((m) => Object.entries(stored.days[m] ?? {})));
    const dash = dashboardFrom({ summary: stored.summary, reviewDays }, '2026-11-30', '2026-12-30', 30);
    expect(dash).toMatchObject({ vendors: 4, overdueReviews: 1, dueReviews: 1, subserviceConcentration: [{ provider: 'AWS', vendors: 4 }, { provider: 'Stripe', vendors: 4 }] });
    expect(dash.byRating).toEqual({ low: 0, medium: 0, high: 4, critical: 0, unrated: 0 });
  });
});

describe('query plans', () => {
  it('reads a rating filter from the rating view, in name order', () => {
    expect(planRegisterQuery({ sort: 'name', order: 'asc', rating: 'high', tier: 2 })).toEqual({ view: 'rating', order: 'asc', rating: 'high', residual: { tier: 2 } });
  });

  it('reads overdue reviews from the next-review view up to today', () => {
    expect(planRegisterQuery({ sort: 'next-review', order: 'asc', reviewOnOrBefore: '2026-11-30' })).toEqual({ view: 'next-review', order: 'asc', onOrBefore: '2026-11-30', residual: {} });
  });

  it('refuses a sort that the filtered view cannot give', () => {
    expect(() => planRegisterQuery({ sort: 'tier', order: 'asc', rating: 'low' })).toThrow(UnsupportedRegisterQueryError);
    expect(() => planRegisterQuery({ sort: 'name', order: 'asc', reviewOnOrBefore: '2026-11-30' })).toThrow(/sort=next-review/);
  });
});
