// The "what changed" of a rule audit entry: the fields whose value differs between two
// versions of a rule, compared structurally (conditions are objects), timestamps left out.
import type { Rule } from '@siem/contracts';
import type { RuleChanges } from '../store/rule-audit-repo.ts';

const AUDITED = ['name', 'description', 'rule_type', 'conditions', 'severity', 'enabled', 'mitre_tactic', 'mitre_technique', 'cooldown_seconds', 'suppression', 'tags'] as const;

/** Key order does not count as a change: jsonb hands objects back with its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** before null = creation, after null = deletion: every audited field on the other side. */
export function ruleChanges(before: Rule | null, after: Rule | null): RuleChanges {
  const changes: RuleChanges = {};
  for (const field of AUDITED) {
    const from = before ? (before[field] ?? null) : null;
    const to = after ? (after[field] ?? null) : null;
    if (before && after && canonical(from) === canonical(to)) continue;
    changes[field] = { from, to };
  }
  return changes;
}
