// Text as PostgreSQL can keep it: NUL (which it cannot store) and unpaired surrogates (which
// JSON.parse and broken senders let through) become U+FFFD. Everything else stays as it is.

// Node 20 has String.prototype.isWellFormed/toWellFormed; the ES2022 lib does not declare them.
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/** The text with NUL and lone surrogates replaced; the same string when there were none. */
export function storableText(text: string): string {
  let out = text;
  if (!(out as unknown as WellFormed).isWellFormed()) out = (out as unknown as WellFormed).toWellFormed();
  if (out.includes('\u0000')) out = out.replaceAll('\u0000', '\ufffd');
  return out;
}
