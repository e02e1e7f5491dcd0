// The whole server with its shipper listener on a free loopback port, for the shipper
// suites: HTTP helpers speaking to the listener and a reader of what the store holds.
import http from 'node:http';
import { freePort } from '../helpers/processes.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

export interface ShipperSystem {
  sys: TestSystem;
  port: number;
  base: string;
  /** Stored events (newest first), read through the API. */
  events(perPage?: number): Promise<{ total: number; items: Record<string, unknown>[] }>;
  /** Every stored event, all pages. */
  allEvents(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startShipperSystem(env: Record<string, string> = {}): Promise<ShipperSystem> {
  const shipperPort = await freePort();
  const sys = await startTestSystem({ SHIPPER_PORT: String(shipperPort), HOST: '127.0.0.1', RATELIMIT_DEFAULT: '', ...env });
  const port = sys.shipper.port();
  if (port === null) throw new Error('the shipper listener did not start');
  const admin = await createTestUser(sys.app, { role: 'admin' });
  return {
    sys,
    port,
    base: `http://127.0.0.1:${port}`,
    async events(perPage = 200) {
      const res = await sys.app.inject({ method: 'GET', url: `/v1/logs?per_page=${perPage}`, headers: admin.headers });
      return res.json() as { total: number; items: Record<string, unknown>[] };
    },
    async allEvents() {
      const all: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const res = await sys.app.inject({ method: 'GET', url: `/v1/logs?per_page=200&page=${page}`, headers: admin.headers });
        const { items } = res.json() as { items?: Record<string, unknown>[] };
        if (!items) throw new Error(`listing events failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
        all.push(...items);
        if (items.length < 200) return all;
      }
    },
    stop: () => sys.stop(),
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): Record<string, unknown>;
}

/** One HTTP request over a real socket (fetch would add its own Accept-Encoding and keep-alive pools). */
export function request(port: number, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
