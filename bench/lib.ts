// Shared bench helpers: a realistic synthetic event mix, percentiles, memory figures,
// and starting the real server on loopback.
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../server/src/config.ts';
import { createSystem } from '../server/src/system.ts';
import type { System } from '../server/src/system.ts';

const USERS = ['alice', 'bob', 'carol', 'dave', 'svc-backup', 'svc-deploy', 'root', 'admin', 'eve', 'mallory'];
const HOSTS = ['web-01', 'web-02', 'db-01', 'dc-01', 'jump-01', 'fin-ws-17', 'hr-ws-03'];
const DOMAINS = ['example.com', 'updates.example.net', 'cdn.example.org', 'mail.example.com'];

/** A deterministic pseudo-random generator so runs are comparable. */
export function rng(seed = 42) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function makeEvent(i: number, rand: () => number, timeMs?: number): Record<string, unknown> {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const ip = `203.0.${Math.floor(rand() * 4)}.${Math.floor(rand() * 250) + 1}`;
  const base = timeMs === undefined ? {} : { timestamp: new Date(timeMs).toISOString() };
  switch (i % 7) {
    case 0:
      return { ...base, source_type: 'auth', event_type: rand() < 0.7 ? 'login_failure' : 'login_success', source_ip: ip, username: pick(USERS), hostname: pick(HOSTS), auth_method: 'ssh', result: 'failure', service: 'sshd' };
    case 1:
      return { ...base, source_type: 'firewall', event_type: rand() < 0.5 ? 'firewall_deny' : 'connection', source_ip: ip, dest_ip: `10.0.0.${Math.floor(rand() * 50)}`, source_port: 1024 + Math.floor(rand() * 60000), dest_port: pick([22, 80, 443, 3389, 445]), action: 'deny', protocol: 'tcp', bytes_sent: Math.floor(rand() * 5000) };
    case 2:
      return { ...base, source_type: 'dns', event_type: 'dns_query', source_ip: `10.0.1.${Math.floor(rand() * 200)}`, query: `${Math.floor(rand() * 1e6).toString(36)}.${pick(DOMAINS)}`, query_type: 'A', response_code: 'NOERROR' };
    case 3:
      return { ...base, source_type: 'endpoint', event_type: 'process_start', hostname: pick(HOSTS), username: pick(USERS), process_name: 'powershell.exe', process_id: Math.floor(rand() * 30000), command_line: rand() < 0.05 ? 'powershell -enc SQBFAFgA suspicious download' : 'powershell Get-Process' };
    case 4:
      return { ...base, source_type: 'proxy', event_type: 'http_request', source_ip: `10.0.2.${Math.floor(rand() * 200)}`, username: pick(USERS), url: `https://${pick(DOMAINS)}/path/${i}`, method: 'GET', status_code: 200, user_agent: 'Mozilla/5.0', bytes_transferred: Math.floor(rand() * 100000) };
    case 5:
      return { ...base, source_type: 'ids', event_type: 'ids_alert', source_ip: ip, dest_ip: '10.0.0.5', signature_id: 2010935, signature_name: rand() < 0.1 ? 'ET EXPLOIT possible exploit attempt' : 'ET SCAN Potential SSH Scan', classification: 'attempted-recon', priority: 2 };
    default:
      return { ...base, source_type: 'generic', event_type: 'app_log', hostname: pick(HOSTS), message: rand() < 0.1 ? 'warning: disk almost full' : 'request served' };
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function peakRss(): string {
  return mb(process.resourceUsage().maxRSS * 1024);
}

export async function startServer(env: Record<string, string>): Promise<{ system: System; base: string }> {
  const config = loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'bench-secret-bench-secret-bench-secret-0123', LOG_LEVEL: 'silent', SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0', ...env });
  const system = await createSystem(config, pino({ level: 'silent' }));
  await system.app.listen({ host: '127.0.0.1', port: 0 });
  const address = system.app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return { system, base: `http://127.0.0.1:${address.port}` };
}

/** A fresh schema on the PostgreSQL server of DATABASE_URL (null without one), dropped by drop(). */
export async function pgSchema(prefix: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> } | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const schema = `${prefix}_${process.pid}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  };
  await drop();
  return { env: { DATABASE_URL: url, DATABASE_SCHEMA: schema }, drop };
}
