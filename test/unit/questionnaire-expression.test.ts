import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  ExpressionSyntaxError,
  MAX_EXPRESSION_DEPTH,
  parseExpression,
  referencedQuestionIds,
  UNKNOWN,
  type ExpressionValue,
  type Unknown,
} from '../../shared/domain/questionnaire/expression.ts';

const answers = (values: Record<string, ExpressionValue | Unknown>) => (id: string) => (id in values ? (values[id] as ExpressionValue | Unknown) : null);
const run = (source: string, values: Record<string, ExpressionValue | Unknown> = {}) => evaluateExpression(parseExpression(source), answers(values));

describe('when expressions: evaluation', () => {
  it('compares a yes-no answer with a string', () => {
    expect(run('answer("mfa") == "yes"', { mfa: 'yes' })).toBe(true);
  });

  it('treats != as the negation of ==', () => {
    expect(run('answer("mfa") != "yes"', { mfa: 'no' })).toBe(true);
  });

  it('tests membership of a multiple-choice answer with includes()', () => {
    expect(run('includes(answer("regions"), "eu")', { regions: ['us', 'eu'] })).toBe(true);
  });

  it('returns false from includes() for an option that is not selected', () => {
    expect(run('includes(answer("regions"), "apac")', { regions: ['us', 'eu'] })).toBe(false);
  });

  it('counts the selected options', () => {
    expect(run('count(answer("regions")) > 1', { regions: ['us', 'eu'] })).toBe(true);
  });

  it('compares numbers', () => {
    expect(run('answer("rto") <= 4', { rto: 4 })).toBe(true);
  });

  it('compares ISO dates as strings', () => {
    expect(run('answer("tested") >= "2025-01-01"', { tested: '2025-06-30' })).toBe(true);
  });

  it('does not order a number against a string', () => {
    expect(run('answer("rto") < "5"', { rto: 4 })).toBe(false);
  });

  it('compares lists as sets', () => {
    expect(evaluateExpression(parseExpression('answer("a") == answer("b")'), answers({ a: ['x', 'y'], b: ['y', 'x'] }))).toBe(true);
  });

  it('gives and precedence over or', () => {
    expect(run('true or false and false')).toBe(true);
  });

  it('groups with parentheses', () => {
    expect(run('(true or false) and false')).toBe(false);
  });

  it('negates with not', () => {
    expect(run('not answer("a") == "yes"', { a: 'no' })).toBe(true);
  });

  it('reads a hidden question as null', () => {
    expect(run('answer("hidden") == null')).toBe(true);
  });

  it('accepts single-quoted strings with escaped quotes', () => {
    expect(run("answer('q') == 'it\\'s'", { q: "it's" })).toBe(true);
  });

  it('accepts negative and decimal numbers', () => {
    expect(run('answer("n") > -1.5', { n: -1 })).toBe(true);
  });

  it('is unknown when a compared answer is unknown', () => {
    expect(run('answer("q") == "yes"', { q: UNKNOWN })).toBe(UNKNOWN);
  });

  it('decides "and" as false when one side is false even if the other is unknown', () => {
    expect(run('answer("q") == "yes" and false', { q: UNKNOWN })).toBe(false);
  });

  it('decides "or" as true when one side is true even if the other is unknown', () => {
    expect(run('answer("q") == "yes" or true', { q: UNKNOWN })).toBe(true);
  });

  it('lists the questions an expression reads, once each', () => {
    expect(referencedQuestionIds(parseExpression('answer("a") == "x" or (answer("b") == "y" and answer("a") != "z")'))).toEqual(['a', 'b']);
  });
});

describe('when expressions: rejected input', () => {
  const rejects = (source: string) => () => parseExpression(source);

  it.each([
    ['an unknown function', 'eval("1")'],
    ['property access', 'answer("q").constructor'],
    ['a JavaScript call', 'process.exit(1)'],
    ['a prototype name', '__proto__ == 1'],
    ['a template literal', '`${1}`'],
    ['a single = assignment', 'answer("q") = "yes"'],
    ['a semicolon', 'true; false'],
    ['JavaScript operators', 'true && false'],
  ])('rejects %s', (_name, source) => {
    expect(rejects(source)).toThrow(ExpressionSyntaxError);
  });

  it('rejects answer() with an unquoted argument', () => {
    expect(rejects('answer(q) == "yes"')).toThrow(/question id in quotes/);
  });

  it('rejects an unterminated string with its column', () => {
    expect(rejects('answer("q") == "yes')).toThrow(/unterminated string \(at column 16\)/);
  });

  it('rejects chained comparisons', () => {
    expect(rejects('1 < 2 < 3')).toThrow(/cannot be chained/);
  });

  it('rejects a missing closing parenthesis', () => {
    expect(rejects('(true or false')).toThrow(/expected '\)'/);
  });

  it('rejects a dangling operator', () => {
    expect(rejects('answer("q") ==')).toThrow(/expected a value but found end of expression/);
  });

  it('rejects an empty expression', () => {
    expect(rejects('   ')).toThrow(/empty expression/);
  });

  it('rejects an expression longer than the limit', () => {
    expect(rejects(`${'true or '.repeat(200)}true`)).toThrow(/longer than 1000 characters/);
  });

  it('rejects nesting deeper than the limit without overflowing the stack', () => {
    const depth = MAX_EXPRESSION_DEPTH + 1;
    expect(rejects(`${'('.repeat(depth)}true${')'.repeat(depth)}`)).toThrow(/nested deeper/);
  });

  it('rejects a long chain of not without overflowing the stack', () => {
    expect(rejects(`${'not '.repeat(200)}true`)).toThrow(/nested deeper/);
  });

  it('reports the position of the offending token', () => {
    try {
      parseExpression('answer("q") == "yes" and bogus');
      expect.unreachable();
    } catch (error) {
      expect((error as ExpressionSyntaxError).position).toBe(25);
    }
  });
});
