// A light check of Sigma `re` patterns against what RE2 (our regex engine) cannot run:
// look-around, back-references, atomic groups and possessive quantifiers. The rule check
// compiles the pattern for real afterwards; this only gives the refusal a clear reason.
import { SigmaRefusal } from './types.ts';

export const MAX_REGEX_CHARS = 1000;

const UNSUPPORTED: readonly [RegExp, string][] = [
  [/\(\?<?[=!]/, 'look-around ((?=, (?!, (?<=, (?<!)'],
  [/\(\?>/, 'atomic groups ((?>...))'],
  [/\\k<|\\[1-9]/, 'back-references (\\1, \\k<name>)'],
  [/[*+?}]\+/, 'possessive quantifiers (*+, ++, ?+)'],
];

/** Strips escaped characters and bracket classes so `\(` or `[+]` do not look like syntax. */
function skeleton(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      // Keep back-reference escapes visible; everything else escaped is a plain character.
      out += !inClass && (/[1-9]/.test(next) || next === 'k') ? `\\${next}` : 'x';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        out += 'x';
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    out += c;
  }
  return out;
}

export function checkRegex(pattern: string, field: string): void {
  if (pattern.length > MAX_REGEX_CHARS) {
    throw new SigmaRefusal(`regular expression longer than ${MAX_REGEX_CHARS} characters`, { field, modifier: 're' });
  }
  const shape = skeleton(pattern);
  for (const [re, what] of UNSUPPORTED) {
    if (re.test(shape)) throw new SigmaRefusal(`RE2 does not support ${what}`, { field, modifier: 're' });
  }
}
