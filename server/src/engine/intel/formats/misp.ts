// MISP feed files: one event as MISP exports it (`{"Event": {"Attribute": [...], "Object":
// [{"Attribute": [...]}]}}`, or a list of them, or `{"response": [...]}`). Attributes with
// `to_ids: false` (context, not detection) and deleted ones are skipped. Composite types
// (`ip-dst|port`, `domain|ip`, `filename|sha256`) give their indicator parts. The event's
// `info` becomes the indicators' source. Problems are located by attribute path.
import type { IndicatorType } from '@siem/contracts';
import { createCollector, type Collector, type FeedLimits, type ParsedFeed } from '../feed.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MISP attribute type -> the type of each `|`-separated part (null: a part we do not match on). */
const MISP_TYPES: Readonly<Record<string, readonly (IndicatorType | null)[]>> = {
  'ip-dst': ['ip'], 'ip-src': ['ip'], 'ip-dst|port': ['ip', null], 'ip-src|port': ['ip', null],
  domain: ['domain'], hostname: ['domain'], 'domain|ip': ['domain', 'ip'], 'hostname|port': ['domain', null],
  url: ['url'], uri: ['url'], link: ['url'],
  md5: ['md5'], sha1: ['sha1'], sha256: ['sha256'],
  'filename|md5': [null, 'md5'], 'filename|sha1': [null, 'sha1'], 'filename|sha256': [null, 'sha256'],
};
/** Most events read from one file (a list export). */
const MAX_EVENTS = 10_000;
const MAX_OBJECTS = 100_000;

function attributes(c: Collector, list: unknown, where: string, source: string | undefined): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    c.problem(where, 'Attribute is not a list');
    return;
  }
  list.forEach((a, i) => {
    const at = `${where}[${i}]`;
    if (c.full()) {
      c.feed.truncated++;
      return;
    }
    if (!isObject(a) || typeof a.type !== 'string' || typeof a.value !== 'string') {
      c.problem(at, 'an attribute needs "type" and "value" strings');
      return;
    }
    if (a.to_ids === false || a.to_ids === 0 || a.to_ids === '0' || a.deleted === true) return;
    const parts = MISP_TYPES[a.type];
    if (!parts) return; // port, email-src, text, comment...: not matched on
    const values = parts.length === 1 ? [a.value] : a.value.split('|');
    if (values.length !== parts.length) {
      c.problem(at, `a ${a.type} value has ${parts.length} parts separated by "|"`);
      return;
    }
    parts.forEach((type, k) => {
      if (type) c.add(at, values[k]!, type, { source });
    });
  });
}

function event(c: Collector, e: unknown, where: string): void {
  if (!isObject(e)) {
    c.problem(where, 'Event is not an object');
    return;
  }
  const source = typeof e.info === 'string' && e.info.trim() !== '' ? e.info : undefined;
  attributes(c, e.Attribute, `${where}.Attribute`, source);
  if (e.Object === undefined) return;
  if (!Array.isArray(e.Object)) {
    c.problem(`${where}.Object`, 'Object is not a list');
    return;
  }
  e.Object.slice(0, MAX_OBJECTS).forEach((o, i) => {
    if (!isObject(o)) c.problem(`${where}.Object[${i}]`, 'not an object');
    else attributes(c, o.Attribute, `${where}.Object[${i}].Attribute`, source);
  });
}

export function parseMisp(text: string, limits: FeedLimits): ParsedFeed {
  const c = createCollector(limits);
  const parsed = c.json(text);
  if (!parsed) return c.feed;
  const { doc } = parsed;
  const list = isObject(doc) && Array.isArray(doc.response) ? doc.response : Array.isArray(doc) ? doc : [doc];
  if (list.length > MAX_EVENTS) c.problem('document', `more than ${MAX_EVENTS} events: the rest is not read`);
  list.slice(0, MAX_EVENTS).forEach((item, i) => {
    const where = list.length === 1 ? 'Event' : `[${i}].Event`;
    if (!isObject(item) || !('Event' in item)) {
      c.problem(list.length === 1 ? 'document' : `[${i}]`, 'a MISP feed file is {"Event": {...}}');
      return;
    }
    event(c, item.Event, where);
  });
  return c.feed;
}
