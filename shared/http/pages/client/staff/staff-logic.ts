/**
 * The staff pages' rules as pure functions (unit-tested in test/unit/client-staff-logic.test.ts). Dates use the
 * domain's calendar arithmetic, the one the server uses.
 */
import { addMonths } from '../../../../domain/risk/calendar.ts';
import riskPolicy from '../../../../domain/risk/risk-policy.json' with { type: 'json' };
import type { ContributionSource } from '../../../../domain/risk/residual-risk.ts';
import type { Assessment, RegisterLine, StaffDocument } from '../api-types.ts';
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

/** Open assessments past their due date (by status, the reminder state, or the date itself). */
export const overdueAssessments = (open: readonly Assessment[], today: string): Assessment[] =>
  open.filter((a) => a.status === 'overdue' || a.reminders.overdue || a.dueDate < today);

/** The facts as security corrected them (the analysis as extracted when nothing was corrected). */
export const effectiveAnalysis = (doc: StaffDocument) => doc.effectiveAnalysis ?? doc.analysis;

/** When a SOC 2 report's period end makes it stale, or null when it is not a SOC 2 report with a period. */
export function staleFrom(doc: StaffDocument): string | null {
  const a = effectiveAnalysis(doc);
  if (!a || a.documentKind !== 'soc2' || !a.period?.end) return null;
  return addMonths(a.period.end, SOC2_STALE_AFTER_MONTHS);
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
