// Real processes for fault tests: the SIEM server (main.ts) and a private redis-server,
// each on a free loopback port, killable by pid. Nothing here touches the machine's own
// services.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface Child {
  proc: ChildProcess;
  port: number;
  output: () => string;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then waits for the exit. */
  stop(): Promise<void>;
}

function track(proc: ChildProcess, port: number): Child {
  let out = '';
  proc.stdout?.on('data', (d) => (out = (out + d).slice(-200_000)));
  proc.stderr?.on('data', (d) => (out = (out + d).slice(-200_000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return { proc, port, output: () => out, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/** A private redis-server on `port` (no persistence: a restart starts empty). */
export async function startRedis(port: number): Promise<Child> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = track(proc, port);
  await waitUntil(() => child.output().includes('Ready to accept connections'), 10_000, `redis-server on ${port}`);
  return child;
}

/** The real server (main.ts) with `env`, listening on a free port. */
export async function startServer(env: Record<string, string>): Promise<Child & { base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'server/src/main.ts')], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), WEB_DIST_DIR: os.tmpdir(), SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = track(proc, port);
  await waitUntil(() => proc.exitCode !== null || child.output().includes('SIEM listening'), 60_000, 'the server to listen').catch(
    (err: unknown) => {
      proc.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n${child.output().slice(-4000)}`);
    },
  );
  if (proc.exitCode !== null) throw new Error(`the server exited at start:\n${child.output().slice(-4000)}`);
  return { ...child, base: `http://127.0.0.1:${port}` };
}

/** One Prometheus sample's value from a /metrics text (NaN when absent). */
export function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}
