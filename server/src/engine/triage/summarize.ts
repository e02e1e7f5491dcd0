// Reduces an alert's matched events to what triage shows: every distinct address with the
// sides it stood on, its event count and its enrichment (read from the enrichment fields the
// events carry, the newest event's value winning), the values worth pivoting on, and the
// event-time span. Pure: the events come in, bounded by the caller.
import {
  ADDRESS_SIDES, IP_SCOPES, THREAT_MATCHES_FIELD, ThreatMatchSchema, enrichmentField,
  type AddressColumn, type AddressEnrichment, type AddressRole, type AddressSide, type IpScope, type PivotField,
  type PivotFilter, type ThreatMatch, type TriageAddress,
} from '@siem/contracts';
import { ipInCidr } from '../normalize/ip.ts';
import { ipScope as classify } from '../enrichment/ip-scope.ts';

/** The scope of an address no event recorded one for; text that is no address has no place on the internet. */
const ipScope = (ip: string) => classify(ip) ?? 'reserved';

export interface TriageEvent {
  timeMs: number;
  source_ip: string | null;
  dest_ip: string | null;
  hostname: string | null;
  username: string | null;
  /** The event's enrichment fields (null when unknown, e.g. the event is past retention). */
  fields: Record<string, unknown> | null;
}

/** Indicator matches kept per address. */
const MAX_INDICATORS = 20;

const ROLE_OF: Record<AddressSide, AddressRole> = { source: 'source', destination: 'destination' };
const COLUMNS = Object.keys(ADDRESS_SIDES) as AddressColumn[];

/** The names of `fields` that summarizing reads (a store selects only these). */
export const TRIAGE_FIELD_NAMES: readonly string[] = [
  ...Object.values(ADDRESS_SIDES).flatMap((side) =>
    (['scope', 'countryCode', 'countryName', 'city', 'asn', 'asOrg'] as const).map((key) => enrichmentField(side, key))),
  THREAT_MATCHES_FIELD,
];

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown) => {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
};
const isScope = (v: unknown): v is IpScope => typeof v === 'string' && (IP_SCOPES as readonly string[]).includes(v);

function threatMatches(fields: Record<string, unknown> | null): ThreatMatch[] {
  const raw = fields?.[THREAT_MATCHES_FIELD];
  if (!Array.isArray(raw)) return [];
  const out: ThreatMatch[] = [];
  for (const item of raw.slice(0, 100)) {
    const parsed = ThreatMatchSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** Whether a match is about the address on `column`: named by its field, or an ip/cidr indicator covering it. */
function concerns(m: ThreatMatch, column: AddressColumn, ip: string): boolean {
  const side = ADDRESS_SIDES[column];
  if (m.field === column || m.field === `${side}.ip`) return true;
  if (m.field !== '' && (COLUMNS.some((c) => c === m.field) || m.field.endsWith('.ip'))) return false;
  if (m.type === 'ip') return m.indicator === ip;
  if (m.type === 'cidr') return ipInCidr(ip, m.indicator);
  return false;
}

interface Acc {
  roles: Set<AddressRole>;
  count: number;
  enrichment: AddressEnrichment;
  scopeFromFields: boolean;
  indicatorKeys: Set<string>;
}

function fillFrom(acc: Acc, fields: Record<string, unknown>, side: AddressSide): void {
  const e = acc.enrichment;
  const scope = fields[enrichmentField(side, 'scope')];
  if (!acc.scopeFromFields && isScope(scope)) {
    e.scope = scope;
    acc.scopeFromFields = true;
  }
  e.country_code ??= str(fields[enrichmentField(side, 'countryCode')]);
  e.country_name ??= str(fields[enrichmentField(side, 'countryName')]);
  e.city ??= str(fields[enrichmentField(side, 'city')]);
  e.asn ??= int(fields[enrichmentField(side, 'asn')]);
  e.as_org ??= str(fields[enrichmentField(side, 'asOrg')]);
}

/**
 * Distinct addresses, most frequent first (ties by address), at most `max`; `truncated`
 * when more exist. An event carrying the same address on both sides counts once.
 */
export function summarizeAddresses(events: readonly TriageEvent[], max: number): { addresses: TriageAddress[]; truncated: boolean } {
  const byIp = new Map<string, Acc>();
  for (const ev of events) {
    const matches = threatMatches(ev.fields);
    const seenHere = new Set<string>();
    for (const column of COLUMNS) {
      const ip = ev[column];
      if (!ip) continue;
      const side = ADDRESS_SIDES[column];
      let acc = byIp.get(ip);
      if (!acc) {
        acc = {
          roles: new Set(), count: 0, scopeFromFields: false, indicatorKeys: new Set(),
          enrichment: { ip, scope: ipScope(ip), country_code: null, country_name: null, city: null, asn: null, as_org: null, indicators: [] },
        };
        byIp.set(ip, acc);
      }
      acc.roles.add(ROLE_OF[side]);
      if (!seenHere.has(ip)) {
        acc.count++;
        seenHere.add(ip);
      }
      if (ev.fields) fillFrom(acc, ev.fields, side);
      for (const m of matches) {
        if (acc.enrichment.indicators.length >= MAX_INDICATORS || !concerns(m, column, ip)) continue;
        const key = `${m.list_id}\u0000${m.indicator}`;
        if (acc.indicatorKeys.has(key)) continue;
        acc.indicatorKeys.add(key);
        acc.enrichment.indicators.push(m);
      }
    }
  }
  const sorted = [...byIp.entries()].sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0));
  return {
    addresses: sorted.slice(0, max).map(([ip, acc]) => ({
      ip,
      roles: (['source', 'destination'] as const).filter((r) => acc.roles.has(r)),
      event_count: acc.count,
      enrichment: acc.enrichment,
    })),
    truncated: sorted.length > max,
  };
}

/** The most frequent values of `field` among the events, at most `max` (ties by value). */
export function topValues(events: readonly TriageEvent[], field: PivotField, max: number): PivotFilter[] {
  const counts = new Map<string, number>();
  for (const ev of events) {
    const v = ev[field];
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max)
    .map(([value, event_count]) => ({ field, value, event_count }));
}

/** First and last event time; null when no event has a time. */
export function eventSpan(events: readonly TriageEvent[]): { firstMs: number; lastMs: number } | null {
  let firstMs = Infinity;
  let lastMs = -Infinity;
  for (const ev of events) {
    if (!Number.isFinite(ev.timeMs)) continue;
    if (ev.timeMs < firstMs) firstMs = ev.timeMs;
    if (ev.timeMs > lastMs) lastMs = ev.timeMs;
  }
  return Number.isFinite(firstMs) ? { firstMs, lastMs } : null;
}
