/**
 * Reads the tests-of-controls section: distinct controls with a result, and each exception with its control,
 * criteria, description, management response and page.
 */
import { lineIndexAt, viewOf, type Line, type TextView } from './document.ts';
import { RESPONSE_LABEL, TSC_ID as CRITERION, TSC_ID_G as CRITERION_G } from './patterns.ts';
import type { ControlException } from './types.ts';

const EXTENDED = /^((?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})[.-]\d{1,3}[a-z]?$|^((?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})[a-z]$/;
const ID_TOKEN = /^(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}(?:[.-]\d{1,3})?[a-z]?|[A-Z][A-Z0-9]{0,7}(?:[-_.][A-Z0-9]{1,6})*[-_.]?\d{1,4}(?:[.-]\d{1,4})*[a-z]?|\d{1,2}\.\d{1,3}(?:\.\d{1,3})?|Control\s+\d{1,4}(?:\.\d{1,3})?)(?=[\s,:;)]|$)/;
const NOT_AN_ID = /^(?:SOC|ISO|TLS|SSL|AES|SHA|RSA|HTTPS?|SSH|IPSEC|SFTP|FIPS|NIST|PCI|GDPR|HIPAA|RAID|TCP|UDP|DNS|SLA|Q[1-4]|FY\d|V\d|IEC|ISAE|SSAE|AT-C|SAS|COSO|MFA|SMS|OS|IP|PHI|PII|TSP|FIPS)\b|^\d{4}\b|^(?:\d+\.\d+ ?(?:GB|MB|TB|%|hours|days))/i;

const PASS = "^(?:test\\s+)?(?:results?\\s*:\\s*)?(?:operating\\s+effectively|effective|passed|satisfactory)\\.?$|no\\s+(?:relevant\\s+|material\\s+|significant\\s+)?(?:exceptions?|deviations?)(?:\\s+were|\\s+was)?\\s+(?:noted|identified|found|observed|reported)|without\\s+(?:exception|deviation)|none\\s+noted|no\\s+(?:exceptions|deviations)\\b|(?:the\\s+)?control\\s+operated\\s+as\\s+(?:described|designed)|(?:exceptions?|deviations?)(?:\\(s\\))?(?:\\s+noted)?\\s*:\\s*none\\b";
const NOT_OCCURRED = "did\\s+not\\s+occur\\s+during\\s+the\\s+(?:examination\\s+|review\\s+)?period(?:[;,.]?\\s*(?:and\\s+)?(?:therefore|accordingly|as\\s+such),?\\s+no\\s+testing\\s+of\\s+(?:the\\s+)?operating\\s+effectiveness\\s+(?:was|could\\s+be)\\s+performed)?|no\\s+testing\\s+of\\s+(?:the\\s+)?operating\\s+effectiveness\\s+(?:was|could\\s+be)\\s+performed|not\\s+tested\\b|no\\s+instances?\\s+(?:of\\s+[^.]{1,60}\\s+)?occurred";
const EXCEPTION = "(?:the\\s+following\\s+|an?\\s+|one\\s+|two\\s+|three\\s+|four\\s+|five\\s+|\\d+\\s+)?(?:exceptions?|deviations?)(?:\\(s\\))?(?:\\s+were|\\s+was)?\\s+(?:noted|identified|found|observed)|^(?:exceptions?|deviations?)(?:\\(s\\))?\\s*(?:[:\\-–]|$)|(?<=[.;]\\s{1,3})(?:exceptions?|deviations?)(?:\\(s\\))?\\s*:|results?:\\s*(?:exceptions?|deviations?)(?:\\(s\\))?(?:\\s+(?:were|was))?(?:\\s+(?:noted|identified|found|observed))?";
const RESULT = new RegExp(`(${PASS})|(${NOT_OCCURRED})|(${EXCEPTION})`, 'gim');
const HEADER_WORDS = [
  /\bcontrol (?:#|no\.?|number|id|ref)|control activit|controls? specified|description of controls?|^control(?:s)?$/i,
  /\btests? (?:performed|applied)|testing performed|service auditor'?s? tests?|tests? of controls?|test procedures?|^tests?$/i,
  /\bresults?\b/i,
  /\b(?:criteria|tsc|ref\.?|criterion)\b/i,
];

/** "For 2 of 25 changes, approval was not retained." — a rate that opens a sentence and a failure word. */
const RATE_DEVIATION = /(?:^|[.:;]\s+|\n)((?:For|In|On)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:of|out of)\s+(?:the\s+)?\d+\b[^.]{0,300}?\b(?:not|late|without|lack(?:ed|ing)?|missing|after|no evidence|exceed(?:ed|ing)|unable|incomplete|outdated|expired|prior to)\b[^.]{0,300}\.)/;

/** A cell of references only: criteria ids and other frameworks' section numbers, no words. */
const REFERENCE_CELL = /^[\sA-Z0-9.,;:/&\-–]{2,40}$/;

const RESULT_ONCE = new RegExp(RESULT.source, 'im');
const HEADER_HINT = /control|test|result|criteri|tsc|ref/i;

function isColumnHeader(text: string): boolean {
  // A results column may be titled "Exceptions Noted" (Title Case, at the end of the header row).
  if (text.length > 140 || !HEADER_HINT.test(text) || RESULT_ONCE.test(text.replace(/\b(?:Exceptions?|Deviations?) Noted$/, ''))) return false;
  return HEADER_WORDS.filter((re) => re.test(text)).length >= 2;
}

interface Row {
  start: number;
  end: number;
  id: string | null;
  idIsCriterion: boolean;
  criteria: string[];
}

/**
 * "Control ID: AC-01", "Control #: 12" label a row's id in key-value layouts; "Criteria CC8.1" (no colon) heads the
 * rows of one criterion ("Trust Services Criteria: CC6.6" is a field inside a key-value block, not a heading).
 */
const ID_LABEL = /^(?:control\s*(?:id|#|no\.?|number|ref(?:erence)?)?|ref(?:erence)?)\s*[:#]\s*|^control\s+(?=[A-Z]{1,8}[-_.]?\d)|^(?:criteri(?:on|a)|tsc)\s+(?=(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}\b)/i;

function leadingIds(text: string): { ids: string[]; rest: string } {
  const ids: string[] = [];
  let rest = text.replace(/^[•|]\s*/, '').replace(ID_LABEL, '');
  for (let k = 0; k < 6; k++) {
    const m = ID_TOKEN.exec(rest);
    if (!m || NOT_AN_ID.test(rest)) break;
    ids.push(m[0].replace(/\s+/g, ' '));
    rest = rest.slice(m[0].length).replace(/^\s*(?:[,;:|]|and|&|–|-|—|to|through)?\s*/, '');
  }
  return { ids, rest };
}

const shapeOf = (id: string): string => id.replace(/[a-z]$/, '').replace(/[A-Z]+/g, 'A').replace(/\d+/g, '9');
/**
 * Ids with the same letter prefix belong to one column even when their suffixes differ ("CTRL-6.1", "CTRL-A1.2",
 * "CTRL-PI1.4" name controls after the criteria they meet).
 */
const familyOf = (id: string): string | null => {
  const prefix = /^[A-Z]{2,}(?=[-_.])/.exec(id)?.[0];
  return prefix ? `${prefix}:${id.replace(/[a-z]$/, '').replace(/[A-Z0-9]+/g, 'X')}` : null;
};

function criteriaOf(id: string): string | null {
  if (CRITERION.test(id)) return id;
  const m = EXTENDED.exec(id);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

export interface TestsResult {
  controlsTested: number | null;
  exceptions: ControlException[];
  resultsFound: number;
  evidence: { page: number; quote: string } | null;
}

/** Reads results and exceptions; `responsesView` is where management responses may sit apart from the tests. */
export function readTestsOfControls(testLines: Line[], responsesView: TextView | null): TestsResult {
  const lines = testLines.filter((l) => !isColumnHeader(l.text));
  const view = viewOf(lines);
  // Rows start at lines that begin with a control or criterion id.
  const rows: Row[] = [];
  const heads = lines.map((line) => leadingIds(line.text));
  // An id shape seen only once or twice ("1.2" from a wrapped "TLS 1.2 or higher") is not a column of ids.
  const shapeCount = new Map<string, number>();
  const bump = (key: string | null): void => void (key !== null && shapeCount.set(key, (shapeCount.get(key) ?? 0) + 1));
  for (const h of heads) {
    if (!h.ids[0]) continue;
    bump(shapeOf(h.ids[0]));
    bump(familyOf(h.ids[0]));
  }
  const seenOften = (id: string): boolean => (shapeCount.get(shapeOf(id)) ?? 0) >= 3 || (shapeCount.get(familyOf(id) ?? '') ?? 0) >= 3;
  lines.forEach((_, i) => {
    const { ids, rest } = heads[i]!;
    if (ids.length === 0) return;
    if (rest.length > 0 && !/^[A-Z"'(•[]/.test(rest)) return;
    if (!CRITERION.test(ids[0]!) && !seenOften(ids[0]!)) return;
    const criteria = ids.map(criteriaOf).filter((c): c is string => c !== null);
    const controlId = ids.find((id) => !CRITERION.test(id)) ?? null;
    rows.push({ start: view.starts[i]!, end: view.text.length, id: controlId ?? ids[0]!, idIsCriterion: controlId === null, criteria });
  });
  for (let r = 0; r < rows.length - 1; r++) rows[r]!.end = rows[r + 1]!.start;
  // A criteria cell that wraps above the row's first line ("CC7.2 /" + "164.308(a)(1)" + "BF-02 Audit logs …").
  const rowStarts = new Set(rows.map((r) => r.start));
  for (const row of rows) {
    if (row.criteria.length > 0) continue;
    let i = lineIndexAt(view, row.start) - 1;
    const found: string[] = [];
    while (i >= 0 && row.start - view.starts[i]! < 120 && !rowStarts.has(view.starts[i]!) && lines[i]!.page === lines[i + 1]!.page && REFERENCE_CELL.test(lines[i]!.text.replace(/\([a-z0-9]{1,3}\)/g, ''))) {
      found.unshift(...idsIn(lines[i]!.text));
      i--;
    }
    row.criteria = found;
  }

  const rowIndexAt = (offset: number): number => {
    let lo = 0;
    let hi = rows.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid]!.start <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  // The criterion heading that governs each row (tables grouped one per criterion).
  const headings: Array<string | null> = [];
  let lastHeading: string | null = null;
  for (const row of rows) {
    if (row.idIsCriterion) lastHeading = row.id;
    headings.push(lastHeading);
  }

  const controls = new Set<string>();
  const exceptions = new Map<string, ControlException>();
  let resultsFound = 0;
  let evidence: TestsResult['evidence'] = null;
  let previousResultEnd = 0;
  const text = view.text;
  const matches = [...text.matchAll(RESULT)].map((m) => ({ m, rowIndex: rowIndexAt(m.index) }));
  for (const { m, rowIndex } of matches) {
    if (m[3] && isListHeading(view, m.index, m[0])) continue;
    // "Management's Response to Exceptions Noted" (a heading) or a response that mentions exceptions is no result.
    if (/^management'?s?\s+responses?\b/i.test(view.lines[lineIndexAt(view, m.index)]!.text)) continue;
    resultsFound++;
    const row = rowIndex >= 0 ? rows[rowIndex]! : null;
    const chunkStart = Math.max(previousResultEnd, row?.start ?? 0);
    const controlText = text.slice(chunkStart, m.index).replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 120);
    previousResultEnd = m.index + m[0].length;
    const controlId = row && !row.idIsCriterion ? row.id : null;
    // A row led by a control id is one control, however many tests it lists; under a criterion heading without
    // control ids, each result is its own control.
    const key = controlId ? `id:${controlId}` : `text:${row?.id ?? ''}:${controlText}`;
    controls.add(key);
    if (!evidence) evidence = { page: lines[lineIndexAt(view, m.index)]!.page, quote: text.slice(Math.max(0, m.index - 80), m.index + m[0].length).replace(/\s+/g, ' ').trim() };
    if (!m[3]) continue;
    const rowEnd = nextResultOrRowEnd(text, m.index + m[0].length, row);
    const after = text.slice(m.index + m[0].length, rowEnd);
    const responseAt = after.search(RESPONSE_LABEL);
    let description = cleanText(responseAt >= 0 ? after.slice(0, responseAt) : after);
    if (description.length < 15 && !POINTER.test(description)) {
      const before = text.slice(chunkStart, m.index);
      const rate = /(?:for |in )?\b\d+ (?:of|out of) (?:the )?\d+\b[^.]*\.|[^.]*\b(?:deviation|exception)\b[^.]*\./i.exec(before);
      description = cleanText(rate ? rate[0] : description || m[0]);
    }
    const responseMatch = responseAt >= 0 ? RESPONSE_LABEL.exec(after.slice(responseAt)) : null;
    const managementResponse = responseMatch ? cleanText(after.slice(responseAt + responseMatch[0].length)) || null : null;
    const rowCriteria = row ? [...row.criteria, ...idsIn(text.slice(row.start, m.index))] : [];
    const heading = rowIndex >= 0 ? headings[rowIndex]! : null;
    const criteria = unique([...(rowCriteria.length === 0 && heading ? [heading] : []), ...rowCriteria, ...(heading ? [heading] : [])]);
    const exceptionKey = controlId ? `id:${controlId}` : `d:${description.toLowerCase().slice(0, 80)}`;
    const page = lines[lineIndexAt(view, m.index)]!.page;
    const existing = exceptions.get(exceptionKey);
    if (existing) {
      existing.criteria = unique([...existing.criteria, ...criteria]);
      existing.managementResponse ??= managementResponse;
      continue;
    }
    exceptions.set(exceptionKey, { controlId, criteria, description, managementResponse, page });
  }
  // A results column titled "Exceptions Noted" may hold the deviation itself ("For 1 of 4 quarters, the review was
  // completed 26 days late.") with no result phrase: a row led by a control id, with no result statement, whose text
  // has a sentence that opens with a sample rate and says what failed.
  if (resultsFound > 0) {
    const withResult = new Set(matches.map((x) => x.rowIndex));
    rows.forEach((row, r) => {
      if (row.idIsCriterion || withResult.has(r) || row.end - row.start > 3000) return;
      const body = text.slice(row.start, row.end);
      const deviation = RATE_DEVIATION.exec(body);
      if (!deviation) return;
      resultsFound++;
      controls.add(`id:${row.id}`);
      const key = `id:${row.id}`;
      if (exceptions.has(key)) return;
      const index = row.start + deviation.index + deviation[0].indexOf(deviation[1]!);
      const after = text.slice(index, row.end);
      const responseAt = after.search(RESPONSE_LABEL);
      const responseMatch = responseAt >= 0 ? RESPONSE_LABEL.exec(after.slice(responseAt)) : null;
      const heading = headings[r] ?? null;
      exceptions.set(key, {
        controlId: row.id,
        criteria: unique([...row.criteria, ...idsIn(text.slice(row.start, index)), ...(heading ? [heading] : [])]),
        description: cleanText(deviation[1]!),
        managementResponse: responseMatch ? cleanText(after.slice(responseAt + responseMatch[0].length)) || null : null,
        page: lines[lineIndexAt(view, index)]!.page,
      });
    });
  }
  const list = [...exceptions.values()];
  if (responsesView) for (const e of list) e.managementResponse ??= responseFor(e, responsesView);
  // "Exception noted. See Section V." points to the detail elsewhere: a later line that starts with the control id.
  for (const e of list) {
    if (!e.controlId || !POINTER.test(e.description)) continue;
    const detail = detailFor(e.controlId, [view, ...(responsesView ? [responsesView] : [])]);
    if (!detail) continue;
    e.description = detail;
    if (e.managementResponse?.startsWith(detail)) e.managementResponse = cleanText(e.managementResponse.slice(detail.length)) || null;
  }
  return { controlsTested: controls.size > 0 ? controls.size : null, exceptions: list, resultsFound, evidence };
}

/** "Exceptions Noted" as the heading of a list of exceptions by control ("SS-02: For 3 of 20 …"), not a result. */
function isListHeading(view: TextView, index: number, match: string): boolean {
  const i = lineIndexAt(view, index);
  const line = view.lines[i]!.text.trim();
  if (line.replace(/:$/, '') !== match.trim().replace(/:$/, '') || !/^[A-Z]\S*\s+(?:[A-Z(]|Noted)/.test(line)) return false;
  const next = view.lines[i + 1]?.text ?? '';
  return /^(?:control\b|[A-Z][A-Z0-9]{0,7}[-_.]?\d{1,4}(?:[.-]\d{1,4})*\b|(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})/i.test(next);
}

function nextResultOrRowEnd(text: string, from: number, row: Row | null): number {
  const end = row ? row.end : Math.min(text.length, from + 1500);
  const re = new RegExp(RESULT.source, 'gim');
  re.lastIndex = from;
  const next = re.exec(text);
  const limit = next && next.index < end ? next.index : end;
  // A following control whose id does not start a line (e.g. "Inspected ..." of the next row) is not detectable;
  // keep descriptions to a sensible size.
  return Math.min(limit, from + 1500);
}

function idsIn(text: string): string[] {
  return [...text.matchAll(CRITERION_G)].map((m) => m[0]);
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

function cleanText(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .replace(/^[\s.:;,\-–—]+/, '')
    .replace(/\s*(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}[,\s]*)+$/, '')
    .trim();
}

const POINTER = /^(?:see|refer to|as described|described (?:in|below))\b/i;

/** The exception text on a line that starts with the control id ("OH-02 Exception: For 2 of 10 …"). */
function detailFor(controlId: string, views: TextView[]): string | null {
  const id = controlId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?:^|\\n)(?:control\\s+)?${id}(?![\\w.-]\\w)\\s*[:\\-–]?\\s*(?:(?:exceptions?|deviations?)(?:\\s+noted)?\\s*[:\\-–.]?\\s*)?([^\\n]+)`, 'gi');
  for (const view of views) {
    for (const m of view.text.matchAll(re)) {
      const rest = m[1]!;
      // The row of the matrix itself carries the result phrase; the detail does not.
      if (RESULT_ONCE.test(rest)) continue;
      const deviation = RATE_DEVIATION.exec(`. ${rest}`);
      const label = RESPONSE_LABEL.exec(rest);
      const text = cleanText(deviation ? deviation[1]! : label ? rest.slice(0, label.index) : rest);
      if (text.length >= 15 && !POINTER.test(text)) return text;
    }
  }
  return null;
}

function isTitleLike(line: string): boolean {
  const words = line.split(/\s+/).filter((w) => /^[A-Za-z]{4,}/.test(w));
  return words.length > 0 && words.every((w) => /^[A-Z]/.test(w));
}

/** A management response for an exception, found by its control id, then by its criteria. */
export function responseFor(e: ControlException, view: TextView): string | null {
  // By control id first; responses keyed by criterion ("CC6.2 Zephyr has automated …") are the fallback.
  const keys = e.controlId ? [e.controlId, ...e.criteria] : e.criteria;
  for (const key of keys) {
    const re = new RegExp(`(?:^|[\\s(])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d.]\\d)`, 'g');
    for (const m of view.text.matchAll(re)) {
      const chunk = view.text.slice(m.index + m[0].length, m.index + m[0].length + 1500);
      // The response ends where the next control or criterion reference starts a line.
      const stop = chunk.search(/\n(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}|[A-Z][A-Z0-9]{0,7}[-_.]?\d{1,4}(?:[.-]\d{1,4})*|Control\s+\d)\b/);
      let body = stop >= 0 ? chunk.slice(0, stop) : chunk;
      // … or where a heading of the other information starts ("Future Plans").
      const heading = /\n(?!(?:management|response))[A-Z][A-Za-z]*(?: [A-Za-z][A-Za-z'-]*){0,5}\n/i.exec(body.slice(1));
      if (heading && !/[.:,;]$/.test(heading[0].trim()) && isTitleLike(heading[0].trim())) body = body.slice(0, heading.index + 1);
      const label = RESPONSE_LABEL.exec(body);
      const text = cleanText(label ? body.slice(label.index + label[0].length) : body.replace(/^[^:]{0,80}:/, ''));
      if (text.length >= 10) return text;
    }
  }
  return null;
}
