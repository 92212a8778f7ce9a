/**
 * Loading a template: the zod schema first, then the rules a schema cannot express. Every problem is reported at
 * once with the template's source, a JSON path (e.g. `sections[2].questions[4].criteria[0]`) and a reason.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { ExpressionSyntaxError, parseExpression, subExpressions, type Expression } from './expression.ts';
import { choiceIds } from './template-index.ts';
import { questionnaireTemplateSchema, type Question, type QuestionnaireTemplate } from './template-schema.ts';

export interface TemplateProblem {
  /** Where the template came from: a file name, a URL, "library". */
  source: string;
  /** JSON path inside the template; "(root)" for the document itself. */
  path: string;
  message: string;
}

export type ParseTemplateResult =
  | { ok: true; template: QuestionnaireTemplate }
  | { ok: false; problems: TemplateProblem[] };

/** A template that failed to load; `details` carries one entry per problem (path + reason). */
export class TemplateValidationError extends ValidationError {
  readonly source: string;
  readonly problems: TemplateProblem[];
  constructor(source: string, problems: TemplateProblem[]) {
    super(
      `Questionnaire template ${source} is invalid:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      problems.map(({ path, message }) => ({ path, message })),
      'invalid-questionnaire-template',
    );
    this.name = 'TemplateValidationError';
    this.source = source;
    this.problems = problems;
  }
}

/** Formats a path array as `sections[2].questions[4].criteria[0]`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(root)' : out;
}

function schemaProblems(issues: readonly z.core.$ZodIssue[], source: string): TemplateProblem[] {
  return issues.flatMap((issue): TemplateProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ source, path: formatJsonPath([...issue.path, key]), message: 'unknown property' }));
    }
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return [{ source, path: formatJsonPath(issue.path), message: `required property is missing (expected ${issue.expected})` }];
    }
    return [{ source, path: formatJsonPath(issue.path), message: issue.message }];
  });
}

interface Located {
  question: Question;
  path: string;
  order: number;
  sectionIndex: number;
}

function semanticProblems(template: QuestionnaireTemplate, source: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const problem = (path: string, message: string): void => {
    problems.push({ source, path, message });
  };
  const questions = new Map<string, Located>();
  const sectionIds = new Map<string, number>();
  let order = 0;

  const checkWhen = (text: string, path: string, referenceableBefore: number, sectionIndex: number, questionOrder: number | undefined): void => {
    let expression: Expression;
    try {
      expression = parseExpression(text);
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) {
        problem(path, `invalid expression: ${error.message}`);
        return;
      }
      throw error;
    }
    for (const node of subExpressions(expression)) {
      if (node.kind === 'answer') {
        const target = questions.get(node.questionId);
        if (!target) {
          problem(path, `answer("${node.questionId}") refers to a question that is not defined before this point; conditions may only read earlier questions`);
          continue;
        }
        if (target.order >= referenceableBefore) {
          problem(path, `answer("${node.questionId}") refers to a question of the same section; a section condition may only read questions of earlier sections`);
          continue;
        }
        if (target.sectionIndex === sectionIndex && questionOrder !== undefined && target.order >= questionOrder) {
          problem(path, `answer("${node.questionId}") does not refer to an earlier question`);
          continue;
        }
        if (!target.question.required) {
          problem(path, `answer("${node.questionId}") refers to an optional question; questions that conditions read must be required`);
        }
      }
      checkLiteralAgainstOptions(node, path);
    }
  };

  const answerAndLiteral = (a: Expression, b: Expression): { questionId: string; literal: string } | undefined => {
    if (a.kind === 'answer' && b.kind === 'literal' && typeof b.value === 'string') return { questionId: a.questionId, literal: b.value };
    if (b.kind === 'answer' && a.kind === 'literal' && typeof a.value === 'string') return { questionId: b.questionId, literal: a.value };
    return undefined;
  };

  const checkLiteralAgainstOptions = (node: Expression, path: string): void => {
    if (node.kind === 'compare' && (node.operator === '==' || node.operator === '!=')) {
      const pair = answerAndLiteral(node.left, node.right);
      const target = pair && questions.get(pair.questionId);
      if (!pair || !target) return;
      if (target.question.type === 'multiple-choice') {
        problem(path, `answer("${pair.questionId}") is a multiple-choice answer (a list); use includes(answer("${pair.questionId}"), "${pair.literal}")`);
        return;
      }
      const ids = choiceIds(target.question);
      if (ids && !ids.includes(pair.literal)) {
        problem(path, `"${pair.literal}" is not a possible answer of ${pair.questionId}; expected one of ${ids.join(', ')}`);
      }
    }
    if (node.kind === 'includes' && node.list.kind === 'answer' && node.item.kind === 'literal') {
      const target = questions.get(node.list.questionId);
      if (!target) return;
      const ids = choiceIds(target.question);
      if (!ids) {
        problem(path, `includes() needs a choice question, but ${node.list.questionId} is a ${target.question.type} question`);
      } else if (typeof node.item.value !== 'string' || !ids.includes(node.item.value)) {
        problem(path, `${JSON.stringify(node.item.value)} is not an option of ${node.list.questionId}; expected one of ${ids.join(', ')}`);
      }
    }
  };

  template.sections.forEach((section, sectionIndex) => {
    const sectionPath = `sections[${sectionIndex}]`;
    const firstSection = sectionIds.get(section.id);
    if (firstSection !== undefined) problem(`${sectionPath}.id`, `duplicate section id '${section.id}' (first used at sections[${firstSection}])`);
    else sectionIds.set(section.id, sectionIndex);
    const sectionStart = order;
    if (section.when !== undefined) checkWhen(section.when, `${sectionPath}.when`, sectionStart, sectionIndex, undefined);

    section.questions.forEach((question, questionIndex) => {
      const path = `${sectionPath}.questions[${questionIndex}]`;
      const first = questions.get(question.id);
      if (first) problem(`${path}.id`, `duplicate question id '${question.id}' (first used at ${first.path})`);
      if (question.when !== undefined) checkWhen(question.when, `${path}.when`, Number.POSITIVE_INFINITY, sectionIndex, order);

      const seenCriteria = new Set<string>();
      question.criteria.forEach((criterion, i) => {
        if (seenCriteria.has(criterion)) problem(`${path}.criteria[${i}]`, `criterion ${criterion} is listed twice`);
        seenCriteria.add(criterion);
      });

      switch (question.type) {
        case 'yes-no':
          if (question.riskyAnswer !== undefined && question.tip === undefined) {
            problem(`${path}.tip`, `a yes-no question with a risky answer needs a tip (severity and why it matters)`);
          }
          if (question.tip !== undefined && question.riskyAnswer === undefined) {
            problem(`${path}.riskyAnswer`, `a tip is shown only for a risky answer; set riskyAnswer to "yes" or "no"`);
          }
          break;
        case 'single-choice':
        case 'multiple-choice': {
          const seen = new Map<string, number>();
          question.options.forEach((option, i) => {
            const firstOption = seen.get(option.id);
            if (firstOption !== undefined) problem(`${path}.options[${i}].id`, `duplicate option id '${option.id}' (first used at options[${firstOption}])`);
            else seen.set(option.id, i);
            if (option.risk > 0 && option.tip === undefined) {
              problem(`${path}.options[${i}].tip`, `an option with a risk above 0 needs a tip (severity and why it matters)`);
            }
          });
          if (question.type === 'multiple-choice') {
            const { minSelections, maxSelections } = question;
            if (maxSelections !== undefined && maxSelections > question.options.length) {
              problem(`${path}.maxSelections`, `maxSelections (${maxSelections}) exceeds the number of options (${question.options.length})`);
            }
            if (minSelections !== undefined && maxSelections !== undefined && minSelections > maxSelections) {
              problem(`${path}.minSelections`, `minSelections (${minSelections}) exceeds maxSelections (${maxSelections})`);
            }
          }
          break;
        }
        case 'number':
          if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
            problem(`${path}.min`, `min (${question.min}) exceeds max (${question.max})`);
          }
          break;
        default:
          break;
      }
      if (!first) questions.set(question.id, { question, path, order, sectionIndex });
      order += 1;
    });
  });
  return problems;
}

/** Validates a template (already parsed from JSON) against the schema and the semantic rules. */
export function parseTemplate(json: unknown, source: string): ParseTemplateResult {
  const parsed = questionnaireTemplateSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error.issues, source) };
  const problems = semanticProblems(parsed.data, source);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, template: parsed.data };
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Parses template text: JSON syntax errors are reported with line and column, then parseTemplate applies. */
export function parseTemplateText(text: string, source: string): ParseTemplateResult {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position?.[1] === undefined ? '' : ` at ${lineAndColumn(text, Number(position[1]))}`;
    return { ok: false, problems: [{ source, path: '(root)', message: `not valid JSON${where}: ${message}` }] };
  }
  return parseTemplate(json, source);
}

/** Like parseTemplate, but throws TemplateValidationError listing every problem. */
export function loadTemplate(json: unknown, source: string): QuestionnaireTemplate {
  const result = parseTemplate(json, source);
  if (!result.ok) throw new TemplateValidationError(source, result.problems);
  return result.template;
}
