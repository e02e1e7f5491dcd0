// What the detection-service suites share: a store holding one brute-force rule (5 login
// failures per source address within 600 s), login-failure events, and a poll until a
// condition holds (the service runs on its own timers).
import { START_CURSOR, createCorrelationRepo } from '../../src/store/correlation-repo.ts';
import { createEventsRepo, type NewEvent } from '../../src/store/events-repo.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import { createRulesRepo } from '../../src/store/rules-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { openTestDb, type StoreKind } from './store.ts';

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A stored login failure from `ip` at `t`. */
export function loginFailure(ip: string, t: number): NewEvent {
  return {
    id: newObjectId(t), timeMs: t, fields: null, source_type: 'auth', severity: 'medium', event_type: 'login_failure', source_ip: ip,
    dest_ip: null, source_port: null, dest_port: null, hostname: null, username: 'root', mitre_tactic: null,
    mitre_technique: null, message: null, raw: {}, normalized: {}, metadata: {}, scenario_run_id: null, createdAtMs: t,
  };
}

/** A migrated store with the brute-force rule, its repositories, and the helpers around them. */
export async function openDetectionStore(kind: StoreKind) {
  const { db, drop } = await openTestDb(kind);
  const rules = createRulesRepo(db);
  const alerts = createAlertsRepo(db);
  const correlation = createCorrelationRepo(db);
  const events = createEventsRepo(db);
  await rules.insert({
    id: newObjectId(), name: 'brute', description: '', rule_type: 'threshold', severity: 'high', enabled: true,
    conditions: { event_filter: { event_type: 'login_failure' }, threshold: 5, window_seconds: 600, group_by: 'source_ip' },
    mitre_tactic: null, mitre_technique: null, cooldown_seconds: null, builtin_key: null,
  });
  const store = (list: NewEvent[]) => db.transaction((tx) => events.insertMany(tx, list));
  const caughtUp = async () => (await correlation.lag((await correlation.slowest())?.cursor ?? START_CURSOR, 1_000_000)).events === 0;
  return { db, drop, rules, alerts, correlation, store, caughtUp };
}
