/** The portal's rules in the browser are the server's: visibility, the tip that is scored, what is missing, file checks. */
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../shared/domain/questionnaire/parse-template.ts';
import { answerRisk } from '../../shared/domain/questionnaire/scoring.ts';
import { importAnswersCsv } from '../../shared/domain/questionnaire/answers-csv.ts';
import { computeProgress } from '../../shared/domain/questionnaire/answers.ts';
import type { PortalDocument, Problem } from '../../shared/http/pages/client/api-types.ts';
import {
  answerText,
  csvTemplate,
  documentFacts,
  entryFrom,
  fileProblems,
  hiddenAnswerIds,
  missingAnswers,
  overallProgress,
  placeSubmitErrors,
  progressOf,
  sectionStates,
  sectionStatusText,
  sectionTone,
  statusesOf,
  tipFor,
  unitOf,
  uploadedSinceText,
} from '../../shared/http/pages/client/portal/portal-logic.ts';

const parsed = parseTemplate({
  id: 'client-test',
  version: '1.0.0',
  title: 'Client test',
  description: 'Questions for the client logic tests',
  sections: [
    {
      id: 's1',
      title: 'Access',
      questions: [
        { id: 'mfa', type: 'yes-no', text: 'MFA for staff?', criteria: ['CC6.1'], required: true, riskyAnswer: 'no', tip: { severity: 'high', whyItMatters: 'Passwords alone are phished.' } },
        { id: 'mfa-how', type: 'text', text: 'How?', criteria: ['CC6.1'], required: true, when: 'answer("mfa") == "yes"' },
        {
          id: 'hosting',
          type: 'multiple-choice',
          text: 'Where do you host?',
          criteria: ['CC6.4'],
          options: [
            { id: 'own', label: 'Own data centre', risk: 0.3, tip: { severity: 'low', whyItMatters: 'Own data centres vary.' } },
            { id: 'none', label: 'Laptops', risk: 1, tip: { severity: 'critical', whyItMatters: 'Laptops are not a data centre.' } },
          ],
        },
      ],
    },
    {
      id: 's2',
      title: 'Recovery',
      questions: [
        { id: 'rto', type: 'number', text: 'Recovery time objective?', criteria: ['A1.2'], required: true, min: 0, max: 720, unit: 'hours' },
        { id: 'backup-file', type: 'file', text: 'Backup policy', criteria: ['A1.2'], required: true },
        { id: 'notes', type: 'text', text: 'Anything else?', criteria: ['A1.2'], required: false },
      ],
    },
  ],
}, 'client-test.json');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const template = parsed.template;

describe('the portal logic', () => {
  it('shows the tip of the worst selected option, the one the server scores, not the first', () => {
    const entry = { value: ['own', 'none'] };
    const question = template.sections[0]!.questions[2]!;
    expect(tipFor(question, entry)?.whyItMatters).toBe('Laptops are not a data centre.');
    expect(tipFor(question, entry)).toEqual(answerRisk(question, entry.value)?.tip);
  });

  it('shows no tip for an answer that implies no risk', () => {
    expect(tipFor(template.sections[0]!.questions[0]!, { value: 'yes' })).toBeNull();
    expect(tipFor(template.sections[0]!.questions[0]!, { value: 'no' })?.severity).toBe('high');
  });

  it('computes visibility with the domain rules: a conditional question appears with its answer', () => {
    expect(statusesOf([template], {}).get('client-test')?.get('mfa-how')).toBe('pending');
    expect(statusesOf([template], { 'client-test': { mfa: { value: 'yes' } } }).get('client-test')?.get('mfa-how')).toBe('visible');
    expect(statusesOf([template], { 'client-test': { mfa: { value: 'no' } } }).get('client-test')?.get('mfa-how')).toBe('hidden');
  });

  it('names the answers a changed answer hid, so they are removed before submit', () => {
    expect(hiddenAnswerIds(template, { mfa: { value: 'no' }, 'mfa-how': { value: 'Keys' } })).toEqual(['mfa-how']);
  });

  it('lists required visible questions without an answer, in document order', () => {
    expect(missingAnswers([template], {}).map((m) => m.question.id)).toEqual(['mfa', 'hosting', 'rto', 'backup-file']);
    expect(missingAnswers([template], { 'client-test': { mfa: { value: 'yes' } } }).map((m) => m.question.id)).toEqual(['mfa-how', 'hosting', 'rto', 'backup-file']);
    expect(missingAnswers([template], { 'client-test': { mfa: { value: 'no' }, hosting: { value: ['own'] }, rto: { value: 4 }, 'backup-file': { value: 'd1' } } })).toEqual([]);
  });

  it('adds progress over questionnaires', () => {
    expect(overallProgress([{ answered: 1, total: 3 }, { answered: 2, total: 3 }])).toEqual({ percent: 50, answered: 3, total: 6 });
    expect(overallProgress([])).toEqual({ percent: 100, answered: 0, total: 0 });
  });

  it('refuses a file that is not a PDF, empty or too large, in words', () => {
    expect(fileProblems({ name: 'notes.txt', type: 'text/plain', size: 10 }, 100)).toEqual(['notes.txt is not a PDF.']);
    expect(fileProblems({ name: 'a.pdf', type: '', size: 0 }, 100)).toEqual(['a.pdf is empty.']);
    expect(fileProblems({ name: 'big.pdf', type: 'application/pdf', size: 3 * 1048576 }, 2 * 1048576)).toEqual(['big.pdf is larger than 2 MB.']);
  });

  it('reads an answer from its inputs, and nothing from blank inputs', () => {
    const [mfa, how] = template.sections[0]!.questions;
    expect(entryFrom(mfa!, { values: ['no'], compensatingControl: 'Keys for admins', remediationDate: '2027-03-31' })).toEqual({ value: 'no', compensatingControl: 'Keys for admins', remediationDate: '2027-03-31' });
    expect(entryFrom(how!, { values: ['   '] })).toBeNull();
    expect(entryFrom(template.sections[0]!.questions[2]!, { values: [] })).toBeNull();
  });

  it('counts each section as the questionnaire counts, so the sections add up to the progress bar', () => {
    const answers = { mfa: { value: 'yes' }, hosting: { value: ['own'] }, rto: { value: 4 } };
    const states = sectionStates(template, answers, new Set());
    expect(states.get('s1')).toMatchObject({ answered: 2, total: 3 });
    expect(states.get('s2')).toMatchObject({ answered: 1, total: 2, shown: 3 });
    const progress = computeProgress(template, answers);
    expect([...states.values()].reduce((sum, st) => sum + st.answered, 0)).toBe(progress.answered);
    expect([...states.values()].reduce((sum, st) => sum + st.total, 0)).toBe(progress.total);
    expect(progressOf([template], { 'client-test': answers })).toEqual([progress]);
  });

  it('says a section status in words: errors first, then carried answers, then the count', () => {
    const answers = { mfa: { value: 'no' }, hosting: { value: ['own'] } };
    const s1 = sectionStates(template, answers, new Set(), { s1: 'unconfirmed' }).get('s1')!;
    expect(sectionStatusText(s1, '2026-01-15')).toBe('Answers from 2026-01-15: confirm or edit · complete');
    expect(sectionTone(s1)).toBe('open');
    const confirmed = sectionStates(template, answers, new Set(), { s1: 'confirmed' }).get('s1')!;
    expect(sectionStatusText(confirmed, '2026-01-15')).toBe('Confirmed unchanged · complete');
    expect(sectionTone(confirmed)).toBe('done');
    const s2 = sectionStates(template, answers, new Set(['rto', 'backup-file'])).get('s2')!;
    expect(sectionStatusText(s2, null)).toBe('2 questions need an answer · 0 of 2 answered');
    expect(sectionTone(s2)).toBe('error');
    expect(sectionStatusText(sectionStates(template, {}, new Set()).get('s1')!, null)).toBe('0 of 3 answered');
  });

  it('shows a submitted answer as text: option labels, a number with its unit, a document by name', () => {
    const [mfa, , hosting] = template.sections[0]!.questions;
    const [rto, file] = template.sections[1]!.questions;
    const doc = { id: 'd1', kind: 'soc2-report', fileName: 'report.pdf' } as PortalDocument;
    expect(answerText(mfa!, { value: 'no' }, [])).toBe('No');
    expect(answerText(hosting!, { value: ['own', 'none'] }, [])).toBe('Own data centre; Laptops');
    expect(answerText(rto!, { value: 4 }, [])).toBe('4 hours');
    expect(answerText(file!, { value: 'd1' }, [doc])).toBe('report.pdf (SOC 2 report)');
    expect(answerText(mfa!, undefined, [])).toBe('Not answered');
    expect(unitOf(rto!)).toBe('hours');
    expect(unitOf(mfa!)).toBeNull();
  });

  it('names document kinds as people write them', () => {
    const doc = { id: 'd1', kind: 'iso-certificate', fileName: 'iso.pdf', pageCount: 2, size: 2048 } as PortalDocument;
    expect(documentFacts(doc)).toBe('iso.pdf · ISO 27001 certificate · 2 page(s) · 2 KB · analysis: ');
  });

  it('offers a CSV template of every question that is or may be asked, with the answers so far, that the import reads back', () => {
    const answers = { mfa: { value: 'yes' }, rto: { value: 4 } };
    const { fileName, text } = csvTemplate(template, answers);
    expect(fileName).toBe('client-test-answers.csv');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('questionId,answer,comment,compensatingControl,remediationDate,section,question');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['mfa', 'mfa-how', 'hosting', 'rto', 'backup-file', 'notes']);
    expect(lines[4]).toBe('rto,4,,,,Recovery,Recovery time objective?');
    expect(importAnswersCsv(template, text)).toEqual({ ok: true, answers });
  });

  it('places the errors of a refused submission on their questions and carried sections', () => {
    const problem: Problem = {
      type: 'about:blank',
      title: 'Confirm or edit',
      status: 400,
      code: 'sections-unconfirmed',
      errors: [
        { path: 'client-test.sections.s2', message: 'section "Recovery": confirm it is unchanged or edit it' },
        { path: 'client-test.rto', message: 'required' },
        { path: 'other.thing', message: 'elsewhere' },
      ],
    };
    expect(placeSubmitErrors(problem, [template])).toEqual({
      sections: [{ templateId: 'client-test', sectionId: 's2', message: 'section "Recovery": confirm it is unchanged or edit it' }],
      questions: [{ templateId: 'client-test', questionId: 'rto', message: 'required' }],
      other: ['elsewhere'],
    });
    expect(placeSubmitErrors({ type: 'about:blank', title: 'Busy', status: 503, code: 'workflow-not-ready', detail: 'try again' }, [template]).other).toEqual(['Busy: try again']);
  });

  it('says what was uploaded since the evidence was asked for again, leaving out the carried copies', () => {
    const carried = { id: 'c', kind: 'iso-certificate', fileName: 'iso.pdf', carriedOver: true } as PortalDocument;
    const fresh = { id: 'n', kind: 'soc2-report', fileName: 'soc2-2027.pdf', carriedOver: false } as PortalDocument;
    expect(uploadedSinceText([carried])).toBeNull();
    expect(uploadedSinceText([carried, fresh])).toBe('Uploaded in this assessment: soc2-2027.pdf (SOC 2 report).');
  });
});
