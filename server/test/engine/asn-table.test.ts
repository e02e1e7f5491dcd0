import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAsnCsv } from '../../src/engine/enrichment/asn-table.ts';
import { parseIp } from '../../src/engine/normalize/ip.ts';

const V4 = [
  '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."',
  '8.8.8.0,8.8.8.255,15169,Google LLC',
  '5.0.0.0,5.0.0.127,64500,"The ""Quoted"" Net"', // out of order on purpose
  '9.9.9.9,9.9.9.9,19281,',
  'not,a,row',
  '1.2.3,1.2.3.4,1,x',
].join('\r\n');

const lookup = (csv: string, version: 4 | 6, ip: string) => parseAsnCsv(csv, version).table.lookup(parseIp(ip)!);

test('IPv4 ranges: inclusive bounds, quoted names, unordered input, gaps answer null', () => {
  const cases: [string, unknown][] = [
    ['1.0.0.0', { number: 13335, organization: 'Cloudflare, Inc.' }],
    ['1.0.0.255', { number: 13335, organization: 'Cloudflare, Inc.' }],
    ['1.0.1.0', null],
    ['0.255.255.255', null],
    ['5.0.0.100', { number: 64500, organization: 'The "Quoted" Net' }],
    ['5.0.0.128', null],
    ['8.8.8.8', { number: 15169, organization: 'Google LLC' }],
    ['9.9.9.9', { number: 19281, organization: null }],
    ['255.255.255.255', null],
  ];
  for (const [ip, want] of cases) assert.deepEqual(lookup(V4, 4, ip), want, ip);
});

test('bad lines are skipped and reported by number', () => {
  const { table, badLines } = parseAsnCsv(V4, 4);
  assert.equal(table.size, 4);
  assert.deepEqual(badLines, [5, 6]);
});

test('IPv6 ranges compare on all 128 bits; an IPv4 address is not looked up in the IPv6 table', () => {
  const v6 = ['2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC', '2a00:1450::,2a00:1450::ffff,15169,Google LLC (small)'].join('\n');
  assert.equal(lookup(v6, 6, '2001:4860:4860::8888')?.number, 15169);
  assert.equal(lookup(v6, 6, '2a00:1450::fffe')?.organization, 'Google LLC (small)');
  assert.equal(lookup(v6, 6, '2a00:1450::1:0'), null);
  assert.equal(lookup(v6, 6, '2001:4861::'), null);
  assert.equal(parseAsnCsv(v6, 6).table.lookup(parseIp('8.8.8.8')!), null);
});

test('an empty list answers null for everything', () => {
  assert.equal(lookup('', 4, '8.8.8.8'), null);
});
