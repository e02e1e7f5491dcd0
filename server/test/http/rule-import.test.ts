// POST /v1/rules/import: Sigma rules as JSON files, one text or a raw YAML body; created
// rules run as `single` rules with their origin; a re-import updates in place and keeps the
// analysts' exceptions and enabled flag (history recorded); dry runs store nothing; roles
// and bounds answer 403 / 413 / 422.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

let sys: TestSystem;
let analyst: TestUser;
let engineer: TestUser;
before(async () => {
  sys = await startTestSystem({ RATELIMIT_AUTH: '1000/minute' });
  analyst = await createTestUser(sys.app, { username: 'si-analyst' });
  engineer = await createTestUser(sys.app, { username: 'si-engineer', role: 'engineer' });
});
after(async () => sys.stop());

const sigma = (id: string, title: string, image = '\\mimikatz.exe', level = 'high') => `title: ${title}
id: ${id}
status: test
author: tests
tags: [attack.credential-access, attack.t1003.001, attack.t1003]
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '${image}'
  condition: selection
level: ${level}
`;

const post = (who: TestUser, payload: unknown, opts: { type?: string; url?: string } = {}) =>
  sys.app.inject({
    method: 'POST',
    url: opts.url ?? '/v1/rules/import',
    headers: { ...who.headers, 'content-type': opts.type ?? 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('POST /v1/rules/import', () => {
  it('imports files: each document created as a single rule with its origin, one refused with its location', async () => {
    const res = await post(engineer, {
      files: [
        { name: 'creds/mimikatz.yml', content: sigma('40000000-0000-4000-8000-000000000001', 'Mimikatz run') },
        { name: 'bad.yml', content: `title: Bad\nid: 40000000-0000-4000-8000-000000000002\ndetection:\n  sel:\n    CommandLine|expand: '%x%'\n  condition: sel\n` },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.created, 1);
    assert.equal(body.refused, 1);
    const [created, refused] = body.results;
    assert.equal(created.status, 'created');
    assert.equal(created.rule_type, 'single');
    assert.equal(created.file, 'creds/mimikatz.yml');
    assert.equal(created.document, 1);
    assert.equal(refused.status, 'refused');
    assert.deepEqual(refused.location, { field: 'CommandLine', modifier: 'expand' });
    assert.match(refused.reason, /placeholders/);

    const rule = (await sys.app.inject({ method: 'GET', url: `/v1/rules/${created.rule_id}`, headers: analyst.headers })).json();
    assert.equal(rule.name, 'Mimikatz run');
    assert.equal(rule.rule_type, 'single');
    assert.equal(rule.enabled, true);
    assert.equal(rule.severity, 'high');
    assert.equal(rule.mitre_tactic, 'TA0006');
    assert.equal(rule.mitre_technique, 'T1003.001');
    assert.deepEqual(rule.mitre_techniques, ['T1003.001', 'T1003']);
    assert.equal(rule.origin.kind, 'sigma');
    assert.equal(rule.origin.id, '40000000-0000-4000-8000-000000000001');
    assert.deepEqual(rule.origin.logsource, { product: 'windows', category: 'process_creation' });
    assert.deepEqual(rule.conditions.event_filter, { event_type: { equals: 'process_start' }, 'process.executable': { endswith: '\\mimikatz.exe' } });
  });

  it('re-import: unchanged, then updated in place keeping exceptions and the enabled flag, with history', async () => {
    const id = '40000000-0000-4000-8000-000000000010';
    const first = (await post(engineer, { content: sigma(id, 'Procdump LSASS', '\\procdump.exe') })).json();
    const ruleId = first.results[0].rule_id as string;
    // An analyst-side change: an exception and the rule disabled.
    const current = (await sys.app.inject({ method: 'GET', url: `/v1/rules/${ruleId}`, headers: engineer.headers })).json();
    const exceptions = [{ hostname: { equals: 'build-01' } }];
    const patched = await sys.app.inject({ method: 'PATCH', url: `/v1/rules/${ruleId}`, headers: engineer.headers, payload: { enabled: false, conditions: { ...current.conditions, exceptions } } });
    assert.equal(patched.statusCode, 200, patched.body);

    const again = (await post(engineer, { content: sigma(id, 'Procdump LSASS', '\\procdump.exe') })).json();
    assert.equal(again.results[0].status, 'unchanged');
    assert.equal(again.results[0].rule_id, ruleId);

    const changed = (await post(engineer, { content: sigma(id, 'Procdump LSASS (new title)', '\\procdump64.exe', 'critical') })).json();
    assert.equal(changed.results[0].status, 'updated');
    assert.equal(changed.updated, 1);
    const rule = (await sys.app.inject({ method: 'GET', url: `/v1/rules/${ruleId}`, headers: engineer.headers })).json();
    assert.equal(rule.enabled, false);
    assert.equal(rule.name, 'Procdump LSASS');
    assert.equal(rule.severity, 'critical');
    assert.deepEqual(rule.conditions.exceptions, exceptions);
    assert.deepEqual(rule.conditions.event_filter['process.executable'], { endswith: '\\procdump64.exe' });
    const history = (await sys.app.inject({ method: 'GET', url: `/v1/rules/${ruleId}/history`, headers: engineer.headers })).json();
    assert.deepEqual(history.map((h: { action: string }) => h.action), ['created', 'updated', 'updated']);
    assert.equal(history[2].by, 'si-engineer');
    assert.ok(history[2].changes.conditions && history[2].changes.severity);
  });

  it('a taken name gets a suffix; disabled on request', async () => {
    await post(engineer, { content: sigma('40000000-0000-4000-8000-000000000020', 'Same title') });
    const res = (await post(engineer, { content: sigma('40000000-0000-4000-8000-000000000021', 'Same title'), enabled: false })).json();
    const rule = (await sys.app.inject({ method: 'GET', url: `/v1/rules/${res.results[0].rule_id}`, headers: engineer.headers })).json();
    assert.equal(rule.name, 'Same title (2)');
    assert.equal(rule.enabled, false);
    assert.ok(res.results[0].warnings.some((w: string) => /Same title \(2\)/.test(w)));
  });

  it('a raw YAML body, options in the query; dry run stores nothing', async () => {
    const yaml = `${sigma('40000000-0000-4000-8000-000000000030', 'YAML one')}---\n${sigma('40000000-0000-4000-8000-000000000031', 'YAML two', '\\rubeus.exe')}`;
    const before = (await sys.app.inject({ method: 'GET', url: '/v1/rules', headers: engineer.headers })).json().length;
    for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml']) {
      const dry = await post(engineer, yaml, { type, url: '/v1/rules/import?dry_run=true' });
      assert.equal(dry.statusCode, 200, dry.body);
      assert.equal(dry.json().dry_run, true);
      assert.equal(dry.json().created, 2);
      assert.equal(dry.json().results[1].document, 2);
    }
    assert.equal((await sys.app.inject({ method: 'GET', url: '/v1/rules', headers: engineer.headers })).json().length, before);
    const real = await post(engineer, yaml, { type: 'application/yaml', url: '/api/v1/rules/import?enabled=false' });
    assert.equal(real.json().created, 2);
    const rule = (await sys.app.inject({ method: 'GET', url: `/v1/rules/${real.json().results[0].rule_id}`, headers: engineer.headers })).json();
    assert.equal(rule.enabled, false);
  });

  it('a correlation and the rule it names: one threshold rule, the named rule included', async () => {
    const yaml = `title: Failed logon (import test)
id: 40000000-0000-4000-8000-000000000040
name: failed_logon_import
logsource: { product: windows, service: security }
detection: { selection: { EventID: 4625 }, condition: selection }
---
title: Password guessing (import test)
id: 40000000-0000-4000-8000-000000000041
correlation:
  type: event_count
  rules: [failed_logon_import]
  group-by: [IpAddress]
  timespan: 5m
  condition: { gte: 10 }
level: high
`;
    const res = (await post(engineer, { content: yaml })).json();
    assert.deepEqual(res.results.map((r: { status: string }) => r.status), ['included', 'created']);
    assert.equal(res.results[1].rule_type, 'threshold');
  });

  it('two imports of one new rule at once: one creates it, the other updates nothing or answers 409, never 500', async () => {
    const body = { content: sigma('40000000-0000-4000-8000-000000000060', 'Raced rule', '\\race.exe') };
    const answers = await Promise.all([post(engineer, body), post(engineer, body), post(engineer, body)]);
    for (const a of answers) assert.ok(a.statusCode === 200 || a.statusCode === 409, `${a.statusCode} ${a.body}`);
    const created = answers.filter((a) => a.statusCode === 200 && a.json().created === 1);
    assert.equal(created.length, 1);
    const rules = (await sys.app.inject({ method: 'GET', url: '/v1/rules', headers: engineer.headers })).json() as { name: string }[];
    assert.equal(rules.filter((r) => r.name.startsWith('Raced rule')).length, 1);
  });

  it('an analyst gets 403 naming the role; nothing is read or stored', async () => {
    const res = await post(analyst, { content: sigma('40000000-0000-4000-8000-000000000050', 'By analyst') });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().message, /engineer or admin/);
    const yaml = await post(analyst, 'not: [yaml', { type: 'application/yaml' });
    assert.equal(yaml.statusCode, 403);
  });

  it('every document refused: 422 with the located reasons', async () => {
    const res = await post(engineer, { content: `title: Only bad\ndetection:\n  sel: { 'Foo|re': '(?<=a)b' }\n  condition: sel\n` });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error, 'ValidationError');
    assert.match(res.json().message, /refused: RE2 does not support look-around/);
    assert.equal(res.json().details[0].field, 'request#1.Foo');
  });

  it('bounds: 413 over 5 MB, 422 over 2,000 documents, 422 for a body with neither files nor content', async () => {
    const big = await post(engineer, { content: `# ${'x'.repeat(5 * 1024 * 1024 + 10)}` });
    assert.equal(big.statusCode, 413);
    assert.match(big.json().message, /larger than 5 MB/);
    const many = await post(engineer, { content: Array.from({ length: 2001 }, (_, i) => `title: R${i}`).join('\n---\n') });
    assert.equal(many.statusCode, 422);
    assert.match(many.json().message, /more than 2000 YAML documents/);
    const empty = await post(engineer, {});
    assert.equal(empty.statusCode, 422);
    assert.match(empty.json().details[0].message, /either files/);
    const both = await post(engineer, { files: [{ name: 'a', content: 'x' }], content: 'y' });
    assert.equal(both.statusCode, 422);
    const tooBig = await post(engineer, 'x'.repeat(11 * 1024 * 1024), { type: 'application/yaml' });
    assert.equal(tooBig.statusCode, 413);
  });
});
