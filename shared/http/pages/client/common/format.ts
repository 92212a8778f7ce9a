/** Pure formatting shared by the page scripts (no DOM, no globals: unit-tested in test/unit/client-format.test.ts). */
import { humanLabel } from '../../../../domain/labels.ts';
import type { Problem } from '../api-types.ts';

/** "approved-with-conditions" → "Approved with conditions", "soc2-report" → "SOC 2 report"; empty → "—". */
export const label = (value: string | number | null | undefined): string => humanLabel(value);

/** The date of an ISO timestamp or date, "—" when there is none. */
export const formatDate = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');

/** "2026-11-30T10:15:00Z" → "2026-11-30 10:15 UTC". */
export const formatDateTime = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');

/** A query string of the non-empty parameters, with its "?" (or "" when none). */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, value]) => value !== '' && value !== undefined && value !== null)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The last path segment, decoded: the record id of /vendors/{id} and /assessments/{id}. */
export function lastPathSegment(pathname: string): string {
  const parts = pathname.split('/');
  try {
    return decodeURIComponent(parts[parts.length - 1] ?? '');
  } catch {
    return '';
  }
}

/** A problem+json body in one sentence; anything else is "Something went wrong". */
export function problemText(problem: Problem | null | undefined): string {
  if (!problem || typeof problem !== 'object' || typeof problem.title !== 'string') return 'Something went wrong; try again.';
  return problem.title + (problem.detail ? `: ${problem.detail}` : '');
}

/** The field errors of a problem, one line each: the field named by its label when the page knows it, else by its path. */
export function fieldErrorLines(problem: Problem | null | undefined, labels: Readonly<Record<string, string>> = {}): string[] {
  return (problem?.errors ?? []).map((e) => {
    const name = Object.hasOwn(labels, e.path) ? labels[e.path] : undefined;
    return name ? `${name}: ${e.message}` : e.path ? `${e.path}: ${e.message}` : e.message;
  });
}

/** The date `days` days after the instant `nowMs`, YYYY-MM-DD (UTC). */
export const isoDateAfterDays = (nowMs: number, days: number): string => new Date(nowMs + days * 86_400_000).toISOString().slice(0, 10);

/** Kilobytes, rounded up, for file sizes. */
export const kilobytes = (bytes: number): string => `${Math.ceil(bytes / 1024)} KB`;
