// Backpressure figures: the server runs in its own process (PGlite on disk, then the
// PostgreSQL server when DATABASE_URL is set) while concurrent large bulks flood ingest
// over HTTP on 127.0.0.1 for a bounded time. Meanwhile /health, login, GET /v1/alerts,
// PATCH alert status and GET /v1/logs are timed; 503s and Retry-After, events acknowledged
// vs stored follow. Then four concurrent 72-hour rule tests and a burst of oversized
// events, /health timed during each, and the server's peak RSS. Asserts nothing.
//   node --import tsx bench/flood.ts [--seconds 20] [--workers 24] [--bulk 10000] [--oversized 100]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { makeEvent, percentile, pgSchema, rng } from './lib.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const argValue = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SECONDS = argValue('--seconds', 20);
const WORKERS = argValue('--workers', 24);
const BULK = argValue('--bulk', 10_000);
const OVERSIZED = argValue('--oversized', 100);
const PASSWORD = 'flood-bench-password';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The server's peak resident set (VmHWM), read from /proc while it runs. */
function peakRssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return Number.NaN;
  }
}

async function startServerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // e.g. SERVER_NODE_ARGS=--cpu-prof to see where the server's time goes.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      SECRET_KEY: 'flood-bench-secret-flood-bench-secret-0123456789',
      // The probes measure latency, not the per-client limits.
      RATELIMIT_DEFAULT: '',
      RATELIMIT_AUTH: '',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { child, base };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error('server did not become healthy in 60 s');
}

async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

interface Probe {
  name: string;
  times: number[];
  failures: Map<string, number>;
}

/** Repeats one request every `gapMs` until `until()`, timing each. */
async function probeLoop(probe: Probe, run: () => Promise<Response>, until: () => boolean, gapMs: number): Promise<void> {
  while (!until()) {
    const t = performance.now();
    try {
      const res = await run();
      await res.arrayBuffer();
      probe.times.push(performance.now() - t);
      if (!res.ok) probe.failures.set(String(res.status), (probe.failures.get(String(res.status)) ?? 0) + 1);
    } catch (err) {
      probe.times.push(performance.now() - t);
      const key = (err as Error).name;
      probe.failures.set(key, (probe.failures.get(key) ?? 0) + 1);
    }
    await sleep(gapMs);
  }
}

function describe(probe: Probe): string {
  const sorted = [...probe.times].sort((a, b) => a - b);
  const fails = [...probe.failures].map(([k, n]) => `${k}x${n}`).join(' ');
  const f = (p: number) => `${percentile(sorted, p).toFixed(0)}`;
  return `${probe.name.padEnd(20)} n=${String(sorted.length).padStart(4)}  p50 ${f(50).padStart(5)} ms  p95 ${f(95).padStart(5)} ms  p99 ${f(99).padStart(5)} ms  max ${(sorted.at(-1) ?? Number.NaN).toFixed(0).padStart(5)} ms${fails ? `  non-2xx/errors: ${fails}` : ''}`;
}

async function storedCount(base: string, auth: Record<string, string>): Promise<number> {
  const res = await fetch(`${base}/v1/logs?per_page=1`, { headers: auth });
  return ((await res.json()) as { total: number }).total;
}

async function flood(label: string, env: Record<string, string>): Promise<void> {
  console.log(`\n${label}`);
  const { child, base } = await startServerProcess(env);
  const pid = child.pid!;
  try {
    const username = `flood${process.pid}`;
    const reg = await fetch(`${base}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
    });
    if (!reg.ok) throw new Error(`register answered ${reg.status}: ${await reg.text()}`);
    const token = ((await reg.json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };

    // An alert to triage during the flood: a brute force the shipped rules catch.
    const burst = Array.from({ length: 30 }, () => ({ source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.99', username: 'root', result: 'failure' }));
    await fetch(`${base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(burst) });
    let alertId: string | null = null;
    for (let i = 0; i < 50 && !alertId; i++) {
      const page = (await (await fetch(`${base}/v1/alerts?per_page=1`, { headers: auth })).json()) as { items: { id: string }[] };
      alertId = page.items[0]?.id ?? null;
      if (!alertId) await sleep(100);
    }
    const baseline = await storedCount(base, auth);

    // The load comes from a worker thread: the probes' own event loop stays free, so their
    // figures are the server's latency, not the load generator's.
    const load = runLoad({ kind: 'flood', base, seconds: SECONDS, workers: WORKERS, bulk: BULK });
    await load.started;
    const deadline = performance.now() + SECONDS * 1000;
    const over = () => performance.now() >= deadline;

    const probes: Probe[] = ['GET /health', 'POST login', 'GET /v1/alerts', 'PATCH alert status', 'GET /v1/logs'].map((name) => ({ name, times: [], failures: new Map() }));
    const timeout = () => AbortSignal.timeout(60_000);
    let flip = false;
    const started = performance.now();
    await Promise.all([
      load.done.then(() => undefined),
      probeLoop(probes[0]!, () => fetch(`${base}/health`, { signal: timeout() }), over, 200),
      probeLoop(probes[1]!, () => fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }), signal: timeout() }), over, 500),
      probeLoop(probes[2]!, () => fetch(`${base}/v1/alerts?per_page=50`, { headers: auth, signal: timeout() }), over, 250),
      alertId
        ? probeLoop(probes[3]!, () => {
            flip = !flip;
            return fetch(`${base}/v1/alerts/${alertId}/status`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ status: flip ? 'investigating' : 'acknowledged' }), signal: timeout() });
          }, over, 500)
        : Promise.resolve(),
      probeLoop(probes[4]!, () => fetch(`${base}/v1/logs?per_page=50`, { headers: auth, signal: timeout() }), over, 250),
    ]);
    const { acked, requests, refused, retryAfter, statuses, times: floodTimes, bodyMb } = await load.done;
    const seconds = (performance.now() - started) / 1000;
    const floodRss = peakRssMb(pid);
    const stored = (await storedCount(base, auth)) - baseline;

    floodTimes.sort((a, b) => a - b);
    console.log(`  flood: ${WORKERS} concurrent bulks of ${BULK.toLocaleString()} events (${bodyMb} MB) for ${seconds.toFixed(1)} s: ${requests} requests, statuses ${[...statuses].map(([k, n]) => `${k}x${n}`).join(' ')}`);
    console.log(`  bulk request p50 ${percentile(floodTimes, 50).toFixed(0)} ms, p99 ${percentile(floodTimes, 99).toFixed(0)} ms; 503s ${refused}, Retry-After ${[...retryAfter].map(([k, n]) => `${k}s x${n}`).join(', ') || '-'}`);
    console.log(`  events acknowledged ${acked.toLocaleString()}, stored ${stored.toLocaleString()} (${acked === stored ? 'equal' : `DIFFERENCE ${stored - acked}`}); ${Math.round(acked / seconds).toLocaleString()} events/s acknowledged`);
    for (const p of probes) if (p.times.length > 0) console.log(`  ${describe(p)}`);
    console.log(`  server peak RSS after the flood: ${floodRss} MB`);

    // Rule tests over what the flood stored: four at once over 72 h, /health timed meanwhile.
    const rules = (await (await fetch(`${base}/v1/rules`, { headers: auth })).json()) as { id: string; name: string }[];
    const ruleId = rules.find((r) => /brute/i.test(r.name))?.id ?? rules[0]?.id;
    if (ruleId) {
      const testStatuses = new Map<string, number>();
      const testTimes: number[] = [];
      let evaluated = 0;
      const healthTests: Probe = { name: 'GET /health (tests)', times: [], failures: new Map() };
      let testsDone = false;
      const testsStarted = performance.now();
      await Promise.all([
        Promise.all(Array.from({ length: 4 }, async () => {
          const t = performance.now();
          try {
            const res = await fetch(`${base}/v1/rules/${ruleId}/test`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ hours: 72 }), signal: AbortSignal.timeout(300_000) });
            const body = (await res.json()) as { events_evaluated?: number };
            testStatuses.set(String(res.status), (testStatuses.get(String(res.status)) ?? 0) + 1);
            if (res.ok) {
              evaluated = Math.max(evaluated, body.events_evaluated ?? 0);
              testTimes.push(performance.now() - t);
            }
          } catch (err) {
            const key = (err as Error).name;
            testStatuses.set(key, (testStatuses.get(key) ?? 0) + 1);
          }
        })).finally(() => (testsDone = true)),
        probeLoop(healthTests, () => fetch(`${base}/health`, { signal: timeout() }), () => testsDone, 200),
      ]);
      console.log(`  rule tests: 4 at once over 72 h in ${((performance.now() - testsStarted) / 1000).toFixed(1)} s: statuses ${[...testStatuses].map(([k, n]) => `${k}x${n}`).join(' ')}; ${evaluated.toLocaleString()} events evaluated each; slowest ${Math.max(0, ...testTimes).toFixed(0)} ms`);
      if (healthTests.times.length > 0) console.log(`  ${describe(healthTests)}`);
      console.log(`  server peak RSS after the rule tests: ${peakRssMb(pid)} MB`);
    }

    // Oversized single events: each bulk holds one event of ~5 MB, all sent at once.
    const healthDuring: Probe = { name: 'GET /health (big)', times: [], failures: new Map() };
    let bigDone = false;
    const bigLoad = runLoad({ kind: 'oversized', base, count: OVERSIZED });
    await bigLoad.started;
    const bigStarted = performance.now();
    const big = bigLoad.done.finally(() => (bigDone = true));
    await Promise.all([big, probeLoop(healthDuring, () => fetch(`${base}/health`, { signal: timeout() }), () => bigDone, 200)]);
    const { statuses: bigStatuses, bodyMb: bigMb } = await big;
    console.log(`  oversized: ${OVERSIZED} concurrent bulks of one ${bigMb} MB event in ${((performance.now() - bigStarted) / 1000).toFixed(1)} s: statuses ${[...bigStatuses].map(([k, n]) => `${k}x${n}`).join(' ')}`);
    if (healthDuring.times.length > 0) console.log(`  ${describe(healthDuring)}`);
    console.log(`  server peak RSS overall: ${peakRssMb(pid)} MB`);
  } finally {
    await stopServerProcess(child);
  }
}

type LoadJob = { kind: 'flood'; base: string; seconds: number; workers: number; bulk: number } | { kind: 'oversized'; base: string; count: number };

interface LoadResult {
  acked: number;
  requests: number;
  refused: number;
  retryAfter: Map<string, number>;
  statuses: Map<string, number>;
  times: number[];
  bodyMb: string;
}

/** Runs a load in a worker thread: `started` once its bodies are built and it sends, `done` with its figures. */
function runLoad(job: LoadJob): { started: Promise<void>; done: Promise<LoadResult> } {
  let started!: () => void;
  const startedP = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<LoadResult>((resolve, reject) => {
    // The worker runs this file again, so it registers the TypeScript loader first.
    const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(code, { eval: true, workerData: job });
    worker.on('message', (m: 'started' | LoadResult) => {
      if (m === 'started') started();
      else resolve({ ...m, times: m.times.sort((a, b) => a - b) });
    });
    worker.once('error', reject);
  });
  return { started: startedP, done };
}

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Concurrent large bulks until the deadline, honouring Retry-After (capped at 2 s so the flood stays a flood). */
async function floodLoad(job: Extract<LoadJob, { kind: 'flood' }>): Promise<LoadResult> {
  const rand = rng(7);
  const bodies = Array.from({ length: 8 }, (_, b) => JSON.stringify(Array.from({ length: job.bulk }, (_, i) => makeEvent(b * job.bulk + i, rand))));
  const result: LoadResult = { acked: 0, requests: 0, refused: 0, retryAfter: new Map(), statuses: new Map(), times: [], bodyMb: (Buffer.byteLength(bodies[0]!) / 1024 / 1024).toFixed(1) };
  parentPort!.postMessage('started');
  const deadline = performance.now() + job.seconds * 1000;
  const worker = async (w: number) => {
    let n = w;
    while (performance.now() < deadline) {
      result.requests++;
      const t = performance.now();
      try {
        const res = await fetch(`${job.base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[n++ % bodies.length], signal: AbortSignal.timeout(120_000) });
        const text = await res.text();
        result.times.push(performance.now() - t);
        count(result.statuses, String(res.status));
        if (res.status === 201 || res.status === 207) result.acked += (JSON.parse(text) as { accepted: number }).accepted;
        else if (res.status === 503) {
          result.refused++;
          const after = res.headers.get('retry-after') ?? 'none';
          count(result.retryAfter, after);
          await sleep(Math.min(Number(after) || 1, 2) * 1000);
        }
      } catch (err) {
        count(result.statuses, (err as Error).name);
      }
    }
  };
  await Promise.all(Array.from({ length: job.workers }, (_, w) => worker(w)));
  return result;
}

/** `count` bulks at once, each one event with a 5 MB message. */
async function oversizedLoad(job: Extract<LoadJob, { kind: 'oversized' }>): Promise<LoadResult> {
  const big = Buffer.from(JSON.stringify([{ source_type: 'generic', message: 'x'.repeat(5 * 1024 * 1024) }]));
  const result: LoadResult = { acked: 0, requests: job.count, refused: 0, retryAfter: new Map(), statuses: new Map(), times: [], bodyMb: (big.length / 1024 / 1024).toFixed(0) };
  parentPort!.postMessage('started');
  await Promise.all(Array.from({ length: job.count }, async () => {
    try {
      const res = await fetch(`${job.base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big, signal: AbortSignal.timeout(120_000) });
      await res.arrayBuffer();
      count(result.statuses, String(res.status));
    } catch (err) {
      count(result.statuses, (err as Error).name);
    }
  }));
  return result;
}

async function main() {
  console.log(`SIEM flood bench on ${os.cpus().length} cores, Node ${process.version}: ${SECONDS} s per store`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-flood-'));
  try {
    await flood('PGlite (on disk)', { DATA_DIR: dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pgEnv = await pgSchema('bench_flood');
  if (!pgEnv) {
    console.log('\nPostgreSQL server: skipped (DATABASE_URL not set)');
    return;
  }
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-flood-'));
  try {
    await flood('PostgreSQL server', { ...pgEnv.env, DATA_DIR: dir2 });
  } finally {
    await pgEnv.drop();
    fs.rmSync(dir2, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else {
  const job = workerData as LoadJob;
  parentPort!.postMessage(job.kind === 'flood' ? await floodLoad(job) : await oversizedLoad(job));
}
