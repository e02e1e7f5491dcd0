// What the ATT&CK coverage view reads: each rule's MITRE ids (with the additive
// `mitre_techniques` list when the column exists), and alert counts per rule and
// technique created in a period.
import type { Queryable } from './db.ts';

export interface RuleTechniques {
  id: string;
  name: string;
  enabled: boolean;
  rule_type: string;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  /** From a `mitre_techniques` column when the schema has one; null otherwise. */
  mitre_techniques: unknown;
}

export interface AlertTechniqueCount {
  rule_id: string;
  technique: string | null;
  count: number;
}

export function createCoverageRepo(db: Queryable) {
  return {
    async rules(): Promise<RuleTechniques[]> {
      // to_jsonb(row) -> 'mitre_techniques' is null when the column does not exist, so this
      // reads the list where a migration added it and works unchanged where none did.
      const { rows } = await db.query<RuleTechniques>(
        `SELECT r.id, r.name, r.enabled, r.rule_type, r.mitre_tactic, r.mitre_technique,
                to_jsonb(r) -> 'mitre_techniques' AS mitre_techniques
         FROM correlation_rules r ORDER BY r.name`,
      );
      return rows;
    },

    async alertCounts(sinceMs: number, untilMs: number): Promise<AlertTechniqueCount[]> {
      const { rows } = await db.query<AlertTechniqueCount>(
        `SELECT rule_id, mitre_technique AS technique, count(*)::int AS count FROM alerts
         WHERE created_at >= $1 AND created_at < $2 GROUP BY rule_id, mitre_technique`,
        [new Date(sinceMs).toISOString(), new Date(untilMs).toISOString()],
      );
      return rows.map((r) => ({ ...r, count: Number(r.count) }));
    },
  };
}
export type CoverageRepo = ReturnType<typeof createCoverageRepo>;
