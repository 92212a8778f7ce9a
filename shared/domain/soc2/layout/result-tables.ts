/**
 * Tests-of-controls matrices read as tables from positioned text. A header row names the columns (control id,
 * control, test, result, criteria); the columns' left edges come from the body rows under it; each body item goes to
 * the column it starts in, so a cell that wraps over several lines stays whole and never mixes with its neighbour.
 * A row starts where the id column holds an id; a line that spans several columns is a group heading ("CC6.1: The
 * entity implements …") and governs the rows under it. Columns carry over to the next page until a new header.
 */
import { classifyResult, criteriaIn, criterionOf, otherReferencesIn, TSC_ID } from '../patterns.ts';
import type { PageText } from '../types.ts';
import { layoutLines, type Cell, type LayoutLine } from './positioned-lines.ts';

export type ColumnRole = 'id' | 'criteria' | 'control' | 'test' | 'result' | 'other';

export interface TableRow {
  page: number;
  pages: number[];
  /** The id in the id column ("CC1.3.1", "C-101"); a criterion when the table is led by criteria. */
  id: string | null;
  /** 2017 TSC ids: the row's criteria cell, the criterion its id extends, the governing heading. */
  criteria: string[];
  /** Other frameworks' ids from the criteria cell or the heading (CSA CCM, ISO Annex A …). */
  otherReferences: string[];
  control: string;
  test: string;
  result: string;
}

interface Column {
  start: number;
  role: ColumnRole;
}

/** A line under a row that carries its result's detail. */
const RESULT_NOTE = /^(?:(?:the following\s+)?(?:exceptions?|deviations?)(?:\(s\))?(?:\s+(?:was|were))?(?:\s+noted)?\s*[:.\-–]|management'?s?\s+responses?\b|responses?\s+(?:from|of)\s+management\b)/i;

const RESULT_HEADER = /^(?:(?:test(?:ing)?|service auditor'?s?)\s+)?results?\b|\bresults? of (?:the )?(?:tests?|testing)\b|\btest results?\b|^(?:exceptions?|deviations?)(?: noted)?$|^results?$/i;
const TEST_HEADER = /\btests?\b|\btesting\b|procedures? performed|auditor/i;
const CRITERIA_HEADER = /\bcriteri(?:on|a)\b|^tsc\b|\btsc (?:ref|#|id)|^ref(?:erence)?\.?$|mapping|\bccm\b|annex/i;
const ID_HEADER = /^(?:control\s*(?:#|no\.?|number|id|ref(?:erence)?)|#|id|no\.?|ref(?:erence)? ?#?)$/i;
const CONTROL_HEADER = /\bcontrols?\b|activit|description/i;

/** A cell that begins with an id: a criterion, an extended criterion, or a control id such as "C-101" or "1.02". */
const ID_AT_START = /^(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}(?:[.-]\d{1,3})?[a-z]?|[A-Z][A-Z0-9]{0,7}(?:[-_.][A-Z0-9]{1,6})*[-_.]?\d{1,4}(?:[.-]\d{1,4})*[a-z]?|\d{1,2}\.\d{1,3}(?:\.\d{1,3})?)(?=[\s,:;)]|$)/;
const NOT_AN_ID = /^(?:SOC|ISO|TLS|SSL|AES|SHA|RSA|HTTPS?|SSH|NIST|PCI|HIPAA|IEC|ISAE|SSAE|AT-C|COSO|TSP|Q[1-4]|FY\d|V\d)\b|^\d{4}\b/i;

function roleOf(header: string): ColumnRole {
  if (RESULT_HEADER.test(header) && !/^control/i.test(header)) return 'result';
  if (ID_HEADER.test(header)) return 'id';
  if (CRITERIA_HEADER.test(header) && !CONTROL_HEADER.test(header.replace(/criteri\w*/i, ''))) return 'criteria';
  if (TEST_HEADER.test(header)) return 'test';
  if (CONTROL_HEADER.test(header)) return 'control';
  return 'other';
}

/** Left edges used by at least three body lines, clustered within 4 pt. */
function columnEdges(lines: LayoutLine[]): number[] {
  const xs = lines.flatMap((l) => l.runs.map((c) => c.x)).sort((a, b) => a - b);
  const clusters: Array<{ x: number; n: number }> = [];
  for (const x of xs) {
    const last = clusters[clusters.length - 1];
    if (last && x - last.x <= 4) last.n++;
    else clusters.push({ x, n: 1 });
  }
  return clusters.filter((c) => c.n >= 3).map((c) => c.x);
}

interface Header {
  index: number;
  /** Lines the header occupies (it may wrap). */
  end: number;
  cells: Cell[];
}

/** A header: one or two adjacent lines whose cells include a result column and at least one other column heading. */
function findHeader(lines: LayoutLine[], from: number): Header | null {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    // A header's first line names at least two columns (a table title above it is not part of it).
    if (line.cells.length < 2) continue;
    // Gather the header band: this line and the lines within two line heights below it.
    const band: BandCell[] = line.cells.map((c) => ({ ...c, line: 0 }));
    let end = i + 1;
    // A wrapped header continues on the next lines: short cells, no id, no sentence; a body row ends the band.
    const continuesHeader = (l: LayoutLine): boolean => l.cells.every((c) => c.text.length <= 40 && !/[.:]$/.test(c.text)) && !ID_AT_START.test(l.cells[0]!.text) && classifyResult(l.cells.map((c) => c.text).join(' ')) === null;
    while (end < lines.length && end < i + 4 && lines[end]!.y - lines[end - 1]!.y <= 1.6 * line.h && continuesHeader(lines[end]!)) {
      band.push(...lines[end]!.cells.map((c) => ({ ...c, line: end - i })));
      end++;
    }
    // Header cells are short labels; a body row (an id, a sentence) is not a header even if a cell says "Exception".
    if (band.some((c) => c.text.length > 60 || ID_AT_START.test(c.text) || /[a-z]{4,}\.$/.test(c.text)) || band.filter((c) => c.text.length > 45).length > 1) continue;
    const merged = mergeBand(band);
    const roles = merged.map((c) => roleOf(c.text));
    if (!roles.includes('result') || merged.length < 3) continue;
    if (!roles.some((r) => r === 'test' || r === 'control')) continue;
    // The result column is to the right of the control and test columns.
    const resultX = merged[roles.indexOf('result')]!.x;
    if (merged.filter((c) => c.x < resultX).length < 2) continue;
    return { index: i, end, cells: merged };
  }
  return null;
}

interface BandCell extends Cell {
  line: number;
}

/**
 * Header cells that wrap over two or three lines, stacked: merged when they overlap horizontally, or sit on different
 * lines a word space apart ("Control" above a "#" set to its left).
 */
function mergeBand(cells: BandCell[]): Cell[] {
  const out: Array<Cell & { lines: Set<number> }> = [];
  for (const cell of [...cells].sort((a, b) => a.line - b.line || a.x - b.x)) {
    const overlap = out.find((o) => (cell.x < o.x2 - 2 && cell.x2 > o.x + 2) || (!o.lines.has(cell.line) && Math.max(cell.x - o.x2, o.x - cell.x2) < 8));
    if (overlap) {
      overlap.lines.add(cell.line);
      overlap.text = `${overlap.text} ${cell.text}`;
      overlap.x = Math.min(overlap.x, cell.x);
      overlap.x2 = Math.max(overlap.x2, cell.x2);
    } else out.push({ x: cell.x, x2: cell.x2, text: cell.text, lines: new Set([cell.line]) });
  }
  return out.sort((a, b) => a.x - b.x).map(({ x, x2, text }) => ({ x, x2, text }));
}

/** Columns: body left edges, each named by the header cell above it. */
function columnsFor(header: Header, body: LayoutLine[]): Column[] | null {
  const edges = columnEdges(body);
  const headerCells = header.cells;
  const columns: Column[] = [];
  let previousEdge = -Infinity;
  headerCells.forEach((cell, k) => {
    const nextX = headerCells[k + 1]?.x ?? Infinity;
    // The body edge under this header: the one nearest to it, right of the previous column's, left of the next header.
    const candidates = edges.filter((x) => x > previousEdge + 4 && x < nextX - 2 && x <= cell.x2);
    const edge = candidates.sort((a, b) => Math.abs(a - cell.x) - Math.abs(b - cell.x))[0];
    if (edge !== undefined) previousEdge = edge;
    columns.push({ start: Math.min(edge ?? cell.x, cell.x), role: roleOf(cell.text) });
  });
  if (columns.filter((c) => c.role === 'result').length !== 1) return null;
  // Two columns of the same role: keep the first's role, the second is "other".
  const seen = new Set<ColumnRole>();
  for (const c of columns) {
    if (seen.has(c.role) && c.role !== 'other') c.role = 'other';
    seen.add(c.role);
  }
  return columns;
}

function columnAt(columns: Column[], x: number): number {
  let k = 0;
  for (let j = 0; j < columns.length; j++) if (x >= columns[j]!.start - 3) k = j;
  return k;
}

interface OpenRow {
  row: TableRow;
  lines: Array<{ y: number; page: number; cells: Array<[number, string]> }>;
}

/** Reads every tests-of-controls table in the document. Pages without positioned items are skipped. */
export function readResultTables(pages: PageText[]): TableRow[] {
  const rows: TableRow[] = [];
  let columns: Column[] | null = null;
  let heading: { criteria: string[]; other: string[] } = { criteria: [], other: [] };
  let open: OpenRow | null = null;
  let pending: OpenRow['lines'] = [];
  /** The row closed last, and the row whose note (exception, response) the spanning lines are continuing. */
  let lastRow: TableRow | null = null;
  let noteOf: TableRow | null = null;
  let noteLines = 0;

  const close = (): void => {
    pending = [];
    if (!open) return;
    const { row, lines: rowLines } = open;
    const text = (k: number): string =>
      rowLines
        .flatMap((l) => l.cells.filter(([c]) => c === k).map(([, t]) => t))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
    row.pages = [...new Set(rowLines.map((l) => l.page))];
    const roleText = (role: ColumnRole): string => (columns ? columns.map((c, k) => (c.role === role ? text(k) : '')).filter(Boolean).join(' ') : '');
    row.control = roleText('control');
    row.test = roleText('test');
    row.result = roleText('result');
    const criteriaCell = roleText('criteria');
    const idCriterion = row.id ? criterionOf(row.id) : null;
    row.criteria = [...new Set([...criteriaIn(criteriaCell), ...(idCriterion ? [idCriterion] : []), ...heading.criteria])];
    row.otherReferences = [...new Set([...otherReferencesIn(criteriaCell), ...heading.other])].filter((r) => !row.criteria.includes(r) && r !== row.id);
    rows.push(row);
    lastRow = row;
    noteOf = null;
    open = null;
  };

  for (const page of pages) {
    if (!page.items || page.items.length === 0) continue;
    const lines = layoutLines(page);
    // Every header on the page, with the columns it names (a new table may start mid-page).
    const headers = new Map<number, { end: number; columns: Column[] }>();
    for (let from = 0, h = findHeader(lines, from); h; h = findHeader(lines, from)) {
      const next = findHeader(lines, h.end);
      const found = columnsFor(h, lines.slice(h.end, next ? next.index : lines.length));
      if (found) headers.set(h.index, { end: h.end, columns: found });
      from = h.end;
    }
    const spacing = lineSpacing(lines);
    const keyColumns = new Map<Column[], number>();
    for (let i = 0; i < lines.length; i++) {
      const header = headers.get(i);
      if (header) {
        close();
        if (!columns || header.columns.map((c) => c.role).join() !== columns.map((c) => c.role).join()) heading = { criteria: [], other: [] };
        columns = header.columns;
        i = header.end - 1;
        continue;
      }
      if (!columns) continue;
      const cols: Column[] = columns;
      let keyColumn = keyColumns.get(cols);
      if (keyColumn === undefined) keyColumns.set(cols, (keyColumn = keyColumnOf(cols, lines)));
      const lastStart = cols[cols.length - 1]!.start;
      const line = lines[i]!;
      const first = line.cells[0]!;
      // Page numbers and running footers: a lone short cell.
      if (line.cells.length === 1 && first.text.length <= 12 && /^(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i.test(first.text)) continue;
      // A line that runs across several columns is a heading of the rows below it, or prose after the table: it
      // closes the open row. Columns stay until the next header; lines outside rows are not read.
      // (Runs that each start at a column's left edge are cells set close together, not one spanning line.)
      const aligned = line.runs.length > 1 && line.runs.every((r) => cols.some((c) => Math.abs(r.x - c.start) <= 4));
      const spans = line.cells.length === 1 && !aligned && cols.filter((c) => c.start > first.x + 4 && c.start < first.x2 - 4).length >= 2;
      if (spans || (first.x < cols[0]!.start - 12 && first.x2 > cols[Math.min(1, cols.length - 1)]!.start)) {
        close();
        const ids = criteriaIn(first.text.slice(0, 40)).filter((c) => !/\.0$/.test(c));
        const others = otherReferencesIn(first.text.slice(0, 24));
        const full = line.cells.map((c) => c.text).join(' ');
        if (/^(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}|[A-Z]{2,4}-\d{2}|A\.\d)/.test(first.text)) {
          heading = { criteria: ids.filter((c) => TSC_ID.test(c)).slice(0, 1), other: ids.length > 0 ? [] : others.slice(0, 1) };
          noteOf = null;
        } else {
          // (Assigned inside close(): read through a widened type.)
          const last = lastRow as TableRow | null;
          const continues = noteOf === last && noteLines < 8 && !/^[A-Z][^.]{0,60}$/.test(full);
          if (last && (RESULT_NOTE.test(full) || continues)) {
            // "Exception noted: …" or "Management's response: …" set across the table under its row: part of its result.
            last.result = `${last.result} ${full}`.trim();
            noteLines = noteOf === last ? noteLines + 1 : 1;
            noteOf = last;
          } else noteOf = null;
        }
        continue;
      }
      const keyCell = joinedRuns(line, cols).find((c) => columnAt(cols, c.x) === keyColumn);
      // Under a column named "#" or "Control No.", a bare row number ("12", "12.") is the id.
      const idMatch = keyCell ? (ID_AT_START.exec(keyCell.text) ?? (cols[keyColumn]!.role === 'id' ? /^\d{1,4}(?=\.?(?:\s|$))/.exec(keyCell.text) : null)) : null;
      if (keyCell && idMatch && !NOT_AN_ID.test(keyCell.text) && (keyCell.x < lastStart - 4 || keyColumn === cols.length - 1)) {
        // An id set in the middle of its row: the row's first lines came before it, after the last wide gap.
        const carried: OpenRow['lines'] = open ? linesSinceLastGap(open.lines, line.y, line.page, spacing, false) : linesSinceLastGap(pending, line.y, line.page, spacing, true);
        pending = [];
        close();
        open = { row: { page: carried[0]?.page ?? line.page, pages: [], id: idMatch[0], criteria: [], otherReferences: [], control: '', test: '', result: '' }, lines: carried };
      }
      if (!open) {
        // Lines under a heading before the first id: possibly the first lines of a row whose id is centred.
        pending.push({ y: line.y, page: line.page, cells: joinedRuns(line, cols).map((c) => [columnAt(cols, c.x), c.text]) });
        continue;
      }
      const current: OpenRow = open;
      current.lines.push({ y: line.y, page: line.page, cells: joinedRuns(line, cols).map((c) => [columnAt(cols, c.x), c.text]) });
    }
  }
  close();
  // The id cell holds the id and maybe more ("CC6.1.3 Access reviews …" in one cell): keep only the id there.
  return rows.filter((r) => r.result.length > 0 || r.control.length > 0);
}

/** The usual distance between two wrapped lines of a page. */
function lineSpacing(lines: LayoutLine[]): number {
  const gaps = lines
    .slice(1)
    .map((l, k) => l.y - lines[k]!.y)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  // The lower quartile: wrapped lines are the most frequent, closest gap; rows and headings only add wider ones.
  return gaps[Math.floor(gaps.length / 4)] ?? 12;
}

/**
 * Lines at the end of the open row that follow its last wide gap and sit just above a vertically centred id: they
 * are the new row's first lines. Removed from `lines` and returned.
 */
function linesSinceLastGap(lines: OpenRow['lines'], idY: number, page: number, spacing: number, whole: boolean): OpenRow['lines'] {
  let gapAt = whole && lines.length > 0 && lines[0]!.page === page ? 0 : -1;
  for (let k = lines.length - 1; k >= 1; k--) {
    if (lines[k]!.page !== page) break;
    if (lines[k]!.y - lines[k - 1]!.y > 1.25 * spacing) {
      gapAt = k;
      break;
    }
  }
  if (gapAt < 0 || (gapAt === 0 && !whole)) return [];
  const last = lines[lines.length - 1]!;
  // The id must continue the block without a wide gap of its own, or it starts its own row.
  if (idY - last.y > 1.25 * spacing || idY - lines[gapAt]!.y > 4 * spacing) return [];
  return lines.splice(gapAt);
}

/** The line's runs joined per column: what each column holds on this line. */
function joinedRuns(line: LayoutLine, cols: Column[]): Cell[] {
  const out: Cell[] = [];
  let k = -1;
  for (const run of line.runs) {
    const c = columnAt(cols, run.x);
    const last = out[out.length - 1];
    if (last && c === k) {
      last.text = `${last.text} ${run.text}`;
      last.x2 = run.x2;
    } else out.push({ ...run });
    k = c;
  }
  return out;
}

/**
 * The column whose cells open rows: the one named "Control #" / "ID", else the column left of the result whose
 * cells most often start with a control id (not a bare criterion), else the first column (criteria-led tables).
 */
function keyColumnOf(cols: Column[], lines: LayoutLine[]): number {
  const named = cols.findIndex((c) => c.role === 'id');
  if (named >= 0) return named;
  const result = cols.findIndex((c) => c.role === 'result');
  const counts = cols.map(() => 0);
  for (const line of lines) {
    for (const cell of joinedRuns(line, cols)) {
      const k = columnAt(cols, cell.x);
      const m = ID_AT_START.exec(cell.text);
      if (k < result && m && !TSC_ID.test(m[0]) && !NOT_AN_ID.test(cell.text)) counts[k]!++;
    }
  }
  const best = counts.reduce((b, n, k) => (n > counts[b]! ? k : b), 0);
  return counts[best]! >= 1 ? best : 0;
}
