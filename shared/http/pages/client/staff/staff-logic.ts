/**
 * The staff pages' rules as pure functions (unit-tested in test/unit/client-staff-logic.test.ts). Dates use the
 * domain's calendar arithmetic, the one the server uses.
 */
import { soc2StaleOn } from '../../../../domain/risk/calendar.ts';
import riskPolicy from '../../../../domain/risk/risk-policy.json' with { type: 'json' };
import { isReviewOverdue } from '../../../../domain/review-due.ts';
import type { ContributionSource } from '../../../../domain/risk/residual-risk.ts';
import type { Assessment, RegisterLine, StaffDocument, Vendor } from '../api-types.ts';
import { label } from '../common/format.ts';

/** Months after its period ends that a SOC 2 report counts as stale: the versioned policy's own threshold. */
export const SOC2_STALE_AFTER_MONTHS: number = riskPolicy.assurance.staleness.staleAfterMonths;

/**
 * Where to go after sign-in: `next` only if the URL parser, which is what location.assign uses, reads it as a URL of
 * this site. It drops tabs and newlines and reads a backslash as a slash, so a check of the first characters is not
 * enough: "/<tab>/host" becomes //host. Returns the parsed path, so what is visited is what was checked; else null.
 */
export function sameSitePath(next: string | null | undefined, origin: string): string | null {
  if (typeof next !== 'string' || !next.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  return url.origin === origin ? url.pathname + url.search + url.hash : null;
}

/** Where a contribution comes from, in a few words ("report.pdf, opinion, page 4"). */
export function sourceParts(source: ContributionSource | null | undefined): string[] {
  if (!source) return [];
  switch (source.kind) {
    case 'document':
      return [source.fileName, source.field, ...(source.page ? [`page ${source.page}`] : [])];
    case 'question':
      return [`question ${source.questionId}`, ...(source.answer ? [`answer "${source.answer}"`] : [])];
    case 'profile':
      return [`profile: ${source.field} = ${source.value}`];
    case 'policy':
      return [`policy: ${source.rule}`];
  }
}

/** The review queue: highest residual risk first (unscored last), then the earliest due date. */
export function reviewOrder(rows: { a: Assessment; r: RegisterLine | null }[]): { a: Assessment; r: RegisterLine | null }[] {
  const score = (x: { r: RegisterLine | null }) => (x.r && x.r.score !== null ? x.r.score : -1);
  return [...rows].sort((x, y) => score(y) - score(x) || (x.a.dueDate < y.a.dueDate ? -1 : x.a.dueDate > y.a.dueDate ? 1 : 0));
}

export const RATING_BUCKETS = ['critical', 'high', 'medium', 'low', 'unrated'] as const;

/** Vendors per rating, in the order drawn. */
export function ratingCounts(lines: readonly RegisterLine[]): Record<(typeof RATING_BUCKETS)[number], number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, unrated: 0 };
  for (const line of lines) counts[line.rating ?? 'unrated'] += 1;
  return counts;
}

/** A rating in words: "Unrated" when the vendor has none yet. */
export const ratingText = (rating: string | null | undefined): string => (rating && rating !== 'unrated' ? label(rating) : 'Unrated');

/** The class of a rating's badge or bar: each rating its colour, an unrated vendor a neutral one (never critical red). */
export const ratingClass = (rating: string | null | undefined): string => `rating-${rating && (RATING_BUCKETS as readonly string[]).includes(rating) ? rating : 'unrated'}`;

/** A vendor's next review: the date in words and whether it is overdue (the dashboard's count uses the same rule). */
export const nextReviewState = (date: string | null | undefined, today: string): { text: string; overdue: boolean } => ({ text: date ? date.slice(0, 10) : 'Not scheduled', overdue: isReviewOverdue(date, today) });

/** What an export button downloads: the register's export with the filters it supports, a file name, and its label. */
export interface RegisterExport {
  /** The body of `POST /api/risk-register/exports`: the register's filters and order. */
  query: { tier?: number; overdue?: boolean; sort?: 'next-review' };
  fileName: string;
  label: string;
  /** Filters of the list that the export does not apply, in words (null when it exports what the list shows). */
  note: string | null;
}

/**
 * The export of the vendor list as filtered: the register filters by tier (and by overdue review), not by name,
 * criticality or status, so those are named in the note instead of being silently dropped.
 */
export function registerExport(filters: { tier?: string; overdue?: boolean; q?: string; criticality?: string; status?: string }, today: string): RegisterExport {
  const tier = /^[1-4]$/.test(filters.tier ?? '') ? filters.tier! : null;
  const query: RegisterExport['query'] = {};
  if (tier) query.tier = Number(tier);
  if (filters.overdue) query.overdue = true;
  if (filters.overdue && !tier) query.sort = 'next-review';
  const what = [tier ? `tier ${tier}` : null, filters.overdue ? 'overdue reviews' : null].filter(Boolean).join(', ');
  const ignored = [filters.q?.trim() ? 'name' : null, filters.criticality ? 'criticality' : null, filters.status ? 'status' : null].filter((x): x is string => x !== null);
  return {
    query,
    fileName: `risk-register-${[tier ? `tier-${tier}` : null, filters.overdue ? 'overdue-reviews' : null, today].filter(Boolean).join('-')}.csv`,
    label: `Download the risk register (CSV, ${what || 'all vendors'})`,
    note: ignored.length ? `The download holds every vendor${tier ? ` of tier ${tier}` : ''}: the ${joinWords(ignored)} filter${ignored.length > 1 ? 's do' : ' does'} not apply to it.` : null,
  };
}

const joinWords = (words: readonly string[]): string => (words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`);

/**
 * A vendor's status in words. An approval makes an onboarding vendor active in the workflow's last step, a moment
 * after the decision: until then the page says so (and `awaitsActivation` tells it to read the vendor again).
 */
export function vendorStatusText(status: Vendor['status'], latest: Pick<Assessment, 'status'> | null | undefined): { text: string; awaitsActivation: boolean } {
  const approved = latest?.status === 'approved' || latest?.status === 'approved-with-conditions';
  if (status === 'onboarding' && approved) return { text: 'Onboarding (becomes active once the approval is recorded)', awaitsActivation: true };
  return { text: label(status), awaitsActivation: false };
}

/** The profile fields procurement may change, as the edit form names them. */
export const PROFILE_TEXT_FIELDS = ['name', 'website', 'contactEmail', 'contactName', 'description', 'businessOwner', 'criticality', 'dataClassification', 'systemAccess', 'recordVolume', 'status'] as const;

/** The patch of an edit: only the fields whose value differs from the vendor's (texts compared trimmed). */
export function profileChanges(vendor: Vendor, values: Record<string, string | string[]>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of PROFILE_TEXT_FIELDS) {
    const raw = values[field];
    const value = (Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '')).trim();
    const before = vendor[field] ?? '';
    if (value !== String(before).trim()) patch[field] = value;
  }
  const raw = values.dataTypes;
  const types = raw === undefined ? [] : ([] as string[]).concat(raw);
  if ([...types].sort().join(',') !== [...vendor.dataTypes].sort().join(',')) patch.dataTypes = types;
  return patch;
}

/** Open assessments past their due date (by status, the reminder state, or the date itself). */
export const overdueAssessments = (open: readonly Assessment[], today: string): Assessment[] =>
  open.filter((a) => a.status === 'overdue' || a.reminders.overdue || a.dueDate < today);

/** The facts as security corrected them (the analysis as extracted when nothing was corrected). */
export const effectiveAnalysis = (doc: StaffDocument) => doc.effectiveAnalysis ?? doc.analysis;

/** When a SOC 2 report's period end makes it stale, or null when it is not a SOC 2 report with a period. */
export function staleFrom(doc: StaffDocument): string | null {
  const a = effectiveAnalysis(doc);
  if (!a || a.documentKind !== 'soc2' || !a.period?.end) return null;
  return soc2StaleOn(a.period.end, SOC2_STALE_AFTER_MONTHS);
}

/** Why an assessment needs a person, in words, with what can be done; empty when nothing is wrong. */
export function attentionReasons(assessment: Assessment, documents: readonly StaffDocument[]): string[] {
  const reasons: string[] = [];
  if (assessment.status === 'needs-attention') reasons.push(`The workflow stopped: ${(assessment.attentionReason ?? 'no reason was recorded').replace(/\.$/, '')}.`);
  for (const d of documents) {
    if (d.analysisStatus === 'failed') reasons.push(`${d.fileName} could not be read${d.analysisError ? `: ${d.analysisError.message.replace(/\.$/, '')}` : ''}.`);
  }
  return reasons;
}

/** Which of the ways out apply: retry, ask the vendor for a new file (security), cancel (procurement). */
export function attentionActions(assessment: Assessment, documents: readonly StaffDocument[], roles: readonly string[]): { retry: boolean; sendBack: boolean; cancel: boolean } {
  const unread = documents.some((d) => d.analysisStatus === 'failed');
  const reviewer = roles.includes('security') || roles.includes('admin');
  const buyer = roles.includes('procurement') || roles.includes('admin');
  const stuck = assessment.status === 'needs-attention' || (assessment.status === 'awaiting-review' && unread);
  return {
    retry: stuck,
    sendBack: reviewer && assessment.status === 'awaiting-review' && unread,
    cancel: buyer && !['approved', 'approved-with-conditions', 'rejected', 'cancelled'].includes(assessment.status),
  };
}

/** A fact of the analysis in words. */
export function factText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'period') {
    const p = value as { start: string | null; end: string };
    return `${p.start ? `${p.start} to ` : 'as of '}${p.end}`;
  }
  if ((field === 'documentKind' || field === 'reportType' || field === 'opinion') && typeof value === 'string') return label(value);
  if (Array.isArray(value)) {
    if (field === 'trustServicesCategories') return value.length ? value.join(', ') : '—';
    if (field === 'subserviceOrganizations') return value.length ? (value as { name: string; method: string }[]).map((s) => `${s.name} (${s.method})`).join('; ') : 'None';
    if (field === 'exceptions') return `${value.length} exception(s)`;
    if (field === 'complementaryUserEntityControls') return `${value.length} control(s)`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
