// Fuzz of every route in the app's own OpenAPI document: for each operation, hostile values
// in each path parameter, query parameter and body field (NUL, lone surrogates, huge
// strings and numbers, extended-year dates, deep nesting, wrong types, __proto__ keys), as
// an admin. Nothing may answer 5xx except an explicit backpressure 503. A route added later
// is fuzzed without touching this file. Seeded: FUZZ_SEED=<n> replays another sample.
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_URL, skipWithoutPostgres, uniqueName } from '../helpers/env.ts';
import { casesFor, createRandom, listOperations } from '../helpers/fuzz.ts';
import type { FuzzCase } from '../helpers/fuzz.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/playbooks');
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** 503s that are a designed answer to load, not a failure. */
const BACKPRESSURE_CODES = new Set(['INGEST_BACKPRESSURE']);

const seedEvent = {
  source_type: 'auth',
  event_type: 'login_failure',
  source_ip: '198.51.100.7',
  dest_ip: '203.0.113.5',
  source_port: 40222,
  dest_port: 22,
  hostname: 'bastion-1',
  username: 'svc-backup',
  message: 'Failed password',
  service: 'sshd',
  mitre_tactic: 'TA0006',
  mitre_technique: 'T1110',
  metadata: { site: 'lab' },
  timestamp: '2026-01-01T00:00:00Z',
  extra: { nested: 'x' },
};
const ruleBody = {
  name: 'fuzz rule {{uniq}}',
  description: 'made by the fuzz suite',
  rule_type: 'threshold',
  conditions: { event_filter: { event_type: 'login_failure', source_ip: { cidr: '198.51.100.0/24' } }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
  severity: 'high',
  enabled: true,
  mitre_tactic: 'TA0006',
  mitre_technique: 'T1110',
  cooldown_seconds: 60,
};

interface Fixtures {
  admin: TestUser;
  victim: TestUser;
  pathValues: Record<string, string>;
}

async function seed(sys: TestSystem): Promise<Fixtures> {
  const app = sys.app;
  const admin = await createTestUser(app, { username: `fzadmin${process.pid}`, role: 'admin' });
  const victim = await createTestUser(app, { username: `fzvictim${process.pid}` });
  const inject = (method: 'POST' | 'GET', url: string, payload?: object) =>
    app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });
  const event = (await inject('POST', '/v1/logs/ingest', { ...seedEvent, event_type: 'fuzz_seed', timestamp: undefined })).json();
  const rule = (await inject('POST', '/v1/rules', { ...ruleBody, name: 'fuzz seed rule', conditions: { event_filter: { event_type: 'fuzz_seed' }, threshold: 1, window_seconds: 60, group_by: 'source_ip' } })).json();
  await inject('POST', '/v1/logs/ingest', { ...seedEvent, event_type: 'fuzz_seed', timestamp: undefined });
  let alertId: string | undefined;
  for (let i = 0; i < 200 && !alertId; i++) {
    alertId = (await inject('GET', '/v1/alerts')).json().items[0]?.id;
    if (!alertId) await new Promise((r) => setTimeout(r, 25));
  }
  const run = (await inject('POST', '/v1/scenarios/start', { filename: 'slow_steps.yml' })).json();
  assert.ok(event.id && rule.id && alertId && run.id, 'fuzz fixtures could not be created');
  return { admin, victim, pathValues: { log_id: event.id, rule_id: rule.id, alert_id: alertId!, user_id: victim.user.id, run_id: run.id } };
}

function examples(f: Fixtures): Record<string, unknown> {
  return {
    'POST /v1/auth/register': { username: 'fz{{uniq}}', email: 'fz{{uniq}}@example.com', password: 'correct-horse-battery' },
    'POST /v1/auth/login': { username: f.admin.user.username, password: 'wrong-password-here' },
    'PATCH /v1/auth/me': { current_password: 'wrong-password-here', username: 'fzme{{uniq}}', email: 'fzme{{uniq}}@example.com', password: 'another-password' },
    'PATCH /v1/admin/users/{user_id}/role': { role: 'analyst' },
    'POST /v1/logs/ingest': seedEvent,
    'POST /v1/logs/bulk': [{ source_type: 'auth', event_type: 'login_failure', username: 'svc', hostname: 'h1', extra: { nested: 'x' } }, { source_type: 'firewall' }],
    'POST /v1/rules': ruleBody,
    'PATCH /v1/rules/{rule_id}': { ...ruleBody, rule_type: undefined },
    'POST /v1/rules/{rule_id}/test': { hours: 1 },
    'PATCH /v1/alerts/{alert_id}/status': { status: 'acknowledged', notes: 'looked at it' },
    'POST /v1/scenarios/start': { filename: 'slow_steps.yml', speed: 1 },
    'PUT /v1/scenarios/{run_id}/speed': { speed: 2 },
  };
}

interface FuzzFigures {
  requests: number;
  serverErrors: { label: string; status: number; body: string }[];
  byStatus: Record<number, number>;
  byOperation: Record<string, { requests: number; ms: number; statuses: Record<number, number> }>;
}

async function fuzzStore(t: TestContext, sys: TestSystem): Promise<FuzzFigures> {
  const app = sys.app;
  const fixtures = await seed(sys);
  let admin = fixtures.admin;
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  // Deletes last, so the records the other routes point at exist while they are fuzzed.
  const ops = listOperations(doc).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
  assert.ok(ops.length >= 30, `the OpenAPI document lists ${ops.length} operations`);
  const rand = createRandom(SEED);
  const counter = { n: 0 };
  const figures: FuzzFigures = { requests: 0, serverErrors: [], byStatus: {}, byOperation: {} };

  const send = async (c: FuzzCase) => {
    const res = await app.inject({
      method: c.method as 'GET',
      url: c.url,
      headers: { ...admin.headers, ...(c.contentType ? { 'content-type': c.contentType } : {}) },
      ...(c.payload === undefined ? {} : { payload: c.payload }),
      // Live feeds never end: the status line is all this needs.
      payloadAsStream: true,
    });
    const stream = res.stream();
    let body = '';
    if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) stream.destroy();
    else for await (const chunk of stream) body += body.length < 2000 ? String(chunk) : '';
    return { status: res.statusCode, body };
  };

  for (const op of ops) {
    // A fuzzed PATCH /v1/auth/me or role change may have changed the admin; start each operation from a working one.
    if ((await app.inject({ method: 'GET', url: '/v1/auth/me', headers: admin.headers })).statusCode !== 200) {
      admin = await createTestUser(app, { username: `fzadmin${++counter.n}`, role: 'admin' });
    }
    // Account routes with a path id target another user: self-actions are refused anyway.
    const pathValues = { ...fixtures.pathValues };
    const cases = casesFor(op, { pathValues, examples: examples({ ...fixtures, admin }), sampledPerField: 6, randomPerField: 1 }, rand, counter);
    const started = Date.now();
    const statuses: Record<number, number> = {};
    for (const c of cases) {
      const { status, body } = await send(c);
      figures.requests++;
      figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
      const backpressure = status === 503 && BACKPRESSURE_CODES.has(safeJson(body)?.code ?? '');
      if (status >= 500 && !backpressure) figures.serverErrors.push({ label: c.label, status, body: body.slice(0, 200) });
    }
    figures.byOperation[`${op.method} ${op.route}`] = { requests: cases.length, ms: Date.now() - started, statuses };
  }
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(figures, null, 1));
  t.diagnostic(`fuzz: ${figures.requests} requests over ${ops.length} operations, ${figures.serverErrors.length} answered 5xx; statuses ${JSON.stringify(figures.byStatus)}`);
  return figures;
}

function safeJson(text: string): { code?: string } | undefined {
  try {
    return JSON.parse(text) as { code?: string };
  } catch {
    return undefined;
  }
}

function report(figures: FuzzFigures): string {
  const lines = figures.serverErrors.slice(0, 60).map((e) => `  ${e.status} ${e.label}`);
  return `${figures.serverErrors.length} of ${figures.requests} fuzzed requests answered 5xx:\n${lines.join('\n')}`;
}

function fuzzSuite(name: string, env: () => Record<string, string>, skip: string | false) {
  describe(`fuzz over the OpenAPI document (${name})`, { skip }, () => {
    let sys: TestSystem;
    before(async () => {
      sys = await startTestSystem({ RATELIMIT_DEFAULT: '', RATELIMIT_AUTH: '', INGEST_BATCH_DELAY_MS: '0', SCENARIO_PLAYBOOK_DIR: FIXTURES, ...env() });
    });
    after(async () => sys.stop());

    it('answers every hostile input without a 5xx', { timeout: 180_000 }, async (t) => {
      const figures = await fuzzStore(t, sys);
      assert.ok(figures.requests > 1000, `only ${figures.requests} requests were fuzzed`);
      assert.equal(figures.serverErrors.length, 0, report(figures));
    });
  });
}

fuzzSuite('embedded PGlite', () => ({}), false);
fuzzSuite('PostgreSQL server', () => ({ DATABASE_URL: DATABASE_URL!, DATABASE_SCHEMA: uniqueName('fz').toLowerCase() }), skipWithoutPostgres);
