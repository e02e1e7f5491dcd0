import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeLine,
  DEFAULT_MAX_LINE_LENGTH,
  executableOfCommandLine,
  KNOWN_PROGRAMS,
  parseLine,
  parseRecord,
  processNameFromPath,
} from '../../src/engine/parse/index.ts';
import { putAddress } from '../../src/engine/parse/fields.ts';
import { OPTS, REF } from './parse-helpers.ts';

const H = 'Mar 15 11:00:00 h-1';
const K = 65_536;
const fill = (head: string, unit: string, tail = '') => head + unit.repeat(Math.ceil((K - head.length - tail.length) / unit.length)) + tail;

test('process names: bare file name from Windows and POSIX paths, path kept by the caller', () => {
  const rows: Array<[string, string]> = [
    ['C:\\Windows\\System32\\cmd.exe', 'cmd.exe'],
    ['"C:\\Program Files\\Tool Dir\\tool.exe"', 'tool.exe'],
    ['\\\\server\\share\\evil.exe', 'evil.exe'],
    ['/usr/bin/python3', 'python3'],
    ['/opt/my app/bin/run', 'run'],
    ['python3', 'python3'],
    ['./relative/script.sh', 'script.sh'],
    ['C:/mixed/slashes.exe', 'slashes.exe'],
    ['/trailing/', ''],
    ['', ''],
  ];
  for (const [path, name] of rows) assert.equal(processNameFromPath(path), name, path);
  assert.equal(executableOfCommandLine('"C:\\Program Files\\x.exe" -a -b'), 'C:\\Program Files\\x.exe');
  assert.equal(executableOfCommandLine('  /bin/sh -c id'), '/bin/sh');
  assert.equal(executableOfCommandLine('"unterminated'), 'unterminated');
});

test('a line over the limit is cut and flagged; the header still parses', () => {
  const line = `${H} sshd[1]: ${'x'.repeat(100_000)}`;
  const r = parseLine(line, OPTS);
  assert.equal(r.truncated, true);
  assert.equal(r.program, 'sshd');
  assert.ok(r.message.length <= DEFAULT_MAX_LINE_LENGTH);
  const small = parseLine(`${H} sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2`, { ...OPTS, maxLineLength: 40 });
  assert.equal(small.truncated, true);
  assert.equal(small.parser, null, 'a cut message is not misread');
  assert.equal(parseLine(`${H} p: short`, OPTS).truncated, false);
});

test('line terminators and a leading BOM are dropped; NUL and lone surrogates are replaced and flagged', () => {
  const crlf = parseLine(`${H} sshd[1]: Accepted password for a from 192.0.2.1 port 22 ssh2\r\n`, OPTS);
  assert.equal(crlf.event_type, 'login_success');
  assert.equal(crlf.replacedCharacters, false);
  assert.equal(parseLine(`\ufeff${H} p: bom`, OPTS).format, 'rfc3164');
  const nul = parseLine(`${H} p: a\u0000b`, OPTS);
  assert.equal(nul.message, 'a\ufffdb');
  assert.equal(nul.replacedCharacters, true);
  const surrogate = parseLine(`${H} sshd[1]: Failed password for bad\ud800name from 192.0.2.1 port 22 ssh2`, OPTS);
  assert.equal(surrogate.fields['user.name'], 'bad\ufffdname');
  assert.equal(surrogate.replacedCharacters, true);
});

test('decodeLine replaces invalid UTF-8 and says so', () => {
  const enc = new TextEncoder();
  const valid = decodeLine(enc.encode(`${H} p: café`));
  assert.deepEqual(valid, { text: `${H} p: café`, invalid: false });
  const bytes = Uint8Array.from([...enc.encode(`${H} sshd[1]: Failed password for `), 0xff, 0xfe, ...enc.encode('x from 192.0.2.1 port 22 ssh2')]);
  const bad = decodeLine(bytes);
  assert.equal(bad.invalid, true);
  const r = parseLine(bad.text, OPTS);
  assert.equal(r.event_type, 'login_failure');
  assert.equal(r.fields['user.name'], '\ufffd\ufffdx');
  assert.equal(decodeLine(Uint8Array.from([0xc3])).text, '\ufffd', 'a cut multi-byte sequence');
});

test('the field count is bounded by maxFields', () => {
  const pairs = Array.from({ length: 500 }, (_, i) => `K${i}=v`).join(' ');
  const r = parseLine(`${H} kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 ${pairs}`, OPTS);
  assert.ok(Object.keys(r.fields).length <= 128);
  assert.equal(r.fields['source.ip'], '192.0.2.1');
  const few = parseLine(`${H} kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 ${pairs}`, { ...OPTS, maxFields: 10 });
  assert.ok(Object.keys(few.fields).length <= 10);
  const audit = parseLine(`type=EXECVE msg=audit(1:1): argc=500 ${Array.from({ length: 500 }, (_, i) => `a${i}="x"`).join(' ')}`, OPTS);
  assert.ok(String(audit.fields['process.command_line']).split(' ').length <= 64, 'at most 64 arguments');
});

test('parseRecord: a pre-split record is dispatched by its program; without one it is parsed as a line', () => {
  const r = parseRecord({ message: 'Failed password for root from 192.0.2.1 port 22 ssh2', program: 'sshd', host: 'web-9', pid: 4, timestampMs: REF }, OPTS);
  assert.deepEqual([r.parser, r.event_type, r.host, r.pid, r.timestampMs, r.unparsed, r.format], ['sshd', 'login_failure', 'web-9', 4, REF, false, 'none']);
  const unknown = parseRecord({ message: 'hello', program: 'myapp' }, OPTS);
  assert.deepEqual([unknown.parser, unknown.unparsed, unknown.source_type, unknown.program], [null, false, 'generic', 'myapp']);
  const line = parseRecord({ message: `${H} sudo: a : TTY=x ; USER=root ; COMMAND=/bin/id`, host: 'shipper-host', timestampMs: 5 }, OPTS);
  assert.equal(line.parser, 'sudo');
  assert.equal(line.host, 'h-1', 'the header wins over the record');
  assert.notEqual(line.timestampMs, 5);
  const bare = parseRecord({ message: 'no header here', host: 'shipper-host', timestampMs: 5 }, OPTS);
  assert.deepEqual([bare.host, bare.timestampMs], ['shipper-host', 5]);
});

test('a tag with an empty message', () => {
  const empty = parseLine(`${H} prog[3]:`, OPTS);
  assert.deepEqual([empty.program, empty.pid, empty.message, empty.unparsed], ['prog', 3, '', false]);
});

test('putAddress: IP, bracketed IPv6, host name, placeholders', () => {
  const rows: Array<[string, Record<string, string>]> = [
    ['192.0.2.1', { 'source.ip': '192.0.2.1' }],
    ['[2001:db8::9]', { 'source.ip': '2001:db8::9' }],
    ['::ffff:192.0.2.1', { 'source.ip': '::ffff:192.0.2.1' }],
    ['host.example', { 'source.domain': 'host.example' }],
    ['999.1.1.1', { 'source.domain': '999.1.1.1' }],
    ['?', {}],
    ['-', {}],
    ['', {}],
  ];
  for (const [value, expected] of rows) {
    const fields = {};
    putAddress(fields, 'source', value);
    assert.deepEqual(fields, expected, value);
  }
});

test('every registered program name is lower case and unique', () => {
  assert.equal(new Set(KNOWN_PROGRAMS).size, KNOWN_PROGRAMS.length);
  for (const name of KNOWN_PROGRAMS) assert.equal(name, name.toLowerCase());
});

test('adversarial 64 KiB lines parse without super-linear scans', () => {
  const lines: Array<[string, string]> = [
    ['plain', 'a'.repeat(K)],
    ['spaces', ' '.repeat(K)],
    ['PRI digits', fill('<', '1')],
    ['open PRIs', fill('', '<1>')],
    ['header then one huge host', fill('Mar 15 11:00:00 ', 'h')],
    ['header then many colons', fill('Mar 15 11:00:00 h ', ':')],
    ['tag of brackets', fill('Mar 15 11:00:00 h p', '[')],
    ['sshd many " from "', fill(`${H} sshd[1]: Failed password for `, 'x from ')],
    ['sshd many " port "', fill(`${H} sshd[1]: Connection closed by `, 'a port ')],
    ['sshd from without port digits', fill(`${H} sshd[1]: Failed password for a from 192.0.2.1 port `, '9')],
    ['repeated wrapper nested', fill(`${H} sshd[1]: `, 'message repeated 5 times: [ ')],
    ['pam many empty pairs', fill(`${H} sshd[1]: pam_unix(sshd:auth): authentication failure; `, 'a= ')],
    ['pam many equals', fill(`${H} sshd[1]: pam_unix(sshd:auth): authentication failure; `, '=')],
    ['pam unclosed scope', fill(`${H} sshd[1]: pam_unix(`, '(')],
    ['sudo many separators', fill(`${H} sudo: a : `, ' ; ', 'COMMAND=/bin/id')],
    ['sudo many equals', fill(`${H} sudo: a : `, 'K=V ; ')],
    ['su parens', fill(`${H} su[1]: (to `, ') on ')],
    ['accounts quotes', fill(`${H} usermod[1]: add '`, "' to ")],
    ['gpasswd long', fill(`${H} gpasswd[1]: user `, 'a')],
    ['cron parens', fill(`${H} CRON[1]: (root) CMD (`, '(')],
    ['netfilter many IN=', fill(`${H} kernel: `, 'xIN=')],
    ['netfilter many pairs', fill(`${H} kernel: IN=eth0 OUT= `, 'SRC=192.0.2.1 ')],
    ['netfilter many flags', fill(`${H} kernel: IN=eth0 OUT= `, 'F ')],
    ['netfilter unterminated quote', fill(`${H} kernel: IN=eth0 OUT= A="`, 'b')],
    ['postfix many SASL', fill(`${H} postfix/smtpd[1]: warning: `, ': SASL ')],
    ['dovecot many pairs', fill(`${H} dovecot[1]: imap-login: Login: `, 'user=<')],
    ['dovecot many commas', fill(`${H} dovecot[1]: imap-login: Login: user=<a>`, ', ')],
    ['auditd many args', fill('type=EXECVE msg=audit(1:1): argc=9 ', 'a1=4142 ')],
    ['auditd nested msg', fill('type=USER_AUTH msg=audit(1:1): ', "msg='")],
    ['auditd nested double quotes', fill('type=USER_AUTH msg=audit(1:1): msg="', "msg='msg=\"")],
    ['auditd odd hex', fill('type=EXECVE msg=audit(1:1): a0=', 'A')],
    ['5424 many SD elements', fill('<14>1 2026-03-15T11:00:00Z h a - - ', '[x a="1"]')],
    ['5424 escaped quotes', fill('<14>1 2026-03-15T11:00:00Z h a - - [x a="', '\\"')],
    ['5424 long fraction', fill('<14>1 2026-03-15T11:00:00.', '1')],
    ['iso header many digits', fill('2026-03-15T11:00:00', '0')],
  ];
  for (const [name, line] of lines) {
    let best = Infinity;
    // Best of three: the machine is shared, and a GC pause is not the parser's cost.
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const r = parseLine(line, OPTS);
      best = Math.min(best, performance.now() - started);
      assert.ok(r.message.length <= DEFAULT_MAX_LINE_LENGTH, name);
    }
    // A guard against super-linear scans, not a speed check (bench/parse.ts measures speed):
    // a quadratic scan of 64 KiB takes seconds, a linear one a few ms even on a busy machine.
    assert.ok(best < 1000, `${name}: ${best.toFixed(1)} ms`);
    if (process.env.PARSE_TIMINGS) console.log(`${name}: ${best.toFixed(2)} ms`);
  }
});
