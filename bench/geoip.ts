// GeoIP figures: load time and memory of the shipped database, lookups/s (IPv4, IPv6),
// and the enrichment step's cost per event (two addresses each) with and without the
// per-address cache, on all-distinct addresses and on a skewed pool as real traffic has.
// Prints numbers, asserts nothing.
//   npm run bench:geoip [-- --quick]
import pino from 'pino';
import { createGeoIp } from '../server/src/services/geoip.ts';
import { createAddressFacts } from '../server/src/services/address-enrichment.ts';
import { createGeoIpEnricher } from '../server/src/services/geoip-enricher.ts';
import type { NewEvent } from '../server/src/store/events-repo.ts';
import { ipScope } from '../server/src/engine/enrichment/ip-scope.ts';
import { rng } from './lib.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 50_000 : 300_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

gc();
const before = process.memoryUsage();
const geoip = createGeoIp({ enabled: true, log: pino({ level: 'warn' }) });
let t = performance.now();
geoip.load();
const loadMs = performance.now() - t;
gc();
const after = process.memoryUsage();
console.log(`load: ${loadMs.toFixed(0)} ms (${geoip.state()}, ${geoip.loadStats()?.asnRanges} AS ranges)`);
console.log(`memory after load: RSS +${mb(after.rss - before.rss)} (total ${mb(after.rss)}), heap +${mb(after.heapUsed - before.heapUsed)}, buffers +${mb(after.arrayBuffers - before.arrayBuffers)}`);

const rand = rng(13);
function publicV4(): string {
  for (;;) {
    const a = `${1 + Math.floor(rand() * 223)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
    if (ipScope(a) === 'public') return a;
  }
}
const hex = () => Math.floor(rand() * 65536).toString(16);
const publicV6 = () => `2${['001', '400', '600', 'a00', 'c00'][Math.floor(rand() * 5)]}:${hex()}:${hex()}::${hex()}`;

function rate(label: string, addresses: string[]): void {
  for (const a of addresses.slice(0, 2000)) geoip.lookup(a); // warm-up
  t = performance.now();
  let found = 0;
  for (const a of addresses) if (geoip.lookup(a)) found++;
  const ms = performance.now() - t;
  console.log(`${label}: ${Math.round(addresses.length / (ms / 1000)).toLocaleString('en')} lookups/s, ${((ms * 1000) / addresses.length).toFixed(2)} µs each, ${((100 * found) / addresses.length).toFixed(1)} % found`);
}
rate('IPv4 lookup (random public)', Array.from({ length: N }, publicV4));
rate('IPv6 lookup (random global unicast)', Array.from({ length: N / 5 }, publicV6));

// Events: one public source, a private destination (the common inbound shape).
const distinct = Array.from({ length: N }, publicV4);
const pool = Array.from({ length: 5000 }, publicV4);
// Skewed: a few addresses carry most events (scanners, busy clients), as real logs do.
const skewed = Array.from({ length: N }, () => pool[Math.floor(pool.length * rand() ** 3)]!);
const events = (sources: string[]): NewEvent[] => sources.map((ip, i) => ({ source_ip: ip, dest_ip: `10.0.${(i >> 8) & 255}.${i & 255}`, fields: null }) as NewEvent);

function perEvent(label: string, sources: string[], cacheSize: number): void {
  const step = createGeoIpEnricher({ facts: createAddressFacts({ geoip, cacheSize }) });
  const batch = events(sources);
  t = performance.now();
  for (let i = 0; i < batch.length; i += 500) step.enrich(batch.slice(i, i + 500));
  const ms = performance.now() - t;
  console.log(`enrich ${label}, cache ${cacheSize === 0 ? 'off' : cacheSize.toLocaleString('en')}: ${((ms * 1000) / batch.length).toFixed(2)} µs/event, ${Math.round(batch.length / (ms / 1000)).toLocaleString('en')} events/s`);
}
perEvent('distinct sources', distinct, 0);
perEvent('distinct sources', distinct, 10_000);
perEvent('skewed pool of 5,000 sources', skewed, 0);
perEvent('skewed pool of 5,000 sources', skewed, 10_000);
gc();
console.log(`RSS at the end: ${mb(process.memoryUsage().rss)}`);
