// The typed side of field terms: what a value means for the field it is given to (ports
// are whole numbers, times are instants, severities are known and ranked, networks are
// CIDR), checked while parsing so every refusal points at the value.
import { SEVERITIES, isCidrText } from '@siem/contracts';
import { QueryError, type FieldRef, type QueryNode, type QueryValue, type RangeBound, type Span } from './ast.ts';

const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
const INTEGER = /^-?\d{1,15}$/;
const NUMBER = /^-?\d{1,30}(?:\.\d{1,30})?$/;

/** A timestamp bound as the store reads it, or null: ISO 8601 (designator-less is UTC) or a date. */
export function instantOf(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const ms = Date.parse(withZone);
  if (!Number.isFinite(ms)) return null;
  // The store's timestamps hold years 1 to 9999 (JavaScript also prints year 0 and +275760).
  const iso = new Date(ms).toISOString();
  return iso.startsWith('+') || iso.startsWith('-') || iso.startsWith('0000') ? null : iso;
}

export const isNumberText = (text: string) => NUMBER.test(text);

/** The severities a range holds, by rank (info lowest, critical highest). */
export function severitiesInRange(lower: RangeBound | null, upper: RangeBound | null): string[] {
  // SEVERITIES runs from the highest rank down.
  const rank = (s: string) => SEVERITIES.length - 1 - SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  return SEVERITIES.filter((s) => {
    const r = rank(s);
    if (lower && (lower.inclusive ? r < rank(lower.value.text) : r <= rank(lower.value.text))) return false;
    if (upper && (upper.inclusive ? r > rank(upper.value.text) : r >= rank(upper.value.text))) return false;
    return true;
  });
}

/** `field:value` as a node: a network becomes a CIDR test; ports, times and severities are checked. */
export function matchNode(field: FieldRef, value: QueryValue, at: Span): QueryNode {
  const where = `'${field.name}' at position ${value.pos}`;
  if (!value.pattern && value.text.includes('/') && isCidrText(value.text)) {
    if (field.type === 'int' || field.type === 'time' || field.type === 'severity') throw new QueryError(`${where} does not hold addresses: a network cannot match it`, value.pos, value.len);
    return { kind: 'cidr', field, network: value.text, ...at };
  }
  if (field.type === 'time') {
    throw new QueryError(`${where}: compare times with a range (timestamp>=2026-01-01T00:00:00Z or timestamp:[a TO b])`, value.pos, value.len);
  }
  if (field.type === 'int' && !value.pattern && !INTEGER.test(value.text)) {
    throw new QueryError(`${where} takes a whole number, not '${value.text}'`, value.pos, value.len);
  }
  if (field.type === 'severity' && !value.pattern) value.text = severityOf(value, field);
  return { kind: 'match', field, value, ...at };
}

export function severityOf(value: QueryValue, field: FieldRef): string {
  const lower = value.text.toLowerCase();
  if (!SEVERITY_SET.has(lower)) throw new QueryError(`'${field.name}' is one of ${SEVERITIES.join(', ')}, not '${value.text}' (position ${value.pos})`, value.pos, value.len);
  return lower;
}

/** A range or comparison bound, checked (and normalized: instants, severities) for its field. */
export function checkBound(field: FieldRef, value: QueryValue): QueryValue {
  const where = `'${field.name}' at position ${value.pos}`;
  if (field.type === 'time') {
    const iso = instantOf(value.text);
    if (!iso) throw new QueryError(`${where}: '${value.text}' is not a date or ISO 8601 time (2026-01-31, 2026-01-31T10:00:00Z)`, value.pos, value.len);
    value.text = iso;
  } else if (field.type === 'int' && !INTEGER.test(value.text)) {
    throw new QueryError(`${where} takes a whole number, not '${value.text}'`, value.pos, value.len);
  } else if (field.type === 'severity') {
    value.text = severityOf(value, field);
  } else if (field.type === 'ip') {
    throw new QueryError(`${where}: addresses are matched with a network (10.0.0.0/8), not a range`, value.pos, value.len);
  }
  return value;
}

