// Scenario runs through the API: catalogue (with an invalid playbook listed, not fatal),
// start validation, pause/resume/stop/speed semantics, orphans marked stopped at start-up,
// and a shipped playbook at high speed raising its detections through the real pipeline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScenarioRunsRepo } from '../../src/store/scenario-runs-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { DATABASE_URL, REDIS_URL, skipWithoutPostgres, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, '../fixtures/playbooks');
const SHIPPED = path.join(here, '../../playbooks');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

describe('scenario control', () => {
  let sys: TestSystem;
  let h: Record<string, string>;
  before(async () => {
    sys = await startTestSystem({ SCENARIO_PLAYBOOK_DIR: FIXTURES });
    h = { authorization: `Bearer ${await registerUser(sys.app)}` };
  });
  after(async () => sys.stop());
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    sys.app.inject({ method, url, headers: h, ...(payload === undefined ? {} : { payload: payload as object }) });
  const run = async (id: string) => (await call('GET', '/v1/scenarios/running')).json().find((r: { id: string }) => r.id === id) ?? (await call('GET', '/v1/scenarios/recent')).json().find((r: { id: string }) => r.id === id);
  const emitted = async (id: string) => (await call('GET', `/v1/logs?scenario_run_id=${id}&per_page=1`)).json().total as number;

  it('lists playbooks, an invalid one with its located errors', async () => {
    const list = (await call('GET', '/v1/scenarios/available')).json();
    assert.deepEqual(list.map((p: { filename: string }) => p.filename), ['broken.yml', 'slow_steps.yml']);
    const broken = list[0];
    assert.equal(broken.valid, false);
    assert.ok(broken.errors.some((e: string) => /delay/.test(e)));
    assert.deepEqual(
      { name: list[1].name, event_count: list[1].event_count, mitre_techniques: list[1].mitre_techniques },
      { name: 'Slow steps', event_count: 5, mitre_techniques: ['T1046'] },
    );
  });

  it('refuses unknown files, path tricks and invalid playbooks', async () => {
    for (const filename of ['nope.yml', '../playbooks/slow_steps.yml', '/etc/passwd', 'slow_steps.yaml']) {
      const res = await call('POST', '/v1/scenarios/start', { filename });
      assert.equal(res.statusCode, 404, filename);
      assert.equal(res.json().message, 'Playbook not found');
    }
    assert.equal((await call('POST', '/v1/scenarios/start', { filename: 'broken.yml' })).statusCode, 422);
    assert.equal((await call('POST', '/v1/scenarios/start', {})).json().details[0].type, 'missing');
  });

  it('pause halts emission within 100 ms, resume continues, stop ends it for good', async () => {
    const started = await call('POST', '/v1/scenarios/start', { filename: 'slow_steps.yml' });
    assert.equal(started.statusCode, 201);
    const r = started.json();
    assert.deepEqual([r.status, r.events_generated, r.speed, r.completed_at, r.error_message], ['running', 0, 1, null, null]);
    await until(() => emitted(r.id), (n) => n >= 1);
    const paused = await sys.app.inject({ method: 'POST', url: `/v1/scenarios/${r.id}/pause`, headers: { ...h, 'content-type': 'application/json' }, payload: '{not json' });
    assert.equal(paused.json().status, 'paused', 'a control route ignores whatever body it gets');
    const atPause = await emitted(r.id);
    await sleep(1500);
    assert.equal(await emitted(r.id), atPause, 'nothing is emitted while paused');
    assert.equal((await call('POST', `/v1/scenarios/${r.id}/resume`)).json().status, 'running');
    await until(() => emitted(r.id), (n) => n > atPause, 3000);
    const stopped = (await call('POST', `/v1/scenarios/${r.id}/stop`)).json();
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.completed_at);
    const atStop = await emitted(r.id);
    await sleep(1300);
    assert.equal(await emitted(r.id), atStop, 'a stopped run emits nothing more');
    assert.equal((await call('POST', `/v1/scenarios/${r.id}/resume`)).statusCode, 409);
    assert.equal((await run(r.id)).status, 'stopped');
    assert.equal((await call('GET', '/v1/scenarios/running')).json().length, 0);
  });

  it('speed applies to the next delays and is bounded', async () => {
    const r = (await call('POST', '/v1/scenarios/start', { filename: 'slow_steps.yml', speed: 0.5 })).json();
    assert.equal(r.speed, 0.5);
    assert.equal((await call('PUT', `/v1/scenarios/${r.id}/speed`, { speed: 11 })).statusCode, 422);
    assert.equal((await call('PUT', `/v1/scenarios/${r.id}/speed`, { speed: '10' })).json().speed, 10);
    const done = await until(() => run(r.id), (x) => x?.status === 'completed', 6000);
    assert.equal(done.events_generated, 5);
    assert.equal(done.progress, 1);
    const events = (await call('GET', `/v1/logs?scenario_run_id=${r.id}`)).json().items;
    assert.equal(events.length, 5);
    assert.ok(events.every((e: { scenario_run_id: string }) => e.scenario_run_id === r.id));
    assert.deepEqual(events[0].metadata, { stage: 'last' });
    assert.equal((await call('POST', `/v1/scenarios/${r.id}/pause`)).statusCode, 409);
    assert.equal((await call('POST', '/v1/scenarios/ffffffffffffffffffffffff/stop')).json().message, 'ScenarioRun not found');
  });
});

describe('control from another process', { skip: skipWithoutPostgres || skipWithoutRedis }, () => {
  it('pause and stop sent to a process that does not play the run reach the one that does', async () => {
    const shared = { DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('scn').toLowerCase(), REDIS_URL: REDIS_URL!, REDIS_PREFIX: `${uniqueName('scn')}:`, SCENARIO_PLAYBOOK_DIR: FIXTURES };
    const player = await startTestSystem(shared);
    const other = await startTestSystem(shared);
    try {
      const h = { authorization: `Bearer ${await registerUser(player.app)}` };
      const run = (await player.app.inject({ method: 'POST', url: '/v1/scenarios/start', headers: h, payload: { filename: 'slow_steps.yml' } })).json();
      const emitted = async () => (await other.app.inject({ method: 'GET', url: `/v1/logs?scenario_run_id=${run.id}&per_page=1`, headers: h })).json().total as number;
      await until(emitted, (n) => n >= 1);
      assert.equal((await other.app.inject({ method: 'POST', url: `/v1/scenarios/${run.id}/pause`, headers: h })).json().status, 'paused');
      await sleep(300);
      const atPause = await emitted();
      await sleep(1500);
      assert.equal(await emitted(), atPause, 'the playing process paused');
      assert.equal((await other.app.inject({ method: 'POST', url: `/v1/scenarios/${run.id}/stop`, headers: h })).json().status, 'stopped');
      assert.equal((await player.app.inject({ method: 'GET', url: '/v1/scenarios/running', headers: h })).json().length, 0);
    } finally {
      await other.stop();
      await player.stop();
    }
  });
});

describe('orphaned runs', () => {
  it('runs left active by a dead process are marked stopped at start-up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-orphan-'));
    try {
      const first = await startTestSystem({ DATA_DIR: dir, SCENARIO_PLAYBOOK_DIR: FIXTURES });
      const id = newObjectId();
      await createScenarioRunsRepo(first.deps.db).insert({ id, scenario_name: 'crashed', filename: 'slow_steps.yml', events_total: 5, speed: 1, owner: 'dead-process', nowMs: Date.now() });
      await first.stop();
      const second = await startTestSystem({ DATA_DIR: dir, SCENARIO_PLAYBOOK_DIR: FIXTURES });
      try {
        const run = await createScenarioRunsRepo(second.deps.db).findById(id);
        assert.equal(run?.status, 'stopped');
        assert.ok(run?.completed_at);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a shipped playbook through the whole pipeline', () => {
  it('portscan_exploit at high speed raises its detections with the right techniques', async () => {
    const sys = await startTestSystem({ SCENARIO_PLAYBOOK_DIR: SHIPPED, SCENARIO_MAX_SPEED: '50' });
    try {
      const h = { authorization: `Bearer ${await registerUser(sys.app)}` };
      const res = await sys.app.inject({ method: 'POST', url: '/v1/scenarios/start', headers: h, payload: { filename: 'portscan_exploit.yml', speed: 50 } });
      assert.equal(res.statusCode, 201, res.body);
      const id = res.json().id;
      await until(async () => (await sys.app.inject({ method: 'GET', url: '/v1/scenarios/recent', headers: h })).json().find((r: { id: string }) => r.id === id)?.status, (s) => s === 'completed', 15_000);
      const alerts = await until(
        async () => (await sys.app.inject({ method: 'GET', url: '/v1/alerts?per_page=100', headers: h })).json().items as { mitre_technique: string; group_value: string }[],
        (items) => items.length >= 4,
        5000,
      );
      const techniques = new Set(alerts.map((a) => a.mitre_technique));
      for (const t of ['T1046', 'T1190', 'T1059.004']) assert.ok(techniques.has(t), `missing ${t}: ${[...techniques].join(', ')}`);
      assert.ok(alerts.some((a) => a.group_value === '192.0.2.66'));
    } finally {
      await sys.stop();
    }
  });
});
