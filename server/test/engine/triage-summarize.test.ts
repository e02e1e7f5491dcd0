// Triage summaries, pure: the scope of an address by its block, indicator matches attributed
// to the address they concern, enrichment read from the newest event that carries it, and
// the pivot values and time span.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { THREAT_MATCHES_FIELD, type ThreatMatch } from '@siem/contracts';
import { ipScope as classify } from '../../src/engine/enrichment/ip-scope.ts';

const ipScope = (ip: string) => classify(ip) ?? 'reserved';
import { eventSpan, summarizeAddresses, topValues, type TriageEvent } from '../../src/engine/triage/summarize.ts';

const ev = (over: Partial<TriageEvent>): TriageEvent => ({ timeMs: 0, source_ip: null, dest_ip: null, hostname: null, username: null, fields: null, ...over });
const match = (over: Partial<ThreatMatch>): ThreatMatch => ({ list_id: 'l', list_name: 'L', indicator: '', type: 'ip', field: '', source: null, confidence: null, ...over });

describe('ipScope', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'], ['2606:4700::1111', 'public'], ['10.1.2.3', 'private'], ['172.31.255.255', 'private'], ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'], ['fd00::1', 'private'], ['127.0.0.1', 'loopback'], ['::1', 'loopback'], ['169.254.10.1', 'link_local'],
    ['fe80::1', 'link_local'], ['224.0.0.251', 'multicast'], ['ff02::1', 'multicast'], ['100.64.0.1', 'cgnat'], ['198.51.100.9', 'documentation'],
    ['2001:db8::5', 'documentation'], ['0.0.0.0', 'reserved'], ['255.255.255.255', 'reserved'], ['::ffff:10.0.0.1', 'private'], ['not-an-ip', 'reserved'],
  ];
  for (const [ip, scope] of cases) it(`${ip} is ${scope}`, () => assert.equal(ipScope(ip), scope));
});

describe('summarizeAddresses', () => {
  it('attributes a match by the field it names, else by an ip or cidr indicator covering the address', () => {
    const fields = {
      [THREAT_MATCHES_FIELD]: [
        match({ list_id: 'a', indicator: 'evil.example', type: 'domain', field: 'destination.ip' }),
        match({ list_id: 'b', indicator: '8.8.0.0/16', type: 'cidr', field: '' }),
        match({ list_id: 'c', indicator: '9.9.9.9', type: 'ip', field: 'source_ip' }),
        match({ list_id: 'd', indicator: 'abc', type: 'sha256', field: 'file.hash.sha256' }),
        { list_id: 'broken' },
      ],
    };
    const { addresses } = summarizeAddresses([ev({ source_ip: '9.9.9.9', dest_ip: '8.8.4.4', fields })], 10);
    const byIp = new Map(addresses.map((a) => [a.ip, a.enrichment.indicators.map((m) => m.list_id)]));
    assert.deepEqual(byIp.get('8.8.4.4'), ['a', 'b']);
    assert.deepEqual(byIp.get('9.9.9.9'), ['c']);
  });

  it('takes each enrichment value from the newest event that has it and ignores values of the wrong type', () => {
    const { addresses } = summarizeAddresses([
      ev({ source_ip: '8.8.8.8', fields: { 'source.geo.country_iso_code': 'US', 'source.as.number': 'x', 'source.ip_scope': 'bogus' } }),
      ev({ source_ip: '8.8.8.8', fields: { 'source.geo.country_iso_code': 'DE', 'source.as.number': 15169, 'source.as.organization.name': 'Google' } }),
      ev({ dest_ip: '8.8.8.8', fields: { 'source.geo.city_name': 'Not this side' } }),
    ], 10);
    assert.deepEqual(addresses, [{
      ip: '8.8.8.8', roles: ['source', 'destination'], event_count: 3,
      enrichment: { ip: '8.8.8.8', scope: 'public', country_code: 'US', country_name: null, city: null, asn: 15169, as_org: 'Google', indicators: [] },
    }]);
  });

  it('counts an event with the same address on both sides once, orders by count then address, and bounds the list', () => {
    const events = [ev({ source_ip: '10.0.0.2', dest_ip: '10.0.0.2' }), ev({ source_ip: '10.0.0.3' }), ev({ source_ip: '10.0.0.1' }), ev({ dest_ip: '10.0.0.3' })];
    const all = summarizeAddresses(events, 10);
    assert.deepEqual(all.addresses.map((a) => [a.ip, a.event_count]), [['10.0.0.3', 2], ['10.0.0.1', 1], ['10.0.0.2', 1]]);
    assert.equal(all.truncated, false);
    const cut = summarizeAddresses(events, 2);
    assert.deepEqual(cut.addresses.map((a) => a.ip), ['10.0.0.3', '10.0.0.1']);
    assert.equal(cut.truncated, true);
  });
});

describe('pivots', () => {
  it('lists the most frequent values of a field and the time span of the events', () => {
    const events = [ev({ timeMs: 5, hostname: 'b' }), ev({ timeMs: 1, hostname: 'a' }), ev({ timeMs: 9, hostname: 'b' }), ev({ timeMs: Number.NaN })];
    assert.deepEqual(topValues(events, 'hostname', 1), [{ field: 'hostname', value: 'b', event_count: 2 }]);
    assert.deepEqual(eventSpan(events), { firstMs: 1, lastMs: 9 });
    assert.equal(eventSpan([]), null);
  });
});
