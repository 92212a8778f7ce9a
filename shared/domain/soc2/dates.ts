/**
 * Date parsing for report text: "Month D, YYYY", "D Month YYYY", "MM/DD/YYYY", ISO, and ranges joined by
 * to / through / dashes. Everything is normalized to ISO "YYYY-MM-DD".
 */

const monthNames: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
};

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const ORD = '(?:st|nd|rd|th)?';

/** One date in any supported format, as a regex source with no capture groups. */
export const DATE_SOURCE =
  `(?:${MONTH}\\s+\\d{1,2}${ORD},?\\s+\\d{4}` +
  `|\\d{1,2}${ORD}\\s+(?:of\\s+)?${MONTH},?\\s+\\d{4}` +
  `|\\d{1,2}[-/]${MONTH}[-/]\\d{4}` +
  `|(?<![\\w.])\\d{1,2}\\.\\d{1,2}\\.\\d{4}(?!\\w)` +
  `|\\d{1,2}/\\d{1,2}/\\d{4}` +
  `|\\d{4}-\\d{2}-\\d{2})`;

/** "January 1, 2025, to December 31, 2025": AICPA style puts a comma after the first date's year. */
const RANGE_JOIN = ',?\\s*(?:to|through|thru|until|till|and\\s+ending(?:\\s+on)?|and|-|–|—|−)\\s*';

/** A range of two dates, each captured. */
export const DATE_RANGE_SOURCE = `(${DATE_SOURCE})${RANGE_JOIN}(?:the\\s+period\\s+ended\\s+)?(${DATE_SOURCE})`;

const pad = (n: number): string => String(n).padStart(2, '0');

function isValid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1990 || y > 2100) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[m - 1] ?? 0);
}

function iso(y: number, m: number, d: number): string | null {
  return isValid(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** Parses one date written in any supported format; null when it is not a valid date. */
export function parseDate(raw: string): string | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  let m = /^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(text);
  if (m) {
    const month = monthNames[m[1]!.toLowerCase()];
    return month ? iso(Number(m[3]), month, Number(m[2])) : null;
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([A-Za-z]+)\.?,? (\d{4})$/.exec(text);
  if (m) {
    const month = monthNames[m[2]!.toLowerCase()];
    return month ? iso(Number(m[3]), month, Number(m[1])) : null;
  }
  // "31-Mar-2026", "01/Apr/2025".
  m = /^(\d{1,2})[-/]([A-Za-z]+)\.?[-/](\d{4})$/.exec(text);
  if (m) {
    const month = monthNames[m[2]!.toLowerCase()];
    return month ? iso(Number(m[3]), month, Number(m[1])) : null;
  }
  // European "31.12.2025" is day first.
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (m) return iso(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    // US reports write month first; a first number above 12 can only be a day.
    return a > 12 ? iso(Number(m[3]), b, a) : iso(Number(m[3]), a, b);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

export interface FoundDate {
  iso: string;
  index: number;
  length: number;
}

/** Every valid date in `text`, in order. */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  const re = new RegExp(DATE_SOURCE, 'g');
  for (const m of text.matchAll(re)) {
    const value = parseDate(m[0]);
    if (value) out.push({ iso: value, index: m.index, length: m[0].length });
  }
  return out;
}

export interface FoundRange {
  start: string;
  end: string;
  index: number;
  length: number;
}

/** Every date range ("X to Y", "X through Y", "X – Y") in `text` whose end is not before its start. */
export function findDateRanges(text: string): FoundRange[] {
  const out: FoundRange[] = [];
  const re = new RegExp(DATE_RANGE_SOURCE, 'g');
  for (const m of text.matchAll(re)) {
    const start = parseDate(m[1]!);
    const end = parseDate(m[2]!);
    if (start && end && start <= end) out.push({ start, end, index: m.index, length: m[0].length });
  }
  return out;
}

const SHORT_RANGES = [
  // "April 1 to September 30, 2024": the first date borrows the second's year.
  new RegExp(`(${MONTH})\\s+(\\d{1,2})${ORD}${RANGE_JOIN}(${MONTH}\\s+\\d{1,2}${ORD},?\\s+(\\d{4}))`, 'g'),
  // "1 April to 30 September 2024".
  new RegExp(`(\\d{1,2})${ORD}\\s+(${MONTH})${RANGE_JOIN}(\\d{1,2}${ORD}\\s+${MONTH},?\\s+(\\d{4}))`, 'g'),
];

/** Ranges whose first date omits the year ("April 1 to September 30, 2024"). */
export function findShortDateRanges(text: string): FoundRange[] {
  const out: FoundRange[] = [];
  SHORT_RANGES.forEach((re, k) => {
    for (const m of text.matchAll(re)) {
      const end = parseDate(m[3]!);
      if (!end) continue;
      const year = Number(m[4]);
      const first = k === 0 ? `${m[1]} ${m[2]}` : `${m[1]} ${m[2]}`;
      let start = parseDate(k === 0 ? `${first}, ${year}` : `${first} ${year}`);
      if (start && start > end) start = parseDate(k === 0 ? `${first}, ${year - 1}` : `${first} ${year - 1}`);
      if (start && start <= end) out.push({ start, end, index: m.index, length: m[0].length });
    }
  });
  return out.sort((a, b) => a.index - b.index);
}

/** Adds months to an ISO date and steps one day forward: the first day of a period that ends on `endIso`. */
export function periodStartFromLength(endIso: string, months: number): string | null {
  const [y, m, d] = endIso.split('-').map(Number) as [number, number, number];
  const totalMonths = y * 12 + (m - 1) - months;
  const sy = Math.floor(totalMonths / 12);
  const sm = (totalMonths % 12) + 1;
  // The day after the same calendar day `months` earlier; clamp to the month's length.
  const lastDay = new Date(Date.UTC(sy, sm, 0)).getUTCDate();
  const endIsMonthEnd = d === new Date(Date.UTC(y, m, 0)).getUTCDate();
  const base = Date.UTC(sy, sm - 1, endIsMonthEnd ? lastDay : Math.min(d, lastDay));
  const next = new Date(base + 86_400_000);
  return iso(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}
