// The event as the correlation engine sees it: the event core (engine/event.ts) in one fixed
// object shape, with its weight read once, so nothing on the per-rule path parses a date or
// looks a field up twice.
import { eventCount, type EventCore } from '../event.ts';
import { parseEventTime } from '../normalize/time.ts';

/**
 * What the engine accepts: an event core (bus, store reads), or an event as the API shows
 * it, with its time as ISO text (rule tests on submitted events, fixtures).
 */
type Common = Omit<EventCore, 'timeMs' | 'fields' | 'source_type' | 'severity' | 'message' | 'raw'> & {
  message?: string | null | undefined;
  raw?: Record<string, unknown> | null | undefined;
  // Text, not the enums: the engine compares what it is given (replays of older rows, fixtures).
  source_type: string;
  severity: string;
  fields?: EventCore['fields'] | undefined;
};
export type EngineEventInput = (Common & { timeMs: number; timestamp?: string }) | (Common & { timeMs?: undefined; timestamp: string });

export interface EngineEvent extends Omit<EventCore, 'source_type' | 'severity' | 'raw'> {
  /** The record as it arrived; null unless the reader loaded it (rules on `raw.*`). */
  raw: Record<string, unknown> | null;
  source_type: string;
  severity: string;
  /** How many occurrences the event stands for (1 unless a parser counted repeats). */
  readonly count: number;
}

/**
 * Copies the fields into one fixed object shape (every engine event shares a hidden class,
 * which keeps property reads in compiled matchers monomorphic). An unparseable ISO time
 * gives NaN, which the engine skips.
 */
export function toEngineEvent(e: EngineEventInput): EngineEvent {
  const fields = e.fields ?? null;
  return {
    id: e.id,
    timeMs: typeof e.timeMs === 'number' ? e.timeMs : parseTimestamp(e.timestamp),
    source_type: e.source_type,
    severity: e.severity,
    event_type: e.event_type ?? null,
    source_ip: e.source_ip ?? null,
    dest_ip: e.dest_ip ?? null,
    source_port: e.source_port ?? null,
    dest_port: e.dest_port ?? null,
    hostname: e.hostname ?? null,
    username: e.username ?? null,
    message: e.message ?? null,
    mitre_tactic: e.mitre_tactic ?? null,
    mitre_technique: e.mitre_technique ?? null,
    scenario_run_id: e.scenario_run_id ?? null,
    normalized: e.normalized ?? null,
    fields,
    raw: e.raw ?? null,
    count: eventCount({ fields }),
  };
}

function parseTimestamp(text: string | undefined): number {
  // The ingest parser: strict, UTC when no designator, no Date.parse leniency.
  return text === undefined ? Number.NaN : (parseEventTime(text) ?? Number.NaN);
}
