import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportAnswersCsv, exportAnswersJson, importAnswersCsv, parseCsv } from '../../shared/domain/questionnaire/answers-csv.ts';
import { loadTemplate } from '../../shared/domain/questionnaire/parse-template.ts';
import { getTemplate, listTemplates } from '../../questionnaires/library.ts';
import { candidateEntriesArbitrary, fillVisible, templateArbitrary } from './questionnaire-arbitraries.ts';

const template = loadTemplate(
  {
    id: 'csv-sample',
    version: '2.0.0',
    title: 'CSV sample',
    description: 'For CSV tests',
    sections: [
      {
        id: 'main',
        title: 'Main',
        questions: [
          { id: 'mfa', text: 'MFA?', type: 'yes-no', criteria: ['CC6.1'], allowNa: true, riskyAnswer: 'no', tip: { severity: 'high', whyItMatters: 'Stolen passwords.' } },
          {
            id: 'regions',
            text: 'Regions?',
            type: 'multiple-choice',
            criteria: ['C1.1'],
            options: [
              { id: 'eu', label: 'European Union' },
              { id: 'us', label: 'United States' },
            ],
          },
          { id: 'rto', text: 'RTO?', type: 'number', criteria: ['A1.2'], min: 0 },
          { id: 'tested', text: 'Tested?', type: 'date', criteria: ['A1.3'], required: false },
          { id: 'notes', text: 'Notes', type: 'text', criteria: ['CC2.3'], required: false },
        ],
      },
    ],
  },
  'csv-sample',
);

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, ""c""\nd",e\r\nf,g,h\n').records).toEqual([
      { line: 1, fields: ['a', 'b, "c"\nd', 'e'] },
      { line: 3, fields: ['f', 'g', 'h'] },
    ]);
  });

  it('reports an unterminated quote at the line where the field starts', () => {
    expect(parseCsv('a,b\nc,"d\ne\n').errors).toEqual([{ line: 2, message: 'a quoted field is never closed' }]);
  });

  it('skips blank lines but keeps counting them', () => {
    expect(parseCsv('a\n\nb\n').records.map((r) => r.line)).toEqual([1, 3]);
  });
});

describe('importAnswersCsv', () => {
  it('imports answers, notes and multiple choices separated by semicolons', () => {
    const result = importAnswersCsv(
      template,
      csv('questionId,answer,comment,compensatingControl,remediationDate', 'mfa,No,"Rolling out, 80% done",VPN with certificates,2026-06-30', 'regions,eu; United States,,,', 'rto,4,,,'),
    );
    expect(result).toEqual({
      ok: true,
      answers: {
        mfa: { value: 'no', comment: 'Rolling out, 80% done', compensatingControl: 'VPN with certificates', remediationDate: '2026-06-30' },
        regions: { value: ['eu', 'us'] },
        rto: { value: 4 },
      },
    });
  });

  it('accepts n/a for a yes-no question that allows it', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', 'mfa,n/a,'))).toEqual({ ok: true, answers: { mfa: { value: 'na' } } });
  });

  it('skips rows with an empty answer', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', 'mfa,,', 'rto,2,'))).toEqual({ ok: true, answers: { rto: { value: 2 } } });
  });

  it('reports every bad line with its line number and imports nothing', () => {
    const result = importAnswersCsv(
      template,
      csv('questionId,answer,comment', 'mfa,perhaps,', 'regions,eu;apac,', 'unknown-q,yes,', 'rto,four,', 'tested,2025-13-01,', ',yes,', 'notes,"fine",too,many'),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 2, message: expect.stringContaining('mfa: answer must be "yes" or "no" or "na"') },
        { line: 3, message: expect.stringContaining('regions: unknown option "apac"') },
        { line: 4, message: 'unknown question id "unknown-q"' },
        { line: 5, message: 'rto: "four" is not a number' },
        { line: 6, message: 'tested: answer must be a date written YYYY-MM-DD' },
        { line: 7, message: 'questionId is empty' },
        { line: 8, message: expect.stringContaining('4 fields but the header has 3') },
      ],
    });
  });

  it('tolerates empty trailing fields that spreadsheets add', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', 'rto,2,,,'))).toEqual({ ok: true, answers: { rto: { value: 2 } } });
  });

  it('checks a number against the question minimum', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', 'rto,-1,'))).toEqual({ ok: false, errors: [{ line: 2, message: 'rto: answer must be at least 0' }] });
  });

  it('reports a question answered twice, naming the first line', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', 'rto,1,', 'rto,2,'))).toEqual({ ok: false, errors: [{ line: 3, message: 'question rto is already answered on line 2' }] });
  });

  it('reports notes without an answer', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', 'rto,,we are working on it'))).toEqual({ ok: false, errors: [{ line: 2, message: expect.stringContaining('the answer is empty but notes are given') }] });
  });

  it('reports a bad remediation date', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,remediationDate', 'mfa,no,next year'))).toEqual({ ok: false, errors: [{ line: 2, message: expect.stringContaining('remediationDate "next year"') }] });
  });

  it('requires the questionId and answer columns', () => {
    expect(importAnswersCsv(template, csv('question,response', 'mfa,yes'))).toEqual({
      ok: false,
      errors: [
        { line: 1, message: expect.stringContaining('unknown column "response"') },
        { line: 1, message: expect.stringContaining('missing column questionId') },
        { line: 1, message: expect.stringContaining('missing column answer') },
      ],
    });
  });

  it('reports an empty file', () => {
    expect(importAnswersCsv(template, '')).toEqual({ ok: false, errors: [{ line: 1, message: expect.stringContaining('empty file') }] });
  });

  it('strips the apostrophe that guards a formula-like cell', () => {
    expect(importAnswersCsv(template, csv('questionId,answer,comment', "notes,'=SUM(A1),"))).toEqual({ ok: true, answers: { notes: { value: '=SUM(A1)' } } });
  });
});

describe('exportAnswersCsv', () => {
  it('writes one row per visible question with section and question text', () => {
    const lines = exportAnswersCsv(template, { mfa: { value: 'na' }, regions: { value: ['eu', 'us'] } }).split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['questionId,answer,comment,compensatingControl,remediationDate,section,question', 'mfa,n/a,,,,Main,MFA?', 'regions,eu;us,,,,Main,Regions?']);
  });

  it('guards cells a spreadsheet would run as formulas', () => {
    expect(exportAnswersCsv(template, { notes: { value: '=HYPERLINK("http://x")' } })).toContain(`notes,"'=HYPERLINK(""http://x"")"`);
  });
});

describe('exportAnswersJson', () => {
  it('carries the template version, progress, scores and findings', () => {
    const exported = exportAnswersJson(template, { mfa: { value: 'no' }, regions: { value: ['eu'] }, rto: { value: 4 } }, '2026-11-23T19:00:00Z');
    expect(exported).toMatchObject({
      templateId: 'csv-sample',
      templateVersion: '2.0.0',
      generatedAt: '2026-11-23T19:00:00Z',
      progress: { percent: 100 },
      scores: { overall: { score: 0 } },
      findings: [{ questionId: 'mfa', severity: 'high' }],
    });
  });
});

describe('CSV round trip', () => {
  it('imports exactly what it exported, for random templates and answers', () => {
    fc.assert(
      fc.property(
        templateArbitrary.chain((t) => candidateEntriesArbitrary(t).map((c) => ({ t, answers: fillVisible(t, c) }))),
        ({ t, answers }) => {
          expect(importAnswersCsv(t, exportAnswersCsv(t, answers))).toEqual({ ok: true, answers });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('imports exactly what it exported, for the shipped templates', () => {
    const shipped = listTemplates().map((s) => getTemplate(s.id)!);
    fc.assert(
      fc.property(
        fc.constantFrom(...shipped).chain((t) => candidateEntriesArbitrary(t).map((c) => ({ t, answers: fillVisible(t, c) }))),
        ({ t, answers }) => {
          expect(importAnswersCsv(t, exportAnswersCsv(t, answers))).toEqual({ ok: true, answers });
        },
      ),
      { numRuns: 100 },
    );
  });
});
