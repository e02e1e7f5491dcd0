// The search tools on a PostgreSQL server (skipped without DATABASE_URL): the same SQL as on
// PGlite, through the server's bounded read pool with a statement timeout per chunk.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { insertRows, insertSeries } from '../helpers/events.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

const T = Date.parse('2026-03-01T12:00:00Z');

describe('search tools on a PostgreSQL server', { skip: skipWithoutPostgres }, () => {
  let sys: TestSystem;
  let analyst: TestUser;
  before(async () => {
    sys = await startTestSystem({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('st') });
    analyst = await createTestUser(sys.app, { username: 'pg-tools' });
    await insertSeries(sys.deps.db, 5000, T);
    await insertRows(sys.deps.db, [{ ts: T - 500, hostname: 'pg-host', username: '=1+1', message: 'a "b", c', fields: { 'process.name': 'sshd' } }]);
  });
  after(async () => sys?.stop());
  const get = (url: string) => sys.app.inject({ method: 'GET', url, headers: analyst.headers });

  it('exports every row once across chunks, newest first, CSV cells escaped', async () => {
    const res = await get('/v1/logs/export?format=csv&limit=100000&fields=process.name');
    assert.equal(res.statusCode, 200, res.body);
    const lines = res.body.trimEnd().split('\r\n');
    assert.equal(lines.length, 5002);
    assert.ok(lines[1]!.includes(`,pg-host,'=1+1,"a ""b"", c",`));
    assert.ok(lines[1]!.endsWith(',sshd'));
    const ids = lines.slice(1).map((l) => l.split(',').at(-2));
    assert.equal(new Set(ids).size, 5001);
  });

  it('NDJSON with a filter', async () => {
    const res = await get('/v1/logs/export?format=ndjson&severity=critical&hostname=host-4');
    const events = res.body.trim().split('\n').map((l) => JSON.parse(l) as { severity: string; hostname: string });
    assert.ok(events.length > 0);
    assert.ok(events.every((e) => e.severity === 'critical' && e.hostname === 'host-4'));
  });

  it('histogram counts per bucket', async () => {
    const res = await get(`/v1/logs/histogram?since=${new Date(T - 5000_000).toISOString()}&until=${new Date(T).toISOString()}&buckets=10&by_severity=true`);
    const h = res.json();
    assert.equal(h.total, 5001);
    assert.equal(h.interval, '10m');
    assert.equal(h.buckets.reduce((n: number, b: { count: number }) => n + b.count, 0), 5001);
  });

  it('field statistics over the sample', async () => {
    const res = await get('/v1/logs/field-stats?field=severity,process.name&sample=1000');
    const s = res.json();
    assert.equal(s.sample_size, 1000);
    assert.equal(s.stats[0].top.length, 5);
    assert.equal(s.stats[1].top[0].value, 'sshd');
    assert.equal(s.stats[1].present, 1000);
    const list = (await get('/v1/logs/field-stats?sample=100')).json();
    assert.ok(list.fields.some((f: { field: string }) => f.field === 'source.port'));
  });
});
