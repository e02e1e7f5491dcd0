// Detection from a search: each construct of the query language -> the rule filter it
// becomes (table-driven), the result always valid for the rule contract, and what a rule
// cannot say refused at its place in the query.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateConditions } from '@siem/contracts';
import { QueryError, parseQuery, queryToRuleFilter } from '../../src/engine/query/index.ts';

const anyColumn = (test: unknown) => ({
  any: ['event_type', 'source_ip', 'dest_ip', 'username', 'hostname', 'message'].map((c) => ({ [c]: test })),
});

const TABLE: [string, unknown][] = [
  ['username:root', { username: { equals: 'root' } }],
  ['username:root hostname:web-1', { username: { equals: 'root' }, hostname: { equals: 'web-1' } }],
  ['hostname:a OR hostname:b', { any: [{ hostname: { equals: 'a' } }, { hostname: { equals: 'b' } }] }],
  ['hostname:a hostname:b', { all: [{ hostname: { equals: 'a' } }, { hostname: { equals: 'b' } }] }],
  ['NOT username:admin', { not: { username: { equals: 'admin' } } }],
  ['event_type:(ssh_failed OR sudo)', { any: [{ event_type: { equals: 'ssh_failed' } }, { event_type: { equals: 'sudo' } }] }],
  ['hostname:web-*', { hostname: { wildcard: 'web-*' } }],
  ['process.executable:*\\\\cmd.exe', { 'process.executable': { wildcard: '*\\\\cmd.exe' } }],
  ['message:"50% off*"', { message: { equals: '50% off*' } }],
  ['hostname:a\\*b?', { hostname: { wildcard: 'a\\*b?' } }],
  ['source_ip:10.0.0.0/8', { source_ip: { cidr: '10.0.0.0/8' } }],
  ['dest_ip:2001:db8::/32', { dest_ip: { cidr: '2001:db8::/32' } }],
  ['user.name:*', { 'user.name': { exists: true } }],
  ['_exists_:fields.tags', { 'fields.tags': { exists: true } }],
  ['source_port:[1000 TO 2000}', { source_port: { gte: 1000, lt: 2000 } }],
  ['dest_port>1024', { dest_port: { gt: 1024 } }],
  ['normalized.bytes<=5.5', { 'normalized.bytes': { lte: 5.5 } }],
  ['severity>=high', { severity: { in: ['critical', 'high'] } }],
  ['severity:{low TO critical}', { severity: { in: ['high', 'medium'] } }],
  ['severity:critical', { severity: { equals: 'critical' } }],
  ['mimikatz', anyColumn({ contains: 'mimikatz' })],
  ['"failed password"', anyColumn({ contains: 'failed password' })],
  ['sekur*sa', anyColumn({ wildcard: '*sekur*sa*' })],
  ['source.geo.country_iso_code:RU', { 'source.geo.country_iso_code': { equals: 'RU' } }],
];

const REFUSED: [string, RegExp, number][] = [
  ['ts>=2026-01-01', /A rule cannot hold a time range \('timestamp' at position 0\)/, 0],
  ['hostname:[a TO m]', /compares 'hostname' with numbers only; 'a' at position 10 is not a number/, 10],
  ['x.y:[1 TO b]', /'b' at position 10 is not a number/, 10],
  ['severity:{critical TO *]', /holds no severity/, 0],
];

describe('detection from a search: query -> rule filter', () => {
  for (const [q, filter] of TABLE) {
    it(`${q} -> ${JSON.stringify(filter)}`, () => {
      const result = queryToRuleFilter(parseQuery(q)!);
      assert.deepEqual(result, filter);
      const checked = validateConditions('single', { event_filter: result });
      assert.ok(checked.ok, `valid single-rule conditions: ${checked.ok ? '' : checked.error.message}`);
    });
  }

  for (const [q, message, position] of REFUSED) {
    it(`refuses ${q} at position ${position}`, () => {
      assert.throws(() => queryToRuleFilter(parseQuery(q)!), (err: unknown) => {
        assert.ok(err instanceof QueryError);
        assert.match(err.message, message);
        assert.equal(err.position, position);
        return true;
      });
    });
  }

  it('refuses a group wider than a rule allows', () => {
    const q = Array.from({ length: 65 }, (_, i) => `hostname:h${i}`).join(' OR ');
    assert.throws(() => queryToRuleFilter(parseQuery(q)!), /at most 64 alternatives/);
  });
});
