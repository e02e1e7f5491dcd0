// GET /v1/logs/search under load: the page carries total_exact; past SEARCH_TIMEOUT_MS the
// answer is 503 SEARCH_TIMEOUT and the process carries on; a client that goes away has
// its query cancelled on the server; and a heavy search never holds up ingest, which
// keeps its own connections.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { openDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createSystem, SEARCH_INDEX_HINT } from '../../src/system.ts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

// A term of punctuation (no trigram narrows it) tried at every offset of 60,000-character
// lines: on the order of tens of milliseconds per row, so seconds over a few hundred.
const HEAVY_TERM = `${'-'.repeat(255)}+`;
const HEAVY_URL = `/v1/logs/search?q=${encodeURIComponent(HEAVY_TERM)}`;

async function addLongLines(schema: string, rows: number): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO ${schema}.log_events (id, ts, source_type, severity, message, raw, normalized)
       SELECT 'e' || lpad(to_hex(i), 23, '0'), now() - i * interval '1 second', 'generic', 'info', repeat('-', 60000), '{}', '{}'
       FROM generate_series(1, $1::int) AS i`,
      [rows],
    );
  } finally {
    await client.end();
  }
}

async function removeLongLines(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DELETE FROM ${schema}.log_events WHERE id LIKE 'e%'`).finally(() => client.end());
}

/** Statements the search pool of `schema` is running now. */
async function activeSearches(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query ILIKE '%log_events%'",
      [`siem:${schema}:read`],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** Polls `check` up to `tries` times, 50 ms apart; true as soon as it holds. */
async function eventually(check: () => Promise<boolean>, tries = 400): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('log search answers on the embedded store', () => {
  let sys: TestSystem;
  before(async () => {
    sys = await startTestSystem();
  });
  after(async () => sys.stop());

  it('a page carries total_exact next to total', async () => {
    const { headers } = await createTestUser(sys.app);
    await sys.app.inject({ method: 'POST', url: '/v1/logs/bulk', payload: [{ source_type: 'generic', message: 'needle one' }, { source_type: 'generic', message: 'NEEDLE two' }] });
    const res = await sys.app.inject({ method: 'GET', url: '/v1/logs/search?q=needle', headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 2);
    assert.equal(body.total_exact, true);
    assert.equal(body.pages, 1);
  });
});

describe('log search on the PostgreSQL server', { skip: skipWithoutPostgres }, () => {
  it('past SEARCH_TIMEOUT_MS answers 503 SEARCH_TIMEOUT with Retry-After, stops the query and stays healthy', async () => {
    const schema = uniqueName('t').toLowerCase();
    const sys = await startTestSystem({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, SEARCH_TIMEOUT_MS: '300' });
    try {
      const { headers } = await createTestUser(sys.app);
      await addLongLines(schema, 200);
      const res = await sys.app.inject({ method: 'GET', url: HEAVY_URL, headers });
      assert.equal(res.statusCode, 503);
      const body = res.json();
      assert.equal(body.error, 'ServiceUnavailable');
      assert.equal(body.code, 'SEARCH_TIMEOUT');
      assert.match(body.message, /narrow it/);
      assert.equal(body.retry_after, 1);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(await activeSearches(schema), 0, 'the statement was stopped, not left running');
      assert.equal((await sys.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      await removeLongLines(schema);
      const ok = await sys.app.inject({ method: 'GET', url: '/v1/logs/search?q=nothing-here', headers });
      assert.deepEqual([ok.statusCode, ok.json().total, ok.json().total_exact], [200, 0, true]);
    } finally {
      await sys.stop();
    }
  });

  it('without the trigram index (pg_trgm unavailable) the server warns at start and search still answers', async () => {
    const schema = uniqueName('t').toLowerCase();
    const db = await openDb({ databaseUrl: DATABASE_URL, dataDir: ':memory:', schema });
    await migrate(db);
    await db.exec('DROP INDEX log_events_search_idx');
    await db.close();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const env = { NODE_ENV: 'test', DATA_DIR: ':memory:', DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0' };
    const sys = await createSystem(loadConfig(env), pino({ level: 'warn' }, sink));
    try {
      assert.ok(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === SEARCH_INDEX_HINT), 'the start-up warning names the missing index');
      await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'generic', message: 'unindexed needle' } });
      const token = (await sys.deps.auth.register({ username: `u${Date.now()}`, email: `u${Date.now()}@example.com`, password: 'correct-horse-battery' })).access_token;
      const res = await sys.app.inject({ method: 'GET', url: '/v1/logs/search?q=NEEDLE', headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual([res.statusCode, res.json().total], [200, 1]);
    } finally {
      await sys.stop();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    }
  });

  it('ingest is acknowledged while a heavy search runs, and the search is cancelled when its client goes away', async () => {
    const schema = uniqueName('t').toLowerCase();
    // A small main pool: were the search on it, ingest would wait behind it.
    const sys = await startTestSystem({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: schema, SEARCH_TIMEOUT_MS: '120000', DATABASE_POOL_SIZE: '3', SEARCH_MAX_CONCURRENT: '1' });
    try {
      const { headers } = await createTestUser(sys.app);
      await addLongLines(schema, 400);
      await sys.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = sys.app.server.address() as { port: number };

      let answered = false;
      const req = http.get({ host: '127.0.0.1', port, path: HEAVY_URL, headers }, () => {
        answered = true;
      });
      req.on('error', () => {});
      assert.ok(await eventually(async () => (await activeSearches(schema)) === 1), 'the search reaches the server');

      for (let i = 0; i < 5; i++) {
        const events = Array.from({ length: 200 }, (_, j) => ({ source_type: 'generic', message: `during search ${i}-${j}` }));
        const res = await fetch(`http://127.0.0.1:${port}/v1/logs/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
        assert.equal(res.status, 201);
        assert.equal((await res.json()).accepted, 200);
      }
      assert.equal(await activeSearches(schema), 1, 'ingest was acknowledged while the search was still running');
      assert.equal(answered, false);

      req.destroy();
      assert.ok(await eventually(async () => (await activeSearches(schema)) === 0), 'the server query is cancelled');
      assert.equal(answered, false);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(health.status, 200);
      const count = await fetch(`http://127.0.0.1:${port}/v1/logs/search?q=during+search`, { headers });
      assert.equal((await count.json()).total, 1000);
    } finally {
      await sys.stop();
    }
  });
});
