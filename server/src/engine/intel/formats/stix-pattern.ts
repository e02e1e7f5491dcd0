// The part of the STIX 2.1 patterning language indicator feeds use: observation expressions
// of `object:path = 'value'` comparisons joined by OR. A hand-written tokenizer (linear, no
// regular expression over the input) reads the pattern; anything richer (AND, FOLLOWEDBY,
// other operators, qualifiers) is reported as unsupported rather than guessed at.
import type { IndicatorType } from '@siem/contracts';

export const MAX_PATTERN_LENGTH = 16_384;
const MAX_COMPARISONS = 1_000;

export interface PatternValue {
  type: IndicatorType | undefined;
  value: string;
}

export type PatternResult = { ok: true; values: PatternValue[] } | { ok: false; message: string };

type Token = { kind: 'punct' | 'word' | 'string'; text: string };

function tokenize(p: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  const readString = (): string | null => {
    // at an opening quote
    let out = '';
    i++;
    while (i < p.length) {
      const ch = p[i]!;
      if (ch === '\\' && i + 1 < p.length) {
        out += p[i + 1];
        i += 2;
        continue;
      }
      if (ch === "'") {
        i++;
        return out;
      }
      out += ch;
      i++;
    }
    return null;
  };
  while (i < p.length) {
    const ch = p[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '[' || ch === ']' || ch === '(' || ch === ')') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else if (ch === '=' || ch === '!' || ch === '<' || ch === '>') {
      let op = ch;
      i++;
      if (p[i] === '=') {
        op += '=';
        i++;
      }
      tokens.push({ kind: 'punct', text: op });
    } else if (ch === "'") {
      const s = readString();
      if (s === null) return 'a quoted string is not closed';
      tokens.push({ kind: 'string', text: s });
    } else if (/[A-Za-z0-9_\-:.]/.test(ch)) {
      let word = '';
      while (i < p.length) {
        const c = p[i]!;
        if (/[A-Za-z0-9_\-:.]/.test(c)) {
          word += c;
          i++;
        } else if (c === "'" && word.endsWith('.')) {
          // a quoted path segment: file:hashes.'SHA-256'
          const s = readString();
          if (s === null) return 'a quoted path segment is not closed';
          word += `'${s}'`;
        } else break;
      }
      // t'...' / h'...' / b'...' literals: the letter then a string
      if ((word === 't' || word === 'h' || word === 'b') && p[i] === "'") {
        const s = readString();
        if (s === null) return 'a quoted string is not closed';
        tokens.push({ kind: 'string', text: s });
      } else tokens.push({ kind: 'word', text: word });
    } else {
      return `unexpected character '${ch}' at ${i}`;
    }
    if (tokens.length > MAX_COMPARISONS * 4) return `more than ${MAX_COMPARISONS} comparisons`;
  }
  return tokens;
}

const HASHES: Readonly<Record<string, IndicatorType>> = {
  md5: 'md5', 'sha-1': 'sha1', sha1: 'sha1', 'sha-256': 'sha256', sha256: 'sha256',
};

/** Our type for an object path, undefined to infer, or null when the path is not one we match on. */
export function typeOfPath(path: string): IndicatorType | undefined | null {
  const p = path.toLowerCase();
  switch (p) {
    case 'ipv4-addr:value':
    case 'ipv6-addr:value':
      return 'ip';
    case 'domain-name:value':
      return 'domain';
    case 'url:value':
      return 'url';
    case 'network-traffic:dst_ref.value':
    case 'network-traffic:src_ref.value':
      return undefined;
  }
  const m = /^file:hashes\.'?([a-z0-9-]+)'?$/.exec(p);
  if (m) return HASHES[m[1]!] ?? null;
  return null;
}

/** The indicators a pattern names: every `path = 'value'` of an OR-only pattern. */
export function parseStixPattern(pattern: string): PatternResult {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  const tokens = tokenize(pattern);
  if (typeof tokens === 'string') return { ok: false, message: `pattern: ${tokens}` };
  const values: PatternValue[] = [];
  let depth = 0;
  let expectComparison = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '[' || t.text === '(')) {
      depth++;
      continue;
    }
    if (t.kind === 'punct' && (t.text === ']' || t.text === ')')) {
      if (--depth < 0) return { ok: false, message: 'pattern: unbalanced brackets' };
      continue;
    }
    if (t.kind === 'word' && !expectComparison) {
      const word = t.text.toUpperCase();
      if (word === 'OR') {
        expectComparison = true;
        continue;
      }
      return { ok: false, message: `pattern: '${t.text.slice(0, 20)}' is not supported (only comparisons joined by OR)` };
    }
    if (t.kind === 'word' && expectComparison) {
      const op = tokens[i + 1];
      const value = tokens[i + 2];
      if (!op || op.kind === 'word' || op.text !== '=') {
        return { ok: false, message: `pattern: only '=' comparisons are supported (at '${t.text.slice(0, 40)}')` };
      }
      if (!value || value.kind !== 'string') return { ok: false, message: `pattern: '${t.text.slice(0, 40)} =' is not followed by a quoted value` };
      const type = typeOfPath(t.text);
      if (type === null) return { ok: false, message: `pattern: '${t.text.slice(0, 60)}' is not an object path indicators are matched on` };
      values.push({ type, value: value.text });
      i += 2;
      expectComparison = false;
      continue;
    }
    return { ok: false, message: 'pattern: a comparison was expected' };
  }
  if (depth !== 0) return { ok: false, message: 'pattern: unbalanced brackets' };
  if (values.length === 0) return { ok: false, message: 'pattern: no comparison' };
  return { ok: true, values };
}
