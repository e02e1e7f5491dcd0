// Alerts for case tests, inserted the way correlation stores them (alert, first history
// entry, links to its matched events), without waiting for a rule to fire.
import type { Db } from '../../src/store/db.ts';
import { createAlertsRepo } from '../../src/store/alerts-repo.ts';
import type { AlertRecord } from '../../src/store/alerts-repo.ts';
import { newObjectId } from '../../src/lib/object-id.ts';

export async function insertAlert(
  db: Db,
  opts: { title?: string; severity?: AlertRecord['severity']; eventIds?: string[] } = {},
): Promise<AlertRecord> {
  const alerts = createAlertsRepo(db);
  const id = newObjectId();
  const eventIds = opts.eventIds ?? [];
  const record = await db.transaction(async (tx) => {
    const a = await alerts.insertFiring(tx, {
      id, firing_key: `test:${id}`, rule_id: newObjectId(), rule_name: 'Test rule', severity: opts.severity ?? 'high',
      title: opts.title ?? `Alert ${id.slice(-6)}`, matched_event_ids: eventIds, matched_event_count: eventIds.length,
      group_value: '203.0.113.7', mitre_tactic: null, mitre_technique: null, firedAtMs: Date.now(),
    });
    await alerts.linkEvents(tx, id, eventIds);
    return a;
  });
  if (!record) throw new Error('insertAlert: not inserted');
  return record;
}
