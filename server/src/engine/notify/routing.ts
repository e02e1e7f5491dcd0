// Which alerts a channel receives: at least its minimum severity, one of its rules (when it
// names any) and one of its tactics (when it names any, compared case-insensitively).
import { SEVERITIES } from '@siem/contracts';
import type { Routing, Severity } from '@siem/contracts';

const RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, SEVERITIES.length - i]));

export interface RoutedAlert {
  severity: Severity;
  rule_id: string;
  mitre_tactic: string | null;
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
  return true;
}
