// The event as the correlation engine sees it: the bus event (API.md 8.6.1 fields and
// `normalized`) plus its event time parsed once into epoch milliseconds, so nothing on
// the per-rule path ever parses a date again.
import { parseEventTime } from '../normalize/time.ts';

/** Structurally the bus event (services/event-messages.ts BusEvent) or a stored LogEvent. */
export interface EngineEventInput {
  id: string;
  timestamp: string;
  source_type: string;
  severity: string;
  event_type: string | null;
  source_ip: string | null;
  dest_ip: string | null;
  source_port: number | null;
  dest_port: number | null;
  hostname: string | null;
  username: string | null;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  scenario_run_id: string | null;
  normalized: Record<string, unknown> | null;
}

export interface EngineEvent extends EngineEventInput {
  /** Event time (the `timestamp`), epoch ms; NaN when unparseable (the engine skips it). */
  readonly timeMs: number;
}

/**
 * Copies the fields into one fixed object shape (every engine event shares a hidden class,
 * which keeps property reads in compiled matchers monomorphic) and parses the time.
 */
export function toEngineEvent(e: EngineEventInput): EngineEvent {
  return {
    id: e.id,
    timestamp: e.timestamp,
    source_type: e.source_type,
    severity: e.severity,
    event_type: e.event_type ?? null,
    source_ip: e.source_ip ?? null,
    dest_ip: e.dest_ip ?? null,
    source_port: e.source_port ?? null,
    dest_port: e.dest_port ?? null,
    hostname: e.hostname ?? null,
    username: e.username ?? null,
    mitre_tactic: e.mitre_tactic ?? null,
    mitre_technique: e.mitre_technique ?? null,
    scenario_run_id: e.scenario_run_id ?? null,
    normalized: e.normalized ?? null,
    timeMs: parseTimestamp(e.timestamp),
  };
}

function parseTimestamp(text: string): number {
  // The ingest parser: strict, UTC when no designator (API.md 2.5), no Date.parse leniency.
  return parseEventTime(text) ?? Number.NaN;
}
