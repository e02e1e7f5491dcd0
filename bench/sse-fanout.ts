// Live-feed bounds and fan-out memory: how many streams one token gets, and the server's
// RSS while N streams that never read (stalled browsers) receive a burst of events.
// Usage: node --import tsx --expose-gc bench/sse-fanout.ts [--streams 1000] [--events 20000]
import net from 'node:net';
import { parseArgs } from 'node:util';
import { mb, startServer } from './lib.ts';

const { values } = parseArgs({ options: { streams: { type: 'string', default: '1000' }, events: { type: 'string', default: '20000' } } });
const streams = Number(values.streams);
const events = Number(values.events);
const rss = () => process.memoryUsage().rss;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Opens a stream on a raw socket that never reads after the headers: a stalled client. */
function stalled(port: number, token: string): Promise<{ status: number; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET /v1/logs/stream?token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    });
    socket.once('data', (chunk) => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString())?.[1] ?? 0);
      socket.pause();
      resolve({ status, socket });
    });
    socket.on('error', reject);
  });
}

const { system, base } = await startServer({ DATA_DIR: ':memory:', RATELIMIT_DEFAULT: '', REGISTRATION_ENABLED: 'true', SSE_MAX_TOTAL: String(Math.max(streams, 1000)) });
const port = Number(new URL(base).port);
const token = async (i: number) => (await system.deps.auth.register({ username: `fan${i}`, email: `fan${i}@example.com`, password: 'bench-password-1' })).access_token;

// 1. One token asks for 2,000 streams.
const one = await token(0);
const attempts: { status: number; socket: net.Socket }[] = [];
for (let i = 0; i < 2000; i += 100) {
  attempts.push(...(await Promise.all(Array.from({ length: 100 }, () => stalled(port, one).catch(() => ({ status: -1, socket: new net.Socket() }))))));
}
const byStatus = new Map<number, number>();
for (const a of attempts) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
console.log(`one token, 2000 stream requests: ${[...byStatus].map(([s, n]) => `${n} x ${s}`).join(', ')}`);
for (const a of attempts) a.socket.destroy();
await new Promise((r) => setTimeout(r, 500));

// 2. N stalled streams (10 per account), then a burst of events fanned out to all of them.
gc();
const before = rss();
const tokens = await Promise.all(Array.from({ length: Math.ceil(streams / 10) }, (_, i) => token(i + 1)));
const open: { status: number; socket: net.Socket }[] = [];
for (let i = 0; i < streams; i += 100) {
  open.push(...(await Promise.all(Array.from({ length: Math.min(100, streams - i) }, (_, j) => stalled(port, tokens[Math.floor((i + j) / 10)]!)))));
}
console.log(`stalled streams open: ${open.filter((o) => o.status === 200).length} of ${streams}; RSS ${mb(rss())} (before ${mb(before)})`);
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);
const batch = Array.from({ length: 1000 }, (_, i) => ({ source_type: 'auth', event_type: 'login_failure', source_ip: `10.0.${i % 250}.${i % 200}`, username: `user-${i}`, hostname: `host-${i % 50}` }));
for (let sent = 0; sent < events; sent += batch.length) {
  await fetch(`${base}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
}
await new Promise((r) => setTimeout(r, 3000));
clearInterval(sampler);
const still = system.deps.liveClients.count();
console.log(`after ${events} events fanned out to ${streams} stalled streams: peak RSS ${mb(peak)} (+${mb(peak - before)}), streams still open ${still} (the rest dropped at SSE_CLIENT_BUFFER_BYTES)`);
for (const o of open) o.socket.destroy();
await system.stop();
process.exit(0);
