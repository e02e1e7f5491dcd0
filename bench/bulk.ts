// Elasticsearch _bulk end to end through the shipper listener: Filebeat-like ECS documents
// (an sshd line in `message`, the usual agent/host/log/event envelope) in batches of 1,000
// and 5,000, plain and gzip, into PGlite and into the PostgreSQL server (own schema, when
// DATABASE_URL is set). Prints documents/s, request latency p50/p99 and peak RSS; asserts
// nothing.
//   node --import tsx bench/bulk.ts [--quick]
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parseBulk } from '../server/src/inputs/shipper/bulk.ts';
import { peakRss, percentile, pgSchema, rng, startServer } from './lib.ts';

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 20_000 : 100_000;
const CONCURRENCY = 2;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const HOSTS = ['bastion-1', 'web-01', 'web-02', 'db-01'];
const USERS = ['root', 'admin', 'oracle', 'test', 'ubuntu', 'deploy', 'git'];

function filebeatDoc(i: number, rand: () => number): Record<string, unknown> {
  const host = HOSTS[i % HOSTS.length]!;
  const ip = `203.0.113.${Math.floor(rand() * 250) + 1}`;
  const pid = 1000 + Math.floor(rand() * 30000);
  const at = new Date(Date.UTC(2026, 10, 30, 8, 0, 0) + i * 10);
  const stamp = `Nov 30 ${at.toISOString().slice(11, 19)}`;
  const message = rand() < 0.8
    ? `${stamp} ${host} sshd[${pid}]: Failed password for invalid user ${USERS[i % USERS.length]} from ${ip} port ${1024 + Math.floor(rand() * 60000)} ssh2`
    : `${stamp} ${host} sshd[${pid}]: Accepted publickey for deploy from 198.51.100.${(i % 200) + 1} port ${1024 + (i % 60000)} ssh2: ED25519 SHA256:q0bW8xw1bench`;
  return {
    '@timestamp': at.toISOString(),
    message,
    log: { offset: i * 120, file: { path: '/var/log/auth.log' } },
    input: { type: 'filestream' },
    host: { name: host, hostname: host, architecture: 'x86_64', os: { family: 'debian', name: 'Debian GNU/Linux', version: '12 (bookworm)' } },
    agent: { type: 'filebeat', version: '8.17.0', name: host, id: 'b5d1c7f0-bench-4c1e-9a77-000000000001', ephemeral_id: 'e2a4-bench' },
    ecs: { version: '8.0.0' },
    event: { dataset: 'system.auth', module: 'system' },
  };
}

function post(port: number, body: Buffer, gzip: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/_bulk', agent: keepAlive, headers: { 'content-type': 'application/x-ndjson', 'content-length': String(body.length), ...(gzip ? { 'content-encoding': 'gzip' } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 429) return resolve(429);
        if (res.statusCode !== 200 || text.includes('"errors":true')) return reject(new Error(`_bulk answered ${res.statusCode}: ${text.slice(0, 300)}`));
        resolve(200);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

async function run(label: string, env: Record<string, string>, cleanup?: () => Promise<void>) {
  const shipperPort = await freePort();
  const dataDir = env.DATABASE_URL ? ':memory:' : fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-bulk-'));
  const { system } = await startServer({ DATA_DIR: dataDir, SHIPPER_PORT: String(shipperPort), ...env });
  const port = system.shipper.port()!;
  const rand = rng(7);
  for (const batch of [1000, 5000]) {
    const bodies = Array.from({ length: 4 }, (_, b) => Buffer.from(Array.from({ length: batch }, (_, i) => `{"create":{"_index":"filebeat-8.17.0"}}\n${JSON.stringify(filebeatDoc(b * batch + i, rand))}\n`).join('')));
    for (const gzip of [false, true]) {
      const payloads = gzip ? bodies.map((b) => zlib.gzipSync(b)) : bodies;
      const latencies: number[] = [];
      let sent = 0;
      let retries = 0;
      const started = performance.now();
      const worker = async () => {
        while (sent < TOTAL) {
          const n = sent / batch;
          sent += batch;
          for (;;) {
            const t = performance.now();
            const status = await post(port, payloads[n % payloads.length]!, gzip);
            if (status === 200) {
              latencies.push(performance.now() - t);
              break;
            }
            retries += 1;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const size = (payloads[0]!.length / 1024).toFixed(0);
      console.log(`${label}, batches of ${batch}, ${gzip ? 'gzip' : 'plain'} (${size} KB/request): ${Math.round(TOTAL / seconds).toLocaleString()} docs/s; request p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; ${retries} retried 429s; peak RSS so far ${peakRss()}`);
    }
  }
  await system.stop();
  if (!env.DATABASE_URL) fs.rmSync(dataDir, { recursive: true, force: true });
  await cleanup?.();
}

/** The listener's own share: gunzip and NDJSON pairing of a 5,000-document body, one core. */
function listenerAlone() {
  const rand = rng(3);
  const text = Array.from({ length: 5000 }, (_, i) => `{"create":{"_index":"filebeat-8.17.0"}}\n${JSON.stringify(filebeatDoc(i, rand))}\n`).join('');
  const gz = zlib.gzipSync(text);
  const rounds = quick ? 20 : 100;
  for (const [label, work] of [['_bulk parse', () => parseBulk(text, { pathIndex: null, maxItems: 50_000 })], ['gunzip + _bulk parse', () => parseBulk(zlib.gunzipSync(gz).toString('utf8'), { pathIndex: null, maxItems: 50_000 })]] as const) {
    work();
    const started = performance.now();
    for (let r = 0; r < rounds; r++) work();
    const seconds = (performance.now() - started) / 1000;
    console.log(`listener alone, ${label}: ${Math.round((rounds * 5000) / seconds).toLocaleString()} docs/s (one core)`);
  }
}

listenerAlone();
console.log(`_bulk end to end (${TOTAL.toLocaleString()} Filebeat-like documents per case, ${CONCURRENCY} concurrent requests, ${os.cpus().length} cores)`);
await run('PGlite', {});
const pgEnv = await pgSchema('bench_bulk');
if (pgEnv) await run('PostgreSQL', pgEnv.env, pgEnv.drop);
else console.log('PostgreSQL: DATABASE_URL not set, skipped');
console.log(`peak RSS ${peakRss()}`);
