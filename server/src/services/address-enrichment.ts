// What enrichment knows of one address: its scope for every address, country, city and AS
// for a public one. Shared by the ingest step (geoip-enricher.ts) and the analyst's
// one-address look-up (GET /v1/enrichment/ip/{ip}), so both answer the same.
import type { AddressEnrichment, ThreatMatch } from '@siem/contracts';
import { classifyAddress } from '../engine/enrichment/ip-scope.ts';
import { AppError } from '../errors.ts';
import { createLru } from '../lib/lru.ts';
import type { GeoIp, GeoLocation } from './geoip.ts';

export type AddressFacts = Omit<AddressEnrichment, 'ip' | 'indicators'>;

/** Addresses whose facts are kept; an entry is a few hundred bytes, so this is ~2-3 MB at most. */
export const ADDRESS_CACHE_MAX = 10_000;

const NO_GEO: GeoLocation = { country_code: null, country_name: null, city: null, asn: null, as_org: null };

export interface AddressFactsSource {
  /** Facts of an address text; null when the text is not an address. */
  facts(address: string): AddressFacts | null;
}

export function createAddressFacts(opts: { geoip: GeoIp; cacheSize?: number }): AddressFactsSource {
  // Only public addresses are cached: the scope of the others is a few comparisons.
  const cache = opts.cacheSize === 0 ? null : createLru<string, GeoLocation>(opts.cacheSize ?? ADDRESS_CACHE_MAX);
  function geo(address: string): GeoLocation {
    let hit = cache?.get(address);
    if (hit === undefined) {
      hit = opts.geoip.lookup(address) ?? NO_GEO;
      cache?.set(address, hit);
    }
    return hit;
  }
  return {
    facts(address) {
      const classified = classifyAddress(address);
      if (!classified) return null;
      return { scope: classified.scope, ...(classified.scope === 'public' ? geo(classified.lookup) : NO_GEO) };
    },
  };
}

/**
 * The threat-intel hook: indicators an address matches. Filled in by the threat-intel
 * service; without it the answer's `indicators` is empty.
 */
export type IndicatorLookup = (address: string) => ThreatMatch[];

export function createAddressEnrichmentService(opts: { facts: AddressFactsSource; indicatorLookup?: IndicatorLookup }) {
  return {
    /** The enrichment of one address; 422 VALIDATION_FAILED when the text is not an address. */
    address(ip: string): AddressEnrichment {
      const facts = opts.facts.facts(ip);
      if (!facts) {
        throw new AppError('VALIDATION_FAILED', 'Not an IPv4 or IPv6 address', {
          details: [{ field: 'ip', message: 'must be an IPv4 or IPv6 address (no zone, no prefix length)', type: 'value_error.ip' }],
        });
      }
      return { ip, ...facts, indicators: opts.indicatorLookup?.(ip) ?? [] };
    },
  };
}
export type AddressEnrichmentService = ReturnType<typeof createAddressEnrichmentService>;
