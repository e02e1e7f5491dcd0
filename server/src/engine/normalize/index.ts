// The ingest pipeline's pure half: canonical fields from the parsed body or
// its aliases, address/port/time validation, the source-type projection and severity.
// Every problem is collected before returning, so one 422 lists all of them.
import { INDEXED_TEXT_MAX } from '@siem/contracts';
import type { ErrorDetail, IngestEvent } from '@siem/contracts';
import type { PreparedEvent } from '../event.ts';
import { classifySeverity } from '../severity.ts';
import { isIp } from './ip.ts';
import { getNormalizer, type AliasTable, type CanonicalField } from './normalizers.ts';
import { ACCEPTED_TIME_FORMS, parseEventTime } from './time.ts';

export type { PreparedEvent } from '../event.ts';
export { checkJsonShape, DEFAULT_SHAPE_LIMITS, type ShapeLimits } from './shape.ts';
export { getNormalizer, NORMALIZERS, type Normalizer } from './normalizers.ts';
export { parseEventTime, toIso } from './time.ts';
export { isIp, isIPv4, isIPv6, ipInCidr, parseCidr, parseIp } from './ip.ts';


export type NormalizeResult = { ok: true; event: PreparedEvent } | { ok: false; issues: ErrorDetail[] };

export interface NormalizeInput {
  /** The submitted object, top-level null-valued keys already removed. */
  raw: Record<string, unknown>;
  /** The same object after IngestEventSchema parsing. */
  fields: IngestEvent;
}

// Tried in order when the body has no `timestamp` (Elastic, syslog-ish, generic shippers).
const TIMESTAMP_ALIASES = ['@timestamp', 'time', 'event_time'] as const;
const INVALID_IP = 'value is not a valid IPv4 or IPv6 address';
const hasOwn = Object.hasOwn;

/**
 * Prepares one event for storage. `nowMs` is the receipt time, used when the event
 * carries none (the engine never reads the clock itself).
 *
 * Aliases are best effort: an alias is lifted only when its value is already valid for
 * the field (a non-empty string for text, an address for IPs, an integer 0..65535 or
 * digit string for ports, a parseable time); otherwise it is skipped, never an error.
 * The client did not name the canonical field, so its event is not refused over it.
 */
export function normalizeEvent(input: NormalizeInput, nowMs: number): NormalizeResult {
  const { raw, fields } = input;
  const normalizer = getNormalizer(fields.source_type);
  const aliases = normalizer.fieldAliases;
  const issues: ErrorDetail[] = [];

  const source_ip = pickIp('source_ip', fields.source_ip, raw, aliases, issues);
  const dest_ip = pickIp('dest_ip', fields.dest_ip, raw, aliases, issues);
  const source_port = pickPort('source_port', fields.source_port, raw, aliases, issues);
  const dest_port = pickPort('dest_port', fields.dest_port, raw, aliases, issues);
  const timestampMs = pickTimestamp(fields.timestamp, raw, nowMs, issues);
  if (issues.length > 0) return { ok: false, issues };

  const event_type = fields.event_type ?? null;
  const normalized = normalizer.project(raw);
  return {
    ok: true,
    event: {
      timeMs: timestampMs!,
      source_type: normalizer.sourceType,
      severity: classifySeverity({ event_type, normalized }),
      event_type,
      source_ip,
      dest_ip,
      source_port,
      dest_port,
      hostname: pickText('hostname', fields.hostname, raw, aliases),
      username: pickText('username', fields.username, raw, aliases),
      mitre_tactic: fields.mitre_tactic ?? null,
      mitre_technique: fields.mitre_technique ?? null,
      message: pickText('message', fields.message, raw, aliases),
      raw,
      normalized,
      fields: null,
      // From raw, not the zod output: a record rebuilt by assignment loses a `__proto__` key.
      metadata: isPlainObject(raw.metadata) ? raw.metadata : {},
    },
  };
}

function pickText(
  field: CanonicalField,
  given: string | null | undefined,
  raw: Record<string, unknown>,
  aliases: AliasTable<CanonicalField>,
): string | null {
  if (typeof given === 'string') return given;
  // `message` is not an indexed column; the others take an alias only if it fits the index.
  return firstAlias(raw, aliases[field], field === 'message' ? nonEmptyString : indexableString);
}

/**
 * An empty string counts as "not given": shippers fill absent columns with "", and
 * refusing the whole event over a placeholder helps nobody.
 */
function pickIp(
  field: 'source_ip' | 'dest_ip',
  given: string | null | undefined,
  raw: Record<string, unknown>,
  aliases: AliasTable<CanonicalField>,
  issues: ErrorDetail[],
): string | null {
  if (typeof given === 'string' && given !== '') {
    if (isIp(given)) return given;
    issues.push({ field, message: INVALID_IP, type: 'value_error' });
    return null;
  }
  return firstAlias(raw, aliases[field], ipString);
}

function pickPort(
  field: 'source_port' | 'dest_port',
  given: number | null | undefined,
  raw: Record<string, unknown>,
  aliases: AliasTable<CanonicalField>,
  issues: ErrorDetail[],
): number | null {
  if (typeof given === 'number') {
    // The schema bounds these already; the check keeps callers that skip it honest.
    if (Number.isInteger(given) && given >= 0 && given <= 65535) return given;
    issues.push({ field, message: 'Input should be an integer between 0 and 65535', type: 'value_error' });
    return null;
  }
  return firstAlias(raw, aliases[field], portValue);
}

function pickTimestamp(
  given: string | number | null | undefined,
  raw: Record<string, unknown>,
  nowMs: number,
  issues: ErrorDetail[],
): number | null {
  if (given !== null && given !== undefined) {
    const ms = parseEventTime(given);
    if (ms === null) {
      issues.push({ field: 'timestamp', message: `timestamp is not a valid date-time; accepted: ${ACCEPTED_TIME_FORMS}`, type: 'value_error' });
    }
    return ms;
  }
  for (const alias of TIMESTAMP_ALIASES) {
    if (!hasOwn(raw, alias)) continue;
    const ms = parseEventTime(raw[alias]);
    if (ms !== null) return ms;
  }
  return nowMs;
}

/** The first alias present in raw whose value `read` accepts (non-null), else null. */
function firstAlias<T>(
  raw: Record<string, unknown>,
  names: readonly string[] | undefined,
  read: (value: unknown) => T | null,
): T | null {
  if (!names) return null;
  for (const name of names) {
    if (!hasOwn(raw, name)) continue;
    const value = read(raw[name]);
    if (value !== null) return value;
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function indexableString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value.length <= INDEXED_TEXT_MAX ? value : null;
}

function ipString(value: unknown): string | null {
  return typeof value === 'string' && isIp(value) ? value : null;
}

const PORT_TEXT = /^\s*\d{1,5}\s*$/;

/** A port from an alias: an integer 0..65535 or its decimal text; null otherwise. */
function portValue(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && PORT_TEXT.test(value)) n = Number(value);
  else return null;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}
