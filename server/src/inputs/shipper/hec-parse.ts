// Splunk HEC event bodies: JSON objects one after another (not an array), separated by
// nothing or by whitespace, each `{time, host, source, sourcetype, index, event, fields}`.
// Pure. The first bad event fails the request with HEC's code and its 0-based number, as
// Splunk answers it; nothing of such a request is stored.
import type { IntakeDocument } from '../../services/intake-types.ts';

export interface HecFailure {
  status: number;
  text: string;
  code: number;
  invalidEvent?: number;
}

export type HecParse = { ok: true; docs: IntakeDocument[] } | ({ ok: false } & HecFailure);

/** End (exclusive) of the JSON object starting at `start` (a `{`), or -1 when it never closes. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const optionalText = (v: unknown) => (typeof v === 'string' && v !== '' ? v.slice(0, 512) : typeof v === 'number' ? String(v) : null);

/** HEC `time`: epoch seconds, a number or a numeric string, fractional allowed. */
function timeOf(value: unknown): number | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n < 253_402_300_800 ? Math.round(n * 1000) : null;
}

function toDocument(wrapper: Record<string, unknown>, n: number): IntakeDocument | HecFailure {
  const fail = (code: number, text: string): HecFailure => ({ status: 400, code, text, invalidEvent: n });
  if (!('event' in wrapper)) return fail(12, 'Event field is required');
  const event = wrapper.event;
  if (event === null || event === '' || (typeof event === 'string' && event.trim() === '')) return fail(13, 'Event field cannot be blank');
  const timeMs = timeOf(wrapper.time);
  if (timeMs === null) return fail(6, 'Invalid data format');
  const fields = wrapper.fields;
  if (fields !== undefined && (fields === null || typeof fields !== 'object' || Array.isArray(fields))) return fail(15, 'Error in handling indexed fields');
  let doc: Record<string, unknown>;
  if (typeof event === 'object' && !Array.isArray(event)) doc = { ...(event as Record<string, unknown>) };
  else doc = { message: typeof event === 'string' ? event : JSON.stringify(event) };
  // Indexed fields join the document unless it already says otherwise.
  for (const [key, value] of Object.entries((fields ?? {}) as Record<string, unknown>)) if (!(key in doc)) doc[key] = value;
  const source = optionalText(wrapper.source);
  if (source !== null && !('source' in doc)) doc['log.file.path'] ??= source;
  return {
    doc,
    index: optionalText(wrapper.index),
    sourcetype: optionalText(wrapper.sourcetype),
    host: optionalText(wrapper.host),
    timeMs: timeMs ?? null,
  };
}

export function parseHecEvents(text: string, maxItems: number): HecParse {
  const docs: IntakeDocument[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const n = docs.length;
    if (n >= maxItems) return { ok: false, status: 413, code: 6, text: `Too many events in one request (at most ${maxItems})`, invalidEvent: n };
    const end = text.charCodeAt(i) === 123 ? objectEnd(text, i) : -1;
    if (end < 0) return { ok: false, status: 400, code: 6, text: 'Invalid data format', invalidEvent: n };
    let wrapper: unknown;
    try {
      wrapper = JSON.parse(text.slice(i, end));
    } catch {
      return { ok: false, status: 400, code: 6, text: 'Invalid data format', invalidEvent: n };
    }
    const result = toDocument(wrapper as Record<string, unknown>, n);
    if ('code' in result) return { ok: false, ...result };
    docs.push(result);
    i = end;
  }
  if (docs.length === 0) return { ok: false, status: 400, code: 5, text: 'No data' };
  return { ok: true, docs };
}

/** HEC raw bodies: one event per line, blank lines skipped. */
export function rawLines(text: string, maxItems: number): string[] | null {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() === '') continue;
    if (lines.length >= maxItems) return null;
    lines.push(trimmed);
  }
  return lines;
}
