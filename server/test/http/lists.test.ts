// Shared lists through the API: engineers create, edit, append, remove and delete; analysts
// read and get 403 naming the role; names are unique (409); items are checked per kind
// (422 naming each bad item) and bounded; a list a rule uses cannot be deleted (409 naming
// the rule); every change is announced on the control stream.
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
  analyst = await createTestUser(sys.app, { username: 'lists-analyst' });
  engineer = await createTestUser(sys.app, { username: 'lists-engineer', role: 'engineer' });
});
after(async () => sys.stop());

const call = (who: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function controlMessagesAfter(id: string): Promise<{ type: string; list_ids?: string[] }[]> {
  const messages = await sys.deps.bus.read(STREAMS.control, id, { count: 100 });
  return messages.map((m) => JSON.parse(m.payload));
}

describe('lists API', () => {
  let listId: string;

  it('an engineer creates a list: items trimmed, checked and de-duplicated, answered with 201', async () => {
    const mark = await sys.deps.bus.lastId(STREAMS.control);
    const res = await call(engineer, 'POST', '/v1/lists', {
      name: 'scanners',
      kind: 'ip',
      description: 'known scanners',
      items: [' 10.0.0.0/8 ', '2001:DB8::1', '2001:db8::1', '192.0.2.7'],
    });
    assert.equal(res.statusCode, 201, res.body);
    const list = res.json();
    listId = list.id;
    assert.match(list.id, /^[0-9a-f]{24}$/);
    assert.deepEqual(list.items, ['10.0.0.0/8', '2001:db8::1', '192.0.2.7']);
    assert.equal(list.item_count, 3);
    assert.equal(list.created_by, 'lists-engineer');
    assert.deepEqual(list.used_by, []);
    const announced = await controlMessagesAfter(mark);
    assert.deepEqual(announced.map((m) => [m.type, m.list_ids]), [['lists_changed', [listId]]]);
  });

  it('analysts read lists (the listing without items) but every change answers 403 naming the role', async () => {
    const all = await call(analyst, 'GET', '/v1/lists');
    assert.equal(all.statusCode, 200);
    const summary = all.json().find((l: { name: string }) => l.name === 'scanners');
    assert.equal(summary.item_count, 3);
    assert.equal('items' in summary, false);
    assert.equal((await call(analyst, 'GET', `/v1/lists/${listId}`)).json().items.length, 3);

    const attempts = [
      await call(analyst, 'POST', '/v1/lists', { name: 'by-analyst', kind: 'user' }),
      await call(analyst, 'PATCH', `/v1/lists/${listId}`, { description: 'x' }),
      await call(analyst, 'POST', `/v1/lists/${listId}/items`, { items: ['192.0.2.9'] }),
      await call(analyst, 'DELETE', `/v1/lists/${listId}/items`, { items: ['192.0.2.7'] }),
      await call(analyst, 'DELETE', `/v1/lists/${listId}`),
      await call(analyst, 'POST', '/v1/lists', {}),
    ];
    for (const res of attempts) {
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error, 'ForbiddenError');
      assert.match(res.json().message, /shared lists needs the engineer or admin role/);
    }
    assert.equal((await call(analyst, 'GET', `/v1/lists/${listId}`)).json().item_count, 3);
  });

  it('refuses a duplicate name with 409 and a bad name with 422', async () => {
    const dup = await call(engineer, 'POST', '/v1/lists', { name: 'scanners', kind: 'text' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error, 'ConflictError');
    assert.equal(dup.json().code, 'CONFLICT_DUPLICATE');
    for (const name of ['Scanners', '-x', 'a b', 'x'.repeat(65), '']) {
      const bad = await call(engineer, 'POST', '/v1/lists', { name, kind: 'text' });
      assert.equal(bad.statusCode, 422, name);
      assert.equal(bad.json().details[0].field, 'name');
    }
    const kind = await call(engineer, 'POST', '/v1/lists', { name: 'colours', kind: 'colour' });
    assert.equal(kind.statusCode, 422);
    assert.equal(kind.json().details[0].type, 'enum');
  });

  it('answers 422 naming each item that does not fit the kind, and changes nothing', async () => {
    const res = await call(engineer, 'POST', `/v1/lists/${listId}/items`, { items: ['192.0.2.10', 'not-an-ip', '10.0.0.0/33', '   ', 'a\tb'] });
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.error, 'ValidationError');
    assert.match(body.message, /4 items are not valid for a list of kind 'ip'/);
    assert.deepEqual(body.details.map((d: { field: string }) => d.field), ['items.1', 'items.2', 'items.3', 'items.4']);
    assert.match(body.details[0].message, /not-an-ip/);
    assert.equal((await call(engineer, 'GET', `/v1/lists/${listId}`)).json().item_count, 3);

    const long = await call(engineer, 'POST', '/v1/lists', { name: 'long-items', kind: 'text', items: ['x'.repeat(513)] });
    assert.equal(long.statusCode, 422);
    assert.equal(long.json().details[0].field, 'items.0');
    assert.equal(long.json().details[0].type, 'string_too_long');
  });

  it('appends (skipping present items), removes (ignoring absent ones) and replaces items', async () => {
    const appended = await call(engineer, 'POST', `/v1/lists/${listId}/items`, { items: ['192.0.2.7', '198.51.100.0/24'] });
    assert.equal(appended.statusCode, 200, appended.body);
    assert.deepEqual(appended.json().items, ['10.0.0.0/8', '2001:db8::1', '192.0.2.7', '198.51.100.0/24']);

    const removed = await call(engineer, 'DELETE', `/v1/lists/${listId}/items`, { items: ['2001:DB8::1', '203.0.113.1'] });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.deepEqual(removed.json().items, ['10.0.0.0/8', '192.0.2.7', '198.51.100.0/24']);
    assert.equal(removed.json().updated_by, 'lists-engineer');

    const replaced = await call(engineer, 'PATCH', `/v1/lists/${listId}`, { items: ['203.0.113.0/24'], description: 'replaced' });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.deepEqual(replaced.json().items, ['203.0.113.0/24']);
    assert.equal(replaced.json().description, 'replaced');

    const nothing = await call(engineer, 'PATCH', `/v1/lists/${listId}`, {});
    assert.equal(nothing.statusCode, 422);
    assert.equal(nothing.json().message, 'No fields to update');
    assert.equal((await call(engineer, 'POST', `/v1/lists/${listId}/items`, { items: [] })).statusCode, 422);
  });

  it('collapses duplicates case-insensitively for names and lower-cases domains', async () => {
    const users = await call(engineer, 'POST', '/v1/lists', { name: 'admins', kind: 'user', items: ['Alice', 'alice', 'ALICE', 'bob'] });
    assert.deepEqual(users.json().items, ['Alice', 'bob']);
    const domains = await call(engineer, 'POST', '/v1/lists', { name: 'bad-domains', kind: 'domain', items: ['Evil.EXAMPLE', 'evil.example'] });
    assert.deepEqual(domains.json().items, ['evil.example']);
  });

  it('takes a list of 100,000 items in one request and refuses one more', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const big = await call(engineer, 'POST', '/v1/lists', { name: 'big', kind: 'ip', items });
    assert.equal(big.statusCode, 201, big.body.slice(0, 300));
    assert.equal(big.json().item_count, 100_000);
    const more = await call(engineer, 'POST', `/v1/lists/${big.json().id}/items`, { items: ['192.0.2.200'] });
    assert.equal(more.statusCode, 422);
    assert.equal(more.json().details[0].type, 'too_long');
    assert.equal((await call(engineer, 'DELETE', `/v1/lists/${big.json().id}`)).statusCode, 200);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope']) {
      const res = await call(engineer, 'GET', `/v1/lists/${id}`);
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().message, 'List not found');
    }
  });

  it('refuses to delete a list a rule uses (409 naming the rule), then deletes it once unused', async () => {
    const created = await call(engineer, 'POST', '/v1/lists', { name: 'vpn-users', kind: 'user', items: ['carol'] });
    const id = created.json().id as string;
    const rule = await call(engineer, 'POST', '/v1/rules', {
      name: 'Logins outside the VPN group',
      rule_type: 'threshold',
      severity: 'low',
      conditions: { event_filter: { event_type: 'login_success', any: [{ username: { not_in_list: ['vpn-users'] } }] }, threshold: 3, window_seconds: 60, group_by: 'username' },
    });
    assert.equal(rule.statusCode, 201, rule.body);
    const ruleId = rule.json().id as string;
    assert.deepEqual((await call(analyst, 'GET', `/v1/lists/${id}`)).json().used_by, [{ rule_id: ruleId, rule_name: 'Logins outside the VPN group' }]);

    const refused = await call(engineer, 'DELETE', `/v1/lists/${id}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'CONFLICT_IN_USE');
    assert.match(refused.json().message, /'Logins outside the VPN group'/);

    assert.equal((await call(engineer, 'DELETE', `/v1/rules/${ruleId}`)).statusCode, 200);
    const mark = await sys.deps.bus.lastId(STREAMS.control);
    const deleted = await call(engineer, 'DELETE', `/v1/lists/${id}`);
    assert.equal(deleted.statusCode, 200);
    assert.deepEqual(deleted.json(), { deleted: true });
    assert.deepEqual((await controlMessagesAfter(mark)).map((m) => m.list_ids), [[id]]);
    assert.equal((await call(engineer, 'GET', `/v1/lists/${id}`)).statusCode, 404);
  });
});
