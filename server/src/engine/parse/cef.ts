// ArcSight CEF: "CEF:0|vendor|product|version|signature id|name|severity|ext", header fields
// with \| and \\ escaped, extension key=value pairs whose values may hold spaces (a value
// ends where the next unescaped "key=" starts) with \= \\ \n \r escaped.
import { classifyCef, labelCustomFields, putCefPair, severityToPriority } from './cef-fields.ts';
import { putText } from './fields.ts';
import { epochToMs } from './time-formats.ts';
import type { MessageParse, ParsedFields } from './types.ts';

const HEADER_FIELDS = 7;

/** Index of "CEF:" at the start of the message or after a space (after a syslog header), or -1. */
export function cefStart(message: string): number {
  if (message.startsWith('CEF:')) return 0;
  const at = message.indexOf(' CEF:');
  return at >= 0 && at < 256 ? at + 1 : -1;
}

export function parseCef(message: string, _program: string, maxFields: number): MessageParse | null {
  const start = cefStart(message);
  if (start < 0) return null;
  const header: string[] = [];
  let i = start + 4;
  while (i <= message.length && header.length < HEADER_FIELDS) {
    const bar = nextBar(message, i);
    if (bar < 0) {
      header.push(unescapeHeader(message.slice(i)));
      i = message.length + 1;
      break;
    }
    header.push(unescapeHeader(message.slice(i, bar)));
    i = bar + 1;
  }
  // A record without an extension ("...|name|5") ends its last header field at the end of the text.
  if (header.length < HEADER_FIELDS) return null;
  const [version, vendor, product, deviceVersion, signatureId, name, severity] = header as [string, string, string, string, string, string, string];
  if (version.length > 3) return null;
  const fields: ParsedFields = { 'observer.vendor': vendor, 'observer.product': product };
  putText(fields, 'observer.version', deviceVersion);
  putText(fields, 'rule.id', signatureId);
  putText(fields, 'rule.name', name);
  putText(fields, 'event.severity', severity);
  const priority = severityToPriority(severity);
  if (priority !== null) fields['ids.priority'] = priority;
  fields['cef.version'] = version;
  let timestampMs: number | null = null;
  const labels: Array<[string, string]> = [];
  readExtension(message, i, maxFields, (key, value) => {
    if (key === 'rt' || key === 'end') {
      if (timestampMs === null) timestampMs = cefTime(value);
      fields[`cef.${key}`] = value;
      return;
    }
    if (key.endsWith('Label') && labels.length < 16) labels.push([key.slice(0, -5), value]);
    putCefPair(fields, key, value, 'cef');
  });
  labelCustomFields(fields, 'cef', labels);
  const meaning = classifyCef(`${vendor} ${product}`, fields);
  return { parser: 'cef', source_type: meaning.source_type, event_type: meaning.event_type, fields, timestampMs };
}

/** The next unescaped "|" from `from`, or -1. */
function nextBar(text: string, from: number): number {
  let bar = text.indexOf('|', from);
  while (bar > 0 && isEscaped(text, bar)) bar = text.indexOf('|', bar + 1);
  return bar;
}

/** Whether an odd number of backslashes precede `at`. */
function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === 92; i--) n++;
  return n % 2 === 1;
}

function unescapeHeader(part: string): string {
  if (!part.includes('\\')) return part;
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    const next = part[i + 1];
    if (c === '\\' && (next === '|' || next === '\\')) {
      out += next;
      i++;
    } else out += c;
  }
  return out;
}

/**
 * Extension pairs from `from`: keys are the word before each unescaped "=", values run to
 * the space before the next key. Linear: one pass finding the "=" signs, one slicing values.
 */
function readExtension(text: string, from: number, maxPairs: number, onPair: (key: string, value: string) => void): void {
  let keyStart = from;
  while (keyStart < text.length && text.charCodeAt(keyStart) === 32) keyStart++;
  let pairs = 0;
  while (keyStart < text.length && pairs < maxPairs) {
    const eq = findUnescaped(text, keyStart, 61);
    if (eq < 0) return;
    const key = text.slice(keyStart, eq).trim();
    // The value ends at the last space before the next unescaped '='.
    const nextEq = findUnescaped(text, eq + 1, 61);
    let valueEnd = text.length;
    let nextKey = text.length;
    if (nextEq >= 0) {
      // Backwards from the next '=' but never past this one: lastIndexOf would scan to the
      // start of the text each time and make a run of '=' quadratic.
      let space = nextEq - 1;
      while (space > eq && text.charCodeAt(space) !== 32) space--;
      if (space > eq) {
        valueEnd = space;
        nextKey = space + 1;
      } else {
        // "a=b=c": no space before the next '=', so it was part of this value.
        valueEnd = nextEq;
        nextKey = nextEq;
      }
    }
    if (key !== '' && isKey(key)) {
      onPair(key, unescapeValue(text.slice(eq + 1, valueEnd).trim()));
      pairs++;
    }
    keyStart = nextKey;
    while (keyStart < text.length && text.charCodeAt(keyStart) === 32) keyStart++;
  }
}

function findUnescaped(text: string, from: number, code: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === code) return i;
  }
  return -1;
}

function isKey(key: string): boolean {
  if (key.length > 64) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45 || c === 91 || c === 93;
    if (!ok) return false;
  }
  return true;
}

function unescapeValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\' || i + 1 >= value.length) {
      out += c;
      continue;
    }
    const next = value[++i]!;
    out += next === 'n' ? '\n' : next === 'r' ? '\r' : next === '=' || next === '\\' || next === '|' ? next : `\\${next}`;
  }
  return out;
}

/** rt/end: epoch ms, or "Mar 15 2026 10:00:00" (optionally with ms and a zone we ignore: read as UTC). */
function cefTime(value: string): number | null {
  const n = Number(value);
  if (value !== '' && Number.isFinite(n)) return epochToMs(n);
  const ms = Date.parse(value.length <= 40 ? `${value}${/[zZ]|[+-]\d\d:?\d\d$|UTC|GMT/.test(value) ? '' : ' UTC'}` : '');
  return Number.isFinite(ms) ? ms : null;
}
