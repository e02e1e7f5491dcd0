import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../src/engine/parse/index.ts';
import { inferBsdTime, isValidTimeZone, offsetAt } from '../../src/engine/parse/syslog-time.ts';
import { OPTS, REF } from './parse-helpers.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

test('RFC 3164 headers: PRI, host, program and pid, with and without PRI or pid', () => {
  const rows: Array<[string, Partial<Record<string, unknown>>]> = [
    ['<34>Mar 15 11:59:00 gw-east su[77]: hello world', { facility: 4, syslogSeverity: 2, host: 'gw-east', program: 'su', pid: 77, message: 'hello world', format: 'rfc3164' }],
    ['Mar  5 01:02:03 db-9 CRON[3311]: (root) CMD (true)', { facility: null, host: 'db-9', program: 'CRON', pid: 3311, format: 'rfc3164' }],
    ['Mar 05 01:02:03 db-9 kernel: something happened', { host: 'db-9', program: 'kernel', pid: null, message: 'something happened' }],
    ['Mar 15 11:00:00 mailhub postfix/smtpd[9]: connect from x', { host: 'mailhub', program: 'postfix/smtpd', pid: 9 }],
    ['<13>Mar 15 11:00:00 myapp[12]: no host in this one', { host: null, program: 'myapp', pid: 12, message: 'no host in this one' }],
    ['<13>Mar 15 11:00:00 2001:db8::10 app: v6 host', { host: '2001:db8::10', program: 'app', message: 'v6 host' }],
    ['Mar 15 11:00:00 web-3 just some text without a tag', { host: 'web-3', program: null, message: 'just some text without a tag' }],
    ['<191>Mar 15 11:00:00.250 h p: fraction', { facility: 23, syslogSeverity: 7, timestampMs: Date.UTC(2026, 2, 15, 11, 0, 0, 250) }],
    ['<0>Mar 15 11:00:00 h p: pri zero', { facility: 0, syslogSeverity: 0 }],
  ];
  for (const [line, expected] of rows) {
    const r = parseLine(line, OPTS);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual((r as unknown as Record<string, unknown>)[key], value, `${line}: ${key}`);
    assert.equal(r.unparsed, false, line);
  }
});

test('the RFC 3339 file format rsyslog writes is read with its own offset', () => {
  const r = parseLine('2026-03-15T10:20:30.123456+02:00 host-a sshd[5]: Connection closed by 198.51.100.4 port 22 [preauth]', OPTS);
  assert.equal(r.format, 'iso-syslog');
  assert.equal(iso(r.timestampMs), '2026-03-15T08:20:30.123Z');
  assert.equal(r.host, 'host-a');
  assert.equal(r.parser, 'sshd');
  const z = parseLine('<30>2026-03-15T10:20:30Z host-b app: x', OPTS);
  assert.equal(iso(z.timestampMs), '2026-03-15T10:20:30.000Z');
  assert.equal(z.facility, 3);
});

test('RFC 5424: nil values, structured data with escapes, BOM, procid as pid', () => {
  const line =
    '<165>1 2026-03-15T11:22:33.5-05:00 edge-7.example.org evntslog 8710 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][note@1 text="a \\"quoted\\" \\\\ and \\] bracket"] \ufeffAn application event';
  const r = parseLine(line, OPTS);
  assert.equal(r.format, 'rfc5424');
  assert.equal(r.facility, 20);
  assert.equal(r.syslogSeverity, 5);
  assert.equal(iso(r.timestampMs), '2026-03-15T16:22:33.500Z');
  assert.equal(r.host, 'edge-7.example.org');
  assert.equal(r.program, 'evntslog');
  assert.equal(r.pid, 8710);
  assert.equal(r.msgid, 'ID47');
  assert.deepEqual(r.structuredData, {
    'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
    'note@1': { text: 'a "quoted" \\ and ] bracket' },
  });
  assert.equal(r.message, 'An application event');

  const nil = parseLine('<14>1 - - - - - - only a message', OPTS);
  assert.equal(nil.format, 'rfc5424');
  assert.deepEqual([nil.timestampMs, nil.host, nil.program, nil.pid, nil.msgid, nil.structuredData], [null, null, null, null, null, null]);
  assert.equal(nil.message, 'only a message');

  const named = parseLine('<14>1 2026-03-15T11:00:00Z h app worker-3 - - text', OPTS);
  assert.equal(named.pid, null, 'a non-numeric PROCID is no pid');

  const sshd = parseLine('<38>1 2026-03-15T11:00:00Z bastion sshd 4711 - - Accepted publickey for deploy from 192.0.2.44 port 51515 ssh2: ED25519 SHA256:AbCdEf0123', OPTS);
  assert.equal(sshd.event_type, 'login_success');
  assert.equal(sshd.fields['sshd.key_type'], 'ED25519');
});

test('RFC 5424 with broken structured data keeps what it read and the rest as the message', () => {
  const r = parseLine('<14>1 2026-03-15T11:00:00Z h app - - [ok a="1"][bad x=unquoted] tail', OPTS);
  assert.equal(r.format, 'rfc5424');
  assert.equal(r.structuredData?.ok?.a, '1');
  assert.ok(r.message.includes('tail'));
  const unterminated = parseLine('<14>1 2026-03-15T11:00:00Z h app - - [ok a="never closed', OPTS);
  assert.equal(unterminated.format, 'rfc5424');
});

test('structured data named like Object.prototype members stays data and pollutes nothing', () => {
  const r = parseLine('<14>1 2026-03-15T11:00:00Z h app - - [constructor polluted="yes"][__proto__ polluted="yes"][toString x="1"][ok __proto__="p" constructor="c"] m', OPTS);
  const sd = r.structuredData!;
  assert.deepEqual(Object.keys(sd), ['constructor', 'toString', 'ok']);
  assert.deepEqual(Object.entries(sd)[0], ['constructor', { polluted: 'yes' }]);
  assert.deepEqual({ ...sd.ok }, { constructor: 'c' });
  assert.equal(Object.getPrototypeOf(sd), Object.prototype);
  assert.equal((Object as unknown as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(r.message, 'm');
});

test('malformed headers are not syslog, and unknown lines come back generic and unparsed', () => {
  const lines = [
    '<999>Mar 15 11:00:00 h p: bad pri',
    '<12 Mar 15 11:00:00 h p: no close',
    'Foo 15 11:00:00 h p: bad month',
    'Mar 32 11:00:00 h p: bad day',
    'Mar 15 25:00:00 h p: bad hour',
    '<14>1 2026-13-15T11:00:00Z h app - - bad month',
    '',
    '   ',
    'just words',
  ];
  for (const line of lines) {
    const r = parseLine(line, OPTS);
    assert.equal(r.unparsed, true, line);
    assert.equal(r.format, 'none', line);
    assert.equal(r.source_type, 'generic', line);
    assert.equal(r.event_type, null, line);
    assert.equal(r.message, line, line);
    assert.equal(r.timestampMs, null, line);
  }
});

test('year inference: a December line received in January belongs to the previous year', () => {
  const jan2 = Date.UTC(2027, 0, 2, 8, 0, 0);
  const cases: Array<[string, number, string]> = [
    ['Dec 31 23:59:59 h p: x', jan2, '2026-12-31T23:59:59.000Z'],
    ['Jan  2 07:59:00 h p: x', jan2, '2027-01-02T07:59:00.000Z'],
    // A sender whose clock runs a few minutes ahead at New Year stays in the new year.
    ['Jan  1 00:03:00 h p: x', Date.UTC(2026, 11, 31, 23, 58, 0), '2027-01-01T00:03:00.000Z'],
    // More than the tolerance ahead means last year's line (a replayed file).
    ['Mar 20 10:00:00 h p: x', REF, '2025-03-20T10:00:00.000Z'],
    ['Mar 15 11:59:59 h p: x', REF, '2026-03-15T11:59:59.000Z'],
    ['Mar 16 11:00:00 h p: x', REF, '2026-03-16T11:00:00.000Z'], // within the one-day tolerance
  ];
  for (const [line, ref, expected] of cases) assert.equal(iso(parseLine(line, { referenceMs: ref }).timestampMs), expected, line);
});

test('29 February goes to the latest leap year that is not in the future', () => {
  const r = parseLine('Feb 29 10:00:00 h p: leap', { referenceMs: Date.UTC(2025, 2, 1) });
  assert.equal(iso(r.timestampMs), '2024-02-29T10:00:00.000Z');
  const never = parseLine('Feb 29 10:00:00 h p: leap', { referenceMs: Date.UTC(2026, 5, 1) });
  assert.equal(never.timestampMs, null, 'no leap year among 2025..2027');
  assert.equal(never.format, 'rfc3164', 'the header still parses');
});

test('zones: IANA names through Intl (with DST), fixed offsets, and the year seen in the zone', () => {
  const paris = (line: string, ref = REF) => iso(parseLine(line, { referenceMs: ref, timeZone: 'Europe/Paris' }).timestampMs);
  assert.equal(paris('Mar 15 11:00:00 h p: winter'), '2026-03-15T10:00:00.000Z');
  assert.equal(paris('Jul 15 11:00:00 h p: summer', Date.UTC(2026, 6, 20)), '2026-07-15T09:00:00.000Z');
  assert.equal(iso(parseLine('Mar 15 11:00:00 h p: x', { referenceMs: REF, timeZone: 'America/New_York' }).timestampMs), '2026-03-15T15:00:00.000Z');
  assert.equal(iso(parseLine('Mar 15 11:00:00 h p: x', { referenceMs: REF, timeZone: 'Asia/Kolkata' }).timestampMs), '2026-03-15T05:30:00.000Z');
  assert.equal(iso(parseLine('Mar 15 11:00:00 h p: x', { referenceMs: REF, offsetMinutes: -90 }).timestampMs), '2026-03-15T12:30:00.000Z');
  // Offset wins over the name when both are given.
  assert.equal(iso(parseLine('Mar 15 11:00:00 h p: x', { referenceMs: REF, offsetMinutes: 60, timeZone: 'Asia/Tokyo' }).timestampMs), '2026-03-15T10:00:00.000Z');
  // 31 Dec 23:30 UTC is already 1 Jan in Tokyo: a "Jan 1 08:00" line is this (new) year's.
  const tokyoRef = Date.UTC(2026, 11, 31, 23, 30);
  assert.equal(iso(parseLine('Jan  1 08:20:00 h p: x', { referenceMs: tokyoRef, timeZone: 'Asia/Tokyo' }).timestampMs), '2026-12-31T23:20:00.000Z');
  // RFC 3339 stamps without an offset are read in the configured zone.
  assert.equal(iso(parseLine('2026-07-01T12:00:00 h p: x', { referenceMs: REF, timeZone: 'Europe/Paris' }).timestampMs), '2026-07-01T10:00:00.000Z');
  // 5424 requires an offset: a bare one is read as UTC, never in the configured zone.
  assert.equal(iso(parseLine('<14>1 2026-07-01T12:00:00Z h p - - - x', { referenceMs: REF, timeZone: 'Europe/Paris' }).timestampMs), '2026-07-01T12:00:00.000Z');
});

test('offsetAt and inferBsdTime agree with Intl across a DST change', () => {
  const zone = { timeZone: 'Europe/Berlin' };
  assert.equal(offsetAt(Date.UTC(2026, 2, 29, 0, 59), zone), 60);
  assert.equal(offsetAt(Date.UTC(2026, 2, 29, 1, 0), zone), 120);
  const wall = { month: 3, day: 29, hour: 3, minute: 30, second: 0, millis: 0 };
  assert.equal(iso(inferBsdTime(wall, Date.UTC(2026, 3, 1), zone, 0)), '2026-03-29T01:30:00.000Z');
});

test('an unknown zone name is a configuration error named at once; isValidTimeZone checks it first', () => {
  assert.equal(isValidTimeZone('Europe/Paris'), true);
  assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
  assert.throws(() => parseLine('Mar 15 11:00:00 h p: x', { referenceMs: REF, timeZone: 'Mars/Olympus_Mons' }), /unknown time zone "Mars\/Olympus_Mons"/);
});

test('a known program tag without time or host is read (HEC linux_secure, journal exports); prose before a colon is not', () => {
  const tagged = parseLine('sshd[4242]: Failed password for root from 203.0.113.7 port 52144 ssh2', { referenceMs: Date.UTC(2026, 2, 15) });
  assert.deepEqual([tagged.program, tagged.pid, tagged.parser, tagged.event_type, tagged.fields['source.ip']], ['sshd', 4242, 'sshd', 'login_failure', '203.0.113.7']);
  const noPid = parseLine('sudo: alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash', { referenceMs: 0 });
  assert.equal(noPid.parser, 'sudo');
  for (const prose of ['Error: disk full', 'sshd[abc]: Failed password for root from 1.2.3.4 port 1 ssh2', 'sshd:Failed', `${'s'.repeat(60)}: x`]) {
    const r = parseLine(prose, { referenceMs: 0 });
    assert.equal(r.parser, null, prose);
    assert.equal(r.unparsed, true, prose);
  }
});
