// Rule tags through the API: lower-cased and deduplicated, a bad tag answered 422 at `tags.N`,
// PATCH replacing (absent or null: unchanged), the change in the rule's history; Sigma imports
// keep the tags that fit (the same file again is "unchanged"); the shipped threat-intel rule
// is tagged; a channel routes on tags.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let engineer: TestUser;
let admin: TestUser;
before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute' });
  engineer = await createTestUser(sys.app, { username: 'tags-engineer', role: 'engineer' });
  admin = await createTestUser(sys.app, { username: 'tags-admin', role: 'admin' });
});
after(async () => sys.stop());

const call = (who: TestUser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const rule = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  rule_type: 'single',
  severity: 'medium',
  conditions: { event_filter: { event_type: 'login_failure' } },
  ...extra,
});

const fields = (res: { json: () => { details: { field: string }[] } }) => res.json().details.map((d) => d.field);

describe('rule tags', () => {
  let id: string;

  it('a rule without tags answers tags: []', async () => {
    const res = await call(engineer, 'POST', '/v1/rules', rule('No tags'));
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().tags, []);
  });

  it('creates with tags lower-cased, trimmed and deduplicated; GET and the list answer them', async () => {
    const res = await call(engineer, 'POST', '/v1/rules', rule('Tagged', { tags: ['SSH', ' brute-force ', 'ssh', 'attack.t1110', 'team:blue'] }));
    assert.equal(res.statusCode, 201, res.body);
    id = res.json().id;
    assert.deepEqual(res.json().tags, ['ssh', 'brute-force', 'attack.t1110', 'team:blue']);
    assert.deepEqual((await call(engineer, 'GET', `/v1/rules/${id}`)).json().tags, ['ssh', 'brute-force', 'attack.t1110', 'team:blue']);
    const listed = (await call(engineer, 'GET', '/v1/rules')).json() as { id: string; tags: string[] }[] | { items: { id: string; tags: string[] }[] };
    const items = Array.isArray(listed) ? listed : listed.items;
    assert.deepEqual(items.find((r) => r.id === id)?.tags, ['ssh', 'brute-force', 'attack.t1110', 'team:blue']);
  });

  it('answers 422 at tags.N for a bad tag, and at tags for too many', async () => {
    for (const bad of ['has space', '', 'x'.repeat(65), 'ünï', 'a/b']) {
      const res = await call(engineer, 'POST', '/v1/rules', rule(`Bad ${bad.slice(0, 10)}`, { tags: ['ok', bad] }));
      assert.equal(res.statusCode, 422, bad);
      assert.deepEqual(fields(res), ['tags.1'], bad);
    }
    const many = await call(engineer, 'POST', '/v1/rules', rule('Many', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }));
    assert.equal(many.statusCode, 422);
    assert.deepEqual(fields(many), ['tags']);
    const patch = await call(engineer, 'PATCH', `/v1/rules/${id}`, { tags: [42] });
    assert.equal(patch.statusCode, 422);
    assert.deepEqual(fields(patch), ['tags.0']);
  });

  it('PATCH: absent or null leaves the tags, a list replaces them, [] removes them; history records each change', async () => {
    assert.deepEqual((await call(engineer, 'PATCH', `/v1/rules/${id}`, { description: 'x' })).json().tags, ['ssh', 'brute-force', 'attack.t1110', 'team:blue']);
    assert.deepEqual((await call(engineer, 'PATCH', `/v1/rules/${id}`, { tags: null })).json().tags, ['ssh', 'brute-force', 'attack.t1110', 'team:blue']);
    const replaced = await call(engineer, 'PATCH', `/v1/rules/${id}`, { tags: ['Threat-Intel'] });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.deepEqual(replaced.json().tags, ['threat-intel']);
    // The same tags again change nothing: no history entry.
    await call(engineer, 'PATCH', `/v1/rules/${id}`, { tags: ['threat-intel'] });
    assert.deepEqual((await call(engineer, 'PATCH', `/v1/rules/${id}`, { tags: [] })).json().tags, []);
    const history = (await call(engineer, 'GET', `/v1/rules/${id}/history`)).json() as { action: string; changes: Record<string, { from: unknown; to: unknown }> }[];
    assert.deepEqual(history[0]!.changes.tags, { from: null, to: ['ssh', 'brute-force', 'attack.t1110', 'team:blue'] });
    const tagChanges = history.filter((e) => e.changes.tags && e.action === 'updated').map((e) => e.changes.tags);
    assert.deepEqual(tagChanges, [
      { from: ['ssh', 'brute-force', 'attack.t1110', 'team:blue'], to: ['threat-intel'] },
      { from: ['threat-intel'], to: [] },
    ]);
    // The description-only change did not mention tags.
    assert.equal(history.filter((e) => e.action === 'updated' && e.changes.description).every((e) => !e.changes.tags), true);
  });
});

describe('Sigma import tags', () => {
  const doc = (tags: string) => `title: Tagged Sigma rule
id: 50000000-0000-4000-8000-0000000000aa
status: test
tags: [${tags}]
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\\\whoami.exe'
  condition: selection
level: low
`;
  const importDoc = (tags: string) => call(engineer, 'POST', '/v1/rules/import', { files: [{ name: 'tagged.yml', content: doc(tags) }] });

  it('an imported rule gets the Sigma tags that fit, normalized; the same file again is unchanged', async () => {
    const res = await importDoc("attack.discovery, attack.T1033, 'Not A Tag', cve.2021-44228, attack.discovery");
    assert.equal(res.statusCode, 200, res.body);
    const ruleId = res.json().results[0].rule_id as string;
    assert.deepEqual((await call(engineer, 'GET', `/v1/rules/${ruleId}`)).json().tags, ['attack.discovery', 'attack.t1033', 'cve.2021-44228']);
    const again = await importDoc("attack.discovery, attack.T1033, 'Not A Tag', cve.2021-44228, attack.discovery");
    assert.equal(again.json().results[0].status, 'unchanged');
    // An analyst's own tag stays across a re-import of a changed file; the file's tags follow it.
    await call(engineer, 'PATCH', `/v1/rules/${ruleId}`, { tags: ['attack.discovery', 'attack.t1033', 'cve.2021-44228', 'mine'] });
    assert.equal((await importDoc("attack.discovery, attack.T1033, 'Not A Tag', cve.2021-44228, attack.discovery")).json().results[0].status, 'unchanged');
    const changed = await importDoc('attack.discovery, attack.t1087');
    assert.equal(changed.json().results[0].status, 'updated');
    assert.deepEqual((await call(engineer, 'GET', `/v1/rules/${ruleId}`)).json().tags, ['attack.discovery', 'attack.t1087', 'mine']);
  });
});

describe('shipped rules and channels', () => {
  it('the shipped threat-intel rule is tagged threat-intel, and a restore leaves it as shipped', async () => {
    const find = async () => {
      const list = (await call(engineer, 'GET', '/v1/rules')).json() as { id: string; name: string; tags: string[] }[] | { items: { id: string; name: string; tags: string[] }[] };
      return (Array.isArray(list) ? list : list.items).find((r) => r.name === 'Threat intel indicator match');
    };
    const intel = await find();
    assert.ok(intel, 'the shipped rules are installed at start');
    assert.deepEqual(intel.tags, ['threat-intel']);
    const restored = await call(admin, 'POST', '/v1/rules/restore-defaults');
    assert.equal(restored.statusCode, 200, restored.body);
    assert.deepEqual((await find())?.tags, ['threat-intel']);
    // Nothing differed from the shipped definition, so the restore recorded no change.
    const history = (await call(engineer, 'GET', `/v1/rules/${intel.id}/history`)).json() as { action: string }[];
    assert.deepEqual(history.map((e) => e.action), ['created']);
  });

  it('a channel accepts routing tags (lower-cased), answers them, and refuses a bad one at its path', async () => {
    const base = { kind: 'webhook', name: 'by tag', config: { url: 'https://hooks.example.org/x' } };
    const res = await call(admin, 'POST', '/v1/notifications/channels', { ...base, routing: { tags: ['Threat-Intel'] } });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().routing.tags, ['threat-intel']);
    const plain = await call(admin, 'POST', '/v1/notifications/channels', { ...base, name: 'no tags' });
    assert.deepEqual(plain.json().routing.tags, []);
    const bad = await call(admin, 'POST', '/v1/notifications/channels', { ...base, name: 'bad', routing: { tags: ['bad tag'] } });
    assert.equal(bad.statusCode, 422);
    assert.match(fields(bad)[0]!, /routing\.tags\.0$/);
  });
});
