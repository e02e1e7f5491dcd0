// The log view's filters: read from and written to the URL (so pivots and reloads keep
// them), normalized into the query key, turned into API query parameters, and matched
// against live-feed items so the tail shows only what the list would.
import { SEVERITIES, SOURCE_TYPES } from '@siem/contracts';
import type { LogFeedItem, Severity, SourceType } from '@siem/contracts';

export const TEXT_FILTERS = ['event_type', 'source_ip', 'dest_ip', 'username', 'hostname'] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];
export const RANGES = ['', '15m', '1h', '24h', '7d', 'custom'] as const;
export type RangeKey = (typeof RANGES)[number];
const RANGE_MS: Record<Exclude<RangeKey, '' | 'custom'>, number> = { '15m': 900_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };

export interface LogFilters {
  q: string | null;
  /** The search query language (the search bar), ANDed with the other filters. */
  query: string | null;
  source_type: SourceType | null;
  severity: Severity | null;
  event_type: string | null;
  source_ip: string | null;
  dest_ip: string | null;
  username: string | null;
  hostname: string | null;
  range: RangeKey;
  /** ISO instants, only with range "custom". */
  since: string | null;
  until: string | null;
}

export const EMPTY_FILTERS: LogFilters = {
  q: null, query: null, source_type: null, severity: null, event_type: null, source_ip: null, dest_ip: null,
  username: null, hostname: null, range: '', since: null, until: null,
};

const text = (v: string | null) => (v && v.trim() !== '' ? v.trim() : null);
const isoOrNull = (v: string | null) => (v && Number.isFinite(Date.parse(v)) ? new Date(v).toISOString() : null);

export function logFiltersFromParams(p: URLSearchParams): LogFilters {
  const st = p.get('source_type');
  const sev = p.get('severity');
  // An absent `range` is "all time" (''), never null: the select is controlled.
  const rawRange = p.get('range') ?? '';
  const range = (RANGES as readonly string[]).includes(rawRange) ? (rawRange as RangeKey) : '';
  return {
    q: text(p.get('q')),
    query: text(p.get('query')),
    source_type: st && (SOURCE_TYPES as readonly string[]).includes(st) ? (st as SourceType) : null,
    severity: sev && (SEVERITIES as readonly string[]).includes(sev) ? (sev as Severity) : null,
    event_type: text(p.get('event_type')),
    source_ip: text(p.get('source_ip')),
    dest_ip: text(p.get('dest_ip')),
    username: text(p.get('username')),
    hostname: text(p.get('hostname')),
    range,
    since: range === 'custom' ? isoOrNull(p.get('since')) : null,
    until: range === 'custom' ? isoOrNull(p.get('until')) : null,
  };
}

export function logFiltersToParams(f: LogFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  return p;
}

/** The instants sent to the API; relative ranges are resolved at fetch time. */
export function timeBounds(f: LogFilters, now = Date.now()): { since?: string; until?: string } {
  if (f.range === 'custom') return { since: f.since ?? undefined, until: f.until ?? undefined };
  if (f.range) return { since: new Date(now - RANGE_MS[f.range]).toISOString() };
  return {};
}

/** True when new events can belong to this view (nothing bounds it in the past). */
export const acceptsLive = (f: LogFilters) => !(f.range === 'custom' && f.until);

export const hasFieldFilters = (f: LogFilters) =>
  !!(f.source_type || f.severity || TEXT_FILTERS.some((k) => f[k]));

export function matchesLive(item: LogFeedItem, f: LogFilters, now = Date.now()): boolean {
  // The query language is evaluated by the server only: the tail does not guess.
  if (f.query) return false;
  if (f.q) {
    // Search covers these five fields, case-insensitively and literally.
    const q = f.q.toLowerCase();
    return [item.event_type, item.source_ip, item.dest_ip, item.username, item.hostname].some((v) => v?.toLowerCase().includes(q));
  }
  if (f.source_type && item.source_type !== f.source_type) return false;
  if (f.severity && item.severity !== f.severity) return false;
  for (const k of TEXT_FILTERS) if (f[k] && item[k] !== f[k]) return false;
  const { since } = timeBounds(f, now);
  if (since && Date.parse(item.timestamp) < Date.parse(since)) return false;
  return acceptsLive(f);
}
