/**
 * Tests of controls from the matrices read as tables: each row's result cell alone decides whether the test passed,
 * found an exception, or was not performed; the words of the control or test columns never make an exception.
 * Every appearance of one control (criteria matrix, a second framework's mapping table, other sections) is one
 * exception with all its criteria and pages.
 */
import type { TableRow } from './layout/result-tables.ts';
import { classifyResult, criterionOf, deviationRateIn, RESPONSE_LABEL, TSC_ID } from './patterns.ts';
import type { ControlException, UntestedControl } from './types.ts';

export interface TableTests {
  controlsTested: number;
  exceptions: ControlException[];
  untestedControls: UntestedControl[];
  resultsFound: number;
  evidence: { page: number; quote: string } | null;
}

/** Fewer classified rows than this: the document has no usable matrix, and the text reader decides. */
const MIN_ROWS = 3;

const RESULT_LEAD = /^(?:(?:test\s+)?results?\s*:\s*)?(?:the\s+following\s+|an?\s+|one\s+|\d+\s+)?(?:exceptions?|deviations?)(?:\(s\))?(?:\s+(?:was|were))?(?:\s+(?:noted|identified|found|observed))?\s*[:.\-–—]?\s*/i;

const clean = (text: string): string => text.replace(/\s+/g, ' ').replace(/^[\s.:;,\-–—]+/, '').trim();

/** Reads the rows; null when too few rows carry a readable result. */
export function testsFromTables(rows: TableRow[], findResponse: (e: ControlException) => string | null): TableTests | null {
  const classified = rows.map((row) => ({ row, result: classifyResult(row.result) })).filter((r) => r.result !== null);
  if (classified.length < MIN_ROWS) return null;
  const controls = new Set<string>();
  const exceptions = new Map<string, ControlException>();
  const untested = new Map<string, UntestedControl>();
  let evidence: TableTests['evidence'] = null;
  for (const { row, result } of classified) {
    const controlId = row.id && !TSC_ID.test(row.id) ? row.id : null;
    const key = controlId ? `id:${controlId}` : `row:${row.id ?? ''}:${clean(row.control).toLowerCase().slice(0, 100)}`;
    if (result === 'not-applicable') continue;
    controls.add(key);
    evidence ??= { page: row.page, quote: `${row.id ?? ''} ${row.result}`.trim().slice(0, 220) };
    const criteria = row.criteria.length > 0 ? row.criteria : row.id && criterionOf(row.id) ? [criterionOf(row.id)!] : [];
    if (result === 'not-tested') {
      if (!untested.has(key)) untested.set(key, { controlId, criteria, reason: clean(row.result), page: row.page });
      continue;
    }
    if (result !== 'exception') continue;
    const responseAt = row.result.search(RESPONSE_LABEL);
    const resultText = responseAt >= 0 ? row.result.slice(0, responseAt) : row.result;
    const responseLabel = responseAt >= 0 ? RESPONSE_LABEL.exec(row.result.slice(responseAt)) : null;
    let description = clean(resultText.replace(RESULT_LEAD, ''));
    if (description.length < 10) description = clean(resultText);
    const response = responseLabel ? clean(row.result.slice(responseAt + responseLabel[0].length)) || null : null;
    // The same control met again (another framework's table, another criterion's section): one exception.
    const exceptionKey = controlId ? `id:${controlId}` : `d:${description.toLowerCase().slice(0, 80)}`;
    const existing = exceptions.get(exceptionKey);
    if (existing) {
      existing.criteria = [...new Set([...existing.criteria, ...criteria])];
      existing.otherReferences = [...new Set([...(existing.otherReferences ?? []), ...row.otherReferences])].filter((r) => !existing.criteria.includes(r));
      existing.pages = [...new Set([...(existing.pages ?? []), ...row.pages])].sort((a, b) => a - b);
      existing.managementResponse ??= response;
      existing.deviationRate ??= deviationRateIn(description);
      if (description.length > existing.description.length && !existing.description.includes(description)) existing.description = existing.description.length < 15 ? description : existing.description;
      continue;
    }
    exceptions.set(exceptionKey, {
      controlId,
      criteria,
      otherReferences: row.otherReferences,
      description,
      deviationRate: deviationRateIn(description),
      managementResponse: response,
      page: row.page,
      pages: [...row.pages],
    });
  }
  const list = [...exceptions.values()];
  for (const e of list) e.managementResponse ??= findResponse(e);
  return { controlsTested: controls.size, exceptions: list, untestedControls: [...untested.values()], resultsFound: classified.length, evidence };
}
