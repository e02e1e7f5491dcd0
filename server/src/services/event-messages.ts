// What travels on the "logs" stream (the stored event without `raw`, so rules can see
// every field API.md 8.6.1 lists) and the feed summary the SSE tail sends (API.md 9.3).
import type { LogFeedItem } from '@siem/contracts';
import type { NewEvent } from '../store/events-repo.ts';

/** The stored event minus what rules never read (raw, message, metadata), time as ISO text. */
export type BusEvent = Omit<NewEvent, 'timestampMs' | 'createdAtMs' | 'raw' | 'message' | 'metadata'> & { timestamp: string };

export function toBusEvent(e: NewEvent): BusEvent {
  // Everything but the large or storage-only parts: rules never read raw, message or metadata.
  const { timestampMs, createdAtMs: _created, raw: _raw, message: _message, metadata: _metadata, ...fields } = e;
  return { ...fields, timestamp: new Date(timestampMs).toISOString() };
}

export function toFeedItem(e: BusEvent): LogFeedItem {
  const item: LogFeedItem = {
    id: e.id,
    timestamp: e.timestamp,
    source_type: e.source_type,
    severity: e.severity,
    event_type: e.event_type,
    source_ip: e.source_ip,
    dest_ip: e.dest_ip,
    hostname: e.hostname,
    username: e.username,
  };
  if (e.scenario_run_id) item.scenario_run_id = e.scenario_run_id;
  return item;
}

/** Bus payload of the "logs" stream -> SSE `log` data. */
export function logFeedData(payload: string): string {
  return JSON.stringify(toFeedItem(JSON.parse(payload) as BusEvent));
}
