// The GeoIP service and enrichment step without the shipped database: a database that
// cannot be read is reported loudly once and events keep their scopes; the step writes
// only the facts it has; the per-address cache answers repeated addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createGeoIp } from '../../src/services/geoip.ts';
import type { GeoIp, GeoLocation } from '../../src/services/geoip.ts';
import { createAddressEnrichmentService, createAddressFacts } from '../../src/services/address-enrichment.ts';
import { createGeoIpEnricher } from '../../src/services/geoip-enricher.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { createLru } from '../../src/lib/lru.ts';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  return { log: pino({ level: 'info' }, stream), lines };
}

const missing = { cityV4: '/nonexistent/a.mmdb', cityV6: '/nonexistent/b.mmdb', asnV4: '/nonexistent/a.csv', asnV6: '/nonexistent/b.csv' };

test('a database that cannot be loaded is logged once as an error, and lookups answer null', async () => {
  const { log, lines } = capture();
  const geoip = createGeoIp({ enabled: true, log, files: missing });
  assert.equal(geoip.lookup('8.8.8.8'), null);
  assert.equal(geoip.lookup('1.1.1.1'), null);
  assert.equal(geoip.state(), 'failed');
  await new Promise((r) => setImmediate(r));
  const errors = lines.filter((l) => l.level >= 50);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.msg, /GeoIP database could not be loaded.*GEOIP_ENABLED=false/);
});

test('disabled: nothing is read and nothing is logged', () => {
  const { log, lines } = capture();
  const geoip = createGeoIp({ enabled: false, log, files: missing });
  geoip.load();
  assert.equal(geoip.lookup('8.8.8.8'), null);
  assert.equal(geoip.state(), 'disabled');
  assert.equal(lines.length, 0);
});

function fakeGeoIp(table: Record<string, GeoLocation>): GeoIp & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    load() {},
    state: () => 'loaded',
    loadStats: () => null,
    lookup(address) {
      calls.push(address);
      return table[address] ?? null;
    },
  };
}

const GB: GeoLocation = { country_code: 'GB', country_name: 'United Kingdom', city: null, asn: 20712, as_org: 'Example Ltd' };

function event(source_ip: string | null, dest_ip: string | null, fields: Record<string, unknown> | null = null): NewEvent {
  return { source_ip, dest_ip, fields } as NewEvent;
}

test('the step sets scopes on both sides, geo only for public addresses, and skips absent facts', () => {
  const geoip = fakeGeoIp({ '81.2.69.142': GB });
  const step = createGeoIpEnricher({ facts: createAddressFacts({ geoip }) });
  const events = [event('81.2.69.142', '192.168.1.1'), event(null, '::ffff:81.2.69.142', { keep: 1 }), event('not an ip', null), event('9.9.9.9', null)];
  step.enrich(events);
  assert.deepEqual(events[0]!.fields, {
    'source.ip_scope': 'public',
    'source.geo.country_iso_code': 'GB',
    'source.geo.country_name': 'United Kingdom',
    'source.as.number': 20712,
    'source.as.organization.name': 'Example Ltd',
    'destination.ip_scope': 'private',
  });
  assert.equal(events[1]!.fields!.keep, 1, 'existing fields are kept');
  assert.equal(events[1]!.fields!['destination.geo.country_iso_code'], 'GB', 'the mapped address is looked up as IPv4');
  assert.equal(events[2]!.fields, null, 'a text that is not an address adds nothing');
  assert.deepEqual(events[3]!.fields, { 'source.ip_scope': 'public' }, 'a public address the database does not know gets its scope only');
  assert.deepEqual(geoip.calls, ['81.2.69.142', '9.9.9.9'], 'private addresses are never looked up, a public one once');
});

test('repeated addresses are answered from the cache', () => {
  const geoip = fakeGeoIp({ '81.2.69.142': GB });
  const facts = createAddressFacts({ geoip, cacheSize: 2 });
  for (let i = 0; i < 5; i++) facts.facts('81.2.69.142');
  assert.equal(geoip.calls.length, 1);
  facts.facts('8.8.8.8');
  facts.facts('9.9.9.9'); // two generations of one: 81.2.69.142 is dropped
  facts.facts('81.2.69.142');
  assert.equal(geoip.calls.length, 4);
});

test('the address service calls the indicator hook when one is given', () => {
  const facts = createAddressFacts({ geoip: fakeGeoIp({}) });
  const match = { list_id: 'l1', list_name: 'bad', indicator: '10.0.0.1', type: 'ip' as const, field: 'source_ip', source: null, confidence: 80 };
  const svc = createAddressEnrichmentService({ facts, indicatorLookup: (ip) => (ip === '10.0.0.1' ? [match] : []) });
  assert.deepEqual(svc.address('10.0.0.1').indicators, [match]);
  assert.deepEqual(createAddressEnrichmentService({ facts }).address('10.0.0.1').indicators, []);
  assert.throws(() => svc.address('nope'), { code: 'VALIDATION_FAILED' });
});

test('the cache keeps at most its capacity, keeps what is used, and refuses a bad capacity', () => {
  const lru = createLru<string, number>(4);
  lru.set('hot', -1);
  for (let i = 0; i < 10; i++) {
    lru.set(`k${i}`, i);
    assert.equal(lru.get('hot'), -1, 'a key read between insertions stays');
    assert.ok(lru.size <= 4);
  }
  assert.equal(lru.get('k0'), undefined);
  assert.equal(lru.get('k9'), 9);
  lru.set('k9', 90);
  assert.equal(lru.get('k9'), 90);
  assert.throws(() => createLru(1));
});

test('the live feed item carries the address enrichment of the event and no other field', async () => {
  const { toFeedItem } = await import('../../src/services/event-messages.ts');
  const base = { id: 'a'.repeat(24), timeMs: 0, source_type: 'generic', severity: 'info', event_type: null, source_ip: '8.8.8.8', dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null, message: null, mitre_tactic: null, mitre_technique: null, scenario_run_id: null, normalized: null } as const;
  const item = toFeedItem({ ...base, fields: { 'source.ip_scope': 'public', 'source.geo.country_iso_code': 'US', 'source.as.number': 15169, 'process.command_line': 'secret' } });
  assert.deepEqual(item.fields, { 'source.ip_scope': 'public', 'source.geo.country_iso_code': 'US', 'source.as.number': 15169 });
  assert.equal('fields' in toFeedItem({ ...base, fields: { 'user.name': 'x' } }), false);
  assert.equal('fields' in toFeedItem({ ...base, fields: null }), false);
});
