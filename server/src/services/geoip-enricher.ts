// The GeoIP enrichment step: for each of an event's addresses (source_ip, dest_ip) it sets
// the scope, and for a public address the country, city and AS it is found in, under the
// ECS names of contracts/enrichment.ts (`source.geo.country_iso_code`...). Absent facts
// leave their field unset, so `exists` and equality tests in rules mean what they say.
import { ADDRESS_SIDES, enrichmentField } from '@siem/contracts';
import type { AddressColumn, AddressSide } from '@siem/contracts';
import type { NewEvent } from '../store/events-repo.ts';
import type { AddressFacts, AddressFactsSource } from './address-enrichment.ts';
import type { EventEnricher } from './enrichment.ts';

const COLUMNS = Object.keys(ADDRESS_SIDES) as AddressColumn[];

/** Per side, the field name of each fact, computed once. */
const NAMES = Object.fromEntries(
  Object.values(ADDRESS_SIDES).map((side) => [
    side,
    {
      scope: enrichmentField(side, 'scope'),
      countryCode: enrichmentField(side, 'countryCode'),
      countryName: enrichmentField(side, 'countryName'),
      city: enrichmentField(side, 'city'),
      asn: enrichmentField(side, 'asn'),
      asOrg: enrichmentField(side, 'asOrg'),
    },
  ]),
) as Record<AddressSide, Record<'scope' | 'countryCode' | 'countryName' | 'city' | 'asn' | 'asOrg', string>>;

export function createGeoIpEnricher(deps: { facts: AddressFactsSource }): EventEnricher {
  return {
    name: 'geoip',
    enrich(events: NewEvent[]): void {
      for (const event of events) {
        for (const column of COLUMNS) {
          const address = event[column];
          if (!address) continue;
          const facts = deps.facts.facts(address);
          if (!facts) continue;
          event.fields ??= {};
          write(event.fields, NAMES[ADDRESS_SIDES[column]], facts);
        }
      }
    },
  };
}

function write(fields: Record<string, unknown>, names: (typeof NAMES)[AddressSide], f: AddressFacts): void {
  fields[names.scope] = f.scope;
  if (f.country_code !== null) fields[names.countryCode] = f.country_code;
  if (f.country_name !== null) fields[names.countryName] = f.country_name;
  if (f.city !== null) fields[names.city] = f.city;
  if (f.asn !== null) fields[names.asn] = f.asn;
  if (f.as_org !== null) fields[names.asOrg] = f.as_org;
}
