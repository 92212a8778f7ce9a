/**
 * The materialized risk register: one line per vendor, kept current in the same atomic write as the change that
 * moves it (vendor created or changed, assessment scored, finding or override, decision, next review date), and
 * the portfolio counts that the dashboard reads, maintained alongside as deltas. Pure: no storage, no clock.
 */
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { isReviewOverdue } from './review-due.ts';
import { fourthPartyDependencySchema, type FourthPartyDependency } from './fourth-parties.ts';
import { DATA_CLASSIFICATIONS } from './profile-values.ts';
import type { VendorRiskSummary } from './risk-record.ts';
import { RISK_RATINGS, type RiskRating } from './risk/risk-policy.ts';
import { VENDOR_STATUSES, type Vendor } from './vendor.ts';

/** Stored with every register line and counts shard; a reader refuses any other version. */
export const REGISTER_SCHEMA_VERSION = 1;

export const registerLineSchema = z
  .object({
    vendorId: z.string().min(1),
    vendorName: z.string().min(1),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    criticality: z.string().min(1),
    status: z.enum(VENDOR_STATUSES),
    rating: z.enum(RISK_RATINGS).nullable(),
    computedRating: z.enum(RISK_RATINGS).nullable(),
    overridden: z.boolean(),
    score: z.number().nullable(),
    openFindings: z.number().int().min(0),
    highestOpenSeverity: z.string().nullable(),
    nextReviewDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    assessmentId: z.string().nullable(),
    assessmentStatus: z.string().nullable(),
    policyVersion: z.string().nullable(),
    /** Subservice organizations named in the evidence of the scored assessment (canonical lower-case keys). */
    subservices: z.array(z.string()),
    /** Absent on lines written before fourth parties were kept (the backfill adds it). */
    dataClassification: z.enum(DATA_CLASSIFICATIONS).optional(),
    /** The providers of the scored evidence with method, services, region and citation (absent: written before them). */
    fourthParties: z.array(fourthPartyDependencySchema).optional(),
    updatedAt: z.string(),
  })
  .strict();

export type RegisterLine = z.infer<typeof registerLineSchema>;

/** The line of a vendor as the vendor now is, keeping what the risk side last wrote. */
export function lineWithVendor(line: RegisterLine | null, vendor: Vendor, at: string): RegisterLine {
  return {
    vendorId: vendor.id,
    vendorName: vendor.name,
    tier: vendor.inherentRisk.tier,
    criticality: vendor.criticality,
    status: vendor.status,
    rating: line?.rating ?? null,
    computedRating: line?.computedRating ?? null,
    overridden: line?.overridden ?? false,
    score: line?.score ?? null,
    openFindings: line?.openFindings ?? 0,
    highestOpenSeverity: line?.highestOpenSeverity ?? null,
    nextReviewDate: line?.nextReviewDate ?? null,
    assessmentId: line?.assessmentId ?? null,
    assessmentStatus: line?.assessmentStatus ?? null,
    policyVersion: line?.policyVersion ?? null,
    subservices: line?.subservices ?? [],
    dataClassification: vendor.dataClassification,
    fourthParties: line ? line.fourthParties : [],
    updatedAt: at,
  };
}

/** The line after an assessment was scored (or its findings, tasks or override changed). Null: no vendor line yet. */
export function lineWithRiskSummary(line: RegisterLine | null, summary: VendorRiskSummary, subservices: string[] | undefined, fourthParties?: FourthPartyDependency[]): RegisterLine | null {
  if (!line) return null;
  return {
    ...line,
    rating: summary.rating,
    computedRating: summary.computedRating,
    overridden: summary.overridden,
    score: summary.score,
    openFindings: summary.openFindings,
    highestOpenSeverity: summary.highestOpenSeverity,
    nextReviewDate: summary.nextReviewDate,
    assessmentId: summary.assessmentId,
    assessmentStatus: summary.assessmentStatus,
    policyVersion: summary.policyVersion,
    subservices: subservices ?? line.subservices,
    fourthParties: fourthParties ?? line.fourthParties,
    updatedAt: summary.updatedAt,
  };
}

/** The line after the register's assessment moved (status, decision, next review date); other assessments leave it. */
export function lineWithAssessment(line: RegisterLine | null, assessment: { id: string; status: string; nextReviewDate: string | null }, at: string): RegisterLine | null {
  if (!line || line.assessmentId !== assessment.id) return line;
  if (line.assessmentStatus === assessment.status && line.nextReviewDate === assessment.nextReviewDate) return line;
  return { ...line, assessmentStatus: assessment.status, nextReviewDate: assessment.nextReviewDate, updatedAt: at };
}

/** The register's view of a line for the sweep and other readers of the old per-vendor summary. */
export function summaryOf(line: RegisterLine): VendorRiskSummary | null {
  if (!line.assessmentId || !line.assessmentStatus) return null;
  return {
    vendorId: line.vendorId,
    assessmentId: line.assessmentId,
    assessmentStatus: line.assessmentStatus,
    score: line.score,
    computedRating: line.computedRating,
    rating: line.rating,
    overridden: line.overridden,
    openFindings: line.openFindings,
    highestOpenSeverity: line.highestOpenSeverity,
    nextReviewDate: line.nextReviewDate,
    policyVersion: line.policyVersion,
    updatedAt: line.updatedAt,
  };
}

// ---- counts ----

/**
 * Portfolio counts (one shard's share of them, or a delta): a vendor counts once in each dimension. The version 1
 * stored form; stored since version 2 as a summary and review days (`storedCountsOf`).
 */
export interface RegisterCounts {
  vendors: number;
  byRating: Record<string, number>;
  byTier: Record<string, number>;
  byStatus: Record<string, number>;
  /** Vendors per next review date (YYYY-MM-DD): due and overdue are sums over a date range. */
  byNextReview: Record<string, number>;
  /** Vendors per subservice organization named in their evidence. */
  bySubservice: Record<string, number>;
  /** Vendors not offboarded, per tier (the denominator of fourth-party concentration); absent in shards written before it. */
  byTierInUse?: Record<string, number>;
}

export const registerCountsSchema = z
  .object({
    vendors: z.number().int(),
    byRating: z.record(z.string(), z.number().int()),
    byTier: z.record(z.string(), z.number().int()),
    byStatus: z.record(z.string(), z.number().int()),
    byNextReview: z.record(z.string(), z.number().int()),
    bySubservice: z.record(z.string(), z.number().int()),
    byTierInUse: z.record(z.string(), z.number().int()).optional(),
  })
  .strict();

export const emptyCounts = (): RegisterCounts => ({ vendors: 0, byRating: {}, byTier: {}, byStatus: {}, byNextReview: {}, bySubservice: {}, byTierInUse: {} });

const UNRATED = 'unrated';

function addLine(counts: RegisterCounts, line: RegisterLine, sign: 1 | -1): void {
  const bump = (map: Record<string, number>, key: string) => {
    const next = (map[key] ?? 0) + sign;
    // Zero entries are dropped, so that a shard holds only dates and providers in use.
    if (next === 0) delete map[key];
    else map[key] = next;
  };
  counts.vendors += sign;
  bump(counts.byRating, line.rating ?? UNRATED);
  bump(counts.byTier, String(line.tier));
  if (line.status !== 'offboarded') bump((counts.byTierInUse ??= {}), String(line.tier));
  bump(counts.byStatus, line.status);
  if (line.nextReviewDate && line.status !== 'offboarded') bump(counts.byNextReview, line.nextReviewDate);
  for (const s of new Set(line.subservices)) bump(counts.bySubservice, s);
}

/** The counts after a line changed from `before` to `after` (either may be absent). Does not change `counts`. */
export function countsAfter(counts: RegisterCounts, before: RegisterLine | null, after: RegisterLine | null): RegisterCounts {
  const next: RegisterCounts = structuredClone(counts);
  if (before) addLine(next, before, -1);
  if (after) addLine(next, after, 1);
  return next;
}

/** Whether a change of the line moves any count (most changes do not: no need to write the shard). */
export function countsChange(before: RegisterLine | null, after: RegisterLine | null): boolean {
  return JSON.stringify(countsAfter(emptyCounts(), before, after)) !== JSON.stringify(emptyCounts());
}

export function mergeCounts(shards: RegisterCounts[]): RegisterCounts {
  const total = emptyCounts();
  for (const shard of shards) {
    total.vendors += shard.vendors;
    for (const dim of ['byRating', 'byTier', 'byStatus', 'byNextReview', 'bySubservice', 'byTierInUse'] as const) {
      const into = (total[dim] ??= {});
      for (const [k, v] of Object.entries(shard[dim] ?? {})) into[k] = (into[k] ?? 0) + v;
    }
  }
  return total;
}

// ---- stored counts: months in the shard, days per month apart ----

/**
 * What a counts shard stores since version 2: its counts with next review dates summed per month (YYYY-MM). The
 * dates themselves are stored per month in separate items (`ReviewDays`), so the dashboard reads a fixed number of
 * items of bounded size at any portfolio size: the shards (one entry per month in use) and the days of the months
 * its window touches. Version 1 shards held every date in use (1,250 of them at 10,000 vendors: the dashboard cost
 * 3.1× its cost at 1,000); they are still read, and converted by the next write.
 */
export const REGISTER_COUNTS_SCHEMA_VERSION = 2;

export interface RegisterCountsSummary {
  vendors: number;
  byRating: Record<string, number>;
  byTier: Record<string, number>;
  byStatus: Record<string, number>;
  /** Vendors per month (YYYY-MM) of their next review date. */
  byReviewMonth: Record<string, number>;
  bySubservice: Record<string, number>;
  /** Vendors per tier that are not offboarded (the denominator of fourth-party concentration). */
  byTierInUse: Record<string, number>;
}

export const registerCountsSummarySchema = z
  .object({
    vendors: z.number().int(),
    byRating: z.record(z.string(), z.number().int()),
    byTier: z.record(z.string(), z.number().int()),
    byStatus: z.record(z.string(), z.number().int()),
    byReviewMonth: z.record(z.string().regex(/^\d{4}-\d{2}$/), z.number().int()),
    bySubservice: z.record(z.string(), z.number().int()),
    byTierInUse: z.record(z.string(), z.number().int()),
  })
  .strict();

/** One shard's next review dates of one month. */
export interface ReviewDays {
  month: string;
  byDay: Record<string, number>;
}

export const reviewDaysSchema = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), byDay: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.number().int()) }).strict();

export const emptySummary = (): RegisterCountsSummary => ({ vendors: 0, byRating: {}, byTier: {}, byStatus: {}, byReviewMonth: {}, bySubservice: {}, byTierInUse: {} });

const monthOf = (date: string) => date.slice(0, 7);

function addInto(target: Record<string, number>, delta: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(delta)) {
    const next = (target[key] ?? 0) + n;
    if (next === 0) delete target[key];
    else target[key] = next;
  }
}

/** Counts (or a delta of counts) as stored: the summary, and the dates of each month in use. */
export function storedCountsOf(counts: RegisterCounts): { summary: RegisterCountsSummary; days: Record<string, Record<string, number>> } {
  const byReviewMonth: Record<string, number> = {};
  const days: Record<string, Record<string, number>> = {};
  for (const [date, n] of Object.entries(counts.byNextReview)) {
    addInto(byReviewMonth, { [monthOf(date)]: n });
    addInto((days[monthOf(date)] ??= {}), { [date]: n });
  }
  for (const [month, byDay] of Object.entries(days)) if (Object.keys(byDay).length === 0) delete days[month];
  const { vendors, byRating, byTier, byStatus, bySubservice, byTierInUse } = structuredClone(counts);
  // Version 1 shards written before issue 18 have no byTierInUse: the rebuild of `trustgate migrate` adds it.
  return { summary: { vendors, byRating, byTier, byStatus, byReviewMonth, bySubservice, byTierInUse: byTierInUse ?? {} }, days };
}

/** A summary plus a delta's summary; entries that reach zero are dropped. Does not change its arguments. */
export function summaryPlus(summary: RegisterCountsSummary, delta: RegisterCountsSummary): RegisterCountsSummary {
  const next = structuredClone(summary);
  next.vendors += delta.vendors;
  for (const dim of ['byRating', 'byTier', 'byStatus', 'byReviewMonth', 'bySubservice', 'byTierInUse'] as const) addInto(next[dim], delta[dim]);
  return next;
}

/** A month's dates plus a delta's dates of that month. */
export function daysPlus(days: Readonly<Record<string, number>>, delta: Readonly<Record<string, number>>): Record<string, number> {
  const next = { ...days };
  addInto(next, delta);
  return next;
}

export const summaryIsEmpty = (s: RegisterCountsSummary) =>
  s.vendors === 0 && (['byRating', 'byTier', 'byStatus', 'byReviewMonth', 'bySubservice', 'byTierInUse'] as const).every((dim) => Object.keys(s[dim]).length === 0);

/** The months from the month of `from` to the month of `to`, both included (YYYY-MM). */
export function monthsFromTo(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = monthOf(to);
  for (let i = 0; i < 1200; i++) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    months.push(month);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

/** What the dashboard reads: the shards' summaries summed, and the dates of the months of its window. */
export interface PortfolioCounts {
  summary: RegisterCountsSummary;
  /** Vendors per next review date, for the months asked for only. */
  reviewDays: Record<string, number>;
}

/** The dashboard's figures, for the whole portfolio. */
export interface RegisterDashboard {
  vendors: number;
  byRating: Record<RiskRating | typeof UNRATED, number>;
  byTier: Record<string, number>;
  byStatus: Record<string, number>;
  /** Reviews whose date has passed (today included), offboarded vendors not counted. */
  overdueReviews: number;
  /** Reviews due after today and within `dueWithinDays`. */
  dueReviews: number;
  dueWithinDays: number;
  /** The subservice organizations most vendors rely on, most first (at most `limit`). */
  subserviceConcentration: { provider: string; vendors: number }[];
}

/**
 * The dashboard from the counts: overdue is every month before today's plus today's month up to today; due is the
 * dates after today up to `dueUntil`. `counts.reviewDays` must hold the months from today's to `dueUntil`'s
 * (`monthsFromTo(today, dueUntil)`).
 */
export function dashboardFrom(counts: PortfolioCounts, today: string, dueUntil: string, dueWithinDays: number, limit = 25): RegisterDashboard {
  const { summary } = counts;
  let overdue = 0;
  let due = 0;
  for (const [month, n] of Object.entries(summary.byReviewMonth)) if (month < monthOf(today)) overdue += n;
  for (const [date, n] of Object.entries(counts.reviewDays)) {
    if (isReviewOverdue(date, today)) {
      // Earlier months are counted whole above.
      if (monthOf(date) === monthOf(today)) overdue += n;
    } else if (date <= dueUntil) due += n;
  }
  const byRating = Object.fromEntries([...RISK_RATINGS, UNRATED].map((r) => [r, summary.byRating[r] ?? 0])) as RegisterDashboard['byRating'];
  return {
    vendors: summary.vendors,
    byRating,
    byTier: Object.fromEntries(['1', '2', '3', '4'].map((t) => [t, summary.byTier[t] ?? 0])),
    byStatus: Object.fromEntries(VENDOR_STATUSES.map((s) => [s, summary.byStatus[s] ?? 0])),
    overdueReviews: overdue,
    dueReviews: due,
    dueWithinDays,
    subserviceConcentration: Object.entries(summary.bySubservice)
      .map(([provider, vendors]) => ({ provider, vendors }))
      .sort((a, b) => b.vendors - a.vendors || a.provider.localeCompare(b.provider))
      .slice(0, limit),
  };
}

// ---- queries ----

export const REGISTER_SORTS = ['name', 'rating', 'next-review', 'tier'] as const;
export type RegisterSort = (typeof REGISTER_SORTS)[number];

export interface RegisterQuery {
  sort: RegisterSort;
  order: 'asc' | 'desc';
  rating?: RiskRating | typeof UNRATED;
  tier?: 1 | 2 | 3 | 4;
  /** Only lines whose next review date is on or before this date. */
  reviewOnOrBefore?: string;
}

/**
 * How a register query is served: one view (index) read in order, narrowed by its key (one rating, one tier, or
 * dates up to one), the other filters applied to what it reads. Each view's lines of one rating or tier are in
 * name order, so `sort=name` is served by those views too.
 */
export type RegisterPlan =
  | { view: 'name'; order: 'asc' | 'desc'; residual: RegisterResidualFilter }
  | { view: 'rating'; order: 'asc' | 'desc'; rating?: RiskRating | typeof UNRATED; residual: RegisterResidualFilter }
  | { view: 'tier'; order: 'asc' | 'desc'; tier?: 1 | 2 | 3 | 4; residual: RegisterResidualFilter }
  | { view: 'next-review'; order: 'asc' | 'desc'; onOrBefore?: string; residual: RegisterResidualFilter };

export interface RegisterResidualFilter {
  rating?: RiskRating | typeof UNRATED;
  tier?: 1 | 2 | 3 | 4;
  reviewOnOrBefore?: string;
}

/** A sort and filters that no view serves in order; the message names what does. */
export class UnsupportedRegisterQueryError extends ValidationError {
  constructor(message: string) {
    super(message, [{ path: 'query.sort', message }], 'unsupported-register-query');
    this.name = 'UnsupportedRegisterQueryError';
  }
}

export function planRegisterQuery(q: RegisterQuery): RegisterPlan {
  const { sort, order } = q;
  const refuse = (filter: string) => {
    throw new UnsupportedRegisterQueryError(`A register filtered by ${filter} sorts by name or by ${filter} only`);
  };
  if (q.rating) {
    if (sort !== 'name' && sort !== 'rating') refuse('rating');
    return { view: 'rating', order, rating: q.rating, residual: { ...(q.tier ? { tier: q.tier } : {}), ...(q.reviewOnOrBefore ? { reviewOnOrBefore: q.reviewOnOrBefore } : {}) } };
  }
  if (q.tier) {
    if (sort !== 'name' && sort !== 'tier') refuse('tier');
    return { view: 'tier', order, tier: q.tier, residual: q.reviewOnOrBefore ? { reviewOnOrBefore: q.reviewOnOrBefore } : {} };
  }
  if (q.reviewOnOrBefore) {
    if (sort !== 'next-review') throw new UnsupportedRegisterQueryError('Overdue reviews are listed by next review date only (sort=next-review)');
    return { view: 'next-review', order, onOrBefore: q.reviewOnOrBefore, residual: {} };
  }
  return sort === 'name' ? { view: 'name', order, residual: {} } : sort === 'rating' ? { view: 'rating', order, residual: {} } : sort === 'tier' ? { view: 'tier', order, residual: {} } : { view: 'next-review', order, residual: {} };
}
