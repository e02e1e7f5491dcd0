// Triage at a glance: one call gathers what the alert page shows beside the alert: the
// rule's guidance, the matched events' addresses with their enrichment, the alerts around it
// (same group value or host, by event time) and the log pivots. Works the same once the
// events are past retention: they are read from the snapshots the alert kept.
import { TRIAGE_LIMITS, splitGuidance, type AlertContext, type AlertContextQuery, type TriageRule } from '@siem/contracts';
import { eventSpan, summarizeAddresses, topValues, TRIAGE_FIELD_NAMES } from '../engine/triage/summarize.ts';
import { notFound } from '../errors.ts';
import { isObjectId } from '../lib/object-id.ts';
import type { AlertsRepo } from '../store/alerts-repo.ts';
import type { RuleRecord } from '../store/rules-repo.ts';
import type { TriageRepo } from '../store/triage-repo.ts';

const HOUR_MS = 3_600_000;

function toTriageRule(r: RuleRecord): TriageRule {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    ...splitGuidance(r.description),
    severity: r.severity,
    mitre_tactic: r.mitre_tactic,
    mitre_technique: r.mitre_technique,
    builtin_key: r.builtin_key,
    enabled: r.enabled,
  };
}

export function createTriageService(deps: {
  alerts: Pick<AlertsRepo, 'findById'>;
  findRule: (id: string) => Promise<RuleRecord | null>;
  triage: TriageRepo;
}) {
  return {
    async context(alertId: string, q: AlertContextQuery): Promise<AlertContext> {
      const alert = isObjectId(alertId) ? await deps.alerts.findById(alertId) : null;
      if (!alert) throw notFound('Alert');
      const [rule, events] = await Promise.all([
        isObjectId(alert.rule_id) ? deps.findRule(alert.rule_id) : null,
        deps.triage.matchedEvents(alert.id, TRIAGE_FIELD_NAMES, TRIAGE_LIMITS.maxEvents),
      ]);
      const { addresses, truncated } = summarizeAddresses(events, TRIAGE_LIMITS.maxAddresses);
      const hosts = topValues(events, 'hostname', TRIAGE_LIMITS.maxHosts).map((f) => f.value);

      const firedMs = Date.parse(alert.fired_at);
      const sinceMs = firedMs - q.hours * HOUR_MS;
      const untilMs = firedMs + q.hours * HOUR_MS;
      // One more than shown tells whether the list was cut.
      const related = await deps.triage.related({ alertId: alert.id, groupValue: alert.group_value, hosts, sinceMs, untilMs, limit: TRIAGE_LIMITS.maxRelated + 1 });

      const span = eventSpan(events) ?? { firstMs: firedMs, lastMs: firedMs };
      return {
        alert_id: alert.id,
        rule: rule ? toTriageRule(rule) : null,
        addresses,
        addresses_truncated: truncated,
        related: {
          hours: q.hours,
          since: new Date(sinceMs).toISOString(),
          until: new Date(untilMs).toISOString(),
          hosts,
          truncated: related.length > TRIAGE_LIMITS.maxRelated,
          items: related.slice(0, TRIAGE_LIMITS.maxRelated).map(({ by_group, hosts: shared, ...a }) => ({
            ...a,
            reasons: [...(by_group ? (['group_value'] as const) : []), ...(shared.length > 0 ? (['host'] as const) : [])],
            hosts: shared,
          })),
        },
        pivot: {
          since: new Date(span.firstMs - TRIAGE_LIMITS.pivotMarginMs).toISOString(),
          until: new Date(span.lastMs + TRIAGE_LIMITS.pivotMarginMs).toISOString(),
          filters: (['hostname', 'username', 'source_ip'] as const).flatMap((f) => topValues(events, f, TRIAGE_LIMITS.maxPivotValues)),
        },
      };
    },
  };
}
export type TriageService = ReturnType<typeof createTriageService>;
