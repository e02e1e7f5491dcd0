// Auth figures on the real server (loopback, PGlite in memory, rate limits lifted):
// (a) one Argon2id hash/verify, (b) login requests/s, where Argon2 dominates, (c) the
// access guard's cost: two identical tiny routes, one public and one behind the `user`
// guard (JWT verify + user reload), plus GET /v1/auth/me and /health for reference;
// (c) again on the PostgreSQL server when DATABASE_URL is set. Prints numbers, asserts nothing.
//   node --import tsx bench/auth.ts [--duration 5]
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../server/src/config.ts';
import { createPasswordHasher, DEFAULT_HASH_PARAMS } from '../server/src/services/passwords.ts';
import { createSystem } from '../server/src/system.ts';

const args = process.argv.slice(2);
const durationArg = args.indexOf('--duration');
const DURATION = durationArg >= 0 ? Number(args[durationArg + 1]) : 5;
const CONNECTIONS = 20;

async function hashCost() {
  const hasher = createPasswordHasher();
  const phc = await hasher.hash('warm-up-password');
  const n = 20;
  let started = performance.now();
  for (let i = 0; i < n; i++) await hasher.hash(`password-${i}`);
  const hashMs = (performance.now() - started) / n;
  started = performance.now();
  for (let i = 0; i < n; i++) await hasher.verify(phc, 'warm-up-password');
  const verifyMs = (performance.now() - started) / n;
  const { memoryCost, timeCost, parallelism } = DEFAULT_HASH_PARAMS;
  console.log(`Argon2id m=${memoryCost} KiB (${(memoryCost / 1024).toFixed(0)} MiB), t=${timeCost}, p=${parallelism}, 32-byte output (@node-rs/argon2)`);
  console.log(`(a) one hash ${hashMs.toFixed(1)} ms, one verify ${verifyMs.toFixed(1)} ms (sequential, one thread)`);
}

async function cannon(label: string, opts: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const rps = Math.round(result.requests.average);
  console.log(
    `${label}: ${rps.toLocaleString()} requests/s (${CONNECTIONS} connections, ${result.duration}s; latency p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms; non-2xx ${result.non2xx}, errors ${result.errors})`,
  );
  return rps;
}

async function serve(label: string, env: Record<string, string>, withLogin: boolean) {
  const config = loadConfig({
    NODE_ENV: 'production', SECRET_KEY: 'bench-secret-bench-secret-bench-secret-0123', REGISTRATION_ENABLED: 'true', LOG_LEVEL: 'silent',
    DATA_DIR: ':memory:', RATELIMIT_DEFAULT: 'unlimited', RATELIMIT_AUTH: 'unlimited',
    SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0', ...env,
  });
  const system = await createSystem(config, pino({ level: 'silent' }));
  try {
    // Twin routes: the only difference is the guard, so the gap is its cost.
    system.app.get('/bench/public', { config: { access: 'public' } }, async () => ({ ok: true }));
    system.app.get('/bench/user', { config: { access: 'user' } }, async () => ({ ok: true }));
    await system.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`;
    console.log(`\n-- ${label}`);

    const credentials = { username: 'bench-user', password: 'bench-password-123' };
    const json = { 'content-type': 'application/json' };
    const reg = await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: json, body: JSON.stringify({ ...credentials, email: 'bench@example.com' }) });
    if (reg.status !== 201) throw new Error(`register answered ${reg.status}: ${await reg.text()}`);
    const { access_token: token } = (await reg.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}` };

    if (withLogin) {
      await cannon('(b) POST /v1/auth/login (correct password)', { url: `${base}/v1/auth/login`, method: 'POST', headers: json, body: JSON.stringify(credentials) });
      await cannon('(b) POST /v1/auth/login (unknown user, dummy hash; 401)', { url: `${base}/v1/auth/login`, method: 'POST', headers: json, body: JSON.stringify({ username: 'nobody', password: 'x-password' }) });
    }
    const open = await cannon('(c) GET /bench/public (no guard)', { url: `${base}/bench/public` });
    const guarded = await cannon('(c) GET /bench/user   (guard: JWT + user reload)', { url: `${base}/bench/user`, headers: auth });
    await cannon('(c) GET /v1/auth/me   (authenticated)', { url: `${base}/v1/auth/me`, headers: auth });
    await cannon('(c) GET /health       (public; pings store and bus)', { url: `${base}/health` });
    const perRequestUs = (1e6 / guarded - 1e6 / open).toFixed(0);
    console.log(`guard overhead: ${(100 * (1 - guarded / open)).toFixed(0)}% fewer requests/s, about ${perRequestUs} µs of server time per request`);
  } finally {
    await system.stop();
  }
}

async function main() {
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`);
  await hashCost();
  await serve('PGlite in memory', {}, true);
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `bench_auth_${process.pid}`;
    try {
      await serve('PostgreSQL server (DATABASE_URL)', { DATABASE_URL: url, DATABASE_SCHEMA: schema }, false);
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  } else {
    console.log('\n(DATABASE_URL not set: the PostgreSQL server figures were skipped)');
  }
}

await main();
