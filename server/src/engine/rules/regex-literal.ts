// A literal every match of a regular expression must contain, read conservatively from the
// pattern: runs of plain characters in the top-level sequence (outside groups, classes and
// alternations), minus a character a quantifier may repeat zero times. The engine indexes a
// regex rule by it like a `contains` (so a regex is only run on texts that contain its
// literal); when in doubt there is no literal, which only costs speed, never a match.

const SPECIAL_ESCAPES = new Set([...'dDsSwWbBAzZpPQEnrtfvxu0123456789']);
const MIN_LITERAL = 3;

/** The longest required literal, lower-cased, or null when none of at least 3 characters is certain. */
export function requiredLiteral(pattern: string): string | null {
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  const cut = () => {
    if (run.length > 0) runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '[') i = skipClass(pattern, i);
      continue;
    }
    switch (c) {
      case '|':
        return null; // top-level alternation: no literal is certain
      case '(':
        cut();
        depth = 1;
        continue;
      case '[':
        cut();
        i = skipClass(pattern, i);
        continue;
      case '*':
      case '?':
      case '{':
        // The previous character may occur zero times (a `{n,m}` is treated the same way).
        run = run.slice(0, -1);
        cut();
        if (c === '{') i = Math.max(i, pattern.indexOf('}', i));
        continue;
      case '+':
        cut(); // the previous character is there at least once; what follows is not adjacent
        continue;
      case '.':
      case '^':
      case '$':
        cut();
        continue;
      case '\\': {
        const next = pattern[i + 1];
        i++;
        if (next === 'Q') {
          // \Q...\E: everything between is literal.
          const end = pattern.indexOf('\\E', i + 1);
          run += pattern.slice(i + 1, end < 0 ? pattern.length : end);
          i = end < 0 ? pattern.length : end + 1;
        } else if (next === undefined || SPECIAL_ESCAPES.has(next)) {
          cut();
          i = skipEscapeArgument(pattern, i);
        } else {
          run += next;
        }
        continue;
      }
      default:
        run += c;
    }
  }
  cut();
  const best = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return best.length >= MIN_LITERAL ? best.toLowerCase() : null;
}

/** The index of the last character of an escape's argument (\\x41, \\x{263a}, \\pL, \\p{Greek}, \\u0041, \\12). */
function skipEscapeArgument(pattern: string, at: number): number {
  const letter = pattern[at];
  const braced = pattern[at + 1] === '{' ? pattern.indexOf('}', at + 1) : -1;
  switch (letter) {
    case 'x':
      return braced >= 0 ? braced : at + 2;
    case 'p':
    case 'P':
      return braced >= 0 ? braced : at + 1;
    case 'u':
      return at + 4;
    default: {
      let i = at;
      while (i + 1 < pattern.length && /[0-9]/.test(pattern[i + 1]!) && /[0-9]/.test(letter ?? '')) i++;
      return i;
    }
  }
}

/** Index just past the class that starts at `start` (`[...]`, with `]` first and escapes literal). */
function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}
