// Recursive-descent parser of the query language: OR binds loosest, then AND (explicit or
// implied between adjacent terms), then NOT. Field terms are checked against the field's
// type here (ports are numbers, times are instants, severities are known), so every
// refusal points at its place; the bounds of QUERY_LIMITS are enforced while parsing.
import { QUERY_LIMITS } from '@siem/contracts';
import { QueryError, type FieldRef, type QueryNode, type QueryValue, type RangeBound, type Span } from './ast.ts';
import { FIELD_LIST_HINT, closestField, resolveField } from './fields.ts';
import { tokenize, type Token, type TokenType } from './lexer.ts';
import { checkBound, matchNode } from './values.ts';

const DESCRIBE: Record<TokenType, string> = {
  word: 'a term',
  string: 'a phrase',
  lparen: "'('",
  rparen: "')'",
  lbracket: "'['",
  rbracket: "']'",
  lbrace: "'{'",
  rbrace: "'}'",
  colon: "':'",
  cmp: 'a comparison',
  and: 'AND',
  or: 'OR',
  not: 'NOT',
  eof: 'the end of the query',
};

const span = (from: Span, to: Span): Span => ({ pos: from.pos, len: to.pos + to.len - from.pos });
const describe = (t: Token) => (t.type === 'word' || t.type === 'cmp' ? `'${t.text}'` : DESCRIBE[t.type]);

class Parser {
  private i = 0;
  private terms = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }
  private adjacent(a: Token, b: Token): boolean {
    return a.pos + a.len === b.pos;
  }
  private deeper(depth: number, at: Token): number {
    if (depth + 1 > QUERY_LIMITS.maxDepth) throw new QueryError(`The query nests more than ${QUERY_LIMITS.maxDepth} levels deep (at position ${at.pos})`, at.pos, at.len);
    return depth + 1;
  }
  private term(at: Span): void {
    if (++this.terms > QUERY_LIMITS.maxTerms) throw new QueryError(`A query holds at most ${QUERY_LIMITS.maxTerms} terms (the one at position ${at.pos} is one too many)`, at.pos, at.len);
  }

  parse(): QueryNode | null {
    if (this.peek().type === 'eof') return null;
    const node = this.or(0);
    const t = this.peek();
    if (t.type === 'rparen') throw new QueryError(`Unexpected ')' at position ${t.pos}: no '(' opened it`, t.pos, 1);
    if (t.type !== 'eof') throw new QueryError(`Unexpected ${describe(t)} at position ${t.pos}`, t.pos, t.len);
    return node;
  }

  private or(depth: number): QueryNode {
    const children = [this.and(depth)];
    while (this.peek().type === 'or') {
      const op = this.next();
      this.expectOperand(op);
      children.push(this.and(depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children, ...span(children[0]!, children.at(-1)!) };
  }

  private and(depth: number): QueryNode {
    const children = [this.unary(depth)];
    for (;;) {
      const t = this.peek();
      if (t.type === 'and') {
        this.next();
        this.expectOperand(t);
      } else if (!['word', 'string', 'lparen', 'not'].includes(t.type)) break;
      children.push(this.unary(depth));
    }
    const flat = children.flatMap((c) => (c.kind === 'and' ? c.children : [c]));
    return flat.length === 1 ? flat[0]! : { kind: 'and', children: flat, ...span(flat[0]!, flat.at(-1)!) };
  }

  private expectOperand(op: Token): void {
    const t = this.peek();
    if (t.type === 'eof' || t.type === 'rparen' || t.type === 'and' || t.type === 'or') {
      throw new QueryError(`Expected a term after ${op.text.toUpperCase()} at position ${op.pos}, found ${describe(t)}`, op.pos, op.len);
    }
  }

  private unary(depth: number): QueryNode {
    const t = this.peek();
    if (t.type === 'not') {
      this.next();
      const inner = this.deeper(depth, t);
      if (['eof', 'rparen', 'and', 'or'].includes(this.peek().type)) {
        throw new QueryError(`Expected a term after ${t.text === '-' || t.text === '!' ? `'${t.text}'` : 'NOT'} at position ${t.pos}`, t.pos, t.len);
      }
      const child = this.unary(inner);
      return { kind: 'not', child, ...span(t, child) };
    }
    return this.primary(depth);
  }

  private primary(depth: number): QueryNode {
    const t = this.peek();
    switch (t.type) {
      case 'lparen': {
        this.next();
        const inner = this.or(this.deeper(depth, t));
        this.close(t, 'rparen');
        return inner;
      }
      case 'string':
        this.next();
        this.term(t);
        return { kind: 'text', value: this.quotedValue(t), pos: t.pos, len: t.len };
      case 'word': {
        const after = this.peek(1);
        if (after.type === 'colon' && this.adjacent(t, after)) return this.fieldTerm(depth);
        if (after.type === 'cmp') return this.comparison();
        this.next();
        this.term(t);
        const value = this.valueOf(t);
        return { kind: 'text', value, pos: t.pos, len: t.len };
      }
      case 'rparen':
        throw new QueryError(`Unexpected ')' at position ${t.pos}: no '(' opened it`, t.pos, 1);
      case 'eof':
        throw new QueryError(`Expected a term at position ${t.pos}, found the end of the query`, t.pos, 0);
      case 'colon':
        throw new QueryError(`Expected a field name before ':' at position ${t.pos}`, t.pos, 1);
      case 'cmp':
        throw new QueryError(`Expected a field name before '${t.text}' at position ${t.pos}`, t.pos, t.len);
      case 'lbracket':
      case 'lbrace':
        throw new QueryError(`A range needs a field: field:[low TO high] (at position ${t.pos})`, t.pos, 1);
      default:
        throw new QueryError(`Expected a term at position ${t.pos}, found ${describe(t)}`, t.pos, t.len);
    }
  }

  private close(open: Token, type: 'rparen' | 'rbracket'): Token {
    const t = this.peek();
    const want = type === 'rparen' ? "')'" : "']'";
    if (t.type !== type) {
      throw new QueryError(`Expected ${want} to close the '${open.text}' at position ${open.pos}, found ${describe(t)}`, t.pos, t.len);
    }
    return this.next();
  }

  private field(t: Token): FieldRef {
    const ref = resolveField(t.text);
    if (ref && !t.pattern) return ref;
    const suggestion = t.pattern ? undefined : closestField(t.text);
    const hint = suggestion ? `did you mean '${suggestion}'? ` : '';
    throw new QueryError(`Unknown field '${t.text}' at position ${t.pos}: ${hint}${FIELD_LIST_HINT}`, t.pos, t.len, suggestion);
  }

  /** `name:...` with the name token next. */
  private fieldTerm(depth: number): QueryNode {
    const nameToken = this.next();
    const colon = this.next();
    if (nameToken.text === '_exists_' && !nameToken.escaped) {
      const target = this.peek();
      if (target.type !== 'word') throw new QueryError(`Expected a field name after '_exists_:' at position ${target.pos}`, target.pos, target.len);
      this.next();
      this.term(target);
      return { kind: 'exists', field: this.field(target), ...span(nameToken, target) };
    }
    const field = this.field(nameToken);
    return this.fieldValue(field, nameToken, colon, depth);
  }

  private fieldValue(field: FieldRef, start: Span, after: Token, depth: number): QueryNode {
    const t = this.peek();
    switch (t.type) {
      case 'word':
      case 'string': {
        this.next();
        const value = t.type === 'word' ? this.glued(t) : this.quotedValue(t);
        this.term(value);
        if (t.type === 'word' && value.pattern?.length === 1 && typeof value.pattern[0] !== 'string' && value.pattern[0]!.wild === '*') {
          return { kind: 'exists', field, ...span(start, value) };
        }
        return matchNode(field, value, span(start, value));
      }
      case 'colon':
        // A value starting with ':' (an IPv6 address such as ::1) is written right after the field's colon.
        if (this.adjacent(after, t)) {
          this.next();
          const value = this.glued({ type: 'word', text: ':', pos: t.pos, len: 1 });
          this.term(value);
          return matchNode(field, value, span(start, value));
        }
        throw new QueryError(`Expected a value after '${field.name}:' at position ${t.pos}, found ':'`, t.pos, 1);
      case 'lparen': {
        this.next();
        const node = this.valueOr(field, this.deeper(depth, t));
        const close = this.close(t, 'rparen');
        return { ...node, ...span(start, close) };
      }
      case 'lbracket':
      case 'lbrace':
        return this.range(field, start);
      case 'cmp':
        this.next();
        return this.compare(field, start, t);
      default:
        throw new QueryError(`Expected a value after '${field.name}:' at position ${t.pos}, found ${describe(t)}`, after.pos, after.len + (t.type === 'eof' ? 0 : t.pos - after.pos - after.len + t.len));
    }
  }

  /** `field:(a OR b c)`: the same grammar over values, each becoming a term on `field`. */
  private valueOr(field: FieldRef, depth: number): QueryNode {
    const children = [this.valueAnd(field, depth)];
    while (this.peek().type === 'or') {
      const op = this.next();
      this.expectOperand(op);
      children.push(this.valueAnd(field, depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children, ...span(children[0]!, children.at(-1)!) };
  }

  private valueAnd(field: FieldRef, depth: number): QueryNode {
    const children = [this.valueUnary(field, depth)];
    for (;;) {
      const t = this.peek();
      if (t.type === 'and') {
        this.next();
        this.expectOperand(t);
      } else if (!['word', 'string', 'lparen', 'not'].includes(t.type)) break;
      children.push(this.valueUnary(field, depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children, ...span(children[0]!, children.at(-1)!) };
  }

  private valueUnary(field: FieldRef, depth: number): QueryNode {
    const t = this.peek();
    if (t.type === 'not') {
      this.next();
      const child = this.valueUnary(field, this.deeper(depth, t));
      return { kind: 'not', child, ...span(t, child) };
    }
    if (t.type === 'lparen') {
      this.next();
      const node = this.valueOr(field, this.deeper(depth, t));
      this.close(t, 'rparen');
      return node;
    }
    if (t.type !== 'word' && t.type !== 'string') {
      throw new QueryError(`Expected a value for '${field.name}' at position ${t.pos}, found ${describe(t)}`, t.pos, t.len);
    }
    this.next();
    const value = t.type === 'word' ? this.glued(t) : this.quotedValue(t);
    this.term(value);
    return matchNode(field, value, value);
  }

  /** A word plus the words and colons written right after it (IPv6 addresses, times). */
  private glued(first: Token): QueryValue {
    const value = this.valueOf(first);
    let end = first;
    for (;;) {
      const t = this.peek();
      if ((t.type !== 'word' && t.type !== 'colon') || !this.adjacent(end, t)) break;
      this.next();
      const part = t.type === 'colon' ? ':' : t.text;
      const pattern = value.pattern || t.pattern ? [...(value.pattern ?? [value.text]), ...(t.pattern ?? [part])] : undefined;
      value.text += part;
      if (pattern) value.pattern = pattern;
      end = t;
    }
    value.len = end.pos + end.len - first.pos;
    this.checkValue(value);
    return value;
  }

  private quotedValue(t: Token): QueryValue {
    const value: QueryValue = { text: t.text, quoted: true, pos: t.pos, len: t.len };
    this.checkValue(value);
    return value;
  }

  private valueOf(t: Token): QueryValue {
    const value: QueryValue = { text: t.text, quoted: false, pos: t.pos, len: t.len };
    if (t.pattern) value.pattern = t.pattern;
    this.checkValue(value);
    return value;
  }

  private checkValue(value: QueryValue): void {
    if (value.text.length > QUERY_LIMITS.maxValueLength) {
      throw new QueryError(`A value holds at most ${QUERY_LIMITS.maxValueLength} characters (position ${value.pos})`, value.pos, value.len);
    }
    const wild = value.pattern?.filter((p) => typeof p !== 'string').length ?? 0;
    if (wild > QUERY_LIMITS.maxWildcardsPerValue) {
      throw new QueryError(`A value holds at most ${QUERY_LIMITS.maxWildcardsPerValue} wildcards (the one at position ${value.pos} has ${wild})`, value.pos, value.len);
    }
  }

  /** A range bound: a word (glued), a phrase, or `*` (open, returned as null). */
  private bound(field: FieldRef, open: Token): QueryValue | null {
    const t = this.peek();
    if (t.type !== 'word' && t.type !== 'string') {
      throw new QueryError(`Expected a bound in the range started at position ${open.pos}, found ${describe(t)}`, t.pos, t.len);
    }
    this.next();
    if (t.type === 'word' && t.text === '*' && t.pattern) return null;
    const value = t.type === 'word' ? this.glued(t) : this.quotedValue(t);
    if (value.pattern) throw new QueryError(`A range bound cannot hold wildcards (position ${value.pos})`, value.pos, value.len);
    return checkBound(field, value);
  }

  private range(field: FieldRef, start: Span): QueryNode {
    const open = this.next();
    const lowerValue = this.bound(field, open);
    const to = this.peek();
    if (to.type !== 'word' || to.text.toUpperCase() !== 'TO' || to.escaped) {
      throw new QueryError(`Expected 'TO' in the range started at position ${open.pos}, found ${describe(to)}`, to.pos, to.len);
    }
    this.next();
    const upperValue = this.bound(field, open);
    const close = this.peek();
    if (close.type !== 'rbracket' && close.type !== 'rbrace') {
      throw new QueryError(`Expected ']' or '}' to close the '${open.text}' at position ${open.pos}, found ${describe(close)}`, close.pos, close.len);
    }
    this.next();
    const at = span(start, close);
    this.term(at);
    const lower: RangeBound | null = lowerValue ? { value: lowerValue, inclusive: open.type === 'lbracket' } : null;
    const upper: RangeBound | null = upperValue ? { value: upperValue, inclusive: close.type === 'rbracket' } : null;
    return { kind: 'range', field, lower, upper, ...at };
  }

  /** `field>=x` (or `field:>=x`): one open side. */
  private comparison(): QueryNode {
    const nameToken = this.next();
    const field = this.field(nameToken);
    const op = this.next();
    return this.compare(field, nameToken, op);
  }

  private compare(field: FieldRef, start: Span, op: Token): QueryNode {
    const t = this.peek();
    if (t.type !== 'word' && t.type !== 'string') {
      throw new QueryError(`Expected a value after '${op.text}' at position ${op.pos}, found ${describe(t)}`, op.pos, op.len);
    }
    this.next();
    const value = t.type === 'word' ? this.glued(t) : this.quotedValue(t);
    if (value.pattern) throw new QueryError(`A comparison cannot hold wildcards (position ${value.pos})`, value.pos, value.len);
    checkBound(field, value);
    const at = span(start, value);
    this.term(at);
    const inclusive = op.text.endsWith('=');
    const bound: RangeBound = { value, inclusive };
    return op.text.startsWith('>') ? { kind: 'range', field, lower: bound, upper: null, ...at } : { kind: 'range', field, lower: null, upper: bound, ...at };
  }
}

/** Parses a query; null for an empty one. Throws QueryError (located) when it is not valid. */
export function parseQuery(text: string): QueryNode | null {
  return new Parser(tokenize(text)).parse();
}
