// Retried deliveries over real sockets, on PGlite and on the PostgreSQL server: the same
// event ids sent twice (JSON bulk, single ingest, Elasticsearch _bulk _id, ECS event.id)
// and identical raw lines within the hash horizon are acknowledged both times, stored once
// and correlated once (a threshold rule counts them once); invalid ids answer 4xx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { createTestUser } from '../helpers/system.ts';
import type { TestUser } from '../helpers/system.ts';
import { startShipperSystem } from '../inputs/shipper-system.ts';
import type { ShipperSystem } from '../inputs/shipper-system.ts';

type Json = Record<string, unknown>;

function dedupSuite(name: string, env: () => Record<string, string>, skip: string | false) {
  describe(`deduplication over HTTP (${name})`, { skip }, () => {
    let shipper: ShipperSystem;
    let api: string;
    let engineer: TestUser;
    before(async () => {
      shipper = await startShipperSystem({ ...env(), DEDUP_HASH_HORIZON_SECONDS: '60', CORRELATION_COOLDOWN_SECONDS: '3600' });
      await shipper.sys.app.listen({ host: '127.0.0.1', port: 0 });
      const address = shipper.sys.app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      api = `http://127.0.0.1:${address.port}`;
      engineer = await createTestUser(shipper.sys.app, { role: 'engineer' });
    });
    after(async () => shipper.stop());

    const post = async (url: string, body: string, type = 'application/json') => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const get = async (path: string) => {
      const res = await fetch(`${api}${path}`, { headers: engineer.headers });
      assert.equal(res.status, 200, path);
      return (await res.json()) as Json & { items: Json[]; total: number };
    };
    const eventsFrom = (ip: string) => get(`/v1/logs?source_ip=${ip}&per_page=200`);

    it('stores a retried JSON bulk once, answers it like the first, and a threshold rule counts it once', async () => {
      const ip = '198.51.100.23';
      const rule = await fetch(`${api}/v1/rules`, {
        method: 'POST',
        headers: { ...engineer.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `dedup threshold ${newObjectId()}`, rule_type: 'threshold', severity: 'high',
          conditions: { event_filter: { event_type: 'login_failure', source_ip: ip }, threshold: 3, window_seconds: 600, group_by: 'source_ip' },
        }),
      });
      assert.equal(rule.status, 201);
      const ruleId = ((await rule.json()) as Json).id as string;
      const tag = newObjectId();
      const failure = (n: number) => ({ source_type: 'auth', event_type: 'login_failure', source_ip: ip, username: 'root', idempotency_key: `${tag}-${n}` });
      const body = JSON.stringify([failure(1), failure(2)]);

      const first = await post(`${api}/v1/logs/bulk`, body);
      assert.equal(first.status, 201);
      assert.deepEqual(first.body, { accepted: 2, rejected: 0, errors: [], duplicates: 0 });
      const retry = await post(`${api}/v1/logs/bulk`, body);
      assert.equal(retry.status, 201, 'a retried delivery is acknowledged');
      assert.deepEqual(retry.body, { accepted: 2, rejected: 0, errors: [], duplicates: 2 });

      const stored = await eventsFrom(ip);
      assert.equal(stored.total, 2);
      const one = await post(`${api}/v1/logs/ingest`, JSON.stringify(failure(1)));
      assert.equal(one.status, 201);
      assert.ok(stored.items.some((e) => e.id === one.body.id), 'a duplicate single ingest answers with the stored event');
      assert.equal((await eventsFrom(ip)).total, 2);

      // Two stored failures: the rule (threshold 3) has not fired, whatever the retries.
      const third = await post(`${api}/v1/logs/ingest`, JSON.stringify(failure(3)));
      assert.equal(third.status, 201);
      let alerts: Json & { items: Json[]; total: number } = { items: [], total: 0 };
      // Correlation runs in the background (on a server store, once this process owns its partitions).
      for (let i = 0; i < 600 && alerts.total === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        alerts = await get(`/v1/alerts?rule_id=${ruleId}`);
      }
      assert.equal(alerts.total, 1, 'the third distinct event fires the rule');
      const alert = alerts.items[0]!;
      const storedIds = (await eventsFrom(ip)).items.map((e) => e.id).sort();
      assert.equal(storedIds.length, 3);
      assert.equal(alert.matched_event_count, 3, 'each delivery counted once');
      assert.deepEqual([...(alert.matched_event_ids as string[])].sort(), storedIds);
    });

    it('acknowledges a retried Elasticsearch _bulk (_id, ECS event.id) as a no-op and stores each document once', async () => {
      const ip = '198.51.100.24';
      const tag = newObjectId();
      const body = [
        JSON.stringify({ index: { _index: 'logs', _id: `${tag}-a` } }),
        JSON.stringify({ message: 'first', source: { ip } }),
        JSON.stringify({ create: { _index: 'logs' } }),
        JSON.stringify({ message: 'second', source: { ip }, event: { id: `${tag}-b` } }),
        JSON.stringify({ index: { _index: 'logs' } }),
        JSON.stringify({ message: 'third', source: { ip }, 'event.id': `${tag}-a` }),
        '',
      ].join('\n');
      const first = await post(`${shipper.base}/_bulk`, body, 'application/x-ndjson');
      assert.equal(first.status, 200);
      assert.equal(first.body.errors, false);
      const statuses = (answer: Json) => (answer.items as Json[]).map((item) => (Object.values(item)[0] as Json).status);
      // The third document names the first one's id: one key, whatever field it came in.
      assert.deepEqual(statuses(first.body), [201, 201, 200]);
      const retry = await post(`${shipper.base}/_bulk`, body, 'application/x-ndjson');
      assert.equal(retry.body.errors, false);
      assert.deepEqual(statuses(retry.body), [200, 200, 200]);
      assert.equal((Object.values((retry.body.items as Json[])[0]!)[0] as Json).result, 'noop');
      assert.equal((Object.values((retry.body.items as Json[])[0]!)[0] as Json)._id, `${tag}-a`);
      const stored = await eventsFrom(ip);
      assert.equal(stored.total, 2);
    });

    it('acknowledges a retried HEC event carrying event.id in its fields and stores it once', async () => {
      const ip = '198.51.100.26';
      const tag = newObjectId();
      const body = [
        JSON.stringify({ event: { message: 'hec one', source: { ip } }, fields: { 'event.id': `${tag}-1` } }),
        JSON.stringify({ event: { message: 'hec two', source: { ip }, event: { id: `${tag}-2` } } }),
      ].join('\n');
      for (let i = 0; i < 2; i++) {
        const answer = await post(`${shipper.base}/services/collector/event`, body);
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.body, { text: 'Success', code: 0 });
      }
      assert.equal((await eventsFrom(ip)).total, 2);
    });

    it('deduplicates identical raw lines within the hash horizon', async () => {
      const line = `<34>Oct 11 22:14:15 web sshd[42]: Failed password for root from 198.51.100.25 port 22 ssh2 ${newObjectId()}`;
      const first = await post(`${api}/v1/logs/raw`, `${line}\n${line}\n`, 'text/plain');
      assert.equal(first.status, 201);
      assert.deepEqual(first.body, { accepted: 2, rejected: 0, errors: [], duplicates: 1 });
      const retry = await post(`${api}/v1/logs/raw`, `${line}\n`, 'text/plain');
      assert.deepEqual(retry.body, { accepted: 1, rejected: 0, errors: [], duplicates: 1 });
      assert.equal((await get('/v1/logs/search?q=198.51.100.25')).total, 1);
    });

    it('refuses an invalid event id with a clear 4xx', async () => {
      const long = await post(`${api}/v1/logs/ingest`, JSON.stringify({ source_type: 'generic', message: 'x', idempotency_key: 'x'.repeat(201) }));
      assert.equal(long.status, 422);
      assert.equal((long.body.details as Json[])[0]!.field, 'idempotency_key');
      const ecs = await post(`${api}/v1/logs/ingest`, JSON.stringify({ source_type: 'generic', message: 'x', event: { id: { nested: true } } }));
      assert.equal(ecs.status, 422);
      assert.match(JSON.stringify(ecs.body.details), /event\.id must be a string/);
      const bulk = await post(`${api}/v1/logs/bulk`, JSON.stringify([{ source_type: 'generic', message: 'ok' }, { source_type: 'generic', idempotency_key: '' }]));
      assert.equal(bulk.status, 207);
      assert.equal((bulk.body.errors as Json[])[0]!.index, 1);
      const es = await post(`${shipper.base}/_bulk`, `${JSON.stringify({ index: { _index: 'logs', _id: 'y'.repeat(201) } })}\n{"message":"x"}\n`, 'application/x-ndjson');
      assert.equal(es.body.errors, true);
      const item = Object.values((es.body.items as Json[])[0]!)[0] as Json;
      assert.equal(item.status, 400);
      assert.match(JSON.stringify(item.error), /_id is longer than 200 characters/);
    });
  });
}

dedupSuite('PGlite', () => ({}), false);
dedupSuite('PostgreSQL server', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('dd').toLowerCase() }), skipWithoutPostgres);
