// rule_audit: one row per change of a correlation rule (who, when, what). Rows outlive the
// rule they describe, so a deleted rule's history stays readable.
import type { Queryable } from './db.ts';

export type RuleAuditAction = 'created' | 'updated' | 'enabled' | 'disabled' | 'deleted' | 'restored';

/** field -> {from, to}; for a creation or deletion, the whole rule on one side. */
export type RuleChanges = Record<string, { from: unknown; to: unknown }>;

export interface RuleAuditEntry {
  rule_id: string;
  rule_name: string;
  action: RuleAuditAction;
  user_id: string | null;
  username: string | null;
  changes: RuleChanges;
  at: string;
}

export function createRuleAuditRepo(db: Queryable) {
  return {
    async record(entry: Omit<RuleAuditEntry, 'at'>, tx: Queryable = db): Promise<void> {
      await tx.query(
        'INSERT INTO rule_audit (rule_id, rule_name, action, user_id, username, changes) VALUES ($1, $2, $3, $4, $5, $6::jsonb)',
        [entry.rule_id, entry.rule_name, entry.action, entry.user_id, entry.username, JSON.stringify(entry.changes)],
      );
    },

    /** The newest `limit` entries, oldest first. */
    async list(ruleId: string, limit: number): Promise<RuleAuditEntry[]> {
      const { rows } = await db.query<Omit<RuleAuditEntry, 'at'> & { at: Date }>(
        'SELECT rule_id, rule_name, action, user_id, username, changes, at FROM rule_audit WHERE rule_id = $1 ORDER BY id DESC LIMIT $2',
        [ruleId, limit],
      );
      return rows.reverse().map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    },
  };
}
export type RuleAuditRepo = ReturnType<typeof createRuleAuditRepo>;
