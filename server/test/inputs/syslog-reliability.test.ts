// Senders that misbehave: garbage bytes, bad octet counts, over-long lines, a slowloris, too
// many connections, half-open connections, and a sender faster than the store. The listener
// keeps serving, the Sources registry counts every drop, and TCP loses nothing it read.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { startTestSystem } from '../helpers/system.ts';
import { startSyslogSystem, tempDir, waitUntil, type SyslogSystem } from './syslog-kit.ts';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the server closes the connection (or it fails). */
const closedByServer = (socket: net.Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    socket.on('error', () => {});
    socket.once('close', () => resolve());
    socket.resume();
  });

async function send(port: number, data: string | Buffer): Promise<void> {
  const socket = await connect(port);
  await new Promise<void>((resolve) => socket.end(data, resolve));
  await closedByServer(socket);
}

const line = (marker: string, i = 0) => `<38>Jan  5 10:00:01 web1 sshd[77]: Failed password for ${marker}${i} from 198.51.100.${(i % 250) + 1} port ${1000 + (i % 60000)} ssh2`;

describe('syslog over TCP with misbehaving senders', () => {
  let s: SyslogSystem;
  before(async () => {
    s = await startSyslogSystem({ SYSLOG_MAX_LINE_BYTES: '1024', SYSLOG_TCP_IDLE_SECONDS: '1' });
  });
  after(async () => s.stop());

  it('garbage bytes are stored as unparsed lines with invalid UTF-8 counted, and the listener keeps serving', async () => {
    const garbage = Buffer.from([0x3c, 0xff, 0xfe, 0x00, 0x80, 0x41, 0x0a, 0xc3, 0x28, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65, 0x6d, 0x6b, 0x0a]);
    await send(s.tcp, garbage);
    await send(s.tcp, line('aftergarbage') + '\n');
    await s.waitFor('aftergarbage');
    const [g] = await s.waitFor('garbagemk');
    assert.equal(g!.source_type, 'generic');
    assert.match(String(g!.raw.message), /\ufffd/);
    assert.ok((s.input('syslog-tcp').dropped.invalid_utf8 ?? 0) >= 1);
    assert.ok(s.input('syslog-tcp').parse_failures_total >= 1, 'counted as unparsed, not refused');
  });

  it('a bad octet count closes that connection only; lines framed before it are kept', async () => {
    const before = s.input('syslog-tcp').dropped.bad_frame ?? 0;
    const good = line('beforebad');
    const socket = await connect(s.tcp);
    socket.write(`${Buffer.byteLength(good)} ${good}12ab <13>not a count`);
    await closedByServer(socket);
    await s.waitFor('beforebad');
    assert.equal(s.input('syslog-tcp').dropped.bad_frame, before + 1);
    await send(s.tcp, line('afterbad') + '\n');
    await s.waitFor('afterbad');
  });

  it('an over-long line is counted and skipped; the next line on the same connection is stored', async () => {
    const before = s.input('syslog-tcp').dropped.line_too_long ?? 0;
    await send(s.tcp, `<13>${'x'.repeat(5000)} overlongmarker\n${line('afterlong')}\n`);
    await s.waitFor('afterlong');
    assert.deepEqual(await s.find('overlongmarker'), []);
    assert.equal(s.input('syslog-tcp').dropped.line_too_long, before + 1);
  });

  it('a slowloris trickling one byte at a time holds one bounded frame, then is cut off when it goes quiet', async () => {
    const before = s.input('syslog-tcp').dropped.line_too_long ?? 0;
    const slow = await connect(s.tcp);
    slow.setNoDelay(true);
    const closed = closedByServer(slow);
    const text = `<13>${'s'.repeat(1500)}`;
    for (let i = 0; i < text.length; i += 10) {
      slow.write(text.slice(i, i + 10));
      await new Promise((r) => setImmediate(r));
    }
    // Meanwhile the listener serves everyone else.
    await send(s.tcp, line('whileslow') + '\n');
    await s.waitFor('whileslow');
    await waitUntil(() => (s.input('syslog-tcp').dropped.line_too_long ?? 0) === before + 1, 10_000, () => 'the slowloris line counted as too long');
    await closed; // one second of silence: idle timeout
  });

  it('a half-open connection is closed after the idle timeout and counted', async () => {
    const before = s.input('syslog-tcp').dropped.idle_timeout ?? 0;
    const quiet = await connect(s.tcp);
    quiet.write('<13>partial line never finish');
    const started = Date.now();
    await closedByServer(quiet);
    assert.ok(Date.now() - started >= 800, 'not closed before the idle timeout');
    assert.equal(s.input('syslog-tcp').dropped.idle_timeout, before + 1);
    await waitUntil(() => s.input('syslog-tcp').connections === 0, 5000, () => 'connections back to 0');
  });
});

describe('syslog over TCP at its connection limit', () => {
  let s: SyslogSystem;
  before(async () => {
    s = await startSyslogSystem({ SYSLOG_TCP_MAX_CONNECTIONS: '5' });
  });
  after(async () => s.stop());

  it('connections beyond SYSLOG_TCP_MAX_CONNECTIONS are refused and counted; a freed slot is usable again', async () => {
    const before = s.input('syslog-tcp').dropped.too_many_connections ?? 0;
    const held: net.Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await connect(s.tcp);
      c.write(line(`heldconn${i}`) + '\n');
      held.push(c);
    }
    await waitUntil(() => s.input('syslog-tcp').connections === 5, 5000, () => '5 open connections');
    const extra = await Promise.all([0, 1, 2].map(() => connect(s.tcp).then(closedByServer)));
    assert.equal(extra.length, 3);
    await waitUntil(() => s.input('syslog-tcp').dropped.too_many_connections === before + 3, 5000, () => '3 refused connections counted');
    held[0]!.destroy();
    await waitUntil(() => s.input('syslog-tcp').connections === 4, 5000, () => 'a slot freed');
    await send(s.tcp, line('afterlimit') + '\n');
    await s.waitFor('afterlimit');
    for (const c of held) c.destroy();
  });
});

describe('syslog when the sender outpaces the store', () => {
  let s: SyslogSystem;
  before(async () => {
    s = await startSyslogSystem({ INGEST_QUEUE_MAX: '200', INGEST_BATCH_MAX: '200' });
  });
  after(async () => s.stop());

  it('TCP reading pauses and every line sent is stored; UDP drops beyond the queue are counted', async () => {
    const total = 50_000;
    const tcp = await connect(s.tcp);
    let blocked = 0;
    const written = (async () => {
      for (let i = 0; i < total; i += 500) {
        const chunk = Array.from({ length: 500 }, (_, j) => `${line('bpressure', i + j)}\n`).join('');
        if (!tcp.write(chunk)) {
          blocked++;
          await new Promise((r) => tcp.once('drain', r));
        }
      }
      tcp.end();
    })();
    // A UDP burst while the queue is full.
    const udp = dgram.createSocket('udp4');
    const udpSent = 3000;
    for (let i = 0; i < udpSent; i++) {
      udp.send(line('udpburst', i), s.udp, '127.0.0.1');
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await written;
    const stored = async (prefix: string) =>
      (await s.sys.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM log_events WHERE username LIKE $1', [`${prefix}%`])).rows[0]!.n;
    let tcpStored = 0;
    await waitUntil(async () => (tcpStored = await stored('bpressure')) >= total, 120_000, () => `${total} TCP lines stored (have ${tcpStored})`);
    await closedByServer(tcp);
    udp.close();
    assert.equal(await stored('bpressure'), total, 'no TCP line lost, none twice');
    const udpStored = await stored('udpburst');
    const udpDropped = s.input('syslog-udp').dropped.queue_full ?? 0;
    assert.ok(udpDropped > 0, 'UDP drops counted while the queue was full');
    assert.ok(udpStored + udpDropped <= udpSent);
    assert.deepEqual(s.input('syslog-tcp').dropped, {});
    // Not asserted (kernel buffers vary), but telling when the test is read: the sender was held back.
    console.log(`note: the TCP sender found the socket full ${blocked} times`);
  });
});

describe('syslog when the server stops', () => {
  it('every line read before the stop is stored: listeners flush into the writer before it closes', async () => {
    const dir = tempDir('siem-syslog-stop-');
    try {
      const s = await startSyslogSystem({ DATA_DIR: dir.dir });
      const total = 3000;
      const payload = Array.from({ length: total }, (_, i) => `${line('stopflush', i)}\n`).join('');
      const socket = await connect(s.tcp);
      socket.on('error', () => {});
      socket.write(payload);
      // Read by the listener (counted), most of it not yet stored: then stop at once.
      await waitUntil(() => s.input('syslog-tcp').bytes_total >= Buffer.byteLength(payload), 20_000, () => 'every byte read');
      await s.stop();
      socket.destroy();
      const again = await startTestSystem({ DATA_DIR: dir.dir });
      try {
        const { rows } = await again.deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM log_events WHERE username LIKE 'stopflush%'");
        assert.equal(rows[0]!.n, total);
      } finally {
        await again.stop();
      }
    } finally {
      dir.remove();
    }
  });
});
