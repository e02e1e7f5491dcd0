import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipInCidr, parseCidr } from '../../src/engine/normalize/ip.ts';
import { cidrTest, ipv4Value } from '../../src/engine/rules/cidr.ts';
import { foldedEndsWith, foldedEquals, foldedIncludes, foldedStartsWith } from '../../src/engine/rules/fold.ts';

// The fast paths must answer exactly what the reference would: toLowerCase() for text,
// ipInCidr for networks. Each is checked against its reference over edge cases.

const TEXTS = [
  '', 'a', 'A', 'abc', 'ABC', 'aBc', 'powershell -enc SQBFAFgA', 'POWERSHELL -ENC', 'x.EXAMPLE.com', 'web-01',
  'İstanbul', 'i̇stanbul', 'KELVIN', 'K', 'Straße', 'STRASSE', 'ΣΊΣΥΦΟΣ', 'σίσυφος', 'naïve', 'NAÏVE', 'abc\u212a', '\u0130x', 'a\u0130',
];
const NEEDLES = ['a', 'abc', '-enc', 'example.com', 'web-', 'i̇', 'istanbul', 'i̇stanbul', 'kelvin', 'k', 'straße', 'σίσυφος', 'ς', 'naïve', 'x', '\u0307x', 'bc'];

for (const [name, fast, reference] of [
  ['equals', foldedEquals, (t: string, n: string) => t.toLowerCase() === n],
  ['startsWith', foldedStartsWith, (t: string, n: string) => t.toLowerCase().startsWith(n)],
  ['endsWith', foldedEndsWith, (t: string, n: string) => t.toLowerCase().endsWith(n)],
  ['includes', foldedIncludes, (t: string, n: string) => t.toLowerCase().includes(n)],
] as const) {
  test(`folded ${name} agrees with toLowerCase() on ASCII and non-ASCII text`, () => {
    for (const text of TEXTS) {
      for (const needle of NEEDLES) {
        const lower = needle.toLowerCase();
        assert.equal(fast(text, lower), reference(text, lower), `${JSON.stringify(text)} ${name} ${JSON.stringify(lower)}`);
      }
    }
  });
}

const ADDRESSES = [
  '0.0.0.0', '10.0.0.0', '10.255.255.255', '11.0.0.0', '9.255.255.255', '172.16.0.1', '172.31.255.255', '172.32.0.0',
  '192.0.2.7', '192.0.2.8', '255.255.255.255', '128.0.0.0', '127.255.255.255', '01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1',
  '1.2.3.4 ', '', 'gateway', '::', '::1', '::ffff:10.1.2.3', '::ffff:192.0.2.7', '2001:db8::1', '2001:db9::1', 'fe80::1', '10.1.2.3/8',
];
const BLOCKS = ['0.0.0.0/0', '10.0.0.0/8', '172.16.0.0/12', '192.0.2.7', '192.0.2.0/31', '128.0.0.0/1', '255.255.255.255/32', '::/0', '2001:db8::/32', '::ffff:0:0/96', 'fe80::/10'];

test('cidrTest agrees with ipInCidr on every address and block', () => {
  for (const text of BLOCKS) {
    const block = parseCidr(text)!;
    const inside = cidrTest(block);
    for (const address of ADDRESSES) assert.equal(inside(address), ipInCidr(address, block), `${address} in ${text}`);
  }
});

test('cidrTest agrees with ipInCidr on random IPv4 addresses and prefixes', () => {
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1664525 + 1013904223) >>> 0) % n);
  for (let i = 0; i < 2000; i++) {
    const quad = () => [rand(256), rand(256), rand(256), rand(256)].join('.');
    const text = `${quad()}/${rand(33)}`;
    const block = parseCidr(text)!;
    const inside = cidrTest(block);
    for (let j = 0; j < 10; j++) {
      const address = quad();
      assert.equal(inside(address), ipInCidr(address, block), `${address} in ${text}`);
    }
  }
});

test('ipv4Value reads only strict dotted quads', () => {
  assert.equal(ipv4Value('10.0.0.1'), 167772161);
  assert.equal(ipv4Value('255.255.255.255'), 4294967295);
  for (const bad of ['01.0.0.1', '1.2.3', '1.2.3.4.', '1.2.3.256', ' 1.2.3.4', '1..2.3', '::1', '']) assert.equal(ipv4Value(bad), -1, bad);
});
