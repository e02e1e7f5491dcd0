// What enrichment adds to an event and what the analyst sees of an address: the scope of
// every address (public, private, reserved...), country, city and autonomous system for a
// public one, and the threat-intel indicators it matched. Enrichment writes these under
// ECS-style dotted names in the event's `fields`, so rules, search and the web client name
// them like any parsed field (`source.geo.country_iso_code: "RU"`).
import { z } from 'zod';

/** The address columns an event is enriched from, and the ECS side each one fills. */
export const ADDRESS_SIDES = { source_ip: 'source', dest_ip: 'destination' } as const;
export type AddressColumn = keyof typeof ADDRESS_SIDES;
export type AddressSide = (typeof ADDRESS_SIDES)[AddressColumn];

/** Where an address belongs. Only `public` addresses get a country, city and AS. */
export const IP_SCOPES = ['public', 'private', 'loopback', 'link_local', 'multicast', 'cgnat', 'documentation', 'reserved'] as const;
export const IpScopeSchema = z.enum(IP_SCOPES);
export type IpScope = z.infer<typeof IpScopeSchema>;

/** The keys under a side (`source.` / `destination.`) that enrichment sets. */
export const ENRICHMENT_KEYS = {
  scope: 'ip_scope',
  countryCode: 'geo.country_iso_code',
  countryName: 'geo.country_name',
  city: 'geo.city_name',
  asn: 'as.number',
  asOrg: 'as.organization.name',
} as const;

/** The dotted field name of one enrichment key for one side: `source.geo.country_iso_code`. */
export function enrichmentField(side: AddressSide, key: keyof typeof ENRICHMENT_KEYS): string {
  return `${side}.${ENRICHMENT_KEYS[key]}`;
}

export const INDICATOR_TYPES = ['ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export const IndicatorTypeSchema = z.enum(INDICATOR_TYPES);
export type IndicatorType = z.infer<typeof IndicatorTypeSchema>;

/** One indicator an event matched: which list, which indicator, on which field of the event. */
export const ThreatMatchSchema = z.object({
  list_id: z.string(),
  list_name: z.string(),
  indicator: z.string(),
  type: IndicatorTypeSchema,
  field: z.string(),
  source: z.string().nullable(),
  confidence: z.number().int().min(0).max(100).nullable(),
});
export type ThreatMatch = z.infer<typeof ThreatMatchSchema>;

/** `fields[THREAT_MATCHES_FIELD]`: the event's indicator matches (absent when none). */
export const THREAT_MATCHES_FIELD = 'threat.indicator.matches';
/** `fields[TAGS_FIELD]` holds THREAT_TAG when an event matched an indicator. */
export const TAGS_FIELD = 'tags';
export const THREAT_TAG = 'threat-intel-match';

/** What the analyst sees of one address (alert triage, the logs view). */
export const AddressEnrichmentSchema = z.object({
  ip: z.string(),
  scope: IpScopeSchema,
  country_code: z.string().nullable(),
  country_name: z.string().nullable(),
  city: z.string().nullable(),
  asn: z.number().int().nullable(),
  as_org: z.string().nullable(),
  indicators: z.array(ThreatMatchSchema),
});
export type AddressEnrichment = z.infer<typeof AddressEnrichmentSchema>;

/** The flag of an ISO 3166-1 alpha-2 country code (regional indicator symbols); '' for anything else. */
export function countryFlag(code: string | null | undefined): string {
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return '';
  const base = 0x1f1e6;
  const upper = code.toUpperCase();
  return String.fromCodePoint(base + upper.charCodeAt(0) - 65, base + upper.charCodeAt(1) - 65);
}
