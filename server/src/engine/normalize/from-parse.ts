// A parsed record (syslog line, raw text, shipper document) to a prepared event: the parse
// result's columns, the source type's projection, severity and every parsed field. Unlike the
// JSON ingest body, nothing here can refuse the event: a value that does not fit its column
// (a host name where an address goes, a port out of range, an over-long user name) is kept
// in `fields` and the column left empty.
import { INDEXED_TEXT_MAX } from '@siem/contracts';
import { EVENT_COUNT_FIELD, MAX_EVENT_COUNT, type EventFields, type PreparedEvent } from '../event.ts';
import { toIngestFields } from '../parse/columns.ts';
import type { ParseResult } from '../parse/types.ts';
import { classifySeverity } from '../severity.ts';
import { isIp } from './ip.ts';
import { getNormalizer } from './normalizers.ts';

/** Bound on the syslog structured-data parameters copied into `fields`. */
const MAX_SD_FIELDS = 64;

export interface FromParseInput {
  result: ParseResult;
  /** What arrived, exactly: `{ message: line }` for text, the document for JSON. */
  raw: Record<string, unknown>;
  /** Receipt time: the event time when the record carries none. */
  nowMs: number;
  /** A source_type the sender named (HEC sourcetype, a raw-text hint) for records no parser typed. */
  sourceTypeHint?: PreparedEvent['source_type'] | null;
}

export function prepareParsed(input: FromParseInput): PreparedEvent {
  const { result, raw, nowMs } = input;
  const flat = toIngestFields(result);
  const fields: EventFields = { ...result.fields };
  let sourceType = result.source_type;
  if (sourceType === 'generic' && input.sourceTypeHint) sourceType = input.sourceTypeHint;
  flat.source_type = sourceType;

  const source_ip = address(flat.source_ip, fields, 'source');
  const dest_ip = address(flat.dest_ip, fields, 'destination');
  const event_type = indexed(flat.event_type, fields, null);
  const normalized = getNormalizer(sourceType).project(flat);
  if (result.count > 1) fields[EVENT_COUNT_FIELD] = Math.min(result.count, MAX_EVENT_COUNT);
  syslogFields(result, fields);
  const timeMs = result.timestampMs !== null && Number.isFinite(result.timestampMs) ? result.timestampMs : nowMs;

  return {
    timeMs,
    source_type: sourceType,
    severity: classifySeverity({ event_type, normalized }),
    event_type,
    source_ip,
    dest_ip,
    source_port: port(flat.source_port),
    dest_port: port(flat.dest_port),
    hostname: indexed(flat.hostname, fields, 'host.name'),
    username: indexed(flat.username, fields, 'user.name'),
    mitre_tactic: null,
    mitre_technique: null,
    message: result.message === '' ? null : result.message,
    raw,
    normalized,
    fields: Object.keys(fields).length === 0 ? null : fields,
    metadata: {},
  };
}

/** An address column: an IP, or null with the text kept as `<side>.domain`. */
function address(value: string | number | undefined, fields: EventFields, side: 'source' | 'destination'): string | null {
  if (value === undefined) return null;
  const text = String(value);
  if (isIp(text)) return text;
  if (text !== '' && fields[`${side}.domain`] === undefined) fields[`${side}.domain`] = text;
  return null;
}

function port(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}

/** An indexed text column: values longer than the index allows stay in `fields` only. */
function indexed(value: string | number | undefined, fields: EventFields, keep: string | null): string | null {
  if (value === undefined) return null;
  const text = String(value);
  if (text === '') return null;
  if (text.length <= INDEXED_TEXT_MAX) return text;
  if (keep !== null && fields[keep] === undefined) fields[keep] = text;
  return null;
}

/** The syslog header's facts a rule or a search may want (facility, severity, app name, structured data). */
function syslogFields(result: ParseResult, fields: EventFields): void {
  if (result.facility !== null) fields['log.syslog.facility.code'] = result.facility;
  if (result.syslogSeverity !== null) fields['log.syslog.severity.code'] = result.syslogSeverity;
  if (result.program !== null) fields['log.syslog.appname'] = result.program;
  if (result.pid !== null && fields['process.pid'] === undefined) fields['process.pid'] = result.pid;
  if (result.msgid !== null) fields['log.syslog.msgid'] = result.msgid;
  if (result.structuredData === null) return;
  let n = 0;
  for (const [id, params] of Object.entries(result.structuredData)) {
    for (const [name, value] of Object.entries(params)) {
      if (n++ >= MAX_SD_FIELDS) return;
      fields[`log.syslog.structured_data.${id}.${name}`] = value;
    }
  }
}
