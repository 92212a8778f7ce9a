/**
 * Finds the parts of a report by what their headings mean, never by their numerals or order.
 */
import type { Line } from './document.ts';

export type PartKind = 'front' | 'auditor' | 'assertion' | 'description' | 'tests' | 'other';
export type SubKind = 'cuec' | 'csoc' | 'subservice' | 'responses' | 'generic';

export interface Part {
  kind: PartKind;
  /** Line index range [start, end). */
  start: number;
  end: number;
}

const NUMBERING = /^(?:(?:section|part|appendix|attachment|exhibit)\s+(?:[ivxlc]+|\d+|[a-z])\b\s*[.:\-–—)]?\s*|(?:[ivxlc]+|\d{1,2}(?:\.\d{1,2})*|[a-z])[.)]\s+|\d{1,2}\s+(?=[A-Z]))/i;

/** Heading text without its numbering ("SECTION II – ", "3.", "Part C:"). */
export function stripNumbering(text: string): string {
  const body = text.replace(/^•\s*/, '').replace(NUMBERING, '');
  return (body.endsWith(')') ? body.replace(/\((?:continued|cont'?d\.?)\)$/i, '') : body).trim();
}

/** A line that can be a heading: short, not a sentence fragment, not a list item. */
export function looksLikeHeading(text: string): boolean {
  if (text.length > 130 || text.startsWith('• ')) return false;
  const body = stripNumbering(text);
  if (body.length < 3 || !/^[A-Z"'(]/.test(body)) return false;
  if (/[.,;]$/.test(body) && !/\b(?:Inc|Ltd|Co|Corp|LLC|L\.L\.C)\.$/.test(body)) return false;
  const words = body.split(/\s+/);
  if (words.length > 16) return false;
  // Longer lines must read like a title, not like a wrapped sentence ("We have examined ... titled").
  if (words.length > 5) {
    if (/^(?:We|Our|The|This|These|Those|In|An?|It|Its|For|To|If|As|Such|Based|When|During|Because|Management|Each|All)$/.test(words[0]!)) return false;
    return titleCaseRatio(words) >= 0.6;
  }
  return true;
}

function titleCaseRatio(words: string[]): number {
  const significant = words.filter((w) => /^["'(]?[A-Za-z]{4,}/.test(w));
  if (significant.length === 0) return 1;
  return significant.filter((w) => /^["'(]?[A-Z]/.test(w)).length / significant.length;
}

const TESTS = /\btests? of (?:the )?(?:operating effectiveness|controls)|results of (?:the )?tests|testing (?:matrix|matrices)|(?:criteria|objectives),? (?:and )?(?:related )?controls?|controls?,? (?:and )?tests|information provided by (?:the )?(?:independent )?service auditor|description of (?:the )?(?:criteria|tests|control objectives)|(?:criteria|control) mapping|testing performed by|tests applied by|trust services criteria and related|control activities,? (?:and )?tests|detailed (?:testing|tests)|\btests?\b.{0,40}\bresults?\b/i;
const AUDITOR = /independent (?:service )?auditors?'?s?'? (?:type\s*(?:1|2|i|ii)\s+)?(?:soc\s*[123]\s+)?(?:assurance )?(?:examination )?report|report of (?:the )?independent (?:service )?(?:certified public )?(?:auditors?|accountants?|practitioners?)|independent accountants?'?s?'? report|independent practitioners?'?s?'? (?:assurance )?report|report of (?:the )?(?:service )?auditor|independent assurance report|^service auditors?'?s?'? (?:type\s*(?:1|2|i|ii)\s+)?report/i;
const ASSERTION = /\bassertion\b|management'?s? statement|statement (?:by|of) (?:the )?management|management'?s? representation/i;
const DESCRIPTION = /description of (?:its|the|our)\b|'s description|system description|description of [A-Z]|overview of (?:the )?(?:company|organization|services|operations|system)|(?:company|organization|system) overview|description of the .*system/i;
const OTHER = /other information|additional information (?:provided )?by|not covered by the service auditor|unaudited/i;
const TITLE_NOISE = /suitability|relevant to|operating effectiveness|\breport on\b|type\s*(?:1|2|i|ii)\b|for the period|throughout|as of/i;

/** Classifies a top-level heading; null for anything else. */
const PART_HINT = /test|result|criteri|objective|control|auditor|accountant|practitioner|assurance|assertion|statement|representation|description|overview|information|unaudited/i;

export function classifyPartHeading(text: string): PartKind | null {
  if (text.length > 130 || !PART_HINT.test(text) || !looksLikeHeading(text)) return null;
  const body = stripNumbering(text);
  if (OTHER.test(body)) return 'other';
  if (TESTS.test(body)) return 'tests';
  if (AUDITOR.test(body)) return 'auditor';
  if (ASSERTION.test(body) && !/auditor/i.test(body)) return 'assertion';
  if (DESCRIPTION.test(body) && !TITLE_NOISE.test(body)) return 'description';
  return null;
}

const CUEC = /complementary user[- ]entity controls?|user[- ]entity (?:control )?(?:considerations|responsibilities)|user control considerations|(?:customer|client|user|subscriber)s?'? (?:control )?responsibilities|complementary (?:customer|client) controls?|\bCUECs?\b/i;
const CUEC_ITEM = /\b(?:user entit(?:y|ies)|customers?|clients?|subscribers?)\b[^.]{0,60}\b(?:responsible|should|must|are expected|ensure)/i;
const SUB_HINT = /user|customer|client|subscriber|cuec|sub-?service|third|response|csoc/i;
const CSOC = /complementary sub-?service organi[sz]ation controls?|\bCSOCs?\b/i;
const SUBSERVICE = /sub-?service (?:organi[sz]ations?|providers?)|third[- ]party service (?:organi[sz]ations|providers)/i;
const RESPONSES = /management'?s? responses?/i;
const SUBSERVICE_ROW = /\b(?:Inc|LLC|L\.L\.C|Ltd|Corp|Corporation|Limited|GmbH|plc|AG|S\.A|B\.V|N\.V|Pty)\b\.?|\b(?:carve[- ]?out|carved[- ]out|inclusive)(?: method)?$/i;

/** Classifies a sub-heading used to delimit lists (CUECs, subservice organizations, responses). */
export function classifySubHeading(text: string): SubKind | null {
  if (!looksLikeHeading(text)) return null;
  const body = stripNumbering(text);
  if (CSOC.test(body)) return 'csoc';
  if (CUEC.test(body)) return 'cuec';
  if (SUBSERVICE.test(body)) return 'subservice';
  if (RESPONSES.test(body) && body.split(/\s+/).length <= 8) return 'responses';
  if (isGenericHeading(body)) return 'generic';
  return null;
}

/** A short Title Case or UPPER CASE line with no sentence punctuation: some heading we need not understand. */
export function isGenericHeading(body: string): boolean {
  if (/[.;:,]$/.test(body) && !/:$/.test(body)) return false;
  const words = body.replace(/:$/, '').split(/\s+/);
  if (words.length > 9 || words.length === 0) return false;
  const significant = words.filter((w) => /^[A-Za-z]{4,}/.test(w));
  if (significant.length === 0) return /^[A-Z][A-Z]+$/.test(body);
  const capitalized = significant.filter((w) => /^[A-Z]/.test(w)).length;
  return capitalized / significant.length >= 0.75 && !/\b(?:CC|PI|A|C|P)\d\.\d/.test(body);
}

/** The parts of the document in order; lines before the first recognised heading form the 'front' part. */
export function findParts(lines: Line[]): Part[] {
  const parts: Part[] = [];
  let current: Part = { kind: 'front', start: 0, end: lines.length };
  for (let i = 0; i < lines.length; i++) {
    const kind = classifyPartHeading(lines[i]!.text);
    if (!kind || kind === current.kind || continuesSentence(lines, i)) continue;
    // The AICPA auditor's report has its own "Description of Tests of Controls" paragraph before the opinion.
    if (current.kind === 'auditor' && kind === 'tests' && /^description of (?:the )?tests of controls$/i.test(stripNumbering(lines[i]!.text))) continue;
    current.end = i;
    if (current.end > current.start || current.kind !== 'front') parts.push(current);
    current = { kind, start: i, end: lines.length };
  }
  current.end = lines.length;
  parts.push(current);
  return parts;
}

export function linesOf(lines: Line[], parts: Part[], kind: PartKind): Line[] {
  return parts.filter((p) => p.kind === kind).flatMap((p) => lines.slice(p.start, p.end));
}

/** A line that carries on the sentence of a long previous line is not a heading, whatever it looks like. */
export function continuesSentence(lines: Line[], i: number): boolean {
  const prev = lines[i - 1];
  if (!prev || prev.page !== lines[i]!.page) return false;
  const text = prev.text.replace(/\s*\([^()]{0,40}\)\s*$/, '').replace(/(?:[\s,;]*(?:and\s+)?(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})+\s*$/, '.');
  return text.length > 60 && !/[.:;!?]["')]?$/.test(text);
}

/** Line ranges that start at a sub-heading of `kind` and stop at the next heading of any kind. */
export function subRegions(lines: Line[], kinds: SubKind[], maxLines = 400): Array<{ start: number; end: number; heading: string }> {
  const out: Array<{ start: number; end: number; heading: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    // Only the requested kinds can open a region; a cheap keyword test spares the full classification.
    if (!SUB_HINT.test(lines[i]!.text)) continue;
    const kind = classifySubHeading(lines[i]!.text);
    if (!kind || !kinds.includes(kind) || continuesSentence(lines, i)) continue;
    let end = i + 1;
    while (end < lines.length && end - i < maxLines) {
      const text = lines[end]!.text;
      const sub = continuesSentence(lines, end) ? null : classifySubHeading(text);
      // A column header such as "Complementary User Entity Controls  Related Criteria" repeats the heading, and a
      // list may be grouped under labels ("Logical Access") that are followed by more items of the same list.
      const groupLabel = sub === 'generic' && kind === 'cuec' && lines.slice(end + 1, end + 3).some((l) => CUEC_ITEM.test(l.text));
      // A table row of subservice organizations ("Sendwave Messaging Ltd.  SMS notifications  Carve-out") reads like
      // a Title Case heading; a legal suffix or a method cell marks it as a row.
      // The line right under the heading may be the table's column header ("Vendor  Service  Treatment").
      const subserviceRow = sub === 'generic' && (kind === 'subservice' || kind === 'csoc') && (SUBSERVICE_ROW.test(text) || end === i + 1);
      if (sub !== null && !(sub === kind && end - i <= 3) && !groupLabel && !subserviceRow) break;
      if (sub === null && !continuesSentence(lines, end) && classifyPartHeading(text)) break;
      end++;
    }
    out.push({ start: i, end, heading: lines[i]!.text });
    i = end - 1;
  }
  return out;
}
