// A store that gives no connection (pool exhausted past its timeout, server restarting or
// unreachable) answers 503 DEPENDENCY_DOWN with Retry-After, never 500. Classified by error
// class, SQLSTATE and socket code; the exhausted pool runs against the PostgreSQL server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import pg from 'pg';
import { registerErrorHandling } from '../../src/http/plugins/errors.ts';
import { isStoreUnavailable } from '../../src/store/db.ts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

const withCode = (code: string) => Object.assign(new Error('any text at all'), { code });

describe('store unavailable', () => {
  it('tells connection failures from statement failures by code, not by message', () => {
    for (const code of ['08006', '08001', '53300', '57P01', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
      assert.equal(isStoreUnavailable(withCode(code)), true, code);
    }
    for (const code of ['23505', '22021', '54001', '42P01', 'ERR_X']) assert.equal(isStoreUnavailable(withCode(code)), false, code);
    assert.equal(isStoreUnavailable(new Error('timeout exceeded when trying to connect')), false, 'message text is not a signal');
    assert.equal(isStoreUnavailable(null), false);
  });

  it('maps such an error to 503 DEPENDENCY_DOWN with Retry-After, anything else to the bare 500', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    app.get('/down', async () => {
      throw withCode('57P03');
    });
    app.get('/bug', async () => {
      throw withCode('22021');
    });
    const down = await app.inject({ method: 'GET', url: '/down' });
    assert.equal(down.statusCode, 503);
    assert.equal(down.headers['retry-after'], '5');
    const body = down.json() as Record<string, unknown>;
    assert.deepEqual([body.error, body.code, body.retry_after], ['ServiceUnavailable', 'DEPENDENCY_DOWN', 5]);
    const bug = await app.inject({ method: 'GET', url: '/bug' });
    assert.equal(bug.statusCode, 500);
    assert.deepEqual(bug.json(), { error: 'InternalServerError', message: 'Internal server error' });
    await app.close();
  });
});

describe('exhausted connection pool (PostgreSQL server)', { skip: skipWithoutPostgres }, () => {
  let sys: TestSystem;
  before(async () => {
    sys = await startTestSystem({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('pool').toLowerCase(), DATABASE_POOL_SIZE: '3', DATABASE_CONNECT_TIMEOUT_MS: '200' });
  });
  after(async () => sys.stop());

  it('answers 503 with Retry-After while every connection is taken, and 200 once they are back', async () => {
    const { headers } = await createTestUser(sys.app);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Hold every pooled connection in an open transaction (one may already be held by the leader lock).
    const holders = Array.from({ length: 3 }, () => sys.deps.db.transaction(() => gate).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 50));
    try {
      const res = await sys.app.inject({ method: 'GET', url: '/v1/logs', headers });
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.json().code, 'DEPENDENCY_DOWN');
      assert.equal(res.headers['retry-after'], '5');
    } finally {
      release();
      await Promise.all(holders);
    }
    assert.equal((await sys.app.inject({ method: 'GET', url: '/v1/logs', headers })).statusCode, 200);
  });

  it('classifies a backend terminated mid-statement as unavailable, survives it and reconnects', async () => {
    const marker = uniqueName('sleeper');
    const running = sys.deps.db.query(`SELECT pg_sleep(5), '${marker}' AS marker`).then(() => null, (err: unknown) => err);
    await new Promise((r) => setTimeout(r, 300));
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()', [`%${marker}%`]);
      assert.equal(rowCount, 1);
    } finally {
      await admin.end();
    }
    const err = await running;
    assert.ok(err, 'the statement failed');
    assert.equal(isStoreUnavailable(err), true, String(err));
    assert.deepEqual((await sys.deps.db.query<{ one: number }>('SELECT 1 AS one')).rows, [{ one: 1 }]);
  });
});
