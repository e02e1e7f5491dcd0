// The shipped playbooks against the shipped rules: every playbook, replayed as the runner
// would (timestamps from the delays and the speed, through the real ingest preparation and
// the correlation engine), raises exactly its expected alerts; background traffic raises
// none; and the same attacks sent the way real shippers send them are caught too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Firing } from '../../src/engine/correlation/index.ts';
import { DEFAULT_RULES } from '../../src/scenarios/default-rules.ts';
import { loadPlaybookDir, type Playbook } from '../../src/scenarios/loader.ts';
import { alertsOf, ipAllowed, isParentOrSame, rulesByKey, simulate, type Replayed } from './replay.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../playbooks');
const START = Date.UTC(2026, 2, 2, 9, 0, 0);
const entries = await loadPlaybookDir(DIR);
const playbooks = new Map(entries.map((e) => [e.filename, e.playbook!]));

/** Expected alerts per playbook as "rule key [group]". */
const EXPECTED: Record<string, string[]> = {
  'ssh_bruteforce_lateral.yml': [
    'builtin.auth.password-guessing [deploy]',
    'builtin.auth.failures-from-source [203.0.113.45]',
    'builtin.auth.ssh-brute-force [203.0.113.45]',
    'builtin.auth.success-after-failures [203.0.113.45]',
    'builtin.auth.ssh-fan-out [deploy]',
  ],
  'dns_tunnel_exfil.yml': ['builtin.network.dns-unique-burst [10.10.8.31]', 'builtin.network.dns-txt-tunnel [10.10.8.31]'],
  'phishing_c2_beacon.yml': [
    'builtin.endpoint.office-spawns-interpreter [WS-FIN-042]',
    'builtin.endpoint.powershell-encoded [WS-FIN-042]',
    'builtin.network.http-beacon [198.51.100.23]',
  ],
  'linux_privesc_persistence.yml': [
    'builtin.endpoint.sudo-shell-escape [app-prd-03]',
    'builtin.endpoint.cron-persistence [app-prd-03]',
    'builtin.endpoint.ssh-authorized-keys [app-prd-03]',
  ],
  'portscan_exploit.yml': [
    'builtin.network.port-scan [192.0.2.66]',
    'builtin.network.ids-exploit [192.0.2.66]',
    'builtin.network.ids-high-priority [192.0.2.66]',
    'builtin.endpoint.service-spawns-shell [dmz-wiki-01]',
    'builtin.endpoint.reverse-shell-dev-tcp [dmz-wiki-01]',
  ],
  'password_spray.yml': [
    'builtin.auth.password-spraying [198.51.100.77]',
    'builtin.auth.failures-from-source [198.51.100.77]',
    'builtin.auth.success-after-failures [198.51.100.77]',
  ],
};

const keyOfRule = new Map(DEFAULT_RULES.map((d) => [d.rule.name, d.key]));
const label = (f: Firing) => `${keyOfRule.get(f.rule_name)} [${f.group_value}]`;
const labels = (firings: Firing[]) => firings.map(label).sort();
const sorted = (list: string[]) => [...list].sort();
/** Seconds the runner would take at speed 1. */
const duration = (p: Playbook) => p.events.reduce((sum, e) => sum + e.delay_seconds, 0);
const isBenign = (r: Replayed) => (r.fields.metadata as { benign?: unknown } | undefined)?.benign === true;

test('the playbook directory holds the six shipped playbooks, all valid', () => {
  assert.deepEqual(entries.map((e) => e.filename), Object.keys(EXPECTED).sort());
  for (const e of entries) assert.deepEqual(e.errors, [], e.filename);
});

test('each playbook is a realistic size: 20-80 events, under two minutes at speed 1, background mixed in', () => {
  for (const [file, p] of playbooks) {
    assert.ok(p.events.length >= 20 && p.events.length <= 80, `${file}: ${p.events.length} events`);
    assert.ok(duration(p) < 120, `${file}: ${duration(p)} s`);
    const benign = p.events.filter((e) => (e.fields.metadata as { benign?: unknown } | undefined)?.benign === true);
    assert.ok(benign.length >= 3, `${file}: ${benign.length} background events`);
  }
});

test('each playbook maps to ATT&CK at the top level and on every attack event, and only background is untagged', () => {
  for (const [file, p] of playbooks) {
    assert.ok(p.mitre_tactics.length > 0 && p.mitre_tactics.every((t) => /^TA\d{4}$/.test(t)), file);
    assert.ok(p.mitre_techniques.length > 0 && p.mitre_techniques.every((t) => /^T\d{4}(\.\d{3})?$/.test(t)), file);
    p.events.forEach((e, i) => {
      const benign = (e.fields.metadata as { benign?: unknown } | undefined)?.benign === true;
      const { mitre_tactic: tactic, mitre_technique: technique } = e.fields;
      if (benign) {
        assert.equal(tactic, undefined, `${file} #${i}`);
        return;
      }
      assert.match(String(tactic), /^TA\d{4}$/, `${file} #${i}`);
      assert.match(String(technique), /^T\d{4}(\.\d{3})?$/, `${file} #${i}`);
    });
  }
});

test('every address in the playbooks is private (10/8) or reserved for documentation', () => {
  for (const [file, p] of playbooks) {
    p.events.forEach((e, i) => {
      for (const key of ['source_ip', 'dest_ip', 'response']) {
        const v = e.fields[key];
        if (typeof v === 'string' && /^[\d.:a-f]+$/i.test(v) && /[.:]/.test(v)) assert.ok(ipAllowed(v), `${file} #${i} ${key}=${v}`);
      }
    });
  }
});

test('the expected alerts carry a technique of their playbook (or its parent technique)', () => {
  const rules = rulesByKey();
  for (const [file, expected] of Object.entries(EXPECTED)) {
    const p = playbooks.get(file)!;
    const techniques = [...p.mitre_techniques, ...p.events.map((e) => String(e.fields.mitre_technique ?? ''))];
    for (const item of expected) {
      const technique = rules.get(item.split(' ')[0]!)!.rule.mitre_technique!;
      assert.ok(techniques.some((t) => isParentOrSame(technique, t)), `${file}: ${item} has ${technique}`);
    }
  }
});

// 0.8 and 12.5 are speed 1 and 10 at the ends of the runner's +/-20 % jitter; below 0.5 the
// rate-based rules (DNS burst, failure flood) stop firing by design: the attack is too slow.
for (const speed of [0.5, 0.8, 1, 1.25, 2, 5, 10, 12.5]) {
  test(`at speed ${speed}, each playbook raises exactly its expected alerts`, () => {
    for (const [file, p] of playbooks) {
      const replayed = simulate(p, { startMs: START, speed });
      assert.deepEqual(labels(alertsOf(replayed)), sorted(EXPECTED[file]!), file);
    }
  });
}

test('with the runner\'s random jitter on every delay, the expected alerts still fire and nothing else', () => {
  for (const seed of [1, 7, 42, 1234]) {
    for (const speed of [1, 10]) {
      for (const [file, p] of playbooks) {
        const replayed = simulate(p, { startMs: START, speed, jitterSeed: seed });
        assert.deepEqual(labels(alertsOf(replayed)), sorted(EXPECTED[file]!), `${file} speed ${speed} seed ${seed}`);
      }
    }
  }
});

test('each alert carries the rule name, title, group value and the technique of its rule', () => {
  const byName = new Map(DEFAULT_RULES.map((d) => [d.rule.name, d.rule]));
  for (const p of playbooks.values()) {
    for (const f of alertsOf(simulate(p, { startMs: START, speed: 1 }))) {
      const rule = byName.get(f.rule_name)!;
      assert.equal(f.mitre_technique, rule.mitre_technique);
      assert.equal(f.mitre_tactic, rule.mitre_tactic);
      assert.equal(f.severity, rule.severity);
      assert.equal(f.title, `${f.rule_name} [${f.group_value}]`);
      assert.ok(f.matched_event_count >= 1);
    }
  }
});

test('events keep the playbook tags, the run id and their timing through ingest', () => {
  const p = playbooks.get('portscan_exploit.yml')!;
  const replayed = simulate(p, { startMs: START, speed: 2, runId: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
  const scan = replayed.find((r) => r.event.mitre_technique === 'T1046')!;
  assert.equal(scan.event.scenario_run_id, 'aaaaaaaaaaaaaaaaaaaaaaaa');
  assert.equal(scan.event.mitre_tactic, 'TA0007');
  assert.equal(scan.event.source_type, 'firewall');
  assert.equal(scan.event.normalized.action, scan.fields.action);
  const last = replayed.at(-1)!;
  assert.equal(Date.parse(last.event.timestamp), START + Math.round((duration(p) * 1000) / 2));
  assert.ok(replayed.some((r) => isBenign(r) && r.event.metadata.benign === true));
});

test('background traffic alone raises nothing, per playbook and all playbooks at once', () => {
  for (const speed of [1, 10]) {
    const all: Replayed[] = [];
    for (const [file, p] of playbooks) {
      const benign = simulate(p, { startMs: START, speed }).filter(isBenign);
      assert.ok(benign.length > 0, file);
      assert.deepEqual(labels(alertsOf(benign)), [], `${file} at ${speed}`);
      all.push(...benign);
    }
    assert.deepEqual(labels(alertsOf(all)), [], `all at ${speed}`);
  }
});

test('all six playbooks played at once raise the union of their alerts, nothing crosses over', () => {
  for (const speed of [1, 10]) {
    const all = [...playbooks.values()].flatMap((p) => simulate(p, { startMs: START, speed }));
    const union = Object.values(EXPECTED).flat();
    assert.deepEqual(labels(alertsOf(all)), sorted(union), `speed ${speed}`);
  }
});

test('the same playbook replayed again after the cooldown alerts again; inside it, it does not', () => {
  const p = playbooks.get('password_spray.yml')!;
  const first = simulate(p, { startMs: START, speed: 1 });
  const soon = simulate(p, { startMs: START + 150_000, speed: 1 });
  const later = simulate(p, { startMs: START + 20 * 60_000, speed: 1 });
  assert.equal(alertsOf([...first, ...soon]).length, EXPECTED['password_spray.yml']!.length);
  assert.equal(alertsOf([...first, ...later]).length, 2 * EXPECTED['password_spray.yml']!.length);
});
