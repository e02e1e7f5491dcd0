// Field access for compiled rules: a field name becomes a getter once, at
// compile time, and event values are read as text or numbers by the few helpers below, so
// equality, operators, group_by and aggregation_field all agree on what a value "is".
import { NORMALIZED_PREFIX, RAW_PREFIX, parsedFieldKey, ruleFieldKind, type RuleEventField } from '@siem/contracts';
import type { EngineEvent } from '../correlation/event.ts';

export type FieldGetter = (e: EngineEvent) => unknown;

// One closure per field keeps each property read monomorphic (a keyed `e[name]` read in a
// shared closure would see every field name and go megamorphic).
const TOP_LEVEL: Readonly<Record<RuleEventField, FieldGetter>> = {
  id: (e) => e.id,
  timestamp: (e) => new Date(e.timeMs).toISOString(),
  source_type: (e) => e.source_type,
  severity: (e) => e.severity,
  event_type: (e) => e.event_type,
  source_ip: (e) => e.source_ip,
  dest_ip: (e) => e.dest_ip,
  source_port: (e) => e.source_port,
  dest_port: (e) => e.dest_port,
  hostname: (e) => e.hostname,
  username: (e) => e.username,
  message: (e) => e.message,
  mitre_tactic: (e) => e.mitre_tactic,
  mitre_technique: (e) => e.mitre_technique,
  scenario_run_id: (e) => e.scenario_run_id,
};


/** The getter for a field name, or null when the name is not a rule field. */
export function fieldGetter(name: string): FieldGetter | null {
  switch (ruleFieldKind(name)) {
    case 'column':
      return TOP_LEVEL[name as RuleEventField];
    case 'field':
      return parsedFieldGetter(parsedFieldKey(name)!);
    case 'raw':
      return rawGetter(name.slice(RAW_PREFIX.length).split('.'));
    case 'normalized':
      return normalizedGetter(name.slice(NORMALIZED_PREFIX.length));
    default:
      return null;
  }
}

function normalizedGetter(key: string): FieldGetter {
  // `normalized.constructor` must not read Object.prototype: only own keys count for those.
  if (key in Object.prototype) {
    return (e) => {
      const n = e.normalized;
      return n !== null && Object.hasOwn(n, key) ? n[key] : undefined;
    };
  }
  return (e) => {
    const n = e.normalized;
    return n === null ? undefined : n[key];
  };
}

/** A parsed field by its dotted name (the whole name is one key: `dns.question.name`); own keys only. */
function parsedFieldGetter(key: string): FieldGetter {
  return (e) => {
    const f = e.fields;
    return f !== null && Object.hasOwn(f, key) ? f[key] : undefined;
  };
}

/**
 * A value in the record as it arrived. Documents nest (`winlog: { event_data: {...} }`) or
 * carry dotted keys (`"winlog.event_data.User"`), or mix both, so at each level the rest of
 * the path is first tried as one key, then the next segment is descended into. Own keys only.
 */
function rawGetter(segments: readonly string[]): FieldGetter {
  const rests = segments.map((_, i) => segments.slice(i).join('.'));
  const read = (node: unknown, i: number): unknown => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const obj = node as Record<string, unknown>;
    if (Object.hasOwn(obj, rests[i]!)) return obj[rests[i]!];
    if (i === segments.length - 1 || !Object.hasOwn(obj, segments[i]!)) return undefined;
    return read(obj[segments[i]!], i + 1);
  };
  return (e) => (e.raw === null ? undefined : read(e.raw, 0));
}

/**
 * The text form of a scalar: strings as they are, finite numbers in decimal (so port 22
 * reads "22"), booleans as "true"/"false". Objects, arrays, null and absent are null:
 * they have no text to compare, group by or count.
 */
export function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** A group or aggregation key: the text form, with "" treated as missing. */
export function keyOf(v: unknown): string | null {
  const text = textOf(v);
  return text === null || text.length === 0 ? null : text;
}

/** Numbers, and numeric text ("1500" from a shipper that quotes everything); else NaN. */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return Number.NaN;
  const text = v.trim();
  return text.length === 0 ? Number.NaN : Number(text);
}

/** Present and non-empty: not null/absent and not "" (objects and arrays are present). */
export function isPresent(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '';
}
