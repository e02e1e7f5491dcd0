// Rule exceptions from an alert through the API: an engineer adds the alert's group value
// as an exception (once, however often asked; at most 100), removes one by position, or
// puts the value in a shared list the rule then excepts; each change is in the rule's
// history and announced; analysts get 403.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STREAMS } from '../../src/bus/bus.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let analyst: TestUser;
let engineer: TestUser;
before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute' });
  analyst = await createTestUser(sys.app, { username: 'exc-analyst' });
  engineer = await createTestUser(sys.app, { username: 'exc-engineer', role: 'engineer' });
});
after(async () => sys.stop());

const call = (who: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function createRule(name: string): Promise<string> {
  const res = await call(engineer, 'POST', '/v1/rules', {
    name,
    rule_type: 'threshold',
    severity: 'high',
    conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 60, group_by: 'source_ip' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

describe('rule exceptions API', () => {
  let ruleId: string;
  before(async () => {
    ruleId = await createRule('exc brute force');
  });

  it('adds the value as an exact-equality exception, audited and announced; asking again changes nothing', async () => {
    const mark = await sys.deps.bus.lastId(STREAMS.control);
    const res = await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { source_ip: '192.0.2.10' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().rule.conditions.exceptions, [{ source_ip: '192.0.2.10' }]);
    assert.equal(res.json().list, null);
    const announced = (await sys.deps.bus.read(STREAMS.control, mark, { count: 10 })).map((m) => JSON.parse(m.payload).type);
    assert.deepEqual(announced, ['rules_changed']);

    const again = await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { source_ip: '192.0.2.10' } });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json().rule.conditions.exceptions, [{ source_ip: '192.0.2.10' }]);

    const two = await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { source_ip: '192.0.2.11', username: 'svc' } });
    assert.deepEqual(two.json().rule.conditions.exceptions, [{ source_ip: '192.0.2.10' }, { source_ip: '192.0.2.11', username: 'svc' }]);
    // Key order does not make a new exception.
    const reordered = await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { username: 'svc', source_ip: '192.0.2.11' } });
    assert.equal(reordered.json().rule.conditions.exceptions.length, 2);

    const history = (await call(analyst, 'GET', `/v1/rules/${ruleId}/history`)).json();
    const updates = history.filter((e: { action: string }) => e.action === 'updated');
    assert.equal(updates.length, 2);
    assert.equal(updates[0].by, 'exc-engineer');
    assert.deepEqual(Object.keys(updates[0].changes), ['conditions']);
  });

  it('removes an exception by position; 404 for a position that does not exist', async () => {
    const res = await call(engineer, 'DELETE', `/v1/rules/${ruleId}/exceptions/0`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().conditions.exceptions, [{ source_ip: '192.0.2.11', username: 'svc' }]);
    for (const index of ['5', 'x', '-1', '99999']) {
      const missing = await call(engineer, 'DELETE', `/v1/rules/${ruleId}/exceptions/${index}`);
      assert.equal(missing.statusCode, 404, index);
      assert.equal(missing.json().message, 'Exception not found');
    }
    const last = await call(engineer, 'DELETE', `/v1/rules/${ruleId}/exceptions/0`);
    assert.equal('exceptions' in last.json().conditions, false);
  });

  it('refuses analysts (403), bad bodies (422) and unknown rules (404)', async () => {
    const forbidden = [
      await call(analyst, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { source_ip: '192.0.2.1' } }),
      await call(analyst, 'DELETE', `/v1/rules/${ruleId}/exceptions/0`),
    ];
    for (const res of forbidden) {
      assert.equal(res.statusCode, 403);
      assert.match(res.json().message, /engineer or admin/);
    }
    for (const body of [{}, { values: {} }, { values: { source_ip: '' } }, { values: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }, { values: { source_ip: '1.2.3.4' }, list: 'Bad Name' }]) {
      const res = await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, body);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      assert.ok(res.json().details.length > 0);
    }
    // A field the rule language does not know is refused by the rule's own validation.
    const typo = await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { sourceip: '192.0.2.1' } });
    assert.equal(typo.statusCode, 422);
    const unknown = await call(engineer, 'POST', '/v1/rules/0123456789abcdef01234567/exceptions', { values: { source_ip: '192.0.2.1' } });
    assert.equal(unknown.statusCode, 404);
  });

  it('keeps at most 100 exceptions (422 beyond)', async () => {
    const id = await createRule('exc many');
    for (let i = 0; i < 100; i++) {
      const res = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: `198.51.100.${i}` } });
      assert.equal(res.statusCode, 200, res.body);
    }
    const over = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: '203.0.113.1' } });
    assert.equal(over.statusCode, 422);
    assert.equal(over.json().details[0].field, 'exceptions');
    assert.equal(over.json().details[0].type, 'too_long');
    // An existing one is still answered as already there.
    assert.equal((await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: '198.51.100.7' } })).statusCode, 200);
  });

  it('with a list: adds the value to the list and the list to the rule exceptions (once)', async () => {
    const id = await createRule('exc via list');
    const list = await call(engineer, 'POST', '/v1/lists', { name: 'exc-scanners', kind: 'ip', items: ['192.0.2.1'] });
    assert.equal(list.statusCode, 201);

    const res = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: '192.0.2.50' }, list: 'exc-scanners' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().rule.conditions.exceptions, [{ source_ip: { in_list: 'exc-scanners' } }]);
    assert.equal(res.json().list.item_count, 2);
    assert.deepEqual(res.json().list.used_by, [{ rule_id: id, rule_name: 'exc via list' }]);

    const again = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: '192.0.2.51' }, list: 'exc-scanners' });
    assert.equal(again.json().rule.conditions.exceptions.length, 1);
    assert.deepEqual((await call(engineer, 'GET', `/v1/lists/${list.json().id}`)).json().items, ['192.0.2.1', '192.0.2.50', '192.0.2.51']);
  });

  it('with a list: one field only, the list must exist, and the value must fit its kind (nothing changes otherwise)', async () => {
    const id = await createRule('exc via list refused');
    const two = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: '192.0.2.1', username: 'x' }, list: 'exc-scanners' });
    assert.equal(two.statusCode, 422);
    assert.equal(two.json().details[0].field, 'values');
    const missing = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { source_ip: '192.0.2.1' }, list: 'no-such-list' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().message, 'List not found');
    const misfit = await call(engineer, 'POST', `/v1/rules/${id}/exceptions`, { values: { username: 'alice' }, list: 'exc-scanners' });
    assert.equal(misfit.statusCode, 422);
    assert.equal(misfit.json().details[0].field, 'values.username');
    assert.equal('exceptions' in (await call(engineer, 'GET', `/v1/rules/${id}`)).json().conditions, false);
  });
});

describe('exceptions and lists in live detection', () => {
  const ingest = async (ip: string) => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'auth', event_type: 'exc_live_probe', source_ip: ip, username: 'root' } });
    assert.equal(res.statusCode, 201, res.body);
  };
  async function groupsAlerted(ruleName: string, until: string): Promise<string[]> {
    for (let i = 0; i < 300; i++) {
      const page = (await call(analyst, 'GET', '/v1/alerts?per_page=200')).json() as { items: { rule_name: string; group_value: string }[] };
      const groups = page.items.filter((a) => a.rule_name === ruleName).map((a) => a.group_value);
      if (groups.includes(until)) return groups.sort();
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`no alert for ${until}`);
  }

  it('an excepted value and the members of an excepted list raise nothing; a value taken out of the list alerts again', async () => {
    const created = await call(engineer, 'POST', '/v1/lists', { name: 'exc-live-quiet', kind: 'ip', items: ['192.0.2.0/24'] });
    assert.equal(created.statusCode, 201);
    const rule = await call(engineer, 'POST', '/v1/rules', {
      name: 'exc live', rule_type: 'single', severity: 'low', conditions: { event_filter: { event_type: 'exc_live_probe' }, group_by: 'source_ip' },
    });
    assert.equal(rule.statusCode, 201, rule.body);
    const ruleId = rule.json().id as string;
    assert.equal((await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { source_ip: '198.51.100.5' }, list: 'exc-live-quiet' })).statusCode, 200);
    assert.equal((await call(engineer, 'POST', `/v1/rules/${ruleId}/exceptions`, { values: { source_ip: '198.51.100.6' } })).statusCode, 200);

    // Events are correlated in log order: once the last one alerted, the others were seen.
    for (const ip of ['192.0.2.9', '198.51.100.5', '198.51.100.6', '203.0.113.1']) await ingest(ip);
    assert.deepEqual(await groupsAlerted('exc live', '203.0.113.1'), ['203.0.113.1']);

    const removed = await call(engineer, 'DELETE', `/v1/lists/${created.json().id}/items`, { items: ['198.51.100.5'] });
    assert.deepEqual(removed.json().items, ['192.0.2.0/24']);
    for (const ip of ['192.0.2.10', '198.51.100.5']) await ingest(ip);
    assert.deepEqual(await groupsAlerted('exc live', '198.51.100.5'), ['198.51.100.5', '203.0.113.1']);
  });
});
