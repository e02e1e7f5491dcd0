// correlation_rules: CRUD. Unique names are enforced by the database (23505 -> 409 in
// the service); conditions are stored exactly as submitted.
import type { RuleType } from '@siem/contracts';
import type { Queryable } from './db.ts';

export interface RuleRecord {
  id: string;
  name: string;
  description: string;
  rule_type: RuleType;
  conditions: Record<string, unknown>;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  enabled: boolean;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  cooldown_seconds: number | null;
  /** Repeats of an open alert's key counted on it (migration 016); null: off. */
  suppression: { fields: string[]; duration_seconds: number } | null;
  builtin_key: string | null;
  /** Where the rule came from (null: written here); `{kind: 'sigma', id, ...}` for imported Sigma rules. */
  origin: Record<string, unknown> | null;
  mitre_techniques: string[];
  /** Lower-case labels (migration 023); [] when none. */
  tags: string[];
  created_at: string;
  updated_at: string;
}

export type NewRule = Omit<RuleRecord, 'created_at' | 'updated_at' | 'origin' | 'mitre_techniques' | 'suppression' | 'tags'> & Partial<Pick<RuleRecord, 'origin' | 'mitre_techniques' | 'suppression' | 'tags'>>;
export type RulePatch = Partial<Pick<RuleRecord, 'name' | 'description' | 'conditions' | 'severity' | 'enabled' | 'mitre_tactic' | 'mitre_technique' | 'cooldown_seconds' | 'origin' | 'mitre_techniques' | 'suppression' | 'tags'>>;

const COLUMNS = 'id, name, description, rule_type, conditions, severity, enabled, mitre_tactic, mitre_technique, cooldown_seconds, suppression, builtin_key, origin, mitre_techniques, tags, created_at, updated_at';
const PATCHABLE = ['name', 'description', 'conditions', 'severity', 'enabled', 'mitre_tactic', 'mitre_technique', 'cooldown_seconds', 'suppression', 'origin', 'mitre_techniques', 'tags'] as const;
const JSONB: ReadonlySet<string> = new Set(['conditions', 'origin', 'mitre_techniques', 'suppression']);

type Row = Omit<RuleRecord, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };
const toRecord = (r: Row): RuleRecord => ({ ...r, created_at: new Date(r.created_at).toISOString(), updated_at: new Date(r.updated_at).toISOString() });

export function createRulesRepo(db: Queryable) {
  return {
    async list(opts: { enabledOnly?: boolean } = {}): Promise<RuleRecord[]> {
      const where = opts.enabledOnly ? 'WHERE enabled' : '';
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM correlation_rules ${where} ORDER BY created_at DESC, id DESC`);
      return rows.map(toRecord);
    },

    async findById(id: string, tx: Queryable = db, opts: { forUpdate?: boolean } = {}): Promise<RuleRecord | null> {
      const lock = opts.forUpdate ? ' FOR UPDATE' : '';
      const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM correlation_rules WHERE id = $1${lock}`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async findByBuiltinKey(key: string, tx: Queryable = db): Promise<RuleRecord | null> {
      const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM correlation_rules WHERE builtin_key = $1`, [key]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async insert(rule: NewRule, tx: Queryable = db): Promise<RuleRecord> {
      const { rows } = await tx.query<Row>(
        `INSERT INTO correlation_rules (id, name, description, rule_type, conditions, severity, enabled, mitre_tactic,
           mitre_technique, cooldown_seconds, builtin_key, origin, mitre_techniques, suppression, tags)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb, $15::text[]) RETURNING ${COLUMNS}`,
        [rule.id, rule.name, rule.description, rule.rule_type, JSON.stringify(rule.conditions), rule.severity, rule.enabled,
          rule.mitre_tactic, rule.mitre_technique, rule.cooldown_seconds, rule.builtin_key,
          rule.origin ? JSON.stringify(rule.origin) : null, JSON.stringify(rule.mitre_techniques ?? []),
          rule.suppression ? JSON.stringify(rule.suppression) : null, rule.tags ?? []],
      );
      return toRecord(rows[0]!);
    },

    async update(id: string, patch: RulePatch, tx: Queryable = db): Promise<RuleRecord | null> {
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const key of PATCHABLE) {
        if (patch[key] === undefined) continue;
        // null is SQL NULL (suppression off), not the JSON null.
        params.push(JSONB.has(key) && patch[key] !== null ? JSON.stringify(patch[key]) : patch[key]);
        sets.push(`${key} = $${params.length}${JSONB.has(key) ? '::jsonb' : key === 'tags' ? '::text[]' : ''}`);
      }
      params.push(id);
      const { rows } = await tx.query<Row>(
        `UPDATE correlation_rules SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $${params.length} RETURNING ${COLUMNS}`,
        params,
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },

    /** The imported Sigma rule with this Sigma id (locked for an update in place when asked). */
    async findBySigmaId(sigmaId: string, tx: Queryable = db, opts: { forUpdate?: boolean } = {}): Promise<RuleRecord | null> {
      const lock = opts.forUpdate ? ' FOR UPDATE' : '';
      const { rows } = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM correlation_rules WHERE origin ->> 'kind' = 'sigma' AND origin ->> 'id' = $1${lock}`,
        [sigmaId],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },

    /** The tags of these rules (rule id -> tags); a rule not found is left out. */
    async tagsOf(ids: readonly string[], tx: Queryable = db): Promise<Map<string, string[]>> {
      if (ids.length === 0) return new Map();
      const { rows } = await tx.query<{ id: string; tags: string[] }>('SELECT id, tags FROM correlation_rules WHERE id = ANY($1::text[])', [ids]);
      return new Map(rows.map((r) => [r.id, r.tags ?? []]));
    },

    /** Which of these names are taken (for suffixing imported names). */
    async namesTaken(names: readonly string[], tx: Queryable = db): Promise<Set<string>> {
      if (names.length === 0) return new Set();
      const { rows } = await tx.query<{ name: string }>('SELECT name FROM correlation_rules WHERE name = ANY($1::text[])', [names]);
      return new Set(rows.map((r) => r.name));
    },

    async remove(id: string, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query('DELETE FROM correlation_rules WHERE id = $1', [id]);
      return rowCount > 0;
    },

    async count(): Promise<number> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM correlation_rules');
      return Number(rows[0]?.n ?? 0);
    },
  };
}
export type RulesRepo = ReturnType<typeof createRulesRepo>;
