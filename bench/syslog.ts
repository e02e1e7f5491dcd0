// Syslog over TCP end to end: a sender in a child process pushes realistic syslog lines
// (sshd, PAM, sudo, cron, UFW, postfix; RFC 3164 and 5424, octet-counted or LF) into the whole
// server on PGlite and on the PostgreSQL server (DATABASE_URL), until every line is stored.
// Prints lines/s, the lag between sent and stored, and peak RSS; --outpace runs senders faster
// than the store for a while and samples RSS every 500 ms to show memory stays flat.
//   node --import tsx bench/syslog.ts [--lines 200000] [--framing octet|lf] [--store both|pglite|postgres]
//   node --import tsx bench/syslog.ts --outpace 90 [--queue-max 100000]
import { fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../server/src/config.ts';
import { startSyslogInputs } from '../server/src/inputs/syslog/index.ts';
import { createMetrics } from '../server/src/metrics.ts';
import { createSources } from '../server/src/services/sources.ts';
import { mb, peakRss, percentile, pgSchema, rng, startServer } from './lib.ts';

const args = process.argv.slice(2);
const argValue = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};

// ---- the sender (child process) ----

const USERS = ['root', 'admin', 'oracle', 'test', 'ubuntu', 'deploy', 'alice', 'bob', 'postgres', 'git'];
const HOSTS = ['web-01', 'web-02', 'db-01', 'bastion', 'mail-01', 'ci-runner-3'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function syslogLines(count: number, nowMs: number): string[] {
  const rand = rng(7);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const ip = () => `203.0.113.${Math.floor(rand() * 250) + 1}`;
  const d = new Date(nowMs);
  const stamp3164 = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
  const stamp5424 = d.toISOString();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const host = pick(HOSTS);
    const pid = 1000 + Math.floor(rand() * 30000);
    const port = 1024 + Math.floor(rand() * 60000);
    const user = pick(USERS);
    let program: string;
    let msg: string;
    let pri = 38;
    switch (i % 8) {
      case 0:
      case 1:
        program = 'sshd';
        msg = `Failed password for ${rand() < 0.5 ? 'invalid user ' : ''}${user} from ${ip()} port ${port} ssh2`;
        break;
      case 2:
        program = 'sshd';
        msg = `Accepted publickey for ${user} from ${ip()} port ${port} ssh2: ED25519 SHA256:q8B1xkTzY3v0aNn2b5uJ7c9d0e1f2g3h4i5j6k7l8m9`;
        break;
      case 3:
        program = 'sshd';
        msg = `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip()}  user=${user}`;
        break;
      case 4:
        program = 'sudo';
        pri = 85;
        msg = `${user} : TTY=pts/${i % 9} ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`;
        break;
      case 5:
        program = 'CRON';
        pri = 78;
        msg = `(${user}) CMD (/usr/local/bin/backup.sh --incremental > /dev/null 2>&1)`;
        break;
      case 6:
        program = 'kernel';
        pri = 4;
        msg = `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=${ip()} DST=10.0.0.5 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=${pid} DF PROTO=TCP SPT=${port} DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0`;
        break;
      default:
        program = 'postfix/smtpd';
        pri = 22;
        msg = `warning: unknown[${ip()}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`;
    }
    const tag = program === 'kernel' ? 'kernel:' : `${program}[${pid}]:`;
    out.push(i % 2 === 0 ? `<${pri}>${stamp3164} ${host} ${tag} ${msg}` : `<${pri}>1 ${stamp5424} ${host} ${program} ${program === 'kernel' ? '-' : pid} - - ${msg}`);
  }
  return out;
}

/** Writes `total` lines (or until told to stop when total is 0) and reports progress to the parent. */
async function runSender(port: number, total: number, framing: string): Promise<void> {
  const lines = syslogLines(4096, Date.now());
  const framed = lines.map((l) => (framing === 'lf' ? `${l}\n` : `${Buffer.byteLength(l)} ${l}`));
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  process.send!({ sent: 0, ready: true });
  let stop = false;
  process.on('message', (m) => {
    if (m === 'stop') stop = true;
  });
  let sent = 0;
  const report = setInterval(() => process.send!({ sent }), 100);
  const CHUNK = 256;
  while (!stop && (total === 0 || sent < total)) {
    const n = total === 0 ? CHUNK : Math.min(CHUNK, total - sent);
    let text = '';
    for (let i = 0; i < n; i++) text += framed[(sent + i) % framed.length];
    sent += n;
    if (!socket.write(text)) await new Promise((r) => socket.once('drain', r));
  }
  clearInterval(report);
  await new Promise<void>((resolve) => socket.end(resolve));
  process.send!({ sent, done: true });
  process.disconnect();
}

// ---- the measuring side (parent) ----

interface Sender {
  /** Connected: the clock starts here, not at the child's start-up. */
  ready: Promise<void>;
  sent(): number;
  done: Promise<number>;
  stop(): void;
}

function startSender(port: number, total: number, framing: string): Sender {
  const child = fork(fileURLToPath(import.meta.url), ['--sender', String(port), String(total), framing], { execArgv: ['--import', 'tsx'] });
  let sent = 0;
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<number>((resolve, reject) => {
    child.on('message', (m: { sent: number; done?: boolean; ready?: boolean }) => {
      sent = m.sent;
      if (m.ready) onReady();
      if (m.done) resolve(m.sent);
    });
    child.on('exit', (code) => (code === 0 ? resolve(sent) : reject(new Error(`sender exited with ${code}`))));
  });
  return { ready, sent: () => sent, done, stop: () => child.send('stop') };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function storedCount(system: Awaited<ReturnType<typeof startServer>>['system']): Promise<number> {
  return (await system.deps.logs.list({ page: 1, per_page: 1 })).total;
}

async function benchEndToEnd(label: string, env: Record<string, string>, total: number, framing: string) {
  const port = await freePort();
  const { system } = await startServer({ ...env, SYSLOG_TCP_PORT: String(port), SYSLOG_UDP_PORT: '0', SYSLOG_TLS_PORT: '0' });
  const base = await storedCount(system);
  const sender = startSender(port, total, framing);
  await sender.ready;
  const started = performance.now();
  // Lag: for a sample of "sent" marks, the time until that many lines were stored.
  const marks: { at: number; sent: number }[] = [];
  const lags: number[] = [];
  let stored = 0;
  let senderSeconds = 0;
  void sender.done.then(() => (senderSeconds = (performance.now() - started) / 1000));
  while (stored < total) {
    await new Promise((r) => setTimeout(r, 100));
    const now = performance.now();
    stored = (await storedCount(system)) - base;
    marks.push({ at: now, sent: sender.sent() });
    while (marks.length > 0 && marks[0]!.sent <= stored) lags.push(now - marks.shift()!.at);
    if (now - started > 600_000) throw new Error(`only ${stored} of ${total} stored after 10 minutes`);
  }
  const seconds = (performance.now() - started) / 1000;
  await sender.done;
  lags.sort((a, b) => a - b);
  console.log(
    `${label}: ${Math.round(total / seconds).toLocaleString()} lines/s end to end (${total.toLocaleString()} ${framing} lines in ${seconds.toFixed(1)} s; ` +
      `sender done after ${senderSeconds.toFixed(1)} s; sent-to-stored lag p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms)`,
  );
  const tcp = system.deps.sources.snapshot().inputs.find((i) => i.name === 'syslog-tcp');
  if (tcp && tcp.dropped_total > 0) console.log(`    drops: ${JSON.stringify(tcp.dropped)}`);
  await system.stop();
  console.log(`    peak RSS so far ${peakRss()}`);
}

async function benchOutpace(env: Record<string, string>, seconds: number, senders: number) {
  const port = await freePort();
  const { system } = await startServer({ ...env, SYSLOG_TCP_PORT: String(port), SYSLOG_UDP_PORT: '0', SYSLOG_TLS_PORT: '0' });
  const base = await storedCount(system);
  const running = Array.from({ length: senders }, () => startSender(port, 0, 'octet'));
  await Promise.all(running.map((s) => s.ready));
  const samples: { t: number; rss: number; heap: number; sent: number; stored: number }[] = [];
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    samples.push({
      t: (performance.now() - started) / 1000,
      rss: process.memoryUsage.rss(),
      heap: process.memoryUsage().heapUsed,
      sent: running.reduce((n, s) => n + s.sent(), 0),
      stored: (await storedCount(system)) - base,
    });
  }
  for (const s of running) s.stop();
  await Promise.all(running.map((s) => s.done));
  const steady = samples.filter((s) => s.t >= 5);
  const rss = steady.map((s) => s.rss).sort((a, b) => a - b);
  const last = samples.at(-1)!;
  console.log(
    `outpace: ${senders} senders for ${seconds} s: written ${last.sent.toLocaleString()}, stored ${last.stored.toLocaleString()} (${Math.round(last.stored / last.t).toLocaleString()} lines/s); ` +
      `the rest waits in the write queue (INGEST_QUEUE_MAX) and, beyond it, in the senders' sockets`,
  );
  console.log(`    RSS after 5 s: min ${mb(rss[0]!)}, median ${mb(percentile(rss, 50))}, max ${mb(rss.at(-1)!)}`);
  const every2s = (pick: (s: (typeof samples)[number]) => number) =>
    samples.filter((_, i) => i % 4 === 3).map((s) => mb(pick(s)).replace(' MB', '')).join(' ');
  console.log(`    RSS every 2 s (MB): ${every2s((s) => s.rss)}`);
  // RSS includes PGlite's WebAssembly memory, which grows with the database and never shrinks;
  // the JavaScript heap is where queued lines and events live.
  console.log(`    JS heap used every 2 s (MB): ${every2s((s) => s.heap)}`);
  await system.stop();
}

/** The input alone (framing, decoding, batching) with an intake that only counts: its share of the cost. */
async function benchInputOnly(total: number, framing: string) {
  const port = await freePort();
  let received = 0;
  const intake = {
    lines: async (lines: readonly string[]) => {
      received += lines.length;
      return { accepted: lines.length, rejected: 0, errors: [], duplicates: [] };
    },
    documents: async () => ({ accepted: 0, rejected: 0, errors: [], duplicates: [] }),
    hasRoom: () => true,
    waitForRoom: async () => {},
  };
  const config = loadConfig({ SYSLOG_TCP_PORT: String(port), SYSLOG_UDP_PORT: '0', SYSLOG_TLS_PORT: '0' });
  const sources = createSources({ metrics: createMetrics({ defaultMetrics: false }) });
  const inputs = await startSyslogInputs({ config, intake, sources, log: pino({ level: 'silent' }) });
  const sender = startSender(port, total, framing);
  await sender.ready;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sender.done;
  while (received < total) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    `input alone (framing + UTF-8 + batching, ${framing}): ${Math.round(total / seconds).toLocaleString()} lines/s ` +
      `(listener CPU ${(((used.user + used.system) / 1e6 / total) * 1e6).toFixed(2)} µs per line)`,
  );
  await inputs.stop();
}

async function main() {
  const total = Number(argValue('--lines', '200000'));
  const framing = argValue('--framing', 'octet');
  const outpace = Number(argValue('--outpace', '0'));
  console.log(`SIEM syslog bench on ${os.cpus().length} cores, Node ${process.version}`);
  if (outpace > 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-'));
    const queueMax = argValue('--queue-max', '');
    await benchOutpace({ DATA_DIR: dir, ...(queueMax ? { INGEST_QUEUE_MAX: queueMax } : {}) }, outpace, 4);
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`peak RSS ${peakRss()}`);
    return;
  }
  const store = argValue('--store', 'both');
  if (store === 'both') await benchInputOnly(Math.max(total, 200_000), framing);
  if (store !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-'));
    await benchEndToEnd('syslog TCP -> PGlite (on disk)', { DATA_DIR: dir }, total, framing);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pg = store === 'pglite' ? null : await pgSchema('bench_syslog');
  if (pg) {
    await benchEndToEnd('syslog TCP -> PostgreSQL server', pg.env, total, framing);
    await pg.drop();
  } else {
    console.log('PostgreSQL: skipped (DATABASE_URL not set)');
  }
  console.log(`peak RSS ${peakRss()}`);
}

if (args[0] === '--sender') await runSender(Number(args[1]), Number(args[2]), args[3] ?? 'octet');
else await main();
