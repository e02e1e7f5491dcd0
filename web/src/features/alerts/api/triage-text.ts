// Turns a rule's guidance text into blocks to render as text (never as HTML): explicit
// lines and "-", "*", "•" bullets are kept. The shipped rules' "Check first:" part is one
// paragraph whose first sentence lists what to look at ("A (...), B, and C."): as a
// checklist, that sentence becomes one item per entry and the sentences after it (what to
// do, the usual false positives) follow as paragraphs. Also builds the log view's URLs,
// whose parameters the logs page reads (range=custom with since/until).

export type GuidanceBlock = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

const BULLET = /^\s*(?:[-*•]|\d{1,2}[.)])\s+/;
// A sentence ends at ". ", "! " or "? " followed by a capital letter (not "e.g. the").
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z"'(])/;

/** Bounded: at most 40 blocks of at most 40 items; longer text is cut, never dropped silently. */
/** Splits a sentence at ", ", ", and " and "; " outside parentheses and quotes. */
export function checklistItems(sentence: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < sentence.length; i++) {
    const c = sentence[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '"') quoted = !quoted;
    else if ((c === ',' || c === ';') && depth === 0 && !quoted && sentence[i + 1] === ' ') {
      items.push(sentence.slice(start, i));
      start = i + 2;
    }
  }
  items.push(sentence.slice(start));
  return items
    .map((item) => item.trim().replace(/^(?:and|then)\s+/, '').replace(/\.$/, '').trim())
    .filter((item) => item !== '')
    .map((item) => item.charAt(0).toUpperCase() + item.slice(1));
}

export function guidanceBlocks(text: string, opts: { checklist?: boolean } = {}): GuidanceBlock[] {
  const blocks: GuidanceBlock[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim());
  let list: string[] | null = null;
  for (const line of lines) {
    if (blocks.length >= 40) break;
    if (line === '') {
      list = null;
      continue;
    }
    if (BULLET.test(line)) {
      if (!list) {
        list = [];
        blocks.push({ kind: 'list', items: list });
      }
      if (list.length < 40) list.push(line.replace(BULLET, ''));
      continue;
    }
    list = null;
    if (opts.checklist && blocks.length === 0) {
      const [first = '', ...rest] = line.split(SENTENCE_END);
      blocks.push({ kind: 'list', items: checklistItems(first).slice(0, 40) });
      for (const sentence of rest.slice(0, 38)) blocks.push({ kind: 'paragraph', text: sentence });
    } else blocks.push({ kind: 'paragraph', text: line });
  }
  return blocks;
}

export type LogPivotField = 'hostname' | 'username' | 'source_ip' | 'dest_ip';

/** The logs page over [since, until] (ISO), optionally filtered on one field. */
export function logsHref(window: { since: string; until: string }, filter?: { field: LogPivotField; value: string }): string {
  const p = new URLSearchParams({ range: 'custom', since: window.since, until: window.until });
  if (filter) p.set(filter.field, filter.value);
  return `/logs?${p.toString()}`;
}
