// Items edited as text, one per line: blank lines are skipped, and a problem reported for
// `items.<index>` (by the server's 422 or the same check run here) is shown at its line.
import type { ErrorDetail, ListKind } from '@siem/contracts';
import { normalizeListItems } from '@siem/contracts';

export interface ItemLines {
  items: string[];
  /** 1-based line of each item. */
  lines: number[];
}

export function parseItemLines(text: string): ItemLines {
  const items: string[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    items.push(line);
    lines.push(i + 1);
  });
  return { items, lines };
}

/** One sentence per detail, items named by their line. */
export function lineMessages(details: readonly ErrorDetail[], lines: readonly number[]): string[] {
  return details.map((d) => {
    const match = /^items\.(\d+)$/.exec(d.field);
    const line = match ? lines[Number(match[1])] : undefined;
    return line === undefined ? d.message : `Line ${line}: ${d.message}`;
  });
}

/** The problems the server would report, found before sending. */
export function checkItemLines(kind: ListKind, parsed: ItemLines): string[] {
  const { problems, refused } = normalizeListItems(kind, parsed.items);
  const messages = lineMessages(problems, parsed.lines);
  if (refused > problems.length) messages.push(`…and ${refused - problems.length} more`);
  return messages;
}
