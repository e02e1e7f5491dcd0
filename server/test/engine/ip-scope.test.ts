import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, ipScope } from '../../src/engine/enrichment/ip-scope.ts';

const CASES: [string, string | null][] = [
  // IPv4 private and special-purpose ranges, edges included
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['172.15.255.255', 'public'],
  ['192.168.1.10', 'private'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link_local'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.128.0.1', 'public'],
  ['100.63.255.255', 'public'],
  ['224.0.0.251', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['233.252.0.7', 'documentation'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.66', 'documentation'],
  ['0.0.0.0', 'reserved'],
  ['0.1.2.3', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['198.20.0.1', 'public'],
  ['192.0.0.9', 'reserved'],
  ['192.88.99.1', 'reserved'],
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['81.2.69.142', 'public'],
  ['223.255.255.255', 'public'],
  // IPv6
  ['::', 'reserved'],
  ['::1', 'loopback'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fe80::1', 'link_local'],
  ['febf:ffff::1', 'link_local'],
  ['fec0::1', 'reserved'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['3fff:0fff::1', 'documentation'],
  ['2001:0:4136:e378::1', 'reserved'], // Teredo, inside 2001::/23
  ['100::1', 'reserved'],
  ['64:ff9b:1::1', 'reserved'],
  ['2001:4860:4860::8888', 'public'],
  ['2a00:1450:4001:82b::200e', 'public'],
  ['4000::1', 'reserved'], // outside global unicast 2000::/3: unassigned
  // IPv4 carried in IPv6 takes the IPv4 address's scope
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:8.8.8.8', 'public'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:c0a8:0101', 'private'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b::192.168.0.1', 'private'],
  // not addresses
  ['', null],
  ['localhost', null],
  ['10.0.0.1/8', null],
  ['fe80::1%eth0', null],
  ['01.2.3.4', null],
  ['1.2.3.256', null],
];

for (const [text, scope] of CASES) {
  test(`the scope of ${JSON.stringify(text)} is ${scope}`, () => {
    assert.equal(ipScope(text), scope);
  });
}

test('an IPv4-mapped address is looked up as the IPv4 address it carries', () => {
  assert.deepEqual(classifyAddress('::ffff:8.8.8.8'), { scope: 'public', lookup: '8.8.8.8' });
  assert.deepEqual(classifyAddress('64:ff9b::101:101'), { scope: 'public', lookup: '1.1.1.1' });
  assert.deepEqual(classifyAddress('2001:4860::1'), { scope: 'public', lookup: '2001:4860::1' });
});
