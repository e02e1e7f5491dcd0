// Alert triage: list with filters, detail with matched events (their snapshots once
// retention removed them) and history, status changes (every transition accepted)
// recorded with who and when.
import type { Alert, AlertCaseRef, AlertDetail, AlertListQuery, AlertStatusUpdate, LogEvent, Page } from '@siem/contracts';
import { notFound } from '../errors.ts';
import { isObjectId } from '../lib/object-id.ts';
import type { AlertsRepo, ExpiredEvent } from '../store/alerts-repo.ts';
import type { EventsRepo } from '../store/events-repo.ts';
import type { AlertCounts } from './dashboard.ts';
import { toPage } from './logs.ts';

/**
 * The stored matched events, then the snapshots of those retention removed, within the
 * same byte budget (measured as JSON), merged newest first.
 */
function withSnapshots(live: LogEvent[], expired: ExpiredEvent[], maxBytes: number): LogEvent[] {
  if (expired.length === 0) return live;
  let bytes = 0;
  for (const e of live) bytes += JSON.stringify(e).length;
  const merged: LogEvent[] = [...live];
  for (const e of expired) {
    bytes += JSON.stringify(e).length;
    if (merged.length > 0 && bytes > maxBytes) break;
    merged.push(e);
  }
  // Stable: stored events keep their (timestamp, seq) order among equal timestamps.
  return merged.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
}

/** `eventListMaxBytes` bounds the matched events of a detail (the list may be shorter than the count). */
export function createAlertService(deps: {
  alerts: AlertsRepo;
  events: EventsRepo;
  eventListMaxBytes: number;
  clock?: () => number;
  /** Case management: an account id by username (`me`: the caller), and the cases of an alert. */
  assignment?: {
    accountId(name: string, actor: { id: string; username: string }): Promise<string | null | undefined>;
    casesOfAlert(alertId: string): Promise<AlertCaseRef[]>;
  };
}) {
  const { alerts, events } = deps;
  const clock = deps.clock ?? Date.now;

  async function find(id: string) {
    const alert = isObjectId(id) ? await alerts.findById(id) : null;
    if (!alert) throw notFound('Alert');
    return alert;
  }

  return {
    /** `actor` resolves `assignee=me`; an assignee naming no active account matches nothing. */
    async list(q: AlertListQuery, actor?: { id: string; username: string }): Promise<Page<Alert>> {
      let assigneeId: string | undefined;
      if (q.assignee !== undefined) {
        const id = actor && deps.assignment ? await deps.assignment.accountId(q.assignee, actor) : null;
        if (!id) return toPage([], 0, q);
        assigneeId = id;
      }
      const { items, total } = await alerts.list(
        { status: q.status, severity: q.severity, rule_id: q.rule_id, technique: q.technique?.trim().toUpperCase(), sinceMs: q.since, untilMs: q.until, assigneeId },
        (q.page - 1) * q.per_page,
        q.per_page,
      );
      return toPage(items, total, q);
    },

    async get(id: string): Promise<AlertDetail> {
      const alert = await find(id);
      const [matched, expired, history, cases] = await Promise.all([
        events.findByIdsWithin(alert.matched_event_ids, deps.eventListMaxBytes),
        alerts.expiredEvents(alert.id),
        alerts.history(alert.id),
        deps.assignment ? deps.assignment.casesOfAlert(alert.id) : Promise.resolve([]),
      ]);
      return { alert, matched_events: withSnapshots(matched.items, expired, deps.eventListMaxBytes), history, cases };
    },

    async changeStatus(id: string, body: AlertStatusUpdate, actor: string): Promise<Alert> {
      if (!isObjectId(id)) throw notFound('Alert');
      const updated = await alerts.changeStatus(id, { status: body.status, notes: body.notes, by: actor, nowMs: clock() });
      if (!updated) throw notFound('Alert');
      return updated;
    },

    async counts(): Promise<AlertCounts> {
      const c = await alerts.counts();
      return { total: c.total, byStatus: c.byStatus, critical: c.criticalOpen };
    },
  };
}
export type AlertService = ReturnType<typeof createAlertService>;
