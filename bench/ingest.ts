// Ingest figures: (a) normalize+classify alone, (b) bulk HTTP ingest into PGlite,
// (c) bulk HTTP ingest into the PostgreSQL server (DATABASE_URL), (d) single-event POSTs
// with concurrent clients (autocannon), dashboard query times over N stored events, and
// peak RSS. Prints numbers, asserts nothing.
//   node --import tsx bench/ingest.ts [--quick] [--dashboard-events 1000000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { IngestEventSchema } from '@siem/contracts';
import { normalizeEvent } from '../server/src/engine/normalize/index.ts';
import { makeEvent, mb, peakRss, percentile, pgSchema, rng, startServer } from './lib.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argValue = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const DASHBOARD_EVENTS = argValue('--dashboard-events', quick ? 100_000 : 1_000_000);

function benchEngine() {
  const rand = rng(1);
  const events = Array.from({ length: 10_000 }, (_, i) => makeEvent(i, rand));
  const parsed = events.map((e) => IngestEventSchema.parse(e));
  const now = Date.now();
  for (let i = 0; i < 50_000; i++) normalizeEvent({ raw: events[i % events.length]!, fields: parsed[i % parsed.length]! }, now);
  const n = quick ? 300_000 : 2_000_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) normalizeEvent({ raw: events[i % events.length]!, fields: parsed[i % parsed.length]! }, now);
  const seconds = (performance.now() - started) / 1000;
  console.log(`(a) normalize+classify: ${Math.round(n / seconds).toLocaleString()} events/s (${n.toLocaleString()} events, one core)`);
}

async function benchBulk(label: string, env: Record<string, string>, cleanup?: () => Promise<void>) {
  const { system, base } = await startServer(env);
  const rand = rng(2);
  const batch = 1000;
  const total = quick ? 50_000 : 200_000;
  const bodies = Array.from({ length: 20 }, (_, b) => JSON.stringify(Array.from({ length: batch }, (_, i) => makeEvent(b * batch + i, rand))));
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      sent += batch;
      const t = performance.now();
      const res = await fetch(`${base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[(sent / batch) % bodies.length] });
      if (res.status !== 201) throw new Error(`bulk answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`${label}: ${Math.round(total / seconds).toLocaleString()} events/s (${total.toLocaleString()} events in requests of ${batch}, 4 concurrent; request p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms)`);
  await system.stop();
  await cleanup?.();
}

async function benchSingle(env: Record<string, string>) {
  const { system, base } = await startServer(env);
  const result = await autocannon({
    url: `${base}/v1/logs/ingest`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ source_type: 'auth', event_type: 'login_failure', source_ip: '198.51.100.7', username: 'svc-backup', result: 'failure' }),
    connections: 50,
    duration: quick ? 5 : 10,
  });
  console.log(
    `(d) single-event POST: ${Math.round(result.requests.average).toLocaleString()} requests/s (50 connections, ${result.duration}s; ` +
      `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; non-2xx ${result.non2xx}, errors ${result.errors})`,
  );
  await system.stop();
}

async function benchDashboard(label: string, env: Record<string, string>, cleanup?: () => Promise<void>) {
  const { system } = await startServer(env);
  const rand = rng(3);
  const now = Date.now();
  const span = 7 * 24 * 3_600_000;
  const started = performance.now();
  const chunk = 5000;
  for (let done = 0; done < DASHBOARD_EVENTS; done += chunk) {
    const items = Array.from({ length: Math.min(chunk, DASHBOARD_EVENTS - done) }, (_, i) => makeEvent(done + i, rand, now - Math.floor(rand() * span)));
    const { status } = await system.deps.ingest.ingestBulk(items);
    if (status !== 201) throw new Error(`load failed: ${status}`);
  }
  const loadSeconds = (performance.now() - started) / 1000;
  console.log(`${label}: loaded ${DASHBOARD_EVENTS.toLocaleString()} events in ${loadSeconds.toFixed(1)} s (${Math.round(DASHBOARD_EVENTS / loadSeconds).toLocaleString()} events/s through the service)`);
  const d = system.deps.dashboard;
  const queries: [string, () => Promise<unknown>][] = [
    ['overview', () => d.overview()],
    ['timeline 24h/15min', () => d.timeline(24, 15)],
    ['timeline 7d/60min', () => d.timeline(168, 60)],
    ['severity breakdown', () => d.severityBreakdown()],
    ['top sources', () => d.topSources(10)],
    ['logs page 1 (unfiltered)', () => system.deps.logs.list({ page: 1, per_page: 50 })],
  ];
  for (const [name, run] of queries) {
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`    ${name.padEnd(26)} median ${percentile(times, 50).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
  }
  await system.stop();
  await cleanup?.();
}

async function main() {
  console.log(`SIEM ingest bench on ${os.cpus().length} cores, Node ${process.version}${quick ? ' (quick)' : ''}`);
  benchEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-'));
  await benchBulk('(b) bulk HTTP -> PGlite (on disk)', { DATA_DIR: dir });
  fs.rmSync(dir, { recursive: true, force: true });
  const pgEnv = await pgSchema('bench');
  if (pgEnv) await benchBulk('(c) bulk HTTP -> PostgreSQL server', pgEnv.env, pgEnv.drop);
  else console.log('(c) skipped: DATABASE_URL not set');
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-'));
  await benchSingle({ DATA_DIR: dir2 });
  fs.rmSync(dir2, { recursive: true, force: true });
  const dir3 = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-'));
  await benchDashboard('dashboard over PGlite', { DATA_DIR: dir3 });
  fs.rmSync(dir3, { recursive: true, force: true });
  const pgEnv2 = await pgSchema('bench');
  if (pgEnv2) await benchDashboard('dashboard over PostgreSQL server', pgEnv2.env, pgEnv2.drop);
  console.log(`peak RSS ${peakRss()}; heap used now ${mb(process.memoryUsage().heapUsed)}`);
}

await main();
