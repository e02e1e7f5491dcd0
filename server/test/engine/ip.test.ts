import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipInCidr, isIp, isIPv4, isIPv6, parseCidr, parseIp } from '../../src/engine/normalize/ip.ts';

const VALID_V4 = ['0.0.0.0', '1.2.3.4', '10.0.0.1', '192.168.1.255', '255.255.255.255', '198.51.100.7'];
const INVALID_V4 = [
  '',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.256',
  '256.1.1.1',
  '01.2.3.4', // leading zeros: octal to some parsers, decimal to others
  '1.2.3.04',
  '1.2.3.-4',
  '1..2.3',
  '1.2.3.4 ',
  ' 1.2.3.4',
  '1.2.3.4.',
  'a.b.c.d',
  '1.2.3.4/8',
  '1234.1.1.1',
  '１.2.3.4', // full-width digit
];

const VALID_V6 = [
  '::',
  '::1',
  'fe80::1',
  '2001:db8::',
  '2001:DB8::FF',
  '::ffff:192.0.2.1',
  '::192.0.2.1',
  '2001:0db8:0000:0000:0000:ff00:0042:8329',
  '2001:db8:0:0:1:0:0:1',
  '1:2:3:4:5:6:7::',
  '1::2:3:4:5:6:7',
  '1:2:3:4:5:6:1.2.3.4',
  '64:ff9b::192.0.2.33',
];
const INVALID_V6 = [
  '',
  ':',
  ':::',
  '1::2::3',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7:8::',
  '::1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7',
  '12345::1',
  'g::1',
  'fe80::1%eth0', // zone ids are rejected
  ':1::2',
  '1::2:',
  '1:2:3:4:5:6:7:1.2.3.4',
  '::ffff:1.2.3.256',
  '::ffff:01.2.3.4',
  '::1.2.3.4:1',
  '[::1]',
  ' ::1',
  '1.2.3.4',
];

test('isIPv4 accepts dotted quads with octets 0..255', () => {
  for (const s of VALID_V4) assert.equal(isIPv4(s), true, s);
});

test('isIPv4 rejects malformed, out-of-range and leading-zero octets', () => {
  for (const s of INVALID_V4) assert.equal(isIPv4(s), false, s);
});

test('isIPv6 accepts full, compressed and IPv4-tailed forms', () => {
  for (const s of VALID_V6) assert.equal(isIPv6(s), true, s);
});

test('isIPv6 rejects bad compression, too many groups, zone ids and bad tails', () => {
  for (const s of INVALID_V6) assert.equal(isIPv6(s), false, s);
});

test('isIp is the union of both families', () => {
  for (const s of [...VALID_V4, ...VALID_V6]) assert.equal(isIp(s), true, s);
  for (const s of ['', 'localhost', '1.2.3.256', ':::', 'fe80::1%eth0']) assert.equal(isIp(s), false, s);
});

test('parseIp returns the address bytes', () => {
  const cases: Array<[string, 4 | 6, number[]]> = [
    ['192.0.2.1', 4, [192, 0, 2, 1]],
    ['::1', 6, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
    ['::', 6, new Array(16).fill(0)],
    ['2001:db8::', 6, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['fe80::1:2', 6, [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]],
    ['::ffff:192.0.2.1', 6, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]],
    ['1:2:3:4:5:6:7:8', 6, [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
    ['1:2:3:4:5:6:7::', 6, [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]],
  ];
  for (const [text, version, bytes] of cases) {
    const parsed = parseIp(text);
    assert.ok(parsed, text);
    assert.equal(parsed.version, version, text);
    assert.deepEqual([...parsed.bytes], bytes, text);
  }
  assert.equal(parseIp('1.2.3.256'), null);
  assert.equal(parseIp('1::2::3'), null);
});

test('parseCidr reads the prefix, and a bare address is a single-host block', () => {
  assert.deepEqual(
    { ...parseCidr('10.0.0.0/8'), bytes: [...parseCidr('10.0.0.0/8')!.bytes] },
    { version: 4, bytes: [10, 0, 0, 0], prefix: 8 },
  );
  assert.equal(parseCidr('2001:db8::/32')?.prefix, 32);
  assert.equal(parseCidr('1.2.3.4')?.prefix, 32);
  assert.equal(parseCidr('::1')?.prefix, 128);
  assert.equal(parseCidr('0.0.0.0/0')?.prefix, 0);
  for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/8/8', '10.0.0.0/-1', '/8', 'x/8', '10.0.0.0/ 8']) {
    assert.equal(parseCidr(bad), null, bad);
  }
});

test('ipInCidr decides membership for IPv4 and IPv6 blocks', () => {
  const cases: Array<[string, string, boolean]> = [
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.168.1.130', '192.168.1.128/25', true],
    ['192.168.1.127', '192.168.1.128/25', false],
    ['172.31.255.255', '172.16.0.0/12', true],
    ['172.32.0.0', '172.16.0.0/12', false],
    ['8.8.8.8', '0.0.0.0/0', true],
    ['1.2.3.4', '1.2.3.4/32', true],
    ['1.2.3.5', '1.2.3.4/32', false],
    ['1.2.3.4', '1.2.3.4', true],
    ['10.9.9.9', '10.1.2.3/8', true], // host bits in the block are masked
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['fe80::1234', 'fe80::/10', true],
    ['febf::1', 'fe80::/10', true],
    ['fec0::1', 'fe80::/10', false],
    ['2001:db8::1', '::/0', true],
    ['::1', '::1/128', true],
    ['::2', '::1/128', false],
    ['::ffff:10.1.2.3', '10.0.0.0/8', true], // a mapped address is an IPv4 peer
    ['::ffff:11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '::/0', false], // an IPv4 address is not in an IPv6 block
    ['2001:db8::1', '0.0.0.0/0', false],
    ['not-an-ip', '0.0.0.0/0', false],
    ['1.2.3.4', 'not-a-cidr', false],
  ];
  for (const [ip, cidr, expected] of cases) assert.equal(ipInCidr(ip, cidr), expected, `${ip} in ${cidr}`);
});

test('ipInCidr takes pre-parsed values', () => {
  const block = parseCidr('192.0.2.0/24')!;
  assert.equal(ipInCidr(parseIp('192.0.2.77')!, block), true);
  assert.equal(ipInCidr('192.0.3.1', block), false);
});
