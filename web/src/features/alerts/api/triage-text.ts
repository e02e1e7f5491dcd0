// Turns a rule's guidance text into blocks to render as text (never as HTML): explicit
// lines and "-", "*", "•" bullets are kept; one run-on paragraph of several sentences (the
// shipped rules' "Check first:" part) becomes one bullet per sentence. Also builds the log
// view's URLs, whose parameters the logs page reads (range=custom with since/until).

export type GuidanceBlock = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

const BULLET = /^\s*(?:[-*•]|\d{1,2}[.)])\s+/;
// A sentence ends at ". ", "! " or "? " followed by a capital letter (not "e.g. the").
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z"'(])/;

/** Bounded: at most 40 blocks of at most 40 items; longer text is cut, never dropped silently. */
export function guidanceBlocks(text: string, opts: { sentencesAsList?: boolean } = {}): GuidanceBlock[] {
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
    const sentences = line.split(SENTENCE_END).filter((s) => s !== '');
    if (opts.sentencesAsList && sentences.length > 1) blocks.push({ kind: 'list', items: sentences.slice(0, 40) });
    else blocks.push({ kind: 'paragraph', text: line });
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
