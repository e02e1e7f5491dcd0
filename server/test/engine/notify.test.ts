// Notification engine: templates (hostile ones included) render only known variables, once,
// within bounds; routing by severity, rule and tactic; each kind's formatter; CEF that the
// project's own CEF parser reads back; the backoff schedule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TEMPLATE, NOTIFY_LIMITS, TEMPLATE_VARIABLES } from '@siem/contracts';
import type { Routing } from '@siem/contracts';
import { backoffDelay, formatterFor, parseTemplate, renderTemplate, retryable, routes } from '../../src/engine/notify/index.ts';
import type { NotifyAlert } from '../../src/engine/notify/index.ts';
import { OPTS } from './parse-helpers.ts';
import { parseLine } from '../../src/engine/parse/index.ts';

const alert: NotifyAlert = {
  id: '665f1c2e9b1e8a3d4c7f0a12', title: 'Brute force | from 203.0.113.7', severity: 'high', status: 'new', group_value: '203.0.113.7',
  rule_id: '665f1c2e9b1e8a3d4c7f0a01', rule_name: 'SSH brute force', rule_tags: ['ssh', 'brute-force'], mitre_tactic: 'credential-access', mitre_technique: 'T1110',
  matched_event_count: 12, fired_at: '2026-03-01T12:00:00.000Z', url: 'https://siem.example.org/alerts/665f1c2e9b1e8a3d4c7f0a12',
};
const now = new Date('2026-03-01T12:00:05.000Z');

describe('notification templates', () => {
  it('renders every known variable', () => {
    const text = TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join('|');
    assert.equal(renderTemplate(text, alert).text, [alert.id, alert.title, 'high', 'new', alert.group_value, alert.url, alert.fired_at, '12', 'credential-access', 'T1110', alert.rule_id, alert.rule_name, 'ssh, brute-force'].join('|'));
    assert.equal(renderTemplate(DEFAULT_TEMPLATE, alert).text, `[high] ${alert.title} (rule: SSH brute force, group: 203.0.113.7) ${alert.url}`);
  });

  it('renders rule.tags comma-joined, and empty for a delivery queued before tags existed', () => {
    assert.equal(renderTemplate('[{{rule.tags}}]', { ...alert, rule_tags: [] }).text, '[]');
    assert.equal(renderTemplate('[{{rule.tags}}]', { ...alert, rule_tags: undefined }).text, '[]');
  });

  it('allows spaces inside braces and renders null values as empty text', () => {
    assert.equal(renderTemplate('g={{ alert.group_value }}.', { ...alert, group_value: null }).text, 'g=.');
  });

  const hostile: [string, string, RegExp][] = [
    ['code', '{{ process.exit(1) }}', /unknown variable/],
    ['prototype walk', '{{alert.constructor}}', /unknown variable/],
    ['__proto__', '{{__proto__}}', /unknown variable/],
    ['unclosed', 'hello {{alert.title', /unclosed/],
    ['nested braces', '{{{{alert.title}}}}', /unknown variable/],
    ['helper syntax', '{{#each alert}}x{{/each}}', /unknown variable/],
    ['too long', 'x'.repeat(NOTIFY_LIMITS.maxTemplate + 1), /at most/],
  ];
  for (const [name, template, message] of hostile) {
    it(`refuses a hostile template: ${name}`, () => {
      const { problems } = parseTemplate(template);
      assert.ok(problems.length > 0);
      assert.match(problems[0]!.message, message);
      // Rendering never throws nor evaluates: it falls back to the text, bounded.
      assert.ok(renderTemplate(template, alert).text.length <= NOTIFY_LIMITS.maxRendered);
    });
  }

  it('never reads a value as template text (one pass)', () => {
    const sneaky = { ...alert, title: '{{rule.id}} {{alert.url}}' };
    assert.equal(renderTemplate('{{alert.title}}', sneaky).text, '{{rule.id}} {{alert.url}}');
  });

  it('cuts the output at the bound, however the values expand', () => {
    const big = { ...alert, title: 'A'.repeat(3000) };
    const r = renderTemplate('{{alert.title}}{{alert.title}}{{alert.title}}', big);
    assert.equal(r.truncated, true);
    assert.equal(r.text.length, NOTIFY_LIMITS.maxRendered);
    assert.ok(r.text.endsWith('…'));
  });
});

describe('notification routing', () => {
  const base: Routing = { min_severity: 'info', rule_ids: [], tactics: [], tags: [] };
  const table: [string, Partial<Routing>, Partial<NotifyAlert>, boolean][] = [
    ['everything by default', {}, {}, true],
    ['severity at the minimum', { min_severity: 'high' }, { severity: 'high' }, true],
    ['severity above', { min_severity: 'high' }, { severity: 'critical' }, true],
    ['severity below', { min_severity: 'high' }, { severity: 'medium' }, false],
    ['rule listed', { rule_ids: [alert.rule_id] }, {}, true],
    ['rule not listed', { rule_ids: ['665f1c2e9b1e8a3d4c7f0aff'] }, {}, false],
    ['tactic listed, other spelling', { tactics: ['Credential Access'] }, {}, true],
    ['tactic not listed', { tactics: ['persistence'] }, {}, false],
    ['tactic filter, alert without tactic', { tactics: ['persistence'] }, { mitre_tactic: null }, false],
    ['all filters must hold', { min_severity: 'critical', rule_ids: [alert.rule_id] }, {}, false],
    ['tag filter, rule has that tag', { tags: ['threat-intel'] }, { rule_tags: ['threat-intel'] }, true],
    ['tag filter, rule has one of them', { tags: ['pci', 'threat-intel'] }, { rule_tags: ['ssh', 'threat-intel'] }, true],
    ['tag filter, rule has other tags', { tags: ['threat-intel'] }, { rule_tags: ['ssh'] }, false],
    ['tag filter, rule without tags', { tags: ['threat-intel'] }, { rule_tags: [] }, false],
    ['tag filter, tags unknown (older delivery)', { tags: ['threat-intel'] }, { rule_tags: undefined }, false],
    ['no tag filter, tagged rule', {}, { rule_tags: ['threat-intel'] }, true],
    ['tag and severity must both hold', { tags: ['threat-intel'], min_severity: 'critical' }, { rule_tags: ['threat-intel'] }, false],
  ];
  for (const [name, routing, a, expected] of table) {
    it(`${name} -> ${expected ? 'sent' : 'not sent'}`, () => {
      assert.equal(routes({ ...base, ...routing }, { ...alert, ...a }), expected);
    });
  }

  it('a channel stored before routing had tags routes on none', () => {
    const old = { min_severity: 'info', rule_ids: [], tactics: [] } as unknown as Routing;
    assert.equal(routes(old, { ...alert, rule_tags: [] }), true);
  });
});

describe('notification formatters', () => {
  const input = (config: Record<string, unknown> = {}) => ({ alert, text: 'hello <b> & world', config, hostname: 'siem-1', now });

  it('webhook: the alert and the text as JSON', () => {
    const m = formatterFor('webhook')(input());
    assert.equal(m.transport, 'http');
    const body = JSON.parse((m as { body: string }).body);
    assert.equal(body.text, 'hello <b> & world');
    assert.equal(body.alert.id, alert.id);
    assert.equal(body.alert.url, alert.url);
  });

  it('slack: escaped text and blocks', () => {
    const body = JSON.parse((formatterFor('slack')(input()) as { body: string }).body);
    assert.equal(body.text, 'hello &lt;b&gt; &amp; world');
    assert.equal(body.blocks[0].type, 'section');
    const long = JSON.parse((formatterFor('slack')({ ...input(), text: 'x'.repeat(4000) }) as { body: string }).body);
    assert.equal(long.blocks[0].text.text.length, 3000);
    assert.equal(long.text.length, 4000);
  });

  it('teams: an adaptive card in a message envelope', () => {
    const body = JSON.parse((formatterFor('teams')(input()) as { body: string }).body);
    assert.equal(body.type, 'message');
    assert.equal(body.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(body.attachments[0].content.type, 'AdaptiveCard');
    assert.equal(body.attachments[0].content.actions[0].url, alert.url);
  });

  it('mattermost: text with the optional overrides', () => {
    assert.deepEqual(JSON.parse((formatterFor('mattermost')(input({ channel: 'sec', username: '' })) as { body: string }).body), { text: 'hello <b> & world', channel: 'sec' });
  });

  it('email: a one-line subject, the text and the fields', () => {
    const m = formatterFor('email')({ ...input(), alert: { ...alert, title: 'a\r\nBcc: evil@example.org' } });
    assert.equal(m.transport, 'smtp');
    const { subject, text } = m as { subject: string; text: string };
    assert.equal(subject.includes('\n'), false);
    assert.match(text, /Severity: high/);
  });

  it('syslog: an RFC 5424 line carrying CEF that the CEF parser reads back', () => {
    const m = formatterFor('syslog')({ ...input({ facility: 16 }), text: 'multi\nline = text' });
    const line = (m as { line: string }).line;
    assert.equal(line.includes('\n'), false);
    assert.match(line, /^<131>1 2026-03-01T12:00:05\.000Z siem-1 siem - alert - CEF:0\|SIEM\|SIEM\|1\.0\|665f1c2e9b1e8a3d4c7f0a01\|Brute force \\\| from 203\.0\.113\.7\|8\|/);
    const cef = line.slice(line.indexOf('CEF:'));
    const parsed = parseLine(cef, OPTS);
    assert.equal(parsed.fields['rule.name'], alert.title);
    assert.equal(parsed.fields['event.reason'], 'multi\nline = text');
    assert.equal(parsed.fields['cef.group'], '203.0.113.7');
  });

  it('an unknown kind names the known ones', () => {
    assert.throws(() => formatterFor('pager'), /known: webhook, slack, teams, mattermost, email, syslog/);
  });
});

describe('delivery backoff', () => {
  it('doubles from the base delay up to the maximum', () => {
    const policy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n)), [1000, 2000, 4000, 5000, 5000]);
    // Jitter only lengthens (up to a quarter), never past the cap; out-of-range draws are clamped.
    assert.deepEqual([0, 0.5, 0.999, 7, -3].map((r) => backoffDelay(policy, 2, r)), [2000, 2250, 2500, 2500, 2000]);
    assert.equal(backoffDelay(policy, 3, 0.999), 4999);
    assert.equal(backoffDelay(policy, 4, 0.999), 5000);
  });
  it('retries network errors, timeouts, 408, 429 and 5xx, not other statuses', () => {
    assert.deepEqual([null, 408, 429, 500, 503, 400, 401, 404, 410].map(retryable), [true, true, true, true, true, false, false, false, false]);
  });
});
