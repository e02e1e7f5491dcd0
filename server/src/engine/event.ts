// The event model: one shape for an event from the moment it is prepared until correlation
// reads it. Ingest (HTTP, syslog, shippers), the playbook loader and the store build an
// EventRecord; the bus carries its core (EventCore, what rules read); the store's
// correlation reads return EventCore too. Time is epoch milliseconds all the way: it is
// turned into ISO text only where an API answer or a column needs text.
import type { Severity, SourceType } from '@siem/contracts';

/** Extracted values under ECS-style dotted names (source.ip, user.name, dns.question.name...). */
export type EventFields = Record<string, unknown>;

/** What correlation reads of an event: every column a rule may name, `normalized` and `fields`. */
export interface EventCore {
  id: string;
  /** Event time, epoch ms. */
  timeMs: number;
  source_type: SourceType;
  severity: Severity;
  event_type: string | null;
  source_ip: string | null;
  dest_ip: string | null;
  source_port: number | null;
  dest_port: number | null;
  hostname: string | null;
  username: string | null;
  /** The event's one-line text (a text line's message; a document's message field). */
  message: string | null;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  scenario_run_id: string | null;
  normalized: Record<string, unknown> | null;
  /** Every parsed field (parsers' output, ECS dotted names); null for events that have none. */
  fields: EventFields | null;
  /** What arrived, when the reader asked for it (rules on `raw.*` paths); absent otherwise. */
  raw?: Record<string, unknown> | null;
}

/** An event as stored: its core plus what only storage and display read. */
export interface EventRecord extends EventCore {
  /** What arrived, exactly (for a text line: `{ "message": line }`). */
  raw: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** Always a projection object once stored (its keys null when absent). */
  normalized: Record<string, unknown>;
  /** Storage time (receipt), epoch ms. */
  createdAtMs: number;
}

/** An event the engine prepared, before the service gives it an id and a receipt time. */
export type PreparedEvent = Omit<EventRecord, 'id' | 'scenario_run_id' | 'createdAtMs'>;

/** The field that says how many occurrences one event stands for ("message repeated 5 times"). */
export const EVENT_COUNT_FIELD = 'event.count';
/** Bound on one event's weight: a forged "repeated 10^9 times" counts as this many at most. */
export const MAX_EVENT_COUNT = 1_000_000;

/** How many occurrences an event stands for: `fields["event.count"]` when it is a count, else 1. */
export function eventCount(e: Pick<EventCore, 'fields'>): number {
  const n = e.fields?.[EVENT_COUNT_FIELD];
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? Math.min(n, MAX_EVENT_COUNT) : 1;
}

/** The core of a record: what the bus carries to correlation (no raw, message or metadata). */
export function toEventCore(e: EventCore): EventCore {
  return {
    id: e.id,
    timeMs: e.timeMs,
    source_type: e.source_type,
    severity: e.severity,
    event_type: e.event_type,
    source_ip: e.source_ip,
    dest_ip: e.dest_ip,
    source_port: e.source_port,
    dest_port: e.dest_port,
    hostname: e.hostname,
    username: e.username,
    message: e.message,
    mitre_tactic: e.mitre_tactic,
    mitre_technique: e.mitre_technique,
    scenario_run_id: e.scenario_run_id,
    normalized: e.normalized,
    fields: e.fields,
  };
}
