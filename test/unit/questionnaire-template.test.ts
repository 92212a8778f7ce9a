import { describe, expect, it } from 'vitest';
import { loadTemplate, parseTemplate, parseTemplateText, TemplateValidationError, type TemplateProblem } from '../../shared/domain/questionnaire/parse-template.ts';

/** A small valid template; each test breaks one thing in a copy of it. */
const validTemplate = () => ({
  id: 'sample',
  version: '1.2.3',
  title: 'Sample',
  description: 'A sample template',
  sections: [
    {
      id: 'first',
      title: 'First',
      questions: [
        { id: 'uses-ai', text: 'Do you use AI?', type: 'yes-no', criteria: ['C1.1'] },
        {
          id: 'mfa',
          text: 'Is MFA required?',
          type: 'yes-no',
          criteria: ['CC6.1'],
          riskyAnswer: 'no',
          tip: { severity: 'high', whyItMatters: 'Passwords get stolen.' },
        },
        {
          id: 'regions',
          text: 'Where is data stored?',
          type: 'multiple-choice',
          criteria: ['C1.1'],
          options: [
            { id: 'eu', label: 'EU' },
            { id: 'us', label: 'US' },
          ],
        },
      ],
    },
    {
      id: 'second',
      title: 'Second',
      questions: [{ id: 'ai-training', text: 'Do you train on our data?', type: 'yes-no', criteria: ['C1.1', 'P4.1'], when: 'answer("uses-ai") == "yes"' }],
    },
  ],
});

type Mutable = ReturnType<typeof validTemplate> & Record<string, unknown>;
const problemsOf = (mutate: (t: Mutable) => void): TemplateProblem[] => {
  const template = validTemplate() as Mutable;
  mutate(template);
  const result = parseTemplate(template, 'sample.json');
  return result.ok ? [] : result.problems;
};
const firstQuestion = (t: Mutable) => t.sections[0]!.questions[0] as Record<string, unknown>;
const secondSectionQuestion = (t: Mutable) => t.sections[1]!.questions[0] as Record<string, unknown>;

describe('parseTemplate', () => {
  it('accepts a valid template and applies defaults', () => {
    const result = parseTemplate(validTemplate(), 'sample.json');
    expect(result.ok && result.template.sections[0]?.questions[0]).toMatchObject({ required: true, weight: 1, allowNa: false });
  });

  it('reports an unknown criterion id with its JSON path', () => {
    expect(problemsOf((t) => (firstQuestion(t).criteria = ['CC6.1', 'CC10.1']))).toEqual([
      { source: 'sample.json', path: 'sections[0].questions[0].criteria[1]', message: expect.stringContaining('unknown Trust Services Criteria id "CC10.1"') },
    ]);
  });

  it('requires at least one criterion per question', () => {
    expect(problemsOf((t) => (firstQuestion(t).criteria = []))).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[0].criteria', message: expect.stringContaining('at least one Trust Services Criteria id') }),
    ]);
  });

  it('reports a missing property by name', () => {
    expect(problemsOf((t) => delete firstQuestion(t).text)).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[0].text', message: 'required property is missing (expected string)' }),
    ]);
  });

  it('reports an unknown property (a typo) at its own path', () => {
    expect(problemsOf((t) => (firstQuestion(t).requred = true))).toEqual([expect.objectContaining({ path: 'sections[0].questions[0].requred', message: 'unknown property' })]);
  });

  it('reports an unknown question type', () => {
    expect(problemsOf((t) => (firstQuestion(t).type = 'maybe'))).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[0].type', message: expect.stringContaining('type must be one of yes-no') }),
    ]);
  });

  it('requires a semantic version', () => {
    expect(problemsOf((t) => (t.version = 'v1'))).toEqual([expect.objectContaining({ path: 'version', message: expect.stringContaining('semantic version') })]);
  });

  it('lists every schema problem at once', () => {
    expect(
      problemsOf((t) => {
        t.id = 'Not Kebab';
        firstQuestion(t).criteria = ['XX1'];
      }).map((p) => p.path),
    ).toEqual(['id', 'sections[0].questions[0].criteria[0]']);
  });

  it('rejects duplicate question ids across sections', () => {
    expect(problemsOf((t) => (secondSectionQuestion(t).id = 'mfa'))).toContainEqual(
      expect.objectContaining({ path: 'sections[1].questions[0].id', message: "duplicate question id 'mfa' (first used at sections[0].questions[1])" }),
    );
  });

  it('rejects duplicate section ids', () => {
    expect(problemsOf((t) => (t.sections[1]!.id = 'first'))).toEqual([expect.objectContaining({ path: 'sections[1].id', message: expect.stringContaining("duplicate section id 'first'") })]);
  });

  it('rejects duplicate option ids', () => {
    expect(problemsOf((t) => ((t.sections[0]!.questions[2] as { options: { id: string }[] }).options[1]!.id = 'eu'))).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[2].options[1].id', message: expect.stringContaining("duplicate option id 'eu'") }),
    ]);
  });

  it('rejects a criterion listed twice', () => {
    expect(problemsOf((t) => (firstQuestion(t).criteria = ['C1.1', 'C1.1']))).toEqual([expect.objectContaining({ path: 'sections[0].questions[0].criteria[1]' })]);
  });

  it('requires a tip on a risky yes-no answer', () => {
    expect(problemsOf((t) => delete (t.sections[0]!.questions[1] as Record<string, unknown>).tip)).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[1].tip', message: expect.stringContaining('needs a tip') }),
    ]);
  });

  it('requires a tip on an option that carries risk', () => {
    expect(problemsOf((t) => ((t.sections[0]!.questions[2] as { options: Record<string, unknown>[] }).options[1]!.risk = 0.5))).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[2].options[1].tip' }),
    ]);
  });

  it('rejects a condition that does not parse, with the column', () => {
    expect(problemsOf((t) => (secondSectionQuestion(t).when = 'answer("uses-ai") = "yes"'))).toEqual([
      expect.objectContaining({ path: 'sections[1].questions[0].when', message: expect.stringMatching(/^invalid expression: .*use '==' .*column 19/) }),
    ]);
  });

  it('rejects a condition that reads a later question', () => {
    expect(problemsOf((t) => (firstQuestion(t).when = 'answer("mfa") == "yes"'))).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[0].when', message: expect.stringContaining('only read earlier questions') }),
    ]);
  });

  it('rejects a condition that reads the question itself', () => {
    expect(problemsOf((t) => (firstQuestion(t).when = 'answer("uses-ai") == "yes"'))).toHaveLength(1);
  });

  it('rejects a section condition that reads a question of its own section', () => {
    expect(problemsOf((t) => ((t.sections[1] as Record<string, unknown>).when = 'answer("ai-training") == "yes"'))).toEqual([
      expect.objectContaining({ path: 'sections[1].when' }),
    ]);
  });

  it('accepts a section condition over an earlier section', () => {
    expect(problemsOf((t) => ((t.sections[1] as Record<string, unknown>).when = 'answer("uses-ai") == "yes"'))).toEqual([]);
  });

  it('rejects a condition that reads an optional question', () => {
    expect(problemsOf((t) => (firstQuestion(t).required = false))).toEqual([
      expect.objectContaining({ path: 'sections[1].questions[0].when', message: expect.stringContaining('must be required') }),
    ]);
  });

  it('rejects comparing a yes-no answer with a value it cannot take', () => {
    expect(problemsOf((t) => (secondSectionQuestion(t).when = 'answer("uses-ai") == "maybe"'))).toEqual([
      expect.objectContaining({ message: '"maybe" is not a possible answer of uses-ai; expected one of yes, no' }),
    ]);
  });

  it('rejects includes() with an option the question does not have', () => {
    expect(problemsOf((t) => (secondSectionQuestion(t).when = 'includes(answer("regions"), "apac")'))).toEqual([
      expect.objectContaining({ message: '"apac" is not an option of regions; expected one of eu, us' }),
    ]);
  });

  it('rejects == on a multiple-choice answer and suggests includes()', () => {
    expect(problemsOf((t) => (secondSectionQuestion(t).when = 'answer("regions") == "eu"'))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('use includes(answer("regions"), "eu")') }),
    ]);
  });

  it('rejects min above max on a number question', () => {
    expect(problemsOf((t) => t.sections[1]!.questions.push({ id: 'n', text: 'n?', type: 'number', criteria: ['A1.2'], min: 5, max: 1 } as never))).toEqual([
      expect.objectContaining({ path: 'sections[1].questions[1].min' }),
    ]);
  });
});

describe('parseTemplateText', () => {
  it('reports invalid JSON with line and column', () => {
    const result = parseTemplateText('{\n  "id": "x",,\n}', 'broken.json');
    expect(result.ok ? [] : result.problems).toEqual([{ source: 'broken.json', path: '(root)', message: expect.stringMatching(/^not valid JSON at line 2, column 13/) }]);
  });

  it('accepts a template with a byte-order mark', () => {
    expect(parseTemplateText(`\uFEFF${JSON.stringify(validTemplate())}`, 'bom.json').ok).toBe(true);
  });
});

describe('loadTemplate', () => {
  it('throws a TemplateValidationError naming the source, path and reason', () => {
    const broken = validTemplate() as Mutable;
    firstQuestion(broken).criteria = ['CC0.0'];
    expect(() => loadTemplate(broken, 'questionnaires/broken.json')).toThrow(
      expect.objectContaining({
        name: 'TemplateValidationError',
        source: 'questionnaires/broken.json',
        details: [expect.objectContaining({ path: 'sections[0].questions[0].criteria[0]' })],
      }),
    );
  });

  it('is a ValidationError subclass with a stable code', () => {
    try {
      loadTemplate({}, 'empty.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateValidationError);
      expect((error as TemplateValidationError).code).toBe('invalid-questionnaire-template');
    }
  });
});
