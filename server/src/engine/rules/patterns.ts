// Wildcards and regular expressions. Both run on RE2 (the re2js port: automata, linear in
// the text, no backtracking, no look-around or back-references), so no rule, whoever
// wrote it, can make matching one event take more than time proportional to its text.
// Wildcards that are only a literal with `*` at its ends become plain string tests.
import { RE2JS } from 're2js';
import { RuleCompileError } from './errors.ts';

type Path = readonly (string | number)[];

/** A test on an event's text form. */
export type TextTest = (text: string) => boolean;

/** How a wildcard reduces: a literal and where it must sit, or a real pattern. */
export type WildcardShape =
  | { kind: 'equals' | 'contains' | 'startswith' | 'endswith'; literal: string }
  | { kind: 'any' }
  | { kind: 'pattern'; regex: string };

/** Reads `*`, `?` and the escapes `\*`, `\?`, `\\` (any other backslash is literal, as in Windows paths). */
export function wildcardShape(pattern: string): WildcardShape {
  const parts: Array<{ literal: string } | '*' | '?'> = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length && '*?\\'.includes(pattern[i + 1]!)) {
      literal += pattern[++i];
    } else if (c === '*' || c === '?') {
      if (literal.length > 0) parts.push({ literal });
      literal = '';
      // Runs of `*` are one `*`.
      if (!(c === '*' && parts.at(-1) === '*')) parts.push(c);
    } else {
      literal += c;
    }
  }
  if (literal.length > 0) parts.push({ literal });
  if (parts.length === 0) return { kind: 'equals', literal: '' };
  if (!parts.includes('?')) {
    const literals = parts.filter((p): p is { literal: string } => typeof p === 'object');
    if (literals.length === 0) return { kind: 'any' };
    if (literals.length === 1) {
      const lead = parts[0] === '*';
      const tail = parts.at(-1) === '*';
      const text = literals[0]!.literal;
      if (lead && tail) return { kind: 'contains', literal: text };
      if (lead) return { kind: 'endswith', literal: text };
      if (tail) return { kind: 'startswith', literal: text };
      return { kind: 'equals', literal: text };
    }
  }
  const body = parts.map((p) => (p === '*' ? '.*' : p === '?' ? '.' : RE2JS.quote(p.literal))).join('');
  return { kind: 'pattern', regex: `^(?:${body})$` };
}

/**
 * Compiles a regular expression (found anywhere in the text unless anchored), with `.`
 * matching line ends in wildcards only. A pattern RE2 refuses is a located compile error.
 */
export function regexTest(pattern: string, cased: boolean, path: Path, dotAll = false): TextTest {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, (cased ? 0 : RE2JS.CASE_INSENSITIVE) | (dotAll ? RE2JS.DOTALL : 0));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new RuleCompileError(path, `Not a supported regular expression (RE2 syntax: no look-around or back-references): ${reason}`);
  }
  return (text) => re.test(text);
}
