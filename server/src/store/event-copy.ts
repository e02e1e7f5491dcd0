// Batches of events as `COPY log_events FROM STDIN` text (PostgreSQL's text format): the
// bulk path to a PostgreSQL server, several times cheaper per row than a multi-row INSERT.
// Exact escaping: backslash, tab, newline and carriage return are escaped, null is \N.
import type { NewEvent } from './events-repo.ts';

const COLUMNS = [
  'id', 'ts', 'source_type', 'severity', 'event_type', 'source_ip', 'dest_ip', 'source_port', 'dest_port',
  'hostname', 'username', 'mitre_tactic', 'mitre_technique', 'message', 'raw', 'normalized', 'metadata',
  'fields', 'scenario_run_id', 'created_at', 'updated_at',
] as const;

/** seq and tx_id take their defaults, as with INSERT. */
export const COPY_EVENTS_SQL = `COPY log_events (${COLUMNS.join(', ')}) FROM STDIN`;

/** Chunks handed to the connection: large enough to amortize writes, small enough to stream. */
const CHUNK_CHARS = 256 * 1024;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** String.prototype.isWellFormed (Node 20) is newer than the TypeScript lib in use. */
type WellFormedCheck = string & { isWellFormed(): boolean };

/**
 * One value in COPY text format. A NUL cannot be represented (PostgreSQL refuses it in text
 * and jsonb alike, whichever way it is sent): it is left in, so the batch fails as the
 * INSERT path fails. An unpaired surrogate would be silently replaced when encoded: refused
 * here, as PostgreSQL refuses it in the INSERT path's JSON parameter.
 */
export function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  if (!(value as WellFormedCheck).isWellFormed()) throw new TypeError('A text value holds an unpaired UTF-16 surrogate and cannot be stored');
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

const text = (v: string | null | undefined) => copyValue(v ?? null);
const int = (v: number | null | undefined) => (v === null || v === undefined ? '\\N' : copyValue(String(v)));
const json = (v: unknown) => (v === null || v === undefined ? '\\N' : copyValue(JSON.stringify(v)));

function row(e: NewEvent): string {
  const created = new Date(e.createdAtMs).toISOString();
  return [
    text(e.id), new Date(e.timeMs).toISOString(), text(e.source_type), text(e.severity), text(e.event_type),
    text(e.source_ip), text(e.dest_ip), int(e.source_port), int(e.dest_port), text(e.hostname), text(e.username),
    text(e.mitre_tactic), text(e.mitre_technique), text(e.message), json(e.raw), json(e.normalized), json(e.metadata),
    json(e.fields), text(e.scenario_run_id), created, created,
  ].join('\t');
}

/** The COPY data of a batch, UTF-8 encoded in chunks of whole rows. */
export function eventsCopyData(events: readonly NewEvent[]): Buffer[] {
  const chunks: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const e of events) {
    const line = `${row(e)}\n`;
    parts.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      chunks.push(Buffer.from(parts.join(''), 'utf8'));
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) chunks.push(Buffer.from(parts.join(''), 'utf8'));
  return chunks;
}
