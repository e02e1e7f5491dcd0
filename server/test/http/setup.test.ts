// First run: with no administrator the server prints a one-time setup link; the token in it
// creates the first administrator once, through any process sharing the store, and nothing
// else does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { tokenMatches } from '../../src/services/setup.ts';
import { createSystem, type System } from '../../src/system.ts';

const LISTENERS_OFF = { SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0' };

async function start(env: Record<string, string>): Promise<{ system: System; logs: () => string }> {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', ...LISTENERS_OFF, ...env });
  const system = await createSystem(config, pino({ level: 'info' }, stream));
  return { system, logs: () => text };
}

/** The token of the setup link a process printed (exactly one link per start). */
function printedToken(logs: string): string {
  const links = [...logs.matchAll(/\/setup#token=([A-Za-z0-9_-]+)/g)].map((m) => m[1]!);
  assert.ok(links.length >= 1, `a setup link in the log:\n${logs.slice(0, 2000)}`);
  return links[0]!;
}

const body = (token: string, username = 'first-admin') => ({ token, username, email: `${username}@example.com`, password: 'a-long-password' });

describe('first run: the one-time setup link', () => {
  it('prints a link on PUBLIC_URL, creates the first admin once, then is void', async () => {
    const { system, logs } = await start({ DATA_DIR: ':memory:', PUBLIC_URL: 'https://siem.example.com/' });
    const app = system.app;
    try {
      assert.match(logs(), /https:\/\/siem\.example\.com\/setup#token=[A-Za-z0-9_-]{43}/);
      const token = printedToken(logs());
      assert.equal((await app.inject({ method: 'GET', url: '/v1/auth/options' })).json().setup_required, true);

      const wrong = await app.inject({ method: 'POST', url: '/v1/setup', payload: body(`${token.slice(0, -1)}A`) });
      assert.equal(wrong.statusCode, 403, wrong.body);
      assert.equal(wrong.json().code, 'SETUP_TOKEN_INVALID');
      const missing = await app.inject({ method: 'POST', url: '/v1/setup', payload: { username: 'x-admin', email: 'x@example.com', password: 'a-long-password' } });
      assert.equal(missing.statusCode, 422);
      const weak = await app.inject({ method: 'POST', url: '/v1/setup', payload: { ...body(token), password: 'short' } });
      assert.equal(weak.statusCode, 422);
      const huge = await app.inject({ method: 'POST', url: '/v1/setup', payload: body('x'.repeat(10_000)) });
      assert.equal(huge.statusCode, 422);

      // Two uses at once: exactly one administrator.
      const [a, b] = await Promise.all([
        app.inject({ method: 'POST', url: '/v1/setup', payload: body(token, 'admin-one') }),
        app.inject({ method: 'POST', url: '/v1/setup', payload: body(token, 'admin-two') }),
      ]);
      const codes = [a.statusCode, b.statusCode].sort();
      assert.deepEqual(codes, [201, 409], `${a.body} ${b.body}`);
      const winner = a.statusCode === 201 ? a : b;
      const me = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${winner.json().access_token}` } });
      assert.equal(me.json().role, 'admin');

      const again = await app.inject({ method: 'POST', url: '/v1/setup', payload: body(token, 'admin-three') });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'SETUP_DONE');
      assert.equal((await app.inject({ method: 'GET', url: '/v1/auth/options' })).json().setup_required, false);
    } finally {
      await system.stop();
    }
  });

  it('accepts a link another process printed when they share a PostgreSQL store', { skip: !process.env.DATABASE_URL && 'DATABASE_URL not set' }, async () => {
    const schema = `setup_${process.pid}`;
    const env = { DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: schema };
    const one = await start(env);
    const two = await start(env);
    try {
      const tokenOne = printedToken(one.logs());
      const tokenTwo = printedToken(two.logs());
      assert.notEqual(tokenOne, tokenTwo);
      const res = await two.system.app.inject({ method: 'POST', url: '/v1/setup', payload: body(tokenOne) });
      assert.equal(res.statusCode, 201, res.body);
      const late = await one.system.app.inject({ method: 'POST', url: '/v1/setup', payload: body(tokenTwo, 'late-admin') });
      assert.equal(late.json().code, 'SETUP_DONE');
    } finally {
      await two.system.stop();
      await one.system.stop();
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  it('compares every stored digest, and only whole digests', () => {
    assert.equal(tokenMatches('abc', []), false);
    assert.equal(tokenMatches('abc', ['00', 'not-hex']), false);
    const sha = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    assert.equal(tokenMatches('abc', ['ff'.repeat(32), sha]), true);
    assert.equal(tokenMatches('abd', [sha]), false);
  });
});
