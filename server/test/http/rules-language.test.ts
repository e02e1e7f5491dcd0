// The rule language through the API and the live engine: rules with condition trees,
// several predicates per field, lists, negations, raw and message paths, single-event
// rules and multi-field groups are accepted, raise alerts from real ingested records, and
// bad ones are refused with the exact place of the problem.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let h: Record<string, string>;
before(async () => {
  sys = await startTestSystem();
  h = { authorization: `Bearer ${await registerUser(sys.app, { username: 'erin', role: 'engineer' })}` };
});
after(async () => sys.stop());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  sys.app.inject({ method, url, headers: { ...h, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function alertsOf(ruleId: string, count: number): Promise<Array<{ group_value: string | null; title: string; matched_event_count: number }>> {
  for (let i = 0; i < 100; i++) {
    const res = await call('GET', '/v1/alerts?per_page=200');
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items.filter((a: { rule_id: string }) => a.rule_id === ruleId);
    if (items.length >= count) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${count} alerts of ${ruleId}`);
}

const sysmon = (commandLine: string, integrity: string) => ({
  '@timestamp': new Date().toISOString(),
  host: { name: 'ws-07' },
  winlog: {
    channel: 'Microsoft-Windows-Sysmon/Operational',
    provider_name: 'Microsoft-Windows-Sysmon',
    event_id: 1,
    computer_name: 'ws-07',
    event_data: { Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: commandLine, IntegrityLevel: integrity, User: 'CORP\\bob' },
  },
});

describe('rule language through the API', () => {
  it('a single-event rule on a parsed field and a raw path fires once per matching record', async () => {
    const created = await call('POST', '/v1/rules', {
      name: 'Encoded PowerShell at high integrity',
      rule_type: 'single',
      severity: 'high',
      conditions: {
        event_filter: {
          'process.command_line': { contains: ['-enc ', '-encodedcommand '], not_contains: 'legit-tool' },
          'raw.winlog.event_data.IntegrityLevel': 'High',
        },
      },
      mitre_tactic: 'TA0002',
      mitre_technique: 'T1059.001',
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    for (const [line, level] of [['powershell -enc SQBFAFgA', 'High'], ['powershell -enc SQBFAFgA', 'Medium'], ['powershell -EncodedCommand AAA legit-tool', 'High'], ['powershell -EncodedCommand BBB', 'High']]) {
      const res = await call('POST', '/v1/logs/ingest', sysmon(line!, level!));
      assert.equal(res.statusCode, 201, res.body);
    }
    const alerts = await alertsOf(id, 2);
    await new Promise((r) => setTimeout(r, 300));
    const settled = await alertsOf(id, 2);
    assert.equal(settled.length, 2, 'the medium-integrity and the excluded records raise nothing');
    assert.equal(alerts[0]!.group_value, null);
    assert.equal(alerts[0]!.title, 'Encoded PowerShell at high integrity');
  });

  it('a rule on the message text grouped by two fields names both values', async () => {
    const created = await call('POST', '/v1/rules', {
      name: 'Password guessing per address and account',
      rule_type: 'threshold',
      severity: 'medium',
      conditions: {
        event_filter: { message: { regex: 'Failed password for (invalid user )?\\S+ from' } },
        threshold: 2,
        window_seconds: 300,
        group_by: ['source_ip', 'username'],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const stamp = new Date().toISOString();
    const lines = [
      `<38>1 ${stamp} bastion sshd 811 - - Failed password for root from 203.0.113.50 port 50022 ssh2`,
      `<38>1 ${stamp} bastion sshd 811 - - Failed password for admin from 203.0.113.50 port 50023 ssh2`,
      `<38>1 ${stamp} bastion sshd 811 - - Failed password for root from 203.0.113.50 port 50024 ssh2`,
    ].join('\n');
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/raw', payload: lines, headers: { ...h, 'content-type': 'text/plain' } });
    assert.ok(res.statusCode < 300, res.body);
    const [alert] = await alertsOf(created.json().id, 1);
    assert.equal(alert!.group_value, '203.0.113.50 / root');
    assert.equal(alert!.matched_event_count, 2);
  });

  it('refuses what it cannot run, at the exact place', async () => {
    const base = { name: 'bad', rule_type: 'single', severity: 'low' };
    const cases: Array<[unknown, string, string]> = [
      [{ event_filter: { any: [{ username: 'a' }, { hostname: { regex: '(?<=x)y' } }] } }, 'event_filter.any.1.hostname.regex', 'look-around'],
      [{ event_filter: { not: { source_ip: { in_list: 'no-such-list' } } } }, 'event_filter.not.source_ip.in_list', 'Unknown list'],
      [{ event_filter: { username: { contains: 'x', of: 'most' } } }, 'event_filter.username.of', "'any' or 'all'"],
      [{ event_filter: { usrname: 'x' } }, 'event_filter.usrname', 'Unknown field'],
      [{ event_filter: {}, group_by: [] }, 'group_by', 'at least 1'],
    ];
    for (const [conditions, field, text] of cases) {
      const res = await call('POST', '/v1/rules', { ...base, conditions });
      assert.equal(res.statusCode, 422, res.body);
      const detail = res.json().details.find((d: { field: string }) => d.field === field);
      assert.ok(detail, `${field} in ${res.body}`);
      assert.ok(detail.message.includes(text), `${detail.message} mentions ${text}`);
    }
    assert.equal((await call('GET', '/v1/rules')).json().filter((r: { name: string }) => r.name === 'bad').length, 0);
  });

  it('keeps v1 rules meaning what they meant: a flat filter of strings and one operator', async () => {
    const res = await call('POST', '/v1/rules', {
      name: 'v1 rule',
      rule_type: 'threshold',
      severity: 'low',
      conditions: { event_filter: { event_type: 'login_failure', username: { not: 'svc' } }, threshold: 3, window_seconds: 60, group_by: 'source_ip' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().conditions.event_filter, { event_type: 'login_failure', username: { not: 'svc' } });
  });
});
