// Triage context latency: GET /v1/alerts/{id}/context's service call on an embedded store
// holding many alerts over three days that share a few hosts, for an alert with 1,000
// matched events. Prints p50/p95 per `hours` window; asserts nothing.
//   node --import tsx bench/triage-context.ts [--alerts 20000] [--runs 30]
// Without planner statistics (ANALYZE_AFTER_SEED=0) a window holding thousands of alerts
// that all share the hosts is probed alert by alert: expect several hundred ms there.
import { createTriageService } from '../server/src/services/triage.ts';
import { newObjectId } from '../server/src/lib/object-id.ts';
import { createAlertsRepo } from '../server/src/store/alerts-repo.ts';
import { openDb } from '../server/src/store/db.ts';
import { createEventsRepo, type NewEvent } from '../server/src/store/events-repo.ts';
import { migrate } from '../server/src/store/migrate.ts';
import { createRulesRepo } from '../server/src/store/rules-repo.ts';
import { createTriageRepo } from '../server/src/store/triage-repo.ts';
import { percentile } from './lib.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const ALERTS = Number(arg('--alerts', '20000'));
const RUNS = Number(arg('--runs', '30'));
const HOSTS = 50;
const T0 = Date.UTC(2026, 0, 10);
const SPAN_MS = 72 * 3_600_000;

const db = await openDb({ dataDir: ':memory:' });
await migrate(db);
const events = createEventsRepo(db);
const alerts = createAlertsRepo(db);
const event = (timeMs: number, i: number): NewEvent => ({
  id: newObjectId(), timeMs, source_type: 'auth', severity: 'medium', event_type: 'login_failure',
  source_ip: `198.51.${(i >> 8) & 255}.${i & 255}`, dest_ip: '10.0.0.1', source_port: null, dest_port: null,
  hostname: `host-${i % HOSTS}`, username: `user-${i % 500}`, message: null, mitre_tactic: null, mitre_technique: null,
  scenario_run_id: null, normalized: {}, fields: { 'source.geo.country_iso_code': 'NL' }, raw: {}, metadata: {}, createdAtMs: Date.now(),
});
async function raise(firedAtMs: number, evs: NewEvent[], group: string): Promise<string> {
  const id = newObjectId();
  await db.transaction(async (tx) => {
    await events.insertMany(tx, evs, { method: 'insert' });
    await alerts.insertFiring(tx, {
      id, firing_key: id, rule_id: newObjectId(), rule_name: 'bench', severity: 'high', title: 'bench', matched_event_ids: evs.map((e) => e.id),
      matched_event_count: evs.length, group_value: group, mitre_tactic: null, mitre_technique: null, firedAtMs,
    });
    await alerts.linkEvents(tx, id, evs.map((e) => e.id));
  });
  return id;
}

const seedStart = Date.now();
for (let i = 0; i < ALERTS; i++) {
  const t = T0 + Math.floor((i / ALERTS) * SPAN_MS);
  await raise(t, [event(t, i), event(t + 1000, i + 1)], `user-${i % 500}`);
}
// Two targets of 1,000 matched events: on 2 hosts (the usual case), and on all 50 (every alert is related).
const targets = {
  '2 hosts': await raise(T0 + SPAN_MS / 2, Array.from({ length: 1000 }, (_, i) => event(T0 + SPAN_MS / 2 - 60_000 + i * 60, (i % 2) * 25)), 'user-7'),
  '50 hosts': await raise(T0 + SPAN_MS / 2, Array.from({ length: 1000 }, (_, i) => event(T0 + SPAN_MS / 2 - 60_000 + i * 60, i)), 'user-8'),
};
// Planner statistics, as autovacuum keeps them on a server (ANALYZE_AFTER_SEED=0 measures without).
if (process.env.ANALYZE_AFTER_SEED !== '0') await db.query('ANALYZE');
console.log(`seeded ${ALERTS} alerts over 72 h on ${HOSTS} hosts in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

const triage = createTriageService({ alerts, findRule: (id) => createRulesRepo(db).findById(id), triage: createTriageRepo(db) });
for (const [name, target] of Object.entries(targets)) {
  for (const hours of [1, 6, 72]) {
    const ms: number[] = [];
    let related = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const ctx = await triage.context(target, { hours });
      ms.push(performance.now() - t);
      related = ctx.related.items.length;
    }
    ms.sort((a, b) => a - b);
    console.log(`${name}, hours=${hours}: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms (related shown: ${related})`);
  }
}
const ms: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  await createTriageRepo(db).matchedEvents(targets['2 hosts'], ['source.geo.country_iso_code'], 1000);
  ms.push(performance.now() - t);
}
ms.sort((a, b) => a - b);
console.log(`of which reading 1,000 matched events: p50 ${percentile(ms, 50).toFixed(1)} ms`);
await db.close();
