/**
 * Turns raw per-page text into clean lines: typography normalized, repeated headers and footers dropped, the table of
 * contents skipped, hyphenation and lone bullet glyphs repaired.
 */
import type { PageText } from './types.ts';

export interface Line {
  page: number;
  text: string;
}

export interface CleanDocument {
  lines: Line[];
  pages: number;
  /** Characters of text over all pages before cleaning (image-only scans have ~0). */
  rawChars: number;
}

/** Typography that varies between PDF producers, mapped to plain ASCII where it matters for matching. */
export function normalizeTypography(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u202f\u2002\u2003\u2009]/g, ' ')
    .replace(/[\u2018\u2019\u201b\u2032\u00b4`]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/\ufb00/g, 'ff')
    .replace(/\ufb01/g, 'fi')
    .replace(/\ufb02/g, 'fl')
    .replace(/\ufb03/g, 'ffi')
    .replace(/\ufb04/g, 'ffl')
    .replace(/\u00ad/g, '')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/[\u00ae\u2122]/g, '')
    .replace(/\t/g, ' ')
    .replace(/ {2,}/g, ' ');
}

const BULLET_ONLY = /^[•◦▪▫●○■□►▶➢✓✔\-*–·o]$/;
const BULLET_PREFIX = /^[•◦▪▫●○■□►▶➢✓✔·]\s*/;
const PAGE_NUMBER = /^(?:page\s*)?#(?:\s*(?:of|\/)\s*#)?$|^-\s*#\s*-$|^#$/;
const RESULTISH = /exception|deviation|noted|tested|^cc#|^[a-z]{1,3}#|^(?:control|criteria|criterion|tsc|trust services|test|result|ref)\b/;

const lineKey = (text: string): string => text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

function splitPage(text: string): string[] {
  const raw = normalizeTypography(text).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const out: string[] = [];
  let pendingBullet = false;
  for (const line of raw) {
    if (BULLET_ONLY.test(line)) {
      pendingBullet = true;
      continue;
    }
    let current = BULLET_PREFIX.test(line) ? `• ${line.replace(BULLET_PREFIX, '')}` : line;
    if (pendingBullet && !current.startsWith('• ')) current = `• ${current}`;
    pendingBullet = false;
    const prev = out[out.length - 1];
    // Re-join words hyphenated across a line break ("exam-" + "ination").
    if (prev !== undefined && /[a-z]{2}-$/.test(prev) && /^[a-z]/.test(current)) {
      out[out.length - 1] = prev.slice(0, -1) + current;
      continue;
    }
    out.push(current);
  }
  return out;
}

const EDGE = 4;

/**
 * Lines that repeat at the top or bottom of many pages, at the same place (running headers, footers, page numbers).
 * The place matters: "Control ID: SEC-07" also opens many pages, but at varying lines.
 */
function repeatedEdgeKeys(pages: string[][]): Set<string> {
  const counts = new Map<string, number>();
  const places = new Map<string, Map<number, number>>();
  for (const lines of pages) {
    const seen = new Set<string>();
    lines.forEach((l, j) => {
      const place = j < EDGE ? j : j >= lines.length - EDGE ? j - lines.length : null;
      if (place === null) return;
      const k = lineKey(l);
      if (seen.has(k)) return;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      const byPlace = places.get(k) ?? new Map<number, number>();
      byPlace.set(place, (byPlace.get(place) ?? 0) + 1);
      places.set(k, byPlace);
    });
  }
  const threshold = Math.max(3, Math.ceil(pages.length * 0.3));
  const keys = new Set<string>();
  for (const [k, n] of counts) {
    if (n < threshold || k.length > 120 || RESULTISH.test(k)) continue;
    const top = Math.max(...places.get(k)!.values());
    if (top / n >= 0.6) keys.add(k);
  }
  return keys;
}

const TOC_HEADING = /^(?:table of )?contents$/i;
const DOT_LEADER = /(?:\.\s?){4,}\s*\d{1,4}$|…+\s*\d{1,4}$|\s\.{2,}\s*\d{1,4}$/;

/** Removes the table of contents: from a "Contents" heading (or the first dot-leader line) to its last entry. */
function dropTableOfContents(lines: string[]): string[] {
  const headingAt = lines.findIndex((l) => TOC_HEADING.test(l.replace(/^\W+|\W+$/g, '')));
  const leaderLines = lines.map((l, i) => (DOT_LEADER.test(l) ? i : -1)).filter((i) => i >= 0);
  const numberedEnds = lines.filter((l) => /\s\d{1,3}$/.test(l)).length;
  if (headingAt < 0 && leaderLines.length < 3) return lines;
  if (headingAt >= 0 && leaderLines.length < 2 && numberedEnds < 3) return lines;
  const start = headingAt >= 0 ? headingAt : (leaderLines[0] ?? 0);
  let end = leaderLines.length > 0 ? leaderLines[leaderLines.length - 1]! : start;
  if (leaderLines.length === 0) {
    // No dot leaders: entries end in page numbers; the TOC runs to the last such line.
    for (let i = start; i < lines.length; i++) if (/\s\d{1,3}$/.test(lines[i]!)) end = i;
  }
  return [...lines.slice(0, start), ...lines.slice(end + 1)];
}

/** Cleans every page and flattens the document into lines tagged with their page number. */
export function cleanDocument(pages: PageText[]): CleanDocument {
  const split = pages.map((p) => splitPage(p.text));
  const rawChars = pages.reduce((n, p) => n + p.text.replace(/\s+/g, '').length, 0);
  const repeated = pages.length >= 4 ? repeatedEdgeKeys(split) : new Set<string>();
  const lines: Line[] = [];
  split.forEach((pageLines, i) => {
    const num = pages[i]!.num;
    const n = pageLines.length;
    const kept = pageLines.filter((l, j) => {
      const atEdge = j < EDGE || j >= n - EDGE;
      if (!atEdge) return true;
      const k = lineKey(l);
      return !(repeated.has(k) || PAGE_NUMBER.test(k));
    });
    for (const text of dropTableOfContents(kept)) lines.push({ page: num, text });
  });
  return { lines, pages: pages.length, rawChars };
}

/** Lines joined with "\n", with the offset of each line start so that a match can be traced back to its page. */
export interface TextView {
  text: string;
  /** `text` with line breaks as spaces (same offsets): for phrases that wrap across lines. */
  flat: string;
  starts: number[];
  lines: Line[];
}

export function viewOf(lines: Line[]): TextView {
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.text.length + 1;
  }
  const text = lines.map((l) => l.text).join('\n');
  return { text, flat: text.replace(/\n/g, ' '), starts, lines };
}

/** Index of the line that holds character `offset` of a view. */
export function lineIndexAt(view: TextView, offset: number): number {
  let lo = 0;
  let hi = view.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (view.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function pageAt(view: TextView, offset: number): number {
  return view.lines[lineIndexAt(view, offset)]?.page ?? 1;
}

/** A short quote around a match, on one line, for evidence. */
export function quoteAround(view: TextView, index: number, length: number, max = 220): string {
  const text = view.text;
  let s = Math.max(0, index - 60);
  let e = Math.min(text.length, index + length + 100);
  // Start and end on word boundaries.
  if (s > 0) s = Math.min(index, text.indexOf(' ', s) + 1 || index);
  const lastSpace = text.lastIndexOf(' ', e);
  if (e < text.length && lastSpace > index + length) e = lastSpace;
  const sentenceStart = text.lastIndexOf('. ', index);
  if (sentenceStart >= s) s = sentenceStart + 2;
  const sentenceEnd = text.indexOf('. ', index + length);
  if (sentenceEnd >= 0 && sentenceEnd < e) e = sentenceEnd + 1;
  const quote = text.slice(s, e).replace(/\s+/g, ' ').trim();
  return quote.length > max ? `${quote.slice(0, max - 1)}…` : quote;
}
