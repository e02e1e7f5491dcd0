// Suppression through the API: the rule field validated like conditions (422 at the exact
// path), round-tripped, audited and kept by a Sigma re-import; live, repeats of a key within the duration are counted
// on the open alert (occurrences, last_seen_at) and never published on the alert feed,
// another key or a resolved alert raises a new alert.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STREAMS } from '../../src/bus/bus.ts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let h: Record<string, string>;
before(async () => {
  sys = await startTestSystem();
  h = { authorization: `Bearer ${await registerUser(sys.app, { username: 'eng', role: 'engineer' })}` };
});
after(async () => sys.stop());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  sys.app.inject({ method, url, headers: h, ...(payload === undefined ? {} : { payload: payload as object }) });

const rule = (name: string, suppression: unknown) => ({
  name,
  rule_type: 'single',
  severity: 'high',
  conditions: { event_filter: { event_type: 'malware_detected' } },
  cooldown_seconds: 0,
  suppression,
});

type Detail = { field: string; type: string; message: string };
const details = (res: { json: () => { details?: Detail[] } }) => (res.json().details ?? []).map((d) => [d.field, d.type]);

describe('suppression on rules', () => {
  it('refuses bad key fields and durations with 422 at the field path', async () => {
    const cases: Array<[unknown, Array<[string, string]>]> = [
      [{ fields: ['usrname'], duration_seconds: 600 }, [['suppression.fields.0', 'value_error']]],
      [{ fields: [], duration_seconds: 600 }, [['suppression.fields', 'too_short']]],
      [{ fields: ['source_ip', 'a.b', 'c.d', 'e.f', 'g.h', 'i.j'], duration_seconds: 600 }, [['suppression.fields', 'too_long']]],
      [{ fields: ['source_ip', 'source_ip'], duration_seconds: 600 }, [['suppression.fields.1', 'value_error']]],
      [{ fields: ['source_ip'], duration_seconds: 59 }, [['suppression.duration_seconds', 'greater_than_equal']]],
      [{ fields: ['source_ip'], duration_seconds: 7 * 86_400 + 1 }, [['suppression.duration_seconds', 'less_than_equal']]],
      [{ fields: ['source_ip'] }, [['suppression.duration_seconds', 'missing']]],
      ['source_ip', [['suppression', 'dict_type']]],
    ];
    for (const [suppression, expected] of cases) {
      const res = await call('POST', '/v1/rules', rule('bad', suppression));
      assert.equal(res.statusCode, 422, JSON.stringify(suppression));
      assert.deepEqual(details(res), expected, JSON.stringify(suppression));
    }
    const patch = await call('PATCH', `/v1/rules/${(await call('POST', '/v1/rules', rule('patch target', null))).json().id}`, { suppression: { fields: ['nope'], duration_seconds: 60 } });
    assert.equal(patch.statusCode, 422);
    assert.deepEqual(details(patch), [['suppression.fields.0', 'value_error']]);
  });

  it('stores it, returns it, clears it with false (null leaves it) and records each change', async () => {
    const created = await call('POST', '/v1/rules', rule('round trip', { fields: ['source_ip', 'process.name', 'normalized.user'], duration_seconds: '900' }));
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    assert.deepEqual(created.json().suppression, { fields: ['source_ip', 'process.name', 'normalized.user'], duration_seconds: 900 });
    assert.deepEqual((await call('GET', `/v1/rules/${id}`)).json().suppression.fields, ['source_ip', 'process.name', 'normalized.user']);
    assert.equal((await call('PATCH', `/v1/rules/${id}`, { suppression: null, description: 'x' })).json().suppression.duration_seconds, 900, 'null: unchanged');
    const cleared = await call('PATCH', `/v1/rules/${id}`, { suppression: false });
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().suppression, null);
    assert.equal((await call('GET', `/v1/rules/${id}`)).json().suppression, null);
    const history = (await call('GET', `/v1/rules/${id}/history`)).json() as Array<{ changes: Record<string, { from: unknown; to: unknown }> }>;
    assert.deepEqual(history.at(-1)!.changes.suppression, { from: { fields: ['source_ip', 'process.name', 'normalized.user'], duration_seconds: 900 }, to: null });
    assert.equal((await call('GET', '/v1/rules')).json().find((r: { id: string }) => r.id === id).suppression, null);
  });
  it('is kept when a Sigma re-import updates the rule in place', async () => {
    const sigma = (level: string) => `title: Mimikatz\nid: 50000000-0000-4000-8000-000000000001\nlogsource: { product: windows, category: process_creation }\ndetection:\n  sel:\n    Image|endswith: '\\\\mimikatz.exe'\n  condition: sel\nlevel: ${level}\n`;
    const first = await call('POST', '/v1/rules/import', { content: sigma('high') });
    assert.equal(first.statusCode, 200, first.body);
    const id = first.json().results[0].rule_id as string;
    assert.equal((await call('PATCH', `/v1/rules/${id}`, { suppression: { fields: ['hostname'], duration_seconds: 600 } })).statusCode, 200);
    const again = await call('POST', '/v1/rules/import', { content: sigma('critical') });
    assert.equal(again.json().results[0].status, 'updated', again.body);
    const rule = (await call('GET', `/v1/rules/${id}`)).json();
    assert.equal(rule.severity, 'critical');
    assert.deepEqual(rule.suppression, { fields: ['hostname'], duration_seconds: 600 });
  });
});

describe('suppressed repeats, live', () => {
  const at = (minute: number) => new Date(Date.parse('2026-03-01T12:00:00Z') + minute * 60_000).toISOString();
  const malware = (host: string, minute: number) => ({ source_type: 'endpoint', event_type: 'malware_detected', hostname: host, timestamp: at(minute) });
  type AlertItem = { id: string; occurrences: number; last_seen_at: string; suppression_key: string | null; status: string; hostname?: string; title: string };

  async function alertsOf(ruleId: string, total: number, occurrences: number): Promise<AlertItem[]> {
    for (let i = 0; i < 300; i++) {
      const page = (await call('GET', `/v1/alerts?rule_id=${ruleId}&per_page=200`)).json() as { items: AlertItem[] };
      if (page.items.length >= total && page.items.reduce((n, a) => n + a.occurrences, 0) >= occurrences) return page.items;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`expected ${total} alerts holding ${occurrences} firings`);
  }

  it('counts repeats on the open alert, raises for another key and after resolution, publishes only new alerts', async () => {
    const created = (await call('POST', '/v1/rules', rule('malware by host', { fields: ['hostname'], duration_seconds: 3600 }))).json();
    const published = async () =>
      (await sys.deps.bus.read(STREAMS.alerts, '0-0', { count: 10_000 })).map((m) => JSON.parse(m.payload) as { id: string; title: string }).filter((a) => a.title.startsWith('malware by host'));
    for (const [host, minute] of [['ws-1', 0], ['ws-1', 10], ['ws-2', 11], ['ws-1', 20]] as const) {
      assert.equal((await call('POST', '/v1/logs/ingest', malware(host, minute))).statusCode, 201);
    }
    const items = await alertsOf(created.id, 2, 4);
    const ws1 = items.find((a) => a.suppression_key === JSON.stringify({ hostname: 'ws-1' }))!;
    assert.equal(items.length, 2);
    assert.equal(ws1.occurrences, 3);
    assert.equal(ws1.last_seen_at, at(20));
    assert.equal(items.find((a) => a.id !== ws1.id)!.occurrences, 1);
    assert.equal((await published()).length, 2, 'a counted repeat is not published');
    assert.match((await sys.app.inject({ method: 'GET', url: '/metrics' })).body, /^siem_correlation_suppressed_total 2$/m);

    const detail = (await call('GET', `/v1/alerts/${ws1.id}`)).json();
    assert.equal(detail.alert.occurrences, 3);
    assert.equal(detail.matched_events.length, 3, 'each repeat links its event');
    assert.equal(detail.history.length, 1);

    assert.equal((await call('PATCH', `/v1/alerts/${ws1.id}/status`, { status: 'resolved' })).statusCode, 200);
    assert.equal((await call('POST', '/v1/logs/ingest', malware('ws-1', 25))).statusCode, 201);
    const afterResolve = await alertsOf(created.id, 3, 5);
    assert.equal(afterResolve.length, 3);
    assert.equal(afterResolve.find((a) => a.id === ws1.id)!.occurrences, 3);
    assert.equal((await published()).length, 3);
  });
});
