// Sigma string values: `*` (any run) and `?` (one character) are wildcards, `\` escapes
// `*`, `?` and itself; any other backslash is literal (Windows paths). A value becomes the
// cheapest operator of ours that means the same: equals, contains, startswith, endswith, or
// wildcard only when a wildcard sits inside the value.

export const ANY = Symbol('any');
export const ONE = Symbol('one');
export type Part = string | typeof ANY | typeof ONE;

export function parseSigmaString(text: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push(literal);
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else literal += c;
    } else if (c === '*') {
      flush();
      parts.push(ANY);
    } else if (c === '?') {
      flush();
      parts.push(ONE);
    } else literal += c;
  }
  flush();
  return parts;
}

export const hasWildcard = (parts: readonly Part[]): boolean => parts.some((p) => typeof p !== 'string');
export const literalOf = (parts: readonly Part[]): string => parts.filter((p): p is string => typeof p === 'string').join('');

/** Our wildcard syntax: `*`, `?`, with `\*` `\?` `\\` for the literal characters. */
export function toWildcardPattern(parts: readonly Part[]): string {
  let out = '';
  for (const p of parts) {
    if (p === ANY) out += '*';
    else if (p === ONE) out += '?';
    else out += p.replace(/[\\*?]/g, (c) => `\\${c}`);
  }
  return out;
}

export type MatchMode = 'equals' | 'contains' | 'startswith' | 'endswith';
/** One operator with its operand, before values of a field are grouped. */
export interface Match {
  op: string;
  operand: string | number | boolean;
}

/** A Sigma string under a match mode -> the fastest equivalent operator. */
export function matchOf(parts: readonly Part[], mode: MatchMode): Match {
  const all: Part[] = [...parts];
  if (mode === 'contains' || mode === 'endswith') all.unshift(ANY);
  if (mode === 'contains' || mode === 'startswith') all.push(ANY);
  let start = 0;
  let end = all.length;
  while (start < end && all[start] === ANY) start++;
  while (end > start && all[end - 1] === ANY) end--;
  const core = all.slice(start, end);
  const lead = start > 0;
  const trail = end < all.length;
  if (core.length === 0) {
    // `*` alone: any value at all (Sigma backends treat it as "the field is set").
    return lead || trail ? { op: 'exists', operand: true } : { op: 'equals', operand: '' };
  }
  if (hasWildcard(core)) return { op: 'wildcard', operand: toWildcardPattern(all) };
  const text = literalOf(core);
  if (lead && trail) return { op: 'contains', operand: text };
  if (lead) return { op: 'endswith', operand: text };
  if (trail) return { op: 'startswith', operand: text };
  return { op: 'equals', operand: text };
}
