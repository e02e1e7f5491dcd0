// Safe reads from untrusted JSON documents: own properties only (a "constructor" or
// "__proto__" key is data, never the prototype), dotted paths that match nested objects and
// dotted keys alike, bounded flattening into dotted fields. Nothing here throws.
import { isIp } from '../../normalize/ip.ts';
import { readPort } from '../scan.ts';
import { storableText } from '../storable.ts';
import type { ParsedFields } from '../types.ts';

export type Doc = Record<string, unknown>;

const hasOwn = Object.hasOwn;
/** Deepest nesting flatten descends into; deeper objects are skipped. */
export const MAX_DEPTH = 8;
/** Scalars kept from one array (joined with ","). */
const MAX_ARRAY_ITEMS = 32;
const MAX_PATH_SEGMENTS = 8;

export function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property, or undefined. */
export function own(doc: Doc, key: string): unknown {
  return hasOwn(doc, key) ? doc[key] : undefined;
}

/**
 * The value at a dotted path, found whether the document nests it (`{source: {ip}}`), names
 * it flat (`{"source.ip": ...}`) or mixes both (`{"source": {"geo.name": ...}}`).
 */
export function get(doc: Doc, path: string): unknown {
  if (hasOwn(doc, path)) return doc[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const segments = path.split('.');
  if (segments.length > MAX_PATH_SEGMENTS) return undefined;
  return lookup(doc, segments, 0);
}

function lookup(obj: Doc, segments: string[], from: number): unknown {
  const key = segments[from]!;
  if (hasOwn(obj, key)) {
    const value = obj[key];
    if (from + 1 === segments.length) return value;
    if (isObject(value)) {
      const found = lookup(value, segments, from + 1);
      if (found !== undefined) return found;
    }
  }
  // Keys that join several segments ("geo.name" inside "source") exist only in objects
  // with a dotted key; most have none, so absent paths cost one cached check.
  if (from + 1 === segments.length || !hasDottedKey(obj)) return undefined;
  for (let to = from + 2; to <= segments.length; to++) {
    const joined = segments.slice(from, to).join('.');
    if (!hasOwn(obj, joined)) continue;
    const value = obj[joined];
    if (to === segments.length) return value;
    if (isObject(value)) {
      const found = lookup(value, segments, to);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const DOTTED = new WeakMap<object, boolean>();

function hasDottedKey(obj: Doc): boolean {
  let dotted = DOTTED.get(obj);
  if (dotted === undefined) {
    dotted = false;
    for (const key in obj) {
      if (key.includes('.') && hasOwn(obj, key)) {
        dotted = true;
        break;
      }
    }
    DOTTED.set(obj, dotted);
  }
  return dotted;
}

/** A text value: strings as they are (empty and "-" are absent), finite numbers and booleans as text. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' || value === '-' ? undefined : clean(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** NUL (PostgreSQL cannot store it) and lone surrogates (JSON.parse lets "\ud800" through) become U+FFFD. */
export const clean = storableText;

/** A finite number from a number or a numeric string ("0x1a2b" hex included); undefined otherwise. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value === '' || value.length > 32) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && value.trim() !== '' ? n : undefined;
}

/** A non-negative integer (pids, event ids, byte counts) or undefined. */
export function uint(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Sets a field unless the name is the prototype key or the value is absent. */
export function set(fields: ParsedFields, name: string, value: string | number | undefined): void {
  if (value === undefined || name === '__proto__') return;
  if (typeof value === 'number' && !Number.isFinite(value)) return;
  fields[name] = value;
}

export function setText(fields: ParsedFields, name: string, value: unknown): void {
  set(fields, name, text(value));
}

export function setNum(fields: ParsedFields, name: string, value: unknown): void {
  set(fields, name, num(value));
}

/** `<side>.ip` when the value is an IP, else `<side>.domain` (a host name is kept, never an error). */
export function setAddress(fields: ParsedFields, side: string, value: unknown): void {
  let t = text(value);
  if (t === undefined || t === '?') return;
  if (t.length > 2 && t.charCodeAt(0) === 91 && t.endsWith(']')) t = t.slice(1, -1);
  if (isIp(t)) fields[`${side}.ip`] = t;
  else if (t.length <= 255) fields[`${side}.domain`] = t;
}

/** `<side>.port` for an integer 0..65535 given as a number or text; 0 is absent (Windows writes it for "none"). */
export function setPort(fields: ParsedFields, side: string, value: unknown): void {
  const port = typeof value === 'number' ? (Number.isInteger(value) && value >= 0 && value <= 65535 ? value : -1) : typeof value === 'string' ? readPort(value.trim()) : -1;
  if (port > 0) fields[`${side}.port`] = port;
}

/** Array of scalars -> "a,b,c" (first 32); a scalar as text; undefined for objects. */
export function joined(value: unknown): string | undefined {
  if (!Array.isArray(value)) return text(value);
  const parts: string[] = [];
  for (let i = 0; i < value.length && parts.length < MAX_ARRAY_ITEMS; i++) {
    const t = text(value[i]);
    if (t !== undefined) parts.push(t);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

/**
 * Copies the scalar leaves of `value` into `fields` as `<prefix>.<key>...` until `budget`
 * fields were added; existing fields win (a parser's mapped names come first). Arrays of
 * scalars are joined; arrays of objects are skipped. Returns the number of fields added.
 */
export function flatten(fields: ParsedFields, prefix: string, value: unknown, budget: number, skip?: ReadonlySet<string>): number {
  // `skip` holds document paths of one or two segments ("message", "event.original").
  const state = { left: budget };
  walk(fields, prefix, '', value, 0, state, skip);
  return budget - state.left;
}

/** `name` is the field name, `rel` the path inside the document (what `skip` names). */
function walk(fields: ParsedFields, name: string, rel: string, value: unknown, depth: number, state: { left: number }, skip?: ReadonlySet<string>): void {
  if (state.left <= 0) return;
  if (isObject(value)) {
    if (depth >= MAX_DEPTH) return;
    // Skip sets name paths of at most two segments: deeper, no relative path is built.
    const checkSkip = skip !== undefined && depth < 2;
    for (const key in value) {
      if (!hasOwn(value, key)) continue;
      let childRel = '';
      if (checkSkip) {
        childRel = rel === '' ? key : `${rel}.${key}`;
        if (skip.has(childRel)) continue;
      }
      walk(fields, name === '' ? key : `${name}.${key}`, childRel, value[key], depth + 1, state, skip);
      if (state.left <= 0) return;
    }
    return;
  }
  // Keys are document data too: a NUL or a lone surrogate in a name would make the field
  // set unstorable (PostgreSQL refuses both in jsonb), so names are cleaned like values.
  const fieldName = clean(name);
  if (fieldName === '' || fieldName === '__proto__' || hasOwn(fields, fieldName)) return;
  let out: string | number | undefined;
  if (Array.isArray(value)) {
    if (value.length > 0 && isObject(value[0])) return;
    out = joined(value);
  } else if (typeof value === 'number') out = Number.isFinite(value) ? value : undefined;
  else out = text(value);
  if (out === undefined) return;
  fields[fieldName] = out;
  state.left--;
}

/** The first string of a value that may be a string or an array (ECS event.category). */
export function includes(value: unknown, word: string): boolean {
  if (typeof value === 'string') return value === word;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && i < MAX_ARRAY_ITEMS; i++) if (value[i] === word) return true;
  }
  return false;
}

export function countFields(fields: ParsedFields): number {
  let n = 0;
  for (const key in fields) if (hasOwn(fields, key)) n++;
  return n;
}
