// GET /v1/fields and GET /v1/coverage on a real store: the field picker lists the columns,
// normalized keys and parsed fields the newest events carry (with counts, types and an
// example, per source type), and the coverage view counts rules and alerts per ATT&CK
// technique, reading an imported rule's technique list when the column exists; the alert
// list filters by technique for the coverage view's links.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createEventsRepo, type NewEvent } from '../../src/store/events-repo.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let h: Record<string, string>;
before(async () => {
  sys = await startTestSystem();
  h = { authorization: `Bearer ${await registerUser(sys.app, { role: 'engineer' })}` };
});
after(async () => sys.stop());

const get = (url: string, headers = h) => sys.app.inject({ method: 'GET', url, headers });
const now = Date.now();

function event(i: number, patch: Partial<NewEvent>): NewEvent {
  const t = now - 60_000 + i;
  return {
    id: newObjectId(t), timeMs: t, fields: null, source_type: 'endpoint', severity: 'low', event_type: 'process_start', source_ip: null,
    dest_ip: null, source_port: null, dest_port: null, hostname: 'ws-1', username: null, mitre_tactic: null,
    mitre_technique: null, message: null, raw: {}, normalized: {}, metadata: {}, scenario_run_id: null, createdAtMs: t, ...patch,
  };
}

interface FieldInfo { name: string; origin: string; count: number; types: string[]; example: string | null }

describe('GET /v1/fields', () => {
  before(async () => {
    const events = createEventsRepo(sys.deps.db);
    await sys.deps.db.transaction((tx) =>
      events.insertMany(tx, [
        event(1, { fields: { 'process.command_line': 'powershell -enc AAA', 'process.pid': 42 }, normalized: { action: 'start' } }),
        event(2, { fields: { 'process.command_line': 'cmd.exe /c whoami', 'user.name': 'alice' }, normalized: { action: 'start' } }),
        event(3, { source_type: 'dns', event_type: 'dns_query', fields: { 'dns.question.name': 'example.org' }, source_ip: '10.0.0.5', dest_port: 53 }),
      ]),
    );
  });

  it('lists columns first, then the seen keys by how many events carry them', async () => {
    const res = await get('/v1/fields');
    assert.equal(res.statusCode, 200, res.body);
    const list = res.json() as FieldInfo[];
    const byName = new Map(list.map((f) => [f.name, f]));
    assert.equal(list[0]!.origin, 'column');
    assert.deepEqual(byName.get('hostname'), { name: 'hostname', origin: 'column', count: 3, types: ['string'], example: 'ws-1' });
    assert.equal(byName.get('dest_port')!.count, 1);
    assert.deepEqual(byName.get('dest_port')!.types, ['number']);
    assert.equal(byName.get('username')!.count, 0);
    assert.deepEqual(byName.get('process.command_line'), { name: 'process.command_line', origin: 'field', count: 2, types: ['string'], example: 'cmd.exe /c whoami' });
    assert.deepEqual(byName.get('process.pid')!.types, ['number']);
    assert.equal(byName.get('process.pid')!.example, '42');
    assert.equal(byName.get('normalized.action')!.origin, 'normalized');
    assert.equal(byName.get('normalized.action')!.count, 2);
    const seen = list.filter((f) => f.origin !== 'column');
    assert.equal(seen[0]!.count, 2, 'most common first');
  });

  it('feeds the warnings of a rule save: a dotted field no event carries is named', async () => {
    const res = await sys.app.inject({
      method: 'POST', url: '/v1/rules', headers: h,
      payload: { name: 'warned', rule_type: 'single', severity: 'low', conditions: { event_filter: { 'process.command_line': { contains: '-enc' }, 'process.nothing': 'x', 'normalized.action': 'start' } } },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().warnings.map((w: { field: string }) => w.field), ['event_filter.process.nothing']);
  });

  it('narrows to one source type and cuts to the limit', async () => {
    const dns = (await get('/v1/fields?source_type=dns')).json() as FieldInfo[];
    assert.ok(dns.some((f) => f.name === 'dns.question.name'));
    assert.ok(!dns.some((f) => f.name === 'process.command_line'));
    const two = (await get('/v1/fields?limit=2')).json() as FieldInfo[];
    assert.equal(two.length, 2);
    assert.equal((await get('/v1/fields?source_type=nothing-here')).json().filter((f: FieldInfo) => f.origin !== 'column').length, 0);
  });

  it('refuses a bad limit with 422 and an anonymous caller with 401', async () => {
    const bad = await get('/v1/fields?limit=0');
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().details[0].field, 'limit');
    assert.equal((await get('/v1/fields?limit=abc')).statusCode, 422);
    assert.equal((await get('/v1/fields', {})).statusCode, 401);
  });

  it('answers from its cache for a while, and says which names events carry', async () => {
    const before = (await get('/v1/fields')).json() as FieldInfo[];
    const events = createEventsRepo(sys.deps.db);
    await sys.deps.db.transaction((tx) => events.insertMany(tx, [event(10, { fields: { 'brand.new': 'x' } })]));
    const after = (await get('/v1/fields')).json() as FieldInfo[];
    assert.deepEqual(after, before);
    const { fields } = sys.deps;
    assert.equal(await fields.isSeen('process.command_line'), true);
    assert.equal(await fields.isSeen('fields.process.command_line'), true);
    assert.equal(await fields.isSeen('username'), true, 'a column is always known');
    assert.equal(await fields.isSeen('process.nothing'), false);
    assert.deepEqual(await fields.unseen(['normalized.action', 'normalized.nope', 'raw.anything', 'x.y', 'x.y', 'source_ip']), ['normalized.nope', 'x.y']);
  });
});

describe('GET /v1/coverage', () => {
  const ids: Record<string, string> = {};
  before(async () => {
    const create = async (name: string, technique: string, enabled = true, tactic = 'TA0002') => {
      const res = await sys.app.inject({
        method: 'POST', url: '/v1/rules', headers: h,
        payload: { name, rule_type: 'threshold', severity: 'high', enabled, mitre_tactic: tactic, mitre_technique: technique, conditions: { event_filter: { event_type: 'x' }, threshold: 1, window_seconds: 60, group_by: 'source_ip' } },
      });
      assert.equal(res.statusCode, 201, res.body);
      ids[name] = res.json().id;
    };
    await create('encoded powershell', 'T1059.001');
    await create('powershell disabled', 'T1059.001', false);
    await create('scripting', 'T1059');
    const alerts = createAlertsRepo(sys.deps.db);
    const fire = (rule: string, technique: string | null, n: number) =>
      sys.deps.db.transaction(async (tx) => {
        for (let i = 0; i < n; i++) {
          await alerts.insertFiring(tx, {
            id: newObjectId(), firing_key: `${rule}:${technique}:${i}`, rule_id: ids[rule] ?? newObjectId(), rule_name: rule, severity: 'high',
            title: rule, matched_event_ids: [], matched_event_count: 1, group_value: null, mitre_tactic: null, mitre_technique: technique, firedAtMs: now,
          });
        }
      });
    await fire('encoded powershell', 'T1059.001', 3);
    await fire('gone rule', 'T1003', 2);
  });

  it('counts rules, enabled rules and alerts per technique', async () => {
    const res = await get('/v1/coverage?hours=24');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.ok(Date.parse(body.to) - Date.parse(body.from) === 24 * 3_600_000);
    const by = new Map(body.techniques.map((t: { technique: string }) => [t.technique, t]));
    const ps = by.get('T1059.001') as { rules: { name: string; enabled: boolean }[]; enabled_rules: number; alerts: number; tactic: string };
    // The shipped rules name techniques of their own; only ours are checked here.
    assert.deepEqual(ps.rules.filter((r) => r.name.includes('powershell')).map((r) => [r.name, r.enabled]).sort(), [['encoded powershell', true], ['powershell disabled', false]]);
    assert.ok(ps.enabled_rules >= 1);
    assert.equal(ps.alerts, 3);
    assert.equal(ps.tactic, 'TA0002');
    assert.equal((by.get('T1003') as { alerts: number; rules: unknown[] }).alerts >= 2, true, 'alerts of a deleted rule still count');
  });

  it('reads the technique list of an imported rule where the column exists', async () => {
    // The Sigma import's migration adds this column (jsonb); a store without it reads none.
    await sys.deps.db.query("ALTER TABLE correlation_rules ADD COLUMN IF NOT EXISTS mitre_techniques jsonb NOT NULL DEFAULT '[]'::jsonb");
    await sys.deps.db.query('UPDATE correlation_rules SET mitre_techniques = $1::jsonb WHERE id = $2', [JSON.stringify(['T1059.001', 't1027', 'bogus']), ids['encoded powershell']]);
    const body = (await get('/v1/coverage')).json();
    const by = new Map(body.techniques.map((t: { technique: string }) => [t.technique, t]));
    const obf = by.get('T1027') as { rules: { name: string }[]; alerts: number };
    assert.deepEqual(obf.rules.map((r) => r.name), ['encoded powershell']);
    assert.equal(obf.alerts, 3, "the rule's alerts count for each of its techniques");
    assert.ok(!by.has('BOGUS'));
  });

  it('lists the alerts of a technique and its sub-techniques', async () => {
    const total = async (q: string) => (await get(`/v1/alerts?technique=${q}`)).json().total;
    assert.equal(await total('T1059'), 3);
    assert.equal(await total('t1059.001'), 3);
    assert.equal(await total('T1003'), 2);
    assert.equal(await total('T10'), 0, 'a prefix is not a parent technique');
    assert.equal(await total('T1059.002'), 0);
  });

  it('keeps hours within 1..720', async () => {
    assert.equal((await get('/v1/coverage?hours=0')).statusCode, 422);
    assert.equal((await get('/v1/coverage?hours=721')).statusCode, 422);
    const empty = (await get('/v1/coverage?hours=1')).json();
    assert.ok(Array.isArray(empty.techniques));
  });
});
