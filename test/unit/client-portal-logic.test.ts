/** The portal's rules in the browser are the server's: visibility, the tip that is scored, what is missing, file checks. */
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../shared/domain/questionnaire/parse-template.ts';
import { answerRisk } from '../../shared/domain/questionnaire/scoring.ts';
import { entryFrom, fileProblems, hiddenAnswerIds, missingAnswers, overallProgress, statusesOf, tipFor } from '../../shared/http/pages/client/portal/portal-logic.ts';

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
    expect(missingAnswers([template], {}).map((m) => m.question.id)).toEqual(['mfa', 'hosting']);
    expect(missingAnswers([template], { 'client-test': { mfa: { value: 'yes' } } }).map((m) => m.question.id)).toEqual(['mfa-how', 'hosting']);
    expect(missingAnswers([template], { 'client-test': { mfa: { value: 'no' }, hosting: { value: ['own'] } } })).toEqual([]);
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
});
