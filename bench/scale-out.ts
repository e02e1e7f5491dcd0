// Scale-out: N = 1, 2, 3 real server processes (server/src/main.ts) on one PostgreSQL and
// one Redis, behind the real nginx configuration of deploy/nginx/ on loopback. For each N:
// bulk ingest events/s through nginx, the time until correlation has caught up on all 16
// partitions (end-to-end events/s), the latency of threshold-1 alerts for probes sent during
// that load, the peak RSS of each process, and for N >= 2 the takeover after SIGKILL of one
// process under a steady low load, with attacks straddling the kill that must each raise
// exactly one alert. Prints figures and a summary table; asserts nothing.
//
// How to run: DATABASE_URL and REDIS_URL in the environment, pointing at PostgreSQL and
// Redis on loopback (each N gets its own schema and key prefix, dropped at the end), and
// Debian's nginx at /usr/sbin/nginx (`apt-get install nginx`; or NGINX_BIN=/path/to/nginx),
// run as the bench's own process with its own config, pid file and loopback port. Then
//   npm run bench:scale-out -- [--events 200000] [--clients 8] [--ns 1,2,3]
//     [--probes 20] [--steady 500] [--attacks 48]
// --events: bulk events per N (POSTed to /v1/logs/bulk in chunks of 500 by --clients
// keep-alive clients); --probes: probe events/s during the load; --steady: events/s of the
// background load during the takeover; --attacks: brute-force sources straddling the kill.
// Alert latency is measured from a probe's ingest ack to its alert row being seen by a
// poll of the alerts table (every 25 ms), not from the SSE feed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { openDb, type Db } from '../server/src/store/db.ts';
import { migrate } from '../server/src/store/migrate.ts';
import { createRulesRepo } from '../server/src/store/rules-repo.ts';
import { newObjectId } from '../server/src/lib/object-id.ts';
import { freePort, metric, sleep, waitUntil } from '../server/test/helpers/processes.ts';
import { attackEvents, insertBruteForceRule, lagEvents } from '../server/test/faults/fault-kit.ts';
import { makeEvent, percentile, rng } from './lib.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const EVENTS = Number(arg('--events', '200000'));
const CLIENTS = Number(arg('--clients', '8'));
const NS = arg('--ns', '1,2,3').split(',').map(Number);
const PROBES_PER_SECOND = Number(arg('--probes', '20'));
const STEADY_RATE = Number(arg('--steady', '500'));
const ATTACKS = Number(arg('--attacks', '48'));
const CHUNK = 500;
const PARTITIONS = 16;
const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const PROBE_TYPE = 'scale_probe';
const ATTACK_TYPE = 'scale_takeover_failure';
/** Every wait is bounded: a stuck run stops with an error instead of hanging. */
const CATCH_UP_MS = 15 * 60_000;

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const loopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(url).hostname);
if (!DATABASE_URL || !REDIS_URL || !loopback(DATABASE_URL) || !loopback(REDIS_URL)) {
  console.error('scale-out needs DATABASE_URL and REDIS_URL pointing at PostgreSQL and Redis on loopback');
  process.exit(2);
}
if (!fs.existsSync(NGINX)) {
  console.error(`scale-out needs nginx at ${NGINX} (apt-get install nginx, or set NGINX_BIN)`);
  process.exit(2);
}

interface Proc {
  proc: ChildProcess;
  port: number;
  base: string;
  output: () => string;
  rssMax: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
}
const live = new Set<Proc>();

function track(proc: ChildProcess, port: number): Proc {
  let out = '';
  proc.stdout?.on('data', (d) => (out = (out + d).slice(-20_000)));
  proc.stderr?.on('data', (d) => (out = (out + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const p: Proc = {
    proc, port, base: `http://127.0.0.1:${port}`, output: () => out, rssMax: 0,
    async kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await Promise.race([exited, sleep(10_000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
      live.delete(p);
    },
  };
  live.add(p);
  return p;
}

async function startServer(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'server/src/main.ts')], {
    cwd: os.tmpdir(),
    env: {
      PATH: process.env.PATH ?? '', NODE_ENV: 'production', SECRET_KEY: 'bench-scale-out-secret-0123456789abcdef', LOG_LEVEL: 'warn',
      HOST: '127.0.0.1', PORT: String(port), WEB_DIST_DIR: os.tmpdir(), TRUST_PROXY: 'true',
      SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0',
      RATELIMIT_DEFAULT: '', RATELIMIT_AUTH: '', RATELIMIT_INGEST: '', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = track(proc, port);
  await waitUntil(async () => proc.exitCode !== null || (await fetch(`${p.base}/health`)).status === 200, 180_000, `server on ${port}`).catch(
    async (err: unknown) => {
      await p.kill();
      throw new Error(`${(err as Error).message}\n${p.output().slice(-4000)}`);
    },
  );
  if (proc.exitCode !== null) throw new Error(`the server exited at start:\n${p.output().slice(-4000)}`);
  return p;
}

/** nginx as our own process, with deploy/nginx/siem.conf and upstream.conf rewritten for loopback. */
async function startNginx(dir: string, ports: number[]): Promise<Proc> {
  const port = await freePort();
  const upstream = fs.readFileSync(path.join(root, 'deploy/nginx/upstream.conf'), 'utf8')
    .split('\n').filter((l) => !/^\s*#/.test(l) && !/^\s*server\s/.test(l)).join('\n')
    .replace(/upstream siem \{/, `upstream siem {\n${ports.map((p) => `    server 127.0.0.1:${p};`).join('\n')}`);
  const site = fs.readFileSync(path.join(root, 'deploy/nginx/siem.conf'), 'utf8');
  if (!/^\s*listen 80;$/m.test(site) || !upstream.includes('server 127.0.0.1:')) throw new Error('deploy/nginx/*.conf changed shape: update the rewrite');
  fs.writeFileSync(path.join(dir, 'upstream.conf'), upstream);
  fs.writeFileSync(path.join(dir, 'siem.conf'), site.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, t)};`).join('\n');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `worker_processes 1;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n${temp}\n  include ${dir}/upstream.conf;\n  include ${dir}/siem.conf;\n}\n`);
  const proc = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p = track(proc, port);
  await waitUntil(async () => proc.exitCode !== null || (await fetch(`${p.base}/health`)).status === 200, 30_000, 'nginx').catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${p.output()}`);
  });
  if (proc.exitCode !== null) throw new Error(`nginx exited: ${p.output()}${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
  return p;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 2 });
/** The probes' own connections, so they never queue behind the bulk load's. */
const PROBES_IN_FLIGHT = 100;
const probeAgent = new http.Agent({ keepAlive: true, maxSockets: PROBES_IN_FLIGHT });

function post(base: string, route: string, body: string | Buffer, via = agent): Promise<{ status: number; text: string; retryAfter: number }> {
  const url = new URL(route, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: via, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: Number(res.headers['retry-after'] ?? 0) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs one bulk body until it is accepted (429/5xx retried, at most 100 times); returns the accepted count. */
async function postBulk(base: string, body: string, counts: { retries: number }): Promise<number> {
  let last = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await post(base, '/v1/logs/bulk', body).catch((err: Error) => ({ status: 0, text: err.message, retryAfter: 0 }));
    last = `${res.status} ${res.text.slice(0, 300)}`;
    if (res.status === 201 || res.status === 207) return (JSON.parse(res.text) as { accepted: number }).accepted;
    if (res.status !== 0 && res.status !== 429 && res.status < 500) throw new Error(`bulk answered ${res.status}: ${res.text.slice(0, 300)}`);
    counts.retries++;
    await sleep(Math.min(1000, Math.max(100, res.retryAfter * 1000)));
  }
  throw new Error(`bulk: 100 attempts failed, the last with ${last}`);
}

/** The peak VmRSS of every live server process, sampled every 500 ms. */
function sampleRss(procs: Proc[]): () => void {
  const timer = setInterval(() => {
    for (const p of procs) {
      if (p.proc.exitCode !== null || p.proc.signalCode !== null) continue;
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.proc.pid}/status`, 'utf8'))?.[1] ?? 0);
        p.rssMax = Math.max(p.rssMax, kb * 1024);
      } catch {
        // exited between the check and the read
      }
    }
  }, 500);
  return () => clearInterval(timer);
}

/** One metric of a process (0 when it does not answer). */
async function gauge(base: string, name = 'siem_correlation_partitions_owned'): Promise<number> {
  try {
    return metric(await (await fetch(`${base}/metrics`)).text(), name) || 0;
  } catch {
    return 0;
  }
}
const owned = (base: string) => gauge(base);
const replayed = async (procs: Proc[]) => (await Promise.all(procs.map((p) => gauge(p.base, 'siem_correlation_replayed_events_total')))).reduce((a, b) => a + b, 0);

/** Waits until no stored event is left uncorrelated on any partition; polls every `everyMs` (the count is not free). */
async function waitCaughtUp(db: Db, what: string, everyMs: number): Promise<void> {
  const deadline = performance.now() + CATCH_UP_MS;
  while ((await lagEvents(db)) > 0) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

interface Result {
  n: number;
  bulkRate: number;
  e2eRate: number;
  p50: number;
  p99: number;
  probes: string;
  rss: number[];
  takeover?: { partitionsMs: number; lagMs: number; replayed: number; once: number; attacks: number };
}

/** Probes at PROBES_PER_SECOND until stop(); latencies from ack to the alert row being seen. */
function probe(base: string, db: Db, ruleId: string, n: number) {
  const sentAt = new Map<string, number>();
  const ackAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let stopped = false;
  let aborted = false;
  let inFlight = 0;
  let count = 0;
  const sending = (async () => {
    const start = performance.now();
    for (let tick = 0; !stopped; tick++) {
      // On a fixed schedule, so a slow answer does not slow the probes down (at most PROBES_IN_FLIGHT at once).
      await sleep(Math.max(0, start + (tick * 1000) / PROBES_PER_SECOND - performance.now()));
      if (!stopped && inFlight < PROBES_IN_FLIGHT) {
        const host = `probe-${n}-${count++}`;
        inFlight++;
        sentAt.set(host, performance.now());
        void post(base, '/v1/logs/ingest', JSON.stringify({ source_type: 'generic', event_type: PROBE_TYPE, hostname: host }), probeAgent)
          .then((res) => res.status === 201 && ackAt.set(host, performance.now()), () => undefined)
          .finally(() => inFlight--);
      }
    }
  })();
  const polling = (async () => {
    while (!aborted) {
      const pending = [...sentAt.keys()].filter((h) => !seenAt.has(h));
      if (stopped && pending.every((h) => !ackAt.has(h))) return;
      if (pending.length > 0) {
        const { rows } = await db.query<{ group_value: string }>('SELECT group_value FROM alerts WHERE rule_id = $1 AND group_value = ANY($2::text[])', [ruleId, pending]);
        const now = performance.now();
        for (const r of rows) seenAt.set(r.group_value, now);
      }
      await sleep(25);
    }
  })();
  return {
    /** Stops everything at once (a failed run). */
    abort: async () => {
      stopped = aborted = true;
      await Promise.allSettled([sending, polling]);
    },
    stopSending: async () => {
      stopped = true;
      await sending;
      await waitUntil(() => inFlight === 0, 30_000, 'the last probes to be acknowledged');
    },
    /** Waits (bounded) for the alerts of every acknowledged probe, then the latencies. */
    async finish(): Promise<{ latencies: number[]; acked: number; sent: number; ackP50: number }> {
      await waitUntil(() => [...ackAt.keys()].every((h) => seenAt.has(h)), 60_000, 'the probes\' alerts').catch(() => undefined);
      const acked = ackAt.size;
      for (const h of ackAt.keys()) seenAt.set(h, seenAt.get(h) ?? 0); // ends the poll
      await polling;
      const latencies = [...ackAt].filter(([h]) => seenAt.get(h)! > 0).map(([h, t]) => Math.max(0, seenAt.get(h)! - t)).sort((a, b) => a - b);
      const acks = [...ackAt].map(([h, t]) => t - sentAt.get(h)!).sort((a, b) => a - b);
      return { latencies, acked, sent: sentAt.size, ackP50: percentile(acks, 50) };
    },
  };
}

/** A background load of `rate` events/s in ten requests a second until stop(). */
function steadyLoad(base: string, rate: number) {
  const rand = rng(11);
  const counts = { retries: 0, sent: 0 };
  let stopped = false;
  const running = (async () => {
    const perTick = Math.max(1, Math.round(rate / 10));
    while (!stopped) {
      const t = performance.now();
      const ok = await postBulk(base, JSON.stringify(Array.from({ length: perTick }, (_, i) => makeEvent(counts.sent + i, rand))), counts);
      counts.sent += ok;
      await sleep(Math.max(0, 100 - (performance.now() - t)));
    }
  })();
  return { counts, stop: async () => ((stopped = true), await running) };
}

async function measure(n: number, bodies: string[]): Promise<Result> {
  const schema = `bench_scale_${n}_${process.pid}`;
  const prefix = `${schema}:`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-scale-out-'));
  fs.chmodSync(dir, 0o755); // nginx's workers (nobody when started as root) write their temp files here
  const db = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema, poolSize: 4 });
  const procs: Proc[] = [];
  let stopRss = () => {};
  let stopProbes = async () => {};
  try {
    await migrate(db);
    // Written before the processes start, so every process has them from its first rule load.
    const probeRule = await createRulesRepo(db).insert({
      id: newObjectId(), name: 'scale probe', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
      conditions: { event_filter: { event_type: PROBE_TYPE }, threshold: 1, window_seconds: 60, group_by: 'hostname' },
      mitre_tactic: null, mitre_technique: null, cooldown_seconds: 0, builtin_key: null,
    });
    const attackRule = await insertBruteForceRule(db, ATTACK_TYPE, 4);
    const env = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix };
    const started = performance.now();
    procs.push(await startServer(env));
    procs.push(...(await Promise.all(Array.from({ length: n - 1 }, () => startServer(env)))));
    stopRss = sampleRss(procs);
    await waitUntil(async () => {
      const shares = await Promise.all(procs.map((p) => owned(p.base)));
      return shares.reduce((a, b) => a + b, 0) === PARTITIONS && Math.min(...shares) >= Math.floor(PARTITIONS / n);
    }, 120_000, 'the partitions to be spread');
    const nginx = await startNginx(dir, procs.map((p) => p.port));
    console.log(`N=${n}: ${n} process(es) up, partitions spread, nginx on ${nginx.port} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    // 1 + 2: bulk load through nginx with probes alongside.
    const probes = probe(nginx.base, db, probeRule.id, n);
    stopProbes = probes.abort;
    const counts = { retries: 0 };
    let next = 0;
    let accepted = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) {
        const ok = await postBulk(nginx.base, bodies[next++]!, counts);
        accepted += ok;
      }
    }));
    const bulkSeconds = (performance.now() - t0) / 1000;
    await probes.stopSending();
    await waitCaughtUp(db, 'correlation to catch up with the bulk load', 250);
    const e2eSeconds = (performance.now() - t0) / 1000;
    const { latencies, acked, sent, ackP50 } = await probes.finish();
    const result: Result = {
      n, bulkRate: accepted / bulkSeconds, e2eRate: accepted / e2eSeconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
      probes: `${latencies.length}/${acked}`, rss: [],
    };
    console.log(`N=${n}: ${accepted.toLocaleString()} events acknowledged in ${bulkSeconds.toFixed(1)} s (${Math.round(result.bulkRate).toLocaleString()} events/s, ${counts.retries} retried answers); correlation caught up after ${e2eSeconds.toFixed(1)} s (${Math.round(result.e2eRate).toLocaleString()} events/s end to end)`);
    console.log(`N=${n}: probes ${sent} sent in ${bulkSeconds.toFixed(1)} s, ${acked} acknowledged (request -> ack p50 ${ackP50.toFixed(0)} ms), ${latencies.length} alerts seen; ack -> alert row p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms`);

    // 4: SIGKILL one process under a steady load; attacks straddle the kill.
    if (n >= 2) {
      const load = steadyLoad(nginx.base, STEADY_RATE);
      const t = Date.now() - 60_000;
      const attack = (k: number) => attackEvents(ATTACK_TYPE, ATTACKS, 2, t + k * 10_000);
      const retry = { retries: 0 };
      await postBulk(nginx.base, JSON.stringify(attack(0)), retry);
      await waitCaughtUp(db, 'the first failures to be correlated', 100);
      const victim = procs[0]!;
      const survivors = procs.slice(1);
      const victimOwned = await owned(victim.base);
      const replayedBefore = await replayed(survivors);
      const killedAt = performance.now();
      await victim.kill('SIGKILL');
      const second = attack(1);
      for (let i = 0; i < second.length; i += 24) await postBulk(nginx.base, JSON.stringify(second.slice(i, i + 24)), retry);
      await waitUntil(async () => (await Promise.all(survivors.map((p) => owned(p.base)))).reduce((a, b) => a + b, 0) === PARTITIONS, CATCH_UP_MS, 'the survivors to own every partition');
      const partitionsMs = performance.now() - killedAt;
      const replayedEvents = (await replayed(survivors)) - replayedBefore;
      await waitCaughtUp(db, 'correlation to catch up after the kill', 100);
      const lagMs = performance.now() - killedAt;
      await load.stop();
      const { rows } = await db.query<{ group_value: string; n: number }>('SELECT group_value, count(*)::int AS n FROM alerts WHERE rule_id = $1 GROUP BY group_value', [attackRule]);
      const once = rows.filter((r) => r.n === 1).length;
      const more = rows.filter((r) => r.n > 1).length;
      result.takeover = { partitionsMs, lagMs, replayed: replayedEvents, once, attacks: ATTACKS };
      console.log(`N=${n}: SIGKILL of 1 of ${n} (it owned ${victimOwned} partitions) under ${STEADY_RATE} events/s (${load.counts.sent} sent, ${load.counts.retries + retry.retries} retried answers): survivors own all ${PARTITIONS} partitions (claimed, ${replayedEvents.toLocaleString()} events replayed to rebuild windows) after ${(partitionsMs / 1000).toFixed(1)} s, lag 0 after ${(lagMs / 1000).toFixed(1)} s`);
      console.log(`N=${n}: ${ATTACKS} attacks straddling the kill (2 failures before, 2 after, threshold 4): ${once} alerted exactly once, ${more} more than once, ${ATTACKS - rows.length} not at all`);
    }
    stopRss();
    result.rss = procs.map((p) => p.rssMax);
    const nginxLog = fs.readFileSync(path.join(dir, 'error.log'), 'utf8').split('\n').filter(Boolean);
    const buffered = nginxLog.filter((l) => l.includes('buffered to a temporary file')).length;
    console.log(`N=${n}: nginx error.log: ${nginxLog.length} lines, ${buffered} of them "request body buffered to a temporary file", ${nginxLog.filter((l) => l.includes('upstream')).length} naming the upstream`);
    console.log(`N=${n}: peak RSS per process ${result.rss.map((b) => `${(b / 1024 / 1024).toFixed(0)} MB`).join(', ')}`);
    return result;
  } finally {
    stopRss();
    await stopProbes();
    for (const p of [...live]) await p.kill(p.proc.spawnfile === NGINX ? 'SIGTERM' : 'SIGKILL');
    await db.close();
    await dropShared(schema, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Drops the schema and the Redis keys of one N (SCAN, at most 1,000 rounds). */
async function dropShared(schema: string, prefix: string): Promise<void> {
  const pg = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', poolSize: 1 });
  await pg.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pg.close();
  const redis = new Redis(REDIS_URL!);
  let cursor = '0';
  for (let round = 0; round < 1000; round++) {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = nextCursor;
    if (cursor === '0') break;
  }
  await redis.quit();
}

process.on('SIGINT', () => {
  for (const p of live) p.proc.kill('SIGKILL');
  process.exit(130);
});

const rand = rng(42);
const bodies: string[] = [];
for (let i = 0; i < EVENTS; i += CHUNK) {
  bodies.push(JSON.stringify(Array.from({ length: Math.min(CHUNK, EVENTS - i) }, (_, j) => makeEvent(i + j, rand))));
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`scale-out bench: ${EVENTS.toLocaleString()} events in chunks of ${CHUNK} by ${CLIENTS} clients, ${PROBES_PER_SECOND} probes/s, N = ${NS.join(', ')}, ${os.cpus().length} cores, load average ${load()}`);
const results: Result[] = [];
for (const n of NS) results.push(await measure(n, bodies));

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rows = [
  ['N', 'bulk ev/s', 'end-to-end ev/s', 'alert p50 / p99 (seen/acked)', 'peak RSS per process', 'takeover: 16 owned / lag 0 (replayed)', 'attacks alerted once'],
  ...results.map((r) => [
    String(r.n), Math.round(r.bulkRate).toLocaleString(), Math.round(r.e2eRate).toLocaleString(),
    `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms (${r.probes})`, r.rss.map((b) => `${(b / 1024 / 1024).toFixed(0)}`).join(' + ') + ' MB',
    r.takeover ? `${s(r.takeover.partitionsMs)} / ${s(r.takeover.lagMs)} (${r.takeover.replayed.toLocaleString()} ev)` : '-', r.takeover ? `${r.takeover.once}/${r.takeover.attacks}` : '-',
  ]),
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(`\nsummary (load average at the end ${load()}):`);
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
