// The scenario concurrency limit holds when starts arrive together: counting the active
// runs and inserting the new one happen under one advisory lock, on PGlite and on a
// PostgreSQL server, from one process or two. Its default lets every shipped playbook play
// at once, and a start beyond it answers 429 SCENARIO_LIMIT.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

import { loadConfig } from '../../src/config.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/playbooks');
const SHIPPED = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../playbooks');
const shippedPlaybooks = () => readdirSync(SHIPPED).filter((f) => f.endsWith('.yml')).sort();

async function startMany(systems: TestSystem[], total: number) {
  const tokens = await Promise.all(systems.map((s) => registerUser(s.app)));
  const answers = await Promise.all(
    Array.from({ length: total }, (_, i) => {
      const s = systems[i % systems.length]!;
      return s.app.inject({ method: 'POST', url: '/v1/scenarios/start', headers: { authorization: `Bearer ${tokens[i % systems.length]}` }, payload: { filename: 'slow_steps.yml' } });
    }),
  );
  const running = (await systems[0]!.app.inject({ method: 'GET', url: '/v1/scenarios/running', headers: { authorization: `Bearer ${tokens[0]}` } })).json() as unknown[];
  return { codes: answers.map((a) => a.statusCode), running: running.length, refusal: answers.find((a) => a.statusCode === 429)?.json() };
}

describe('scenario concurrency limit', () => {
  it('defaults to at least the number of shipped playbooks', () => {
    const shipped = shippedPlaybooks();
    assert.ok(shipped.length > 0);
    assert.ok(loadConfig({}).SCENARIO_MAX_CONCURRENT >= shipped.length, `default ${loadConfig({}).SCENARIO_MAX_CONCURRENT} < ${shipped.length} playbooks`);
  });

  it('every shipped playbook can be started at once with the defaults', async () => {
    const sys = await startTestSystem({ SCENARIO_MIN_SPEED: '0.1' });
    try {
      const token = await registerUser(sys.app);
      const headers = { authorization: `Bearer ${token}` };
      // The slowest speed keeps the runs active while the answers are checked.
      const answers = await Promise.all(shippedPlaybooks().map((filename) =>
        sys.app.inject({ method: 'POST', url: '/v1/scenarios/start', headers, payload: { filename, speed: 0.1 } })));
      assert.deepEqual(answers.map((a) => a.statusCode), answers.map(() => 201), answers.map((a) => a.body).join('\n'));
      const running = (await sys.app.inject({ method: 'GET', url: '/v1/scenarios/running', headers })).json() as Array<{ id: string }>;
      assert.equal(running.length, shippedPlaybooks().length);
      for (const r of running) await sys.app.inject({ method: 'POST', url: `/v1/scenarios/${r.id}/stop`, headers });
    } finally {
      await sys.stop();
    }
  });

  it('20 concurrent starts against a limit of 5 give exactly 5 runs (PGlite)', async () => {
    const sys = await startTestSystem({ SCENARIO_PLAYBOOK_DIR: FIXTURES, SCENARIO_MAX_CONCURRENT: '5' });
    try {
      const { codes, running, refusal } = await startMany([sys], 20);
      assert.equal(codes.filter((c) => c === 201).length, 5);
      assert.equal(codes.filter((c) => c === 429).length, 15);
      assert.equal(running, 5);
      assert.match(refusal.message, /at most 5/);
      assert.equal(refusal.error, 'RateLimitExceeded');
      assert.equal(refusal.code, 'SCENARIO_LIMIT');
      assert.equal(typeof refusal.retry_after, 'number');
    } finally {
      await sys.stop();
    }
  });

  it('holds across two processes sharing a PostgreSQL server', { skip: skipWithoutPostgres }, async () => {
    const shared = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('t').toLowerCase(), SCENARIO_PLAYBOOK_DIR: FIXTURES, SCENARIO_MAX_CONCURRENT: '5' };
    const a = await startTestSystem(shared);
    const b = await startTestSystem({ ...shared, DATABASE_SCHEMA: shared.DATABASE_SCHEMA });
    try {
      const { codes, running } = await startMany([a, b], 20);
      assert.equal(codes.filter((c) => c === 201).length, 5);
      assert.equal(running, 5);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
