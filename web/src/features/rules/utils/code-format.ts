// The rule body as JSON or YAML text and back. Parse errors come back as one sentence
// with the line (and column) they are on, for the editor to show inline.
import { parseDocument, stringify } from 'yaml';

export type CodeFormat = 'json' | 'yaml';

/** Longer text is refused before parsing: a pasted log file is not a rule. */
export const MAX_CODE_CHARS = 1_000_000;

export function formatBody(body: Record<string, unknown>, format: CodeFormat): string {
  // lineWidth 0: long patterns stay on one line instead of being folded.
  return format === 'json' ? JSON.stringify(body, null, 2) : stringify(body, { lineWidth: 0 });
}

export type ParseResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

function jsonLine(text: string, message: string): string {
  const pos = /position (\d+)/.exec(message)?.[1];
  if (pos === undefined) return message;
  const before = text.slice(0, Number(pos));
  const line = before.split('\n').length;
  const column = Number(pos) - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`;
}

export function parseBody(text: string, format: CodeFormat): ParseResult {
  if (text.length > MAX_CODE_CHARS) return { ok: false, error: `The text is longer than ${MAX_CODE_CHARS.toLocaleString('en-US')} characters` };
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { ok: false, error: `Not valid JSON: ${jsonLine(text, (e as Error).message)}` };
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const at = first.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}: ` : '';
      return { ok: false, error: `Not valid YAML: ${where}${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
    }
    value = doc.toJS({ maxAliasCount: 100 });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `The ${format === 'json' ? 'JSON' : 'YAML'} must be an object (a mapping of the rule's fields)` };
  return { ok: true, body: value as Record<string, unknown> };
}
