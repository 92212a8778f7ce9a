/**
 * The `when` expression language: a tokenizer, a recursive-descent parser and an evaluator. It never calls `eval`
 * or `new Function`; the only names it knows are the functions listed below, and every input is bounded.
 *
 * Grammar (whitespace between tokens is ignored):
 *
 *   expression := or
 *   or         := and ( "or" and )*
 *   and        := not ( "and" not )*
 *   not        := "not" not | comparison
 *   comparison := primary ( ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) primary )?
 *   primary    := NUMBER | STRING | "true" | "false" | "null" | call | "(" expression ")"
 *   call       := "answer" "(" STRING ")"
 *               | "includes" "(" expression "," expression ")"
 *               | "count" "(" expression ")"
 *   NUMBER     := "-"? digits ( "." digits )?
 *   STRING     := '"' characters '"' | "'" characters "'"   (backslash escapes the quote and the backslash)
 *
 * Values are strings, numbers, booleans, null and lists of strings (a multiple-choice answer). `answer("q")` is the
 * stored answer of question q (a yes-no answer is "yes", "no" or "na"; a choice answer is the option id), or null when
 * q is hidden. `==` compares values of the same kind (lists as sets); `<`, `<=`, `>`, `>=` compare two numbers or two
 * strings (ISO dates compare correctly as strings) and are false otherwise. `includes(list, "x")` is true when the
 * list contains "x" (a single string counts as a one-item list); `count(list)` is the number of items (0 for null).
 * `and`, `or` and `not` use truthiness: null, false, 0, "" and the empty list are false.
 *
 * Evaluation is three-valued: the answer of a question that is visible but not yet answered is UNKNOWN, and any
 * operation on UNKNOWN is UNKNOWN except where `and`/`or` are already decided by the other side. A question whose
 * condition is UNKNOWN is not shown yet; answering more questions only ever turns UNKNOWN into a definite value.
 */

export const MAX_EXPRESSION_LENGTH = 1000;
export const MAX_EXPRESSION_DEPTH = 32;

export type ExpressionValue = string | number | boolean | null | readonly string[];

/** Marks a value that cannot be known yet (it depends on an unanswered question). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expression =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'answer'; questionId: string; position: number }
  | { kind: 'includes'; list: Expression; item: Expression }
  | { kind: 'count'; list: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'compare'; operator: ComparisonOperator; left: Expression; right: Expression };

/** A malformed expression; `position` is the 0-based offset of the offending character. */
export class ExpressionSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at column ${position + 1})`);
    this.name = 'ExpressionSyntaxError';
    this.position = position;
  }
}

type Token =
  | { type: 'number'; value: number; position: number }
  | { type: 'string'; value: string; position: number }
  | { type: 'word'; value: string; position: number }
  | { type: 'operator'; value: ComparisonOperator; position: number }
  | { type: 'punctuation'; value: '(' | ')' | ','; position: number }
  | { type: 'end'; position: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null', 'answer', 'includes', 'count']);

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'end of expression';
    case 'string':
      return `string ${JSON.stringify(token.value)}`;
    case 'number':
      return `number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: 'punctuation', value: ch, position: start });
      i += 1;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ type: 'operator', value: two, position: start });
      i += 2;
      continue;
    }
    if (ch === '<' || ch === '>') {
      tokens.push({ type: 'operator', value: ch, position: start });
      i += 1;
      continue;
    }
    if (ch === '=') throw new ExpressionSyntaxError("unexpected '='; use '==' to compare", start);
    if (ch === '"' || ch === "'") {
      let value = '';
      i += 1;
      let closed = false;
      while (i < source.length) {
        const c = source[i] as string;
        if (c === '\\') {
          const next = source[i + 1];
          if (next !== ch && next !== '\\') throw new ExpressionSyntaxError('a backslash may only escape the quote or a backslash', i);
          value += next;
          i += 2;
          continue;
        }
        if (c === ch) {
          closed = true;
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      if (!closed) throw new ExpressionSyntaxError('unterminated string', start);
      tokens.push({ type: 'string', value, position: start });
      continue;
    }
    const numberMatch = /^-?\d+(?:\.\d+)?/.exec(source.slice(i));
    if (numberMatch) {
      tokens.push({ type: 'number', value: Number(numberMatch[0]), position: start });
      i += numberMatch[0].length;
      continue;
    }
    const wordMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (wordMatch) {
      const word = wordMatch[0];
      tokens.push({ type: 'word', value: word, position: start });
      i += word.length;
      continue;
    }
    throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(ch)}`, start);
  }
  tokens.push({ type: 'end', position: source.length });
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expression {
    const expression = this.or();
    const next = this.peek();
    if (next.type !== 'end') throw new ExpressionSyntaxError(`unexpected ${describe(next)}`, next.position);
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.value === value;
  }

  private expectPunctuation(value: '(' | ')' | ','): void {
    const token = this.next();
    if (token.type !== 'punctuation' || token.value !== value) {
      throw new ExpressionSyntaxError(`expected '${value}' but found ${describe(token)}`, token.position);
    }
  }

  private nested<T>(position: number, parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_EXPRESSION_DEPTH) throw new ExpressionSyntaxError(`expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels`, position);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private or(): Expression {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expression {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Expression {
    if (this.isWord('not')) {
      const token = this.next();
      return this.nested(token.position, () => ({ kind: 'not', operand: this.not() }));
    }
    return this.comparison();
  }

  private comparison(): Expression {
    const left = this.primary();
    const token = this.peek();
    if (token.type !== 'operator') return left;
    this.next();
    const right = this.primary();
    const after = this.peek();
    if (after.type === 'operator') {
      throw new ExpressionSyntaxError(`comparisons cannot be chained; use 'and' between them`, after.position);
    }
    return { kind: 'compare', operator: token.value, left, right };
  }

  private primary(): Expression {
    const token = this.next();
    switch (token.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'punctuation':
        if (token.value === '(') {
          const inner = this.nested(token.position, () => this.or());
          this.expectPunctuation(')');
          return inner;
        }
        throw new ExpressionSyntaxError(`unexpected ${describe(token)}`, token.position);
      case 'word':
        return this.word(token.value, token.position);
      default:
        throw new ExpressionSyntaxError(`expected a value but found ${describe(token)}`, token.position);
    }
  }

  private word(word: string, position: number): Expression {
    switch (word) {
      case 'true':
        return { kind: 'literal', value: true };
      case 'false':
        return { kind: 'literal', value: false };
      case 'null':
        return { kind: 'literal', value: null };
      case 'answer': {
        this.expectPunctuation('(');
        const argument = this.next();
        if (argument.type !== 'string') {
          throw new ExpressionSyntaxError(`answer() takes a question id in quotes, found ${describe(argument)}`, argument.position);
        }
        this.expectPunctuation(')');
        return { kind: 'answer', questionId: argument.value, position: argument.position };
      }
      case 'includes':
        return this.nested(position, () => {
          this.expectPunctuation('(');
          const list = this.or();
          this.expectPunctuation(',');
          const item = this.or();
          this.expectPunctuation(')');
          return { kind: 'includes', list, item };
        });
      case 'count':
        return this.nested(position, () => {
          this.expectPunctuation('(');
          const list = this.or();
          this.expectPunctuation(')');
          return { kind: 'count', list };
        });
      default:
        if (!KEYWORDS.has(word)) {
          throw new ExpressionSyntaxError(`unknown name '${word}'; known: answer, includes, count, and, or, not, true, false, null`, position);
        }
        throw new ExpressionSyntaxError(`'${word}' cannot start a value`, position);
    }
  }
}

/** Parses a `when` expression; throws ExpressionSyntaxError with a column on any problem. */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError(`expression longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  if (source.trim() === '') throw new ExpressionSyntaxError('empty expression', 0);
  return new Parser(tokenize(source)).parse();
}

/** Every sub-expression, depth first, the expression itself included. */
export function subExpressions(expression: Expression): Expression[] {
  const out: Expression[] = [];
  const visit = (e: Expression): void => {
    out.push(e);
    switch (e.kind) {
      case 'includes':
        visit(e.list);
        visit(e.item);
        break;
      case 'count':
        visit(e.list);
        break;
      case 'not':
        visit(e.operand);
        break;
      case 'and':
      case 'or':
      case 'compare':
        visit(e.left);
        visit(e.right);
        break;
      default:
        break;
    }
  };
  visit(expression);
  return out;
}

/** The ids of the questions an expression reads, in order of appearance, without duplicates. */
export function referencedQuestionIds(expression: Expression): string[] {
  const ids = subExpressions(expression).flatMap((e) => (e.kind === 'answer' ? [e.questionId] : []));
  return [...new Set(ids)];
}

/** null, false, 0, "" and the empty list are false; everything else is true. */
export function isTruthy(value: ExpressionValue): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function equalValues(a: ExpressionValue, b: ExpressionValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    const left = new Set<string>(a as readonly string[]);
    const right = new Set<string>(b as readonly string[]);
    return left.size === right.size && [...left].every((item) => right.has(item));
  }
  return a === b;
}

function compareValues(operator: ComparisonOperator, a: ExpressionValue, b: ExpressionValue): boolean {
  if (operator === '==') return equalValues(a, b);
  if (operator === '!=') return !equalValues(a, b);
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** Reads the value of `answer(id)`: the answer, null when the question is hidden, UNKNOWN when not yet known. */
export type AnswerLookup = (questionId: string) => ExpressionValue | Unknown;

/** Evaluates a parsed expression with three-valued logic (see the module comment). Never throws. */
export function evaluateExpression(expression: Expression, lookup: AnswerLookup): ExpressionValue | Unknown {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'answer':
      return lookup(expression.questionId);
    case 'includes': {
      const list = evaluateExpression(expression.list, lookup);
      const item = evaluateExpression(expression.item, lookup);
      if (list === UNKNOWN || item === UNKNOWN) return UNKNOWN;
      if (Array.isArray(list)) return list.some((entry) => entry === item);
      return typeof list === 'string' && list === item;
    }
    case 'count': {
      const list = evaluateExpression(expression.list, lookup);
      if (list === UNKNOWN) return UNKNOWN;
      if (Array.isArray(list)) return list.length;
      return list === null ? 0 : 1;
    }
    case 'not': {
      const operand = evaluateExpression(expression.operand, lookup);
      return operand === UNKNOWN ? UNKNOWN : !isTruthy(operand);
    }
    case 'and': {
      const left = evaluateExpression(expression.left, lookup);
      const right = evaluateExpression(expression.right, lookup);
      if ((left !== UNKNOWN && !isTruthy(left)) || (right !== UNKNOWN && !isTruthy(right))) return false;
      return left === UNKNOWN || right === UNKNOWN ? UNKNOWN : true;
    }
    case 'or': {
      const left = evaluateExpression(expression.left, lookup);
      const right = evaluateExpression(expression.right, lookup);
      if ((left !== UNKNOWN && isTruthy(left)) || (right !== UNKNOWN && isTruthy(right))) return true;
      return left === UNKNOWN || right === UNKNOWN ? UNKNOWN : false;
    }
    case 'compare': {
      const left = evaluateExpression(expression.left, lookup);
      const right = evaluateExpression(expression.right, lookup);
      if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
      return compareValues(expression.operator, left, right);
    }
  }
}
