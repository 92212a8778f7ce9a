/**
 * Layout-aware reading: positioned text items → lines and cells → tests-of-controls rows, as real reports lay them out
 * (narrow ruled columns, results wrapped over three lines, ids centred in their row, a second framework's table).
 */
import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../shared/domain/soc2/analyze-report.ts';
import { layoutLines, stripInvisible } from '../../shared/domain/soc2/layout/positioned-lines.ts';
import { readResultTables } from '../../shared/domain/soc2/layout/result-tables.ts';
import { classifyResult, deviationRateIn } from '../../shared/domain/soc2/patterns.ts';
import type { PageText, TextItem } from '../../shared/domain/soc2/types.ts';

/** A table page: each cell is [column x, first line y, lines…]; 10 pt font, 12 pt line spacing. */
function tablePage(num: number, cells: Array<[number, number, ...string[]]>, extra: TextItem[] = []): PageText {
  const items: TextItem[] = [...extra];
  for (const [x, y, ...lines] of cells) lines.forEach((s, k) => items.push({ s, x, y: y + 12 * k, w: s.length * 4.6, h: 10 }));
  const text = items.map((i) => i.s).join('\n');
  return { num, text, items, width: 612, height: 792 };
}

const COLUMNS = { id: 40, control: 110, test: 280, result: 450 } as const;
const header = (y: number): Array<[number, number, ...string[]]> => [
  [COLUMNS.id, y, 'Control #'],
  [COLUMNS.control, y, 'Control Activity'],
  [COLUMNS.test, y, 'Test Applied by the Auditor'],
  [COLUMNS.result, y, 'Test Results'],
];
const row = (y: number, id: string, control: string[], test: string[], result: string[]): Array<[number, number, ...string[]]> => [
  [COLUMNS.id, y, id],
  [COLUMNS.control, y, ...control],
  [COLUMNS.test, y, ...test],
  [COLUMNS.result, y, ...result],
];

describe('positioned lines', () => {
  it('restores a word space the PDF left out between two glyph runs, and drops bidi marks', () => {
    const page: PageText = { num: 1, text: '', items: [{ s: '\u200eservice', x: 10, y: 50, w: 30, h: 10 }, { s: 'organization\u202c', x: 42, y: 50.4, w: 50, h: 10 }] };
    expect(layoutLines(page)[0]!.cells.map((c) => c.text)).toEqual(['service organization']);
    expect(stripInvisible('a\u2066b\u200fc\u00add')).toBe('abcd');
  });

  it('separates cells where the gap is wider than a few spaces', () => {
    const page: PageText = { num: 1, text: '', items: [{ s: 'CC6.1.1', x: 40, y: 50, w: 36, h: 10 }, { s: 'Access is reviewed', x: 110, y: 50, w: 80, h: 10 }] };
    expect(layoutLines(page)[0]!.cells.map((c) => c.text)).toEqual(['CC6.1.1', 'Access is reviewed']);
  });
});

describe('result classification', () => {
  it.each([
    ['No exceptions noted.', 'pass'],
    ['No relevant deviations noted.', 'pass'],
    ['Exception noted. For 2 of 25 terminated users sampled, access was revoked nine business days after separation.', 'exception'],
    ['The following exception was noted: the restoration test was not performed.', 'exception'],
    ['For 1 of 4 quarters, the review was completed 26 days late.', 'exception'],
    ['The circumstances that warrant the operation of the control did not occur during the period; therefore, no testing of operating effectiveness was performed.', 'not-tested'],
    ['No testing performed: the control did not operate during the period (no new hires).', 'not-tested'],
    ['No deletion requests were received during the period; the control could not be tested.', 'not-tested'],
    ['N/A', 'not-applicable'],
  ])('%s → %s', (cell, expected) => {
    expect(classifyResult(cell)).toBe(expected);
  });

  it('reads the deviation rate as written', () => {
    expect(deviationRateIn('For 2 of 25 changes sampled, approval was not retained.')).toBe('2 of 25');
  });
});

describe('tests-of-controls tables', () => {
  const matrix = tablePage(5, [
    ...header(60),
    [COLUMNS.id - 6, 80, 'CC6.1: The entity implements logical access security software.'],
    ...row(100, 'CC6.1.1', ['Deviations identified by the', 'monitoring tool are investigated', 'and exceptions are remediated.'], ['Inspected the monitoring', 'configuration.'], ['No', 'exceptions', 'noted.']),
    ...row(150, 'CC6.1.2', ['Access for terminated users is', 'revoked within one business day.'], ['For a sample of 25 of 41', 'terminations, compared dates.'], ['Exception noted.', 'For 2 of 25 terminated users,', 'access was revoked nine', 'business days after separation.', "Management's response: HR", 'now notifies IT the same day.']),
    ...row(240, 'CC6.1.3', ['New hires are granted access', 'after approval.'], ['Inquired of management.'], ['Not tested: the control did', 'not operate during the period', '(no new hires).']),
  ]);

  it('keeps a result wrapped over three lines whole and apart from the neighbouring columns', () => {
    const rows = readResultTables([matrix]);
    expect(rows.map((r) => [r.id, r.result])).toEqual([
      ['CC6.1.1', 'No exceptions noted.'],
      ['CC6.1.2', "Exception noted. For 2 of 25 terminated users, access was revoked nine business days after separation. Management's response: HR now notifies IT the same day."],
      ['CC6.1.3', 'Not tested: the control did not operate during the period (no new hires).'],
    ]);
    expect(rows[1]!.test).toBe('For a sample of 25 of 41 terminations, compared dates.');
    expect(rows[0]!.criteria).toEqual(['CC6.1']);
  });

  it('adds an exception note set across the table under its row to that row\'s result', () => {
    const page = tablePage(3, [
      ...header(60),
      ...row(90, 'C-7', ['Changes are approved.'], ['For a sample of 25 changes,', 'inspected approvals.'], ['See below.']),
      [COLUMNS.id, 130, 'Exception noted: for 3 of 25 changes sampled, approval was recorded after deployment, as the'],
      [COLUMNS.id, 142, 'change tickets show; the remaining changes were approved in advance.'],
      ...row(170, 'C-8', ['Alerts are reviewed.'], ['Inspected alerts.'], ['No exceptions noted.']),
    ]);
    const rows = readResultTables([page]);
    expect(rows.map((r) => [r.id, classifyResult(r.result)])).toEqual([
      ['C-7', 'exception'],
      ['C-8', 'pass'],
    ]);
    expect(rows[0]!.result).toContain('the remaining changes were approved in advance.');
  });

  it('takes the first lines of a row whose id is centred vertically into that row', () => {
    const page = tablePage(2, [
      ...header(60),
      ...row(90, 'C-1', ['Backups run daily.'], ['Inspected logs.'], ['No exceptions noted.']),
      // Row 2 starts at y 120 but its id sits on its second line.
      [COLUMNS.control, 120, 'Restores are tested', 'quarterly by the', 'infrastructure team.'],
      [COLUMNS.test, 120, 'Inspected the tests.'],
      [COLUMNS.result, 120, 'No exceptions noted.'],
      [COLUMNS.id, 132, 'C-2'],
      ...row(170, 'C-3', ['Alerts are reviewed.'], ['Inspected alerts.'], ['No exceptions noted.']),
    ]);
    const rows = readResultTables([page]);
    expect(rows.map((r) => [r.id, r.control])).toEqual([
      ['C-1', 'Backups run daily.'],
      ['C-2', 'Restores are tested quarterly by the infrastructure team.'],
      ['C-3', 'Alerts are reviewed.'],
    ]);
  });

  it('reports one exception per control across a criteria matrix and a second framework table, with every criterion and page', () => {
    const ccm = tablePage(9, [
      ...header(60),
      [COLUMNS.id - 6, 80, 'IAM-07: User Access Changes and Revocation'],
      ...row(100, 'CC6.1.2', ['Access for terminated users is', 'revoked within one business day.'], ['For a sample of 25 of 41', 'terminations, compared dates.'], ['Exception noted.', 'For 2 of 25 terminated users,', 'access was revoked late.']),
      ...row(160, 'CC6.1.4', ['Access reviews are quarterly.'], ['Inspected reviews.'], ['No exceptions noted.']),
    ]);
    const auditor: PageText = {
      num: 1,
      text: "Independent Service Auditor's Report\nTo the Management of Bluefin Payroll Cloud Ltd\nWe have examined Bluefin Payroll Cloud Ltd's description of its payroll system throughout the period January 1, 2025 to June 30, 2025 and the suitability of the design and operating effectiveness of controls based on the trust services criteria relevant to security (applicable trust services criteria).\nOpinion\nIn our opinion, in all material respects, the controls operated effectively throughout the period.\nHale & Serrano LLP\nPhoenix, Arizona\nAugust 1, 2025",
    };
    const tests: PageText = { num: 4, text: 'Tests of Controls and Results\n' };
    const a = analyzeReport([auditor, tests, matrix, ccm]);
    expect(a.extraction?.method).toBe('layout');
    expect(a.exceptions).toHaveLength(1);
    expect(a.exceptions![0]).toMatchObject({ controlId: 'CC6.1.2', criteria: ['CC6.1'], otherReferences: ['IAM-07'], deviationRate: '2 of 25', pages: [5, 9], managementResponse: 'HR now notifies IT the same day.' });
    expect(a.untestedControls).toEqual([{ controlId: 'CC6.1.3', criteria: ['CC6.1'], reason: 'Not tested: the control did not operate during the period (no new hires).', page: 5 }]);
    expect(a.controlsTested).toBe(4);
    expect(a.serviceOrganization).toBe('Bluefin Payroll Cloud Ltd');
  });
});
