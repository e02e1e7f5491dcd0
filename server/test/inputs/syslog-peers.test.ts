// The syslog listeners driven by the real senders of Debian's packages: logger (util-linux)
// over UDP and TCP in both RFC formats, rsyslog forwarding a file with omfwd (newline and
// octet-counted framing), syslog-ng's network() and syslog() destinations. Each event must be
// stored with its host, program and parsed fields.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogEvent } from '@siem/contracts';
import { logger, rsyslogd, skipWithout, syslogNg } from '../helpers/peers.ts';
import { daemon, run, startSyslogSystem, tempDir, type SyslogSystem } from './syslog-kit.ts';

let s: SyslogSystem;
before(async () => {
  s = await startSyslogSystem();
});
after(async () => s.stop());

/** An sshd failure from a unique user, so each case finds its own event. */
const sshdFailure = (user: string, port: number) => `Failed password for invalid user ${user} from 203.0.113.9 port ${port} ssh2`;

function assertSshdFailure(e: LogEvent, user: string, port: number, host: string, input = 'syslog-tcp') {
  assert.equal(e.source_type, 'auth');
  assert.equal(e.event_type, 'login_failure');
  assert.equal(e.source_ip, '203.0.113.9');
  assert.equal(e.source_port, port);
  assert.equal(e.username, user);
  assert.equal(e.hostname, host);
  assert.equal(e.fields['source.ip'], '203.0.113.9');
  assert.equal(e.fields['event.outcome'], 'failure');
  assert.equal(e.fields['log.syslog.appname'], 'sshd');
  assert.equal(e.metadata.input, input);
  assert.equal(e.metadata.peer, '127.0.0.1');
  assert.equal(e.metadata.format, 'sshd');
}

describe('logger (util-linux)', { skip: skipWithout(logger, 'logger') }, () => {
  const cases = [
    { name: 'UDP, RFC 3164', args: ['-d', '--rfc3164'], user: 'lgudp3164', port: 40001 },
    { name: 'UDP, RFC 5424', args: ['-d', '--rfc5424'], user: 'lgudp5424', port: 40002 },
    { name: 'TCP, RFC 3164, newline framing', args: ['-T', '--rfc3164'], user: 'lgtcp3164', port: 40003 },
    { name: 'TCP, RFC 5424, octet counting', args: ['-T', '--rfc5424', '--octet-count'], user: 'lgtcp5424', port: 40004 },
  ];
  for (const c of cases) {
    it(`${c.name}: an sshd failure becomes an auth event with its address, user and host`, async () => {
      const port = c.args.includes('-d') ? s.udp : s.tcp;
      await run(logger!, ['-n', '127.0.0.1', '-P', String(port), ...c.args, '-t', 'sshd', '--id=4242', sshdFailure(c.user, c.port)]);
      const [e] = await s.waitFor(c.user);
      // logger names this machine in the header (its short name for RFC 3164).
      assertSshdFailure(e!, c.user, c.port, c.args.includes('--rfc3164') ? os.hostname().split('.')[0]! : os.hostname(), c.args.includes('-d') ? 'syslog-udp' : 'syslog-tcp');
      assert.equal((await s.find(c.user)).length, 1, 'stored once');
      // raw is the line exactly as it arrived, header included.
      assert.match(String(e!.raw.message), new RegExp(`^<\\d+>.*sshd.*invalid user ${c.user} from`));
    });
  }

  it('RFC 5424 structured data is kept on the event', async () => {
    await run(logger!, ['-n', '127.0.0.1', '-P', String(s.tcp), '-T', '--rfc5424', '--octet-count', '-t', 'billing', '--sd-id', 'order@32473', '--sd-param', 'id="A-17"', 'order lgsdmarker settled']);
    const [e] = await s.waitFor('lgsdmarker');
    assert.equal(e!.fields['log.syslog.structured_data.order@32473.id'], 'A-17');
    assert.equal(e!.fields['log.syslog.appname'], 'billing');
  });

  it('many lines over one TCP connection all arrive; the Sources registry shows each listener', async () => {
    const before = s.input('syslog-tcp').bytes_total;
    const dir = tempDir('siem-logger-');
    const file = path.join(dir.dir, 'lines.txt');
    fs.writeFileSync(file, Array.from({ length: 300 }, (_, i) => `bulkmarker line ${i}`).join('\n') + '\n');
    await run(logger!, ['-n', '127.0.0.1', '-P', String(s.tcp), '-T', '--rfc5424', '--octet-count', '-t', 'batch', '-f', file]);
    dir.remove();
    await s.waitFor('bulkmarker', 300);
    assert.ok(s.input('syslog-tcp').bytes_total > before);
    assert.equal(s.input('syslog-tcp').state, 'listening');
    assert.equal(s.input('syslog-tcp').address, `127.0.0.1:${s.tcp}`);
    assert.equal(s.input('syslog-udp').state, 'listening');
    // No certificate configured: the TLS listener is off and says why.
    assert.equal(s.input('syslog-tls').state, 'off');
    assert.match(s.input('syslog-tls').error ?? '', /SYSLOG_TLS_CERT_FILE/);
  });
});

/** rsyslogd in the foreground with its own configuration, work directory and pid file. */
async function withRsyslog(conf: (dir: string) => string, body: (dir: string) => Promise<void>) {
  const dir = tempDir('siem-rsyslog-');
  fs.mkdirSync(path.join(dir.dir, 'work'));
  const confFile = path.join(dir.dir, 'rsyslog.conf');
  fs.writeFileSync(confFile, conf(dir.dir));
  const d = daemon(rsyslogd!, ['-n', '-f', confFile, '-i', path.join(dir.dir, 'rsyslogd.pid')]);
  try {
    await body(dir.dir);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nrsyslogd said: ${d.output()}`);
  } finally {
    await d.stop();
    dir.remove();
  }
}

describe('rsyslog forwarding a file (imfile + omfwd over TCP)', { skip: skipWithout(rsyslogd, 'rsyslogd') }, () => {
  for (const framing of ['traditional', 'octet-counted'] as const) {
    it(`TCP_Framing="${framing}": every line of the file is stored as a parsed sshd event`, async () => {
      const user = `rs${framing.slice(0, 3)}`;
      await withRsyslog(
        (dir) => `global(workDirectory="${dir}/work")
module(load="imfile")
input(type="imfile" File="${dir}/auth.log" Tag="sshd[2201]:" Facility="auth" Severity="info")
action(type="omfwd" target="127.0.0.1" port="${s.tcp}" protocol="tcp"
       TCP_Framing="${framing}" template="RSYSLOG_SyslogProtocol23Format"
       queue.type="LinkedList" queue.filename="siem_fwd" action.resumeRetryCount="-1")
`,
        async (dir) => {
          const lines = Array.from({ length: 20 }, (_, i) => sshdFailure(`${user}${i}`, 41000 + i));
          fs.writeFileSync(path.join(dir, 'auth.log'), lines.join('\n') + '\n');
          const events = await s.waitFor(user, 20);
          const e = events.find((x) => x.username === `${user}7`)!;
          assertSshdFailure(e, `${user}7`, 41007, e.hostname!);
          assert.ok(e.hostname);
        },
      );
    });
  }
});

/** syslog-ng in the foreground with its own configuration, persist file and control socket. */
async function withSyslogNg(conf: (dir: string) => string, body: (dir: string) => Promise<void>) {
  const dir = tempDir('siem-syslog-ng-');
  const confFile = path.join(dir.dir, 'syslog-ng.conf');
  fs.writeFileSync(confFile, conf(dir.dir));
  const d = daemon(syslogNg!, [
    '-F', '-f', confFile, '-p', path.join(dir.dir, 'syslog-ng.pid'),
    `--persist-file=${path.join(dir.dir, 'syslog-ng.persist')}`, `--control=${path.join(dir.dir, 'syslog-ng.ctl')}`,
  ]);
  try {
    await body(dir.dir);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nsyslog-ng said: ${d.output()}`);
  } finally {
    await d.stop();
    dir.remove();
  }
}

describe('syslog-ng forwarding a file', { skip: skipWithout(syslogNg, 'syslog-ng') }, () => {
  const destinations = [
    { name: 'network() over TCP (RFC 3164, newline framing)', dest: (port: number) => `network("127.0.0.1" port(${port}) transport("tcp"))`, user: 'sngnet' },
    { name: 'syslog() (RFC 5424, octet counting)', dest: (port: number) => `syslog("127.0.0.1" port(${port}) transport("tcp"))`, user: 'sngsys' },
  ];
  for (const c of destinations) {
    it(`${c.name}: lines arrive parsed, with the host syslog-ng names`, async () => {
      await withSyslogNg(
        (dir) => `@version: 3.38
options { stats_freq(0); };
source s_auth { file("${dir}/auth.log" follow-freq(0.2) flags(no-parse) program-override("sshd") host-override("bastion-${c.user}")); };
destination d_siem { ${c.dest(s.tcp)}; };
log { source(s_auth); destination(d_siem); };
`,
        async (dir) => {
          const lines = Array.from({ length: 10 }, (_, i) => sshdFailure(`${c.user}${i}`, 42000 + i));
          fs.writeFileSync(path.join(dir, 'auth.log'), lines.join('\n') + '\n');
          const events = await s.waitFor(c.user, 10);
          const e = events.find((x) => x.username === `${c.user}3`)!;
          assertSshdFailure(e, `${c.user}3`, 42003, `bastion-${c.user}`);
        },
      );
    });
  }
});
