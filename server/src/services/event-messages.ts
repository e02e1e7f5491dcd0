// What travels on the "logs" stream (the event core: every field a rule reads, time in ms)
// and the feed summary the SSE tail sends.
import { ADDRESS_SIDES, ENRICHMENT_KEYS } from '@siem/contracts';
import type { LogFeedItem } from '@siem/contracts';
import { toEventCore, type EventCore } from '../engine/event.ts';

/** The stored event minus what rules never read (raw, message, metadata). */
export type BusEvent = EventCore;
export const toBusEvent = toEventCore;

export function toFeedItem(e: BusEvent): LogFeedItem {
  const item: LogFeedItem = {
    id: e.id,
    timestamp: feedTime(e),
    source_type: e.source_type,
    severity: e.severity,
    event_type: e.event_type,
    source_ip: e.source_ip,
    dest_ip: e.dest_ip,
    hostname: e.hostname,
    username: e.username,
  };
  if (e.scenario_run_id) item.scenario_run_id = e.scenario_run_id;
  const enrichment = addressEnrichment(e.fields);
  if (enrichment) item.fields = enrichment;
  return item;
}

/** Every `<side>.<key>` name address enrichment writes: the only fields the feed carries (flags in the live tail). */
const ENRICHMENT_NAMES = Object.values(ADDRESS_SIDES).flatMap((side) => Object.values(ENRICHMENT_KEYS).map((key) => `${side}.${key}`));

function addressEnrichment(fields: BusEvent['fields']): Record<string, unknown> | null {
  if (!fields) return null;
  let out: Record<string, unknown> | null = null;
  for (const name of ENRICHMENT_NAMES) {
    if (fields[name] === undefined) continue;
    out ??= {};
    out[name] = fields[name];
  }
  return out;
}

/** The event time as ISO text; entries written before the event model kept ms carry `timestamp`. */
function feedTime(e: BusEvent & { timestamp?: unknown }): string {
  if (typeof e.timeMs === 'number' && Number.isFinite(e.timeMs)) return new Date(e.timeMs).toISOString();
  return typeof e.timestamp === 'string' ? e.timestamp : new Date(0).toISOString();
}

/** Bus payload of the "logs" stream -> SSE `log` data. */
export function logFeedData(payload: string): string {
  return JSON.stringify(toFeedItem(JSON.parse(payload) as BusEvent));
}
