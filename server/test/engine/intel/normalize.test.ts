// Canonical indicator forms and type inference, table-driven: what a feed says and what an
// event carries must meet on one spelling; hostile or ambiguous text is refused, never cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIp, inferType, normalizeIndicator } from '../../../src/engine/intel/normalize.ts';

const SHA256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';

test('type inference, one row per kind of value', () => {
  const cases: [string, string | null][] = [
    ['203.0.113.7', 'ip'],
    ['2001:DB8::1', 'ip'],
    ['::ffff:198.51.100.4', 'ip'],
    ['10.0.0.0/8', 'cidr'],
    ['2001:db8::/32', 'cidr'],
    ['Evil.Example.COM', 'domain'],
    ['xn--bcher-kva.example', 'domain'],
    ['https://evil.example/login?x=1', 'url'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'sha1'],
    [SHA256, 'sha256'],
    ['', null],
    ['   ', null],
    ['hello', null],
    ['1.2.3', null],
    ['256.1.1.1', null],
    ['10.0.0.0/33', null],
    ['abcd', null],
    ['evil..example', null],
    ['-bad.example', null],
    ['example.123', null],
    ['javascript:alert(1)', null],
    ['a'.repeat(3000), null],
    ['evil.example/path', null],
  ];
  for (const [value, want] of cases) assert.equal(inferType(value), want, JSON.stringify(value.slice(0, 40)));
});

test('canonical forms: addresses, networks, domains, URLs, hashes', () => {
  const cases: [string, string | undefined, string, string][] = [
    // value, declared type, expected type, expected value
    [' 203.0.113.7 ', undefined, 'ip', '203.0.113.7'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', 'ip', 'ip', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', 'ip', 'ip', '2001:db8:0:1::1'],
    ['::ffff:198.51.100.4', 'ip', 'ip', '198.51.100.4'],
    ['10.1.2.3/8', 'cidr', 'cidr', '10.0.0.0/8'],
    ['10.1.2.3/32', 'cidr', 'ip', '10.1.2.3'],
    ['10.1.2.3', 'cidr', 'ip', '10.1.2.3'],
    ['2001:db8:ffff::/33', undefined, 'cidr', '2001:db8:8000::/33'],
    ['::ffff:10.0.0.0/104', 'cidr', 'cidr', '10.0.0.0/8'],
    ['Evil.Example.', 'domain', 'domain', 'evil.example'],
    ['*.evil.example', 'domain', 'domain', 'evil.example'],
    ['bücher.example', 'domain', 'domain', 'xn--bcher-kva.example'],
    ['HTTP://Evil.Example:80/a?b=1#frag', undefined, 'url', 'http://evil.example/a?b=1'],
    ['evil.example/login', 'url', 'url', 'http://evil.example/login'],
    [SHA256, undefined, 'sha256', SHA256.toLowerCase()],
    ['D41D8CD98F00B204E9800998ECF8427E', 'md5', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ];
  for (const [value, type, wantType, wantValue] of cases) {
    const n = normalizeIndicator(value, type as never);
    assert.ok(n.ok, `${value}: ${n.ok ? '' : n.message}`);
    assert.equal(n.type, wantType, value);
    assert.equal(n.value, wantValue, value);
  }
});

test('refusals name the problem and never echo more than a short prefix', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['', undefined, /empty/],
    ['not an ioc', undefined, /not an address/],
    ['abc', 'md5', /not a md5 hash/],
    [SHA256, 'md5', /not a md5 hash/],
    ['1.2.3.4.5', 'ip', /not an IPv4 or IPv6/],
    ['x'.repeat(5000), undefined, /longer than 2048/],
    ['evil example', 'domain', /spaces or control/],
    ['evil\u0000.example', 'domain', /spaces or control/],
    ['ftp://', 'url', /not a URL/],
    ['a'.repeat(300) + '.example', 'domain', /not a domain/],
  ];
  for (const [value, type, pattern] of cases) {
    const n = normalizeIndicator(value, type as never);
    assert.equal(n.ok, false, value.slice(0, 30));
    if (!n.ok) {
      assert.match(n.message, pattern, value.slice(0, 30));
      assert.ok(n.message.length < 200);
    }
  }
  assert.equal(canonicalIp('1.2.3.04'), null);
});
