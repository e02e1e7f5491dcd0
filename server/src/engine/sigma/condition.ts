// Sigma condition expressions: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`,
// `1 of them`, `all of them`. A precedence-climbing parser (not > and > or) builds a small
// tree; `resolve` replaces selection names by their nodes. Length, tokens and depth are bounded.
import { and, or, SigmaRefusal, type Node } from './types.ts';

export const CONDITION_LIMITS = { maxChars: 4096, maxTokens: 512, maxDepth: 32 } as const;

export type Expr =
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  | { kind: 'ref'; name: string }
  | { kind: 'quant'; all: boolean; pattern: string | null };

type Token = { type: 'lp' | 'rp' | 'and' | 'or' | 'not' | 'of' | 'them' | 'word'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const t = m[1]!;
    const lower = t.toLowerCase();
    if (t === '(') tokens.push({ type: 'lp', text: t });
    else if (t === ')') tokens.push({ type: 'rp', text: t });
    else if (lower === 'and' || lower === 'or' || lower === 'not' || lower === 'of' || lower === 'them') tokens.push({ type: lower, text: t });
    else tokens.push({ type: 'word', text: t });
    if (tokens.length > CONDITION_LIMITS.maxTokens) throw new SigmaRefusal(`condition longer than ${CONDITION_LIMITS.maxTokens} tokens`, { field: 'condition' });
    if (re.lastIndex >= text.length) break;
  }
  if (text.slice(re.lastIndex).trim() !== '') throw new SigmaRefusal('condition has trailing characters', { field: 'condition' });
  return tokens;
}

export function parseCondition(text: string): Expr {
  if (text.length > CONDITION_LIMITS.maxChars) throw new SigmaRefusal(`condition longer than ${CONDITION_LIMITS.maxChars} characters`, { field: 'condition' });
  if (text.includes('|')) {
    throw new SigmaRefusal('aggregation in the condition (`| count() ...`) is the deprecated Sigma v1 form; write a correlation rule', { field: 'condition' });
  }
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    const at = peek();
    throw new SigmaRefusal(`condition: ${what}${at ? ` at '${at.text}'` : ' at the end'}`, { field: 'condition' });
  };

  function orExpr(depth: number): Expr {
    if (depth > CONDITION_LIMITS.maxDepth) fail(`nested deeper than ${CONDITION_LIMITS.maxDepth}`);
    const items = [andExpr(depth)];
    while (peek()?.type === 'or') {
      pos++;
      items.push(andExpr(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }
  function andExpr(depth: number): Expr {
    const items = [notExpr(depth)];
    while (peek()?.type === 'and') {
      pos++;
      items.push(notExpr(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }
  function notExpr(depth: number): Expr {
    if (peek()?.type === 'not') {
      pos++;
      if (depth > CONDITION_LIMITS.maxDepth) fail(`nested deeper than ${CONDITION_LIMITS.maxDepth}`);
      return { kind: 'not', item: notExpr(depth + 1) };
    }
    return primary(depth);
  }
  function primary(depth: number): Expr {
    const t = peek();
    if (!t) return fail('expected a selection');
    if (t.type === 'lp') {
      pos++;
      const inner = orExpr(depth + 1);
      if (peek()?.type !== 'rp') fail("expected ')'");
      pos++;
      return inner;
    }
    if (t.type === 'word' && tokens[pos + 1]?.type === 'of') {
      const count = t.text.toLowerCase();
      pos += 2;
      let all: boolean;
      if (count === 'all') all = true;
      else if (count === '1' || count === 'any') all = false;
      else return fail(`'${t.text} of' (only '1 of' and 'all of' exist)`);
      const target = peek();
      if (target?.type === 'them') {
        pos++;
        return { kind: 'quant', all, pattern: null };
      }
      if (target?.type !== 'word') return fail("expected a selection name or 'them' after 'of'");
      pos++;
      return { kind: 'quant', all, pattern: target.text };
    }
    if (t.type === 'word') {
      pos++;
      return { kind: 'ref', name: t.text };
    }
    return fail('expected a selection');
  }

  const expr = orExpr(0);
  if (pos < tokens.length) fail('unexpected token');
  return expr;
}

function globMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (name) => re.test(name);
}

/** The condition with every selection name replaced by its node (built once per name by `selection`). */
export function resolveCondition(expr: Expr, names: readonly string[], selection: (name: string) => Node): Node {
  switch (expr.kind) {
    case 'and':
      return and(expr.items.map((e) => resolveCondition(e, names, selection)));
    case 'or':
      return or(expr.items.map((e) => resolveCondition(e, names, selection)));
    case 'not':
      return { kind: 'not', item: resolveCondition(expr.item, names, selection) };
    case 'ref':
      if (!names.includes(expr.name)) throw new SigmaRefusal(`condition names '${expr.name}', which is not a selection of this rule`, { field: 'condition' });
      return selection(expr.name);
    case 'quant': {
      // `them` leaves out names starting with "_" (Sigma's convention for helper selections).
      const matches = expr.pattern === null ? names.filter((n) => !n.startsWith('_')) : names.filter(globMatcher(expr.pattern));
      if (matches.length === 0) throw new SigmaRefusal(`condition: '${expr.pattern ?? 'them'}' matches no selection`, { field: 'condition' });
      const nodes = matches.map(selection);
      return expr.all ? and(nodes) : or(nodes);
    }
  }
}
