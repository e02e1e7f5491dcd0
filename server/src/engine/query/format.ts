// The canonical text of a parsed query: explicit AND / OR / NOT, parentheses only where
// precedence needs them, values quoted or escaped so that parsing the text again gives
// the same tree. Shown to the analyst and used to name a rule made from a search.
import type { PatternPart, QueryNode, QueryValue, RangeBound } from './ast.ts';

const SPECIAL = /[\s()[\]{}":<>\\*?]/;
const KEYWORD = /^(?:and|or|not|to)$/i;

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function patternText(parts: PatternPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p.replace(/[\s()[\]{}":<>\\*?]/g, (c) => `\\${c}`) : p.wild)).join('');
}

const fieldName = (name: string) => name.replace(/[\s()[\]{}":<>\\*?]/g, (c) => `\\${c}`);

export function valueText(v: QueryValue): string {
  if (v.pattern) return patternText(v.pattern);
  const needsQuote = v.text === '' || SPECIAL.test(v.text) || KEYWORD.test(v.text) || /^[-!]/.test(v.text);
  return needsQuote ? quote(v.text) : v.text;
}

function boundText(b: RangeBound | null): string {
  return b ? valueText(b.value) : '*';
}

function rank(node: QueryNode): number {
  return node.kind === 'or' ? 0 : node.kind === 'and' ? 1 : 2;
}

function wrap(node: QueryNode, min: number): string {
  const text = formatQuery(node);
  return rank(node) < min ? `(${text})` : text;
}

export function formatQuery(node: QueryNode | null): string {
  if (!node) return '';
  switch (node.kind) {
    case 'or':
      return node.children.map((c) => wrap(c, 1)).join(' OR ');
    case 'and':
      return node.children.map((c) => wrap(c, 2)).join(' AND ');
    case 'not':
      return `NOT ${wrap(node.child, 2)}`;
    case 'text':
      return valueText(node.value);
    case 'match':
      return `${fieldName(node.field.name)}:${valueText(node.value)}`;
    case 'cidr':
      return `${fieldName(node.field.name)}:${quote(node.network)}`;
    case 'exists':
      return `${fieldName(node.field.name)}:*`;
    case 'range': {
      const { lower, upper } = node;
      if (lower && !upper) return `${fieldName(node.field.name)}${lower.inclusive ? '>=' : '>'}${boundText(lower)}`;
      if (upper && !lower) return `${fieldName(node.field.name)}${upper.inclusive ? '<=' : '<'}${boundText(upper)}`;
      return `${fieldName(node.field.name)}:${lower?.inclusive === false ? '{' : '['}${boundText(lower)} TO ${boundText(upper)}${upper?.inclusive === false ? '}' : ']'}`;
    }
  }
}
