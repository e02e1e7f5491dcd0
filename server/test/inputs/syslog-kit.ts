// What the syslog suites share: a whole system with its syslog listeners on free loopback
// ports, waiting for stored events, and running the real senders (logger, rsyslogd,
// syslog-ng) as child processes of the test with their own configuration and directories.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { LogEvent } from '@siem/contracts';
import type { InputSnapshot } from '../../src/services/sources.ts';
import type { Peer } from '../helpers/peers.ts';
import { startTestSystem, type TestSystem } from '../helpers/system.ts';

/** A port free right now on 127.0.0.1 (the listener binds it a moment later). */
export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SyslogSystem {
  sys: TestSystem;
  udp: number;
  tcp: number;
  /** Stored events whose text fields contain `q`. */
  find(q: string): Promise<LogEvent[]>;
  /** Waits until `n` events match `q`; returns them. */
  waitFor(q: string, n?: number, timeoutMs?: number): Promise<LogEvent[]>;
  /** Every stored event. */
  count(): Promise<number>;
  input(name: string): InputSnapshot;
  stop(): Promise<void>;
}

export async function startSyslogSystem(env: Record<string, string> = {}): Promise<SyslogSystem> {
  const udp = await freePort('udp');
  const tcp = await freePort('tcp');
  const sys = await startTestSystem({ SYSLOG_UDP_PORT: String(udp), SYSLOG_TCP_PORT: String(tcp), ...env });
  const find = async (q: string) => (await sys.deps.logs.search({ q, page: 1, per_page: 1000 })).items;
  return {
    sys,
    udp,
    tcp,
    find,
    async waitFor(q, n = 1, timeoutMs = 20_000) {
      let found: LogEvent[] = [];
      await waitUntil(async () => (found = await find(q)).length >= n, timeoutMs, () => `${n} events matching "${q}" (have ${found.length})`);
      return found;
    },
    async count() {
      return (await sys.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM log_events')).rows[0]!.n;
    },
    input(name) {
      const found = sys.deps.sources.snapshot().inputs.find((i) => i.name === name);
      if (!found) throw new Error(`input ${name} is not registered`);
      return found;
    },
    stop: () => sys.stop(),
  };
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a sender to completion; rejects with its output when it fails. */
export function run(peer: Peer, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(peer.bin, [...peer.args, ...args], { env: { ...process.env, ...peer.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(peer.bin)} ${args.join(' ')} exited with ${code}: ${out}`));
    });
  });
}

/** A long-running sender (rsyslogd, syslog-ng in the foreground); stop() ends it and waits. */
export function daemon(peer: Peer, args: string[]): { child: ChildProcess; output(): string; stop(): Promise<void> } {
  const child = spawn(peer.bin, [...peer.args, ...args], { env: { ...process.env, ...peer.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-10_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-10_000)));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.on('error', () => {});
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
