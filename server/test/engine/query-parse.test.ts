// The search query language, table-driven: valid queries -> canonical form (and the
// canonical form parses to itself), invalid ones -> message and position, hostile input
// (deep nesting, huge text, injection attempts, LIKE metacharacters, NUL, unicode) ->
// a located error or an inert value, never a crash.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QUERY_LIMITS } from '@siem/contracts';
import { QueryError, fieldsOf, formatQuery, parseQuery, type QueryNode } from '../../src/engine/query/index.ts';

const VALID: [string, string][] = [
  ['username:root', 'username:root'],
  ['a b', 'a AND b'],
  ['a and b or c', 'a AND b OR c'],
  ['a OR b AND c', 'a OR b AND c'],
  ['(a OR b) c', '(a OR b) AND c'],
  ['a && b || !c', 'a AND b OR NOT c'],
  ['-username:admin', 'NOT username:admin'],
  ['NOT NOT a', 'NOT NOT a'],
  ['not (a b)', 'NOT (a AND b)'],
  ['foo-bar', 'foo-bar'],
  ['"failed password"', '"failed password"'],
  ['message:"a \\"quoted\\" word"', 'message:"a \\"quoted\\" word"'],
  ['hostname:web-*', 'hostname:web-*'],
  ['hostname:we?-0?', 'hostname:we?-0?'],
  ['hostname:web\\*', 'hostname:"web*"'],
  ['event_type:(ssh_failed OR sudo)', 'event_type:ssh_failed OR event_type:sudo'],
  ['event_type:(a b) c', 'event_type:a AND event_type:b AND c'],
  ['event_type:(a OR NOT b)', 'event_type:a OR NOT event_type:b'],
  ['source_port:[1000 TO 2000]', 'source_port:[1000 TO 2000]'],
  ['source_port:{1000 TO *]', 'source_port>1000'],
  ['source_port:[* TO 22}', 'source_port<22'],
  ['dest_port>=1024', 'dest_port>=1024'],
  ['dest_port:>=1024', 'dest_port>=1024'],
  ['dest_port < 10', 'dest_port<10'],
  ['severity>=high', 'severity>=high'],
  ['severity:HIGH', 'severity:high'],
  ['ts>=2026-01-01', 'timestamp>="2026-01-01T00:00:00.000Z"'],
  ['@timestamp:[2026-01-01T10:00:00Z TO 2026-01-01T11:00:00]', 'timestamp:["2026-01-01T10:00:00.000Z" TO "2026-01-01T11:00:00.000Z"]'],
  ['source_ip:10.0.0.0/8', 'source_ip:"10.0.0.0/8"'],
  ['source_ip:"10.0.0.0/8"', 'source_ip:"10.0.0.0/8"'],
  ['dest_ip:2001:db8::/32', 'dest_ip:"2001:db8::/32"'],
  ['dest_ip:fe80::1', 'dest_ip:"fe80::1"'],
  ['source_ip:::1', 'source_ip:"::1"'],
  ['source_ip:10.0.0.1', 'source_ip:10.0.0.1'],
  ['user.name:*', 'user.name:*'],
  ['_exists_:user.name', 'user.name:*'],
  ['fields.user.name:bob', 'user.name:bob'],
  ['fields.tags:x', 'fields.tags:x'],
  ['source.geo.country_iso_code:RU', 'source.geo.country_iso_code:RU'],
  ['threat.indicator.matches:*', 'threat.indicator.matches:*'],
  ['normalized.pid>100', 'normalized.pid>100'],
  ['raw.winlog.event_data.User:bob', 'raw.winlog.event_data.User:bob'],
  ['*', '*'],
  ['"and"', '"and"'],
  ['message:"%_\\\\"', 'message:"%_\\\\"'],
  ['message:Ünïcødé', 'message:Ünïcødé'],
  ['message:😀', 'message:😀'],
  ['process.command_line:*\\\\cmd.exe', 'process.command_line:*\\\\cmd.exe'],
  ['   ', ''],
  ['', ''],
];

const INVALID: [string, RegExp, number, number][] = [
  ['(a OR b', /Expected '\)' to close the '\(' at position 0/, 7, 0],
  ['a OR (b AND (c)', /Expected '\)' to close the '\(' at position 5/, 15, 0],
  ['a)', /Unexpected '\)' at position 1/, 1, 1],
  ['a AND', /Expected a term after AND at position 2/, 2, 3],
  ['OR a', /Expected a term at position 0, found OR/, 0, 2],
  ['a OR OR b', /Expected a term after OR at position 2/, 2, 2],
  ['NOT', /Expected a term after NOT/, 0, 3],
  ['usrname:root', /Unknown field 'usrname' at position 0: did you mean 'username'/, 0, 7],
  ['a hostnme:x', /Unknown field 'hostnme' at position 2: did you mean 'hostname'/, 2, 7],
  ['source_port:abc', /'source_port' at position 12 takes a whole number/, 12, 3],
  ['dest_port>=x', /takes a whole number/, 11, 1],
  ['severity:bogus', /'severity' is one of critical, high, medium, low, info/, 9, 5],
  ['severity>nope', /'severity' is one of/, 9, 4],
  ['timestamp:2026-01-01', /compare times with a range/, 10, 10],
  ['ts>=yesterday', /is not a date or ISO 8601 time/, 4, 9],
  ['ts>=0000-01-01', /is not a date or ISO 8601 time/, 4, 10],
  ['ts<99999-01-01', /is not a date or ISO 8601 time/, 3, 11],
  ['source_port:[1 2]', /Expected 'TO' in the range started at position 12/, 15, 1],
  ['source_port:[1 TO 2', /Expected '\]' or '\}' to close the '\[' at position 12/, 19, 0],
  ['hostname:[a* TO b]', /A range bound cannot hold wildcards/, 10, 2],
  ['source_ip:[1 TO 2]', /addresses are matched with a network/, 11, 1],
  ['source_port:10.0.0.0/8', /does not hold addresses/, 12, 10],
  ['"unterminated', /Unclosed quote: the '"' at position 0/, 0, 13],
  ['a "b', /Unclosed quote: the '"' at position 2/, 2, 2],
  ['username:', /Expected a value after 'username:'/, 8, 1],
  [':x', /Expected a field name before ':' at position 0/, 0, 1],
  ['>= 5', /Expected a field name before '>='/, 0, 2],
  ['[1 TO 2]', /A range needs a field/, 0, 1],
  ['a\\', /escapes nothing/, 1, 1],
  ['a\u0000b', /Control character U\+0000 at position 1/, 1, 1],
  ['a\u007fb', /Control character U\+007F/, 1, 1],
  ['x\ud800y', /unpaired surrogate/, 1, 1],
  ['message:(a OR )', /Expected a term after OR/, 11, 2],
  ['_exists_:', /Expected a field name after '_exists_:'/, 9, 0],
  ['USERNAME:root', /Unknown field 'USERNAME' at position 0: did you mean 'username'/, 0, 8],
  ['hostname*:x', /Unknown field 'hostname\*'/, 0, 9],
];

function errorOf(q: string): QueryError {
  try {
    parseQuery(q);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  assert.fail(`expected an error for ${JSON.stringify(q)}`);
}

describe('query language: valid queries', () => {
  for (const [q, canonical] of VALID) {
    it(`${JSON.stringify(q)} reads as ${JSON.stringify(canonical)}`, () => {
      const ast = parseQuery(q);
      assert.equal(formatQuery(ast), canonical);
      // The canonical form means the same thing: it parses to itself.
      assert.equal(formatQuery(parseQuery(canonical)), canonical);
    });
  }

  it('keeps where each node came from', () => {
    const ast = parseQuery('a  username:root') as Extract<QueryNode, { kind: 'and' }>;
    assert.equal(ast.kind, 'and');
    assert.deepEqual([ast.children[0]!.pos, ast.children[0]!.len], [0, 1]);
    assert.deepEqual([ast.children[1]!.pos, ast.children[1]!.len], [3, 13]);
  });

  it('lists the fields a query names, canonically', () => {
    assert.deepEqual(fieldsOf(parseQuery('ts>=2026-01-01 fields.user.name:x OR user.name:y hostname:h free')), ['timestamp', 'user.name', 'hostname']);
  });

  it('reads a wildcard value as a pattern and an escaped one as literal text', () => {
    const wild = parseQuery('hostname:web-*') as Extract<QueryNode, { kind: 'match' }>;
    assert.deepEqual(wild.value.pattern, ['web-', { wild: '*' }]);
    const literal = parseQuery('hostname:web-\\*') as Extract<QueryNode, { kind: 'match' }>;
    assert.equal(literal.value.pattern, undefined);
    assert.equal(literal.value.text, 'web-*');
  });
});

describe('query language: errors point at their place', () => {
  for (const [q, message, position, length] of INVALID) {
    it(`${JSON.stringify(q)} -> ${message} at ${position}`, () => {
      const err = errorOf(q);
      assert.match(err.message, message);
      assert.deepEqual([err.position, err.length], [position, length]);
    });
  }

  it('an unknown field suggests the closest known one', () => {
    assert.equal(errorOf('usrname:x').suggestion, 'username');
    assert.equal(errorOf('sourceip:x').suggestion, 'source_ip');
    assert.equal(errorOf('zzzzzzzz:x').suggestion, undefined);
  });
});

describe('query language: hostile input', () => {
  it('refuses nesting past the depth bound, at the opening that goes too deep', () => {
    const depth = QUERY_LIMITS.maxDepth + 1;
    const err = errorOf(`${'('.repeat(depth)}a${')'.repeat(depth)}`);
    assert.match(err.message, /nests more than 32 levels/);
    assert.equal(err.position, QUERY_LIMITS.maxDepth);
    assert.ok(parseQuery(`${'('.repeat(QUERY_LIMITS.maxDepth)}a${')'.repeat(QUERY_LIMITS.maxDepth)}`));
    assert.match(errorOf(`${'NOT '.repeat(40)}a`).message, /nests more than/);
    assert.match(errorOf(`${'-'.repeat(40)}a`).message, /nests more than/);
    assert.match(errorOf(`hostname:${'('.repeat(40)}a`).message, /nests more than/);
  });

  it('refuses a query past 2,000 characters, pointing at the excess', () => {
    const err = errorOf('a'.repeat(5000));
    assert.match(err.message, /at most 2000 characters/);
    assert.deepEqual([err.position, err.length], [2000, 3000]);
    assert.equal(formatQuery(parseQuery('a'.repeat(1024))), 'a'.repeat(1024));
  });

  it('refuses more than 100 terms, at the first one too many', () => {
    const terms = Array.from({ length: 101 }, (_, i) => `t${i}`);
    const err = errorOf(terms.join(' '));
    assert.match(err.message, /at most 100 terms/);
    assert.equal(err.position, terms.slice(0, 100).join(' ').length + 1);
    assert.ok(parseQuery(terms.slice(0, 100).join(' OR ')));
  });

  it('bounds wildcards and length of one value', () => {
    assert.match(errorOf(`hostname:${'a*'.repeat(17)}`).message, /at most 16 wildcards/);
    assert.ok(parseQuery(`hostname:${'a*'.repeat(16)}`));
    assert.match(errorOf(`message:"${'x'.repeat(1025)}"`).message, /at most 1024 characters/);
  });

  it('keeps SQL and LIKE metacharacters as inert values', () => {
    for (const text of ["'; DROP TABLE x; --", '%', '_', '\\', "' OR 1=1 --", '$1', 'E\'\\x00\'']) {
      const ast = parseQuery(`message:"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`) as Extract<QueryNode, { kind: 'match' }>;
      assert.equal(ast.kind, 'match');
      assert.equal(ast.value.text, text);
      assert.equal(ast.value.pattern, undefined);
    }
  });

  it('never throws anything but a located QueryError on random input', () => {
    const alphabet = ['a', 'b', ':', '(', ')', '[', ']', '{', '}', '"', '\\', '*', '?', ' ', '-', '!', '&&', '||', 'AND', 'OR', 'NOT', 'TO', '>', '<=', 'username', 'source_ip', '1', '/', '.', 'é', '😀'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const q = Array.from({ length: 1 + rand(20) }, () => alphabet[rand(alphabet.length)]).join('');
      try {
        const ast = parseQuery(q);
        // What parses, prints and parses to the same canonical form.
        const canonical = formatQuery(ast);
        assert.equal(formatQuery(parseQuery(canonical)), canonical, `round trip of ${JSON.stringify(q)}`);
      } catch (err) {
        if (!(err instanceof QueryError)) throw new Error(`${JSON.stringify(q)}: ${String(err)}`);
        assert.ok(err.position >= 0 && err.position <= q.length, `position within ${JSON.stringify(q)}`);
        assert.ok(err.length >= 0 && err.position + err.length <= q.length, `length within ${JSON.stringify(q)}`);
      }
    }
  });
});
