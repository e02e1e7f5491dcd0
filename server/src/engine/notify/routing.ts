// Which alerts a channel receives: at least its minimum severity, one of its rules (when it
// names any), one of its tactics (when it names any, compared case-insensitively) and a rule
// with one of its tags (when it names any).
import { SEVERITIES } from '@siem/contracts';
import type { Routing, Severity } from '@siem/contracts';

const RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, SEVERITIES.length - i]));

export interface RoutedAlert {
  severity: Severity;
  rule_id: string;
  mitre_tactic: string | null;
  /** The tags of the alert's rule (lower-case); absent or [] when it has none. */
  rule_tags?: readonly string[];
}

const normTactic = (t: string) => t.trim().toLowerCase().replace(/[\s_]+/g, '-');

export function routes(routing: Routing, alert: RoutedAlert): boolean {
  if ((RANK.get(alert.severity) ?? 0) < (RANK.get(routing.min_severity) ?? 0)) return false;
  if (routing.rule_ids.length > 0 && !routing.rule_ids.includes(alert.rule_id)) return false;
  if (routing.tactics.length > 0) {
    if (!alert.mitre_tactic) return false;
    const tactic = normTactic(alert.mitre_tactic);
    if (!routing.tactics.some((t) => normTactic(t) === tactic)) return false;
  }
  // A channel stored before routing had tags has none.
  const tags = routing.tags ?? [];
  if (tags.length > 0) {
    const ruleTags = alert.rule_tags ?? [];
    if (!tags.some((t) => ruleTags.includes(t.toLowerCase()))) return false;
  }
  return true;
}
