// The field names stored events carry, measured on a bounded sample of the newest events:
// the keys of the `fields` and `normalized` documents (with how many events of the sample
// carry each, their JSON types and one example), and how often each fixed column is set.
import type { Queryable } from './db.ts';

export interface SeenKey {
  origin: 'normalized' | 'field';
  name: string;
  count: number;
  types: string[];
  example: string | null;
}

/** Fixed event columns a rule may name, by the name rules use (`timestamp` is stored as `ts`). */
export const EVENT_COLUMNS = {
  id: 'id', timestamp: 'ts', source_type: 'source_type', severity: 'severity', event_type: 'event_type',
  source_ip: 'source_ip', dest_ip: 'dest_ip', source_port: 'source_port', dest_port: 'dest_port',
  hostname: 'hostname', username: 'username', message: 'message', mitre_tactic: 'mitre_tactic',
  mitre_technique: 'mitre_technique', scenario_run_id: 'scenario_run_id',
} as const;
export type EventColumn = keyof typeof EVENT_COLUMNS;

export interface ColumnUse {
  name: EventColumn;
  count: number;
  example: string | null;
}

function sampleSql(sourceType: string | undefined, params: unknown[], columns: string): string {
  let where = '';
  if (sourceType !== undefined) {
    params.push(sourceType);
    where = `WHERE source_type = $${params.length}`;
  }
  return `SELECT ${columns} FROM log_events ${where} ORDER BY ts DESC, seq DESC LIMIT $1`;
}

export function createFieldsRepo(db: Queryable) {
  return {
    /** Keys of `fields` and `normalized` in the newest `sample` events (of one source type). */
    async seenKeys(sample: number, sourceType: string | undefined, exampleChars: number): Promise<SeenKey[]> {
      const params: unknown[] = [sample];
      const source = sampleSql(sourceType, params, 'fields, normalized');
      params.push(exampleChars);
      const chars = `$${params.length}`;
      // A string's example is its text, anything else its JSON; the smallest one is shown.
      const keysOf = (origin: string, column: string) => `
        SELECT '${origin}' AS origin, e.key AS name, count(*)::int AS count,
               array_agg(DISTINCT jsonb_typeof(e.value)) AS types,
               min(left(CASE WHEN jsonb_typeof(e.value) = 'string' THEN e.value #>> '{}' ELSE e.value::text END, ${chars}))
                 FILTER (WHERE jsonb_typeof(e.value) <> 'null') AS example
        FROM sample s, jsonb_each(CASE WHEN jsonb_typeof(s.${column}) = 'object' THEN s.${column} ELSE '{}'::jsonb END) e
        GROUP BY e.key`;
      const { rows } = await db.query<SeenKey>(
        `WITH sample AS (${source}) ${keysOf('field', 'fields')} UNION ALL ${keysOf('normalized', 'normalized')}`,
        params,
      );
      return rows.map((r) => ({ ...r, count: Number(r.count), types: (r.types ?? []).filter((t) => t !== 'null').sort() }));
    },

    /** How many of the newest `sample` events set each fixed column, with one value of each. */
    async columnUse(sample: number, sourceType: string | undefined, exampleChars: number): Promise<ColumnUse[]> {
      const params: unknown[] = [sample];
      const names = Object.keys(EVENT_COLUMNS) as EventColumn[];
      const source = sampleSql(sourceType, params, names.map((n) => EVENT_COLUMNS[n]).join(', '));
      params.push(exampleChars);
      const chars = `$${params.length}`;
      // Column names come from the fixed table above, never from a request.
      const selects = names.flatMap((n) => [`count(${EVENT_COLUMNS[n]})::int AS "${n}_count"`, `left(min(${EVENT_COLUMNS[n]}::text), ${chars}) AS "${n}_example"`]);
      const { rows } = await db.query<Record<string, unknown>>(`WITH sample AS (${source}) SELECT ${selects.join(', ')} FROM sample`, params);
      const row = rows[0] ?? {};
      return names.map((name) => ({
        name,
        count: Number(row[`${name}_count`] ?? 0),
        example: (row[`${name}_example`] as string | null | undefined) ?? null,
      }));
    },
  };
}
export type FieldsRepo = ReturnType<typeof createFieldsRepo>;
