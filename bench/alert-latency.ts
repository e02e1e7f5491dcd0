// End-to-end alert latency: from the moment ingest acknowledges a triggering event to the
// moment its alert arrives on the SSE feed, under background load of 1,000 and 5,000
// events/s. Prints p50/p95/p99; asserts nothing.
//   node --import tsx bench/alert-latency.ts [--seconds 10] [--rates 1000,5000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeEvent, percentile, peakRss, rng, startServer } from './lib.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const SECONDS = Number(arg('--seconds', '10'));
const RATES = arg('--rates', '1000,5000').split(',').map(Number);
const PROBES_PER_SECOND = 20;

async function measure(rate: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-latency-'));
  const { system, base } = await startServer({ DATA_DIR: dir, RATELIMIT_DEFAULT: '' });
  const token = (await system.deps.auth.register({ username: 'bench', email: 'bench@example.com', password: 'bench-password-1' })).access_token;
  const auth = { authorization: `Bearer ${token}` };
  await system.deps.rules.create({
    name: 'latency probe', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
    conditions: { event_filter: { event_type: 'latency_probe' }, threshold: 1, window_seconds: 60, group_by: 'hostname' },
    mitre_tactic: null, mitre_technique: null, cooldown_seconds: 0, suppression: null,
  }, null);
  await new Promise((r) => setTimeout(r, 300));

  const sent = new Map<string, number>();
  // An alert can beat the HTTP answer to the client: keep its arrival until the ack is seen.
  const early = new Map<string, number>();
  const latencies: number[] = [];
  const requestStart = new Map<string, number>();
  const fromRequest: number[] = [];
  const controller = new AbortController();
  const feed = await fetch(`${base}/v1/alerts/stream`, { headers: auth, signal: controller.signal });
  const reader = feed.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const now = performance.now();
        buffer += decoder.decode(value, { stream: true });
        for (const line of buffer.split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const group = JSON.parse(line.slice(6)).group_value as string;
          const r0 = requestStart.get(group);
          if (r0 !== undefined) fromRequest.push(now - r0);
          const t = sent.get(group);
          if (t !== undefined) latencies.push(now - t);
          else early.set(group, now);
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      }
    } catch {
      /* aborted */
    }
  })();

  const rand = rng(7);
  const tickMs = 100;
  const perTick = Math.round((rate * tickMs) / 1000);
  const end = performance.now() + SECONDS * 1000;
  let probes = 0;
  let background = 0;
  const load = (async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const body = JSON.stringify(Array.from({ length: perTick }, (_, i) => makeEvent(background + i, rand)));
      background += perTick;
      const res = await fetch(`${base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      const left = tickMs - (performance.now() - t);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
  })();
  const probing = (async () => {
    while (performance.now() < end) {
      const host = `probe-${probes++}`;
      requestStart.set(host, performance.now());
      const res = await fetch(`${base}/v1/logs/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source_type: 'generic', event_type: 'latency_probe', hostname: host }) });
      await res.arrayBuffer();
      const ackedAt = performance.now();
      sent.set(host, ackedAt);
      if (early.has(host)) latencies.push(0);
      await new Promise((r) => setTimeout(r, 1000 / PROBES_PER_SECOND));
    }
  })();
  await Promise.all([load, probing]);
  await new Promise((r) => setTimeout(r, 1000));
  controller.abort();
  await reading;
  latencies.sort((a, b) => a - b);
  fromRequest.sort((a, b) => a - b);
  const achieved = Math.round(background / SECONDS);
  console.log(
    `target ${rate.toLocaleString()} events/s (achieved ${achieved.toLocaleString()}): ${latencies.length}/${probes} alerts received; ` +
      `ack -> SSE latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
      `request sent -> SSE p50 ${percentile(fromRequest, 50).toFixed(1)} ms, p99 ${percentile(fromRequest, 99).toFixed(1)} ms`,
  );
  await system.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`alert latency bench: ${SECONDS}s per rate, ${PROBES_PER_SECOND} probes/s, PGlite on disk, in-process bus`);
for (const rate of RATES) await measure(rate);
console.log(`peak RSS ${peakRss()}`);
