// Hand-written scanners shared by the message parsers: key=value lists (bare, "double" or
// 'single' quoted values), bounded by a pair count, linear in the input, no regex.

export interface KeyValueOptions {
  /** Stop after this many tokens, pairs and flags together (the field bound). */
  maxPairs: number;
  /** Accept 'single quoted' values as well as "double quoted" ones (auditd's msg='...'). */
  singleQuotes?: boolean;
  /** Keys whose value runs to the end of the text (PAM's trailing user=, sudo's COMMAND=). */
  restKeys?: ReadonlySet<string>;
}

/**
 * Calls onPair(key, value) for each `key=value` in text[from, to); a token without `=`
 * calls onFlag(token) (netfilter's DF, SYN). `quoted` tells a quoted value from a bare one.
 * Returns the number of pairs read.
 */
export function scanKeyValues(
  text: string,
  from: number,
  to: number,
  options: KeyValueOptions,
  onPair: (key: string, value: string, quoted: boolean) => void,
  onFlag?: (token: string) => void,
): number {
  let i = from;
  let pairs = 0;
  let tokens = 0;
  while (i < to && tokens < options.maxPairs) {
    while (i < to && text.charCodeAt(i) === 32) i++;
    if (i >= to) break;
    const start = i;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === 61 || c === 32) break;
      i++;
    }
    const key = text.slice(start, i);
    if (i >= to || text.charCodeAt(i) === 32) {
      if (key !== '') {
        onFlag?.(key);
        tokens++;
      }
      continue;
    }
    i++; // '='
    if (options.restKeys?.has(key)) {
      onPair(key, text.slice(i, to).trim(), false);
      pairs++;
      tokens++;
      break;
    }
    const q = i < to ? text.charCodeAt(i) : 0;
    let value: string;
    const quoted = q === 34 || (q === 39 && options.singleQuotes === true);
    if (quoted) {
      const end = text.indexOf(q === 34 ? '"' : "'", i + 1);
      const stop = end < 0 || end >= to ? to : end;
      value = text.slice(i + 1, stop);
      i = stop + 1;
    } else {
      const vstart = i;
      while (i < to && text.charCodeAt(i) !== 32) i++;
      value = text.slice(vstart, i);
    }
    if (key !== '') {
      onPair(key, value, quoted);
      pairs++;
      tokens++;
    }
  }
  return pairs;
}

/** Decimal digits text[from, to) as a number, or -1 when any character is not a digit or it is too long. */
export function readUint(text: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** A whole-string decimal port 0..65535, or -1. */
export function readPort(text: string): number {
  if (text.length > 5) return -1;
  const n = readUint(text, 0, text.length);
  return n <= 65535 ? n : -1;
}
