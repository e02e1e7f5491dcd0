// Case-insensitive comparisons for filter operators without copying the event's text.
// ASCII text is compared code by code with A-Z folded; any other text falls back to
// toLowerCase(), so results are exactly those of `text.toLowerCase()` (non-ASCII letters can
// lower-case into ASCII, e.g. the Kelvin sign, or into two code units).
// `lower` is always the operand already lower-cased at compile time.

const A = 65;
const Z = 90;

/** The folded ASCII code of text[i], or -1 when it is not ASCII. */
function foldedAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c > 127) return -1;
  return c >= A && c <= Z ? c | 0x20 : c;
}

/** Compares text[from, from + lower.length) with lower: 1 equal, 0 differs, -1 non-ASCII met. */
function compareAt(text: string, from: number, lower: string): number {
  for (let j = 0; j < lower.length; j++) {
    const c = foldedAt(text, from + j);
    if (c < 0) return -1;
    if (c !== lower.charCodeAt(j)) return 0;
  }
  return 1;
}

export function foldedEquals(text: string, lower: string): boolean {
  if (text.length === lower.length) {
    const r = compareAt(text, 0, lower);
    if (r >= 0) return r === 1;
  } else if (!hasNonAscii(text)) {
    return false; // ASCII lower-casing keeps the length
  }
  return text.toLowerCase() === lower;
}

export function foldedStartsWith(text: string, lower: string): boolean {
  if (text.length >= lower.length) {
    const r = compareAt(text, 0, lower);
    if (r >= 0) return r === 1;
  } else if (!hasNonAscii(text)) {
    return false;
  }
  return text.toLowerCase().startsWith(lower);
}

export function foldedEndsWith(text: string, lower: string): boolean {
  if (text.length >= lower.length) {
    const r = compareAt(text, text.length - lower.length, lower);
    // An ASCII tail lower-cases to itself, whatever precedes it. A mismatch is final only
    // when no character can expand on lower-casing and shift the tail.
    if (r === 1) return true;
    if (r === 0 && !hasNonAscii(text)) return false;
  } else if (!hasNonAscii(text)) {
    return false;
  }
  return text.toLowerCase().endsWith(lower);
}

export function foldedIncludes(text: string, lower: string): boolean {
  const last = text.length - lower.length;
  // A window that mismatches on an ASCII character cannot match whatever else it holds;
  // only a window that reaches a non-ASCII character needs the exact fallback.
  for (let i = 0; i <= last; i++) {
    const r = compareAt(text, i, lower);
    if (r === 1) return true;
    if (r < 0) return text.toLowerCase().includes(lower);
  }
  return hasNonAscii(text) ? text.toLowerCase().includes(lower) : false;
}

/** Whether lower-casing can change text: it holds A-Z or any non-ASCII character. */
export function mayFold(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || (c >= A && c <= Z)) return true;
  }
  return false;
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return true;
  return false;
}
