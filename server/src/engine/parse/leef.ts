// IBM QRadar LEEF 1.0 ("LEEF:1.0|vendor|product|version|eventID|k=v<TAB>k=v") and 2.0
// ("LEEF:2.0|vendor|product|version|eventID|delimiter|k=v..."), the delimiter a character,
// or its hex ("0x09", "x5E"). Attributes share CEF's key mapping (src, dst, usrName, sev...).
import { classifyCef, putCefPair, severityToPriority } from './cef-fields.ts';
import { putText } from './fields.ts';
import { epochToMs } from './time-formats.ts';
import type { MessageParse, ParsedFields } from './types.ts';

/** Index of "LEEF:" at the start of the message or after a space, or -1. */
export function leefStart(message: string): number {
  if (message.startsWith('LEEF:')) return 0;
  const at = message.indexOf(' LEEF:');
  return at >= 0 && at < 256 ? at + 1 : -1;
}

export function parseLeef(message: string, _program: string, maxFields: number): MessageParse | null {
  const start = leefStart(message);
  if (start < 0) return null;
  const header: string[] = [];
  let at = start + 5;
  while (header.length < 5) {
    const bar = message.indexOf('|', at);
    if (bar < 0 || bar - at > 256) return null;
    header.push(message.slice(at, bar));
    at = bar + 1;
  }
  const [version, vendor, product, deviceVersion, eventId] = header as [string, string, string, string, string];
  let delimiter = '\t';
  if (version.startsWith('2')) {
    const bar = message.indexOf('|', at);
    // LEEF 2.0 names the delimiter in a sixth header field; some senders leave it out.
    if (bar >= 0 && bar - at <= 6 && !message.slice(at, bar).includes('=')) {
      delimiter = readDelimiter(message.slice(at, bar)) ?? '\t';
      at = bar + 1;
    }
  }
  const fields: ParsedFields = { 'observer.vendor': vendor, 'observer.product': product, 'leef.version': version };
  putText(fields, 'observer.version', deviceVersion);
  putText(fields, 'rule.id', eventId);
  let timestampMs: number | null = null;
  let pairs = 0;
  // Some LEEF 1.0 senders separate with spaces or "^" instead of tabs: a tab-free body with
  // " key=" patterns falls back to CEF-like splitting on the delimiter they used.
  const body = message.slice(at);
  const sep = delimiter === '\t' && !body.includes('\t') && body.includes('^') ? '^' : delimiter;
  for (const item of body.split(sep, maxFields)) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 'sev') {
      putText(fields, 'event.severity', value);
      const priority = severityToPriority(value);
      if (priority !== null) fields['ids.priority'] = priority;
    } else if (key === 'devTime') {
      fields['leef.devTime'] = value;
      const n = Number(value);
      timestampMs = value !== '' && Number.isFinite(n) ? epochToMs(n) : null;
      if (timestampMs === null) {
        const ms = Date.parse(value.length <= 40 ? value : '');
        timestampMs = Number.isFinite(ms) ? ms : null;
      }
    } else if (key === 'cat') {
      putText(fields, 'rule.category', value);
    } else putCefPair(fields, key, value, 'leef');
    if (++pairs >= maxFields) break;
  }
  // The event id names the event; a category, when given, the rule's class.
  fields['rule.name'] ??= eventId;
  const meaning = classifyCef(`${vendor} ${product}`, fields);
  return { parser: 'leef', source_type: meaning.source_type, event_type: meaning.event_type, fields, timestampMs };
}

/** "^" -> "^", "0x09" / "x09" -> tab; null when it is not one character. */
function readDelimiter(spec: string): string | null {
  if (spec.length === 1) return spec;
  const hex = spec.startsWith('0x') ? spec.slice(2) : spec.startsWith('x') ? spec.slice(1) : null;
  if (hex === null || hex.length < 1 || hex.length > 4) return null;
  const code = Number.parseInt(hex, 16);
  return Number.isFinite(code) && code > 0 ? String.fromCharCode(code) : null;
}
