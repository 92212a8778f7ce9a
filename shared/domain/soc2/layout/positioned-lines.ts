/**
 * Positioned text items → lines and cells. A line is the items that share a baseline (within a fraction of the font
 * size); inside a line, a gap wider than a few spaces separates cells (table columns, two-column pages), a smaller gap
 * between two glyph runs is a word space that the PDF did not encode. Bidi marks, zero-width characters and other
 * controls are dropped here, so that the rules never see them.
 */
import type { PageText, TextItem } from '../types.ts';

export interface Cell {
  x: number;
  /** Right edge. */
  x2: number;
  text: string;
}

export interface LayoutLine {
  page: number;
  /** Baseline, points from the top of the page. */
  y: number;
  /** Font size of the line's largest item. */
  h: number;
  cells: Cell[];
  /** The line's text runs as the PDF placed them, left to right (table columns split these, not the cells). */
  runs: Cell[];
}

/** Bidi embeddings and marks, zero-width characters, soft hyphens and C0/C1 controls other than tab and newline. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Removes characters that carry no text (bidi controls, zero-width joiners, soft hyphens, control codes). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** A gap wider than this many times the font size separates cells. */
const CELL_GAP = 1.2;
/** A gap wider than this many times the font size between glyph runs is a word space. */
const WORD_GAP = 0.12;

/** Rebuilds the lines of a page from its positioned items, top to bottom, cells left to right. */
export function layoutLines(page: PageText): LayoutLine[] {
  const items = (page.items ?? [])
    .map((it) => ({ ...it, s: stripInvisible(it.s) }))
    .filter((it) => it.s.trim().length > 0)
    .sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: TextItem[][] = [];
  for (const item of items) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    // Same line: baselines within a third of the font size (superscripts and mixed fonts still join).
    if (row && first && Math.abs(item.y - first.y) <= Math.max(1.5, 0.35 * Math.min(item.h, first.h))) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    const cells: Cell[] = [];
    let h = 0;
    for (const item of row) {
      h = Math.max(h, item.h);
      const cell = cells[cells.length - 1];
      const gap = cell ? item.x - cell.x2 : Infinity;
      if (cell && gap <= CELL_GAP * item.h) {
        const needsSpace = gap > WORD_GAP * item.h && !/\s$/.test(cell.text) && !/^\s/.test(item.s);
        cell.text += (needsSpace ? ' ' : '') + item.s;
        cell.x2 = Math.max(cell.x2, item.x + item.w);
      } else {
        cells.push({ x: item.x, x2: item.x + item.w, text: item.s });
      }
    }
    for (const cell of cells) cell.text = cell.text.replace(/\s+/g, ' ').trim();
    const runs = row.map((it) => ({ x: it.x, x2: it.x + it.w, text: it.s.replace(/\s+/g, ' ').trim() })).filter((r) => r.text.length > 0);
    return { page: page.num, y: row[0]!.y, h, cells: cells.filter((c) => c.text.length > 0), runs };
  });
}
