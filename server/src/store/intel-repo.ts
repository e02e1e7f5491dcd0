// indicator_lists and indicators: list rows with their import outcome, indicators upserted
// in batches of one statement each (parallel arrays unnested server-side: one round trip
// per batch whatever its size), paged reads for the API and keyset pages for the matcher's
// index, and the version counter every change bumps.
import type { ImportStats, IndicatorType, IntelFeedKind, IntelFormat } from '@siem/contracts';
import type { Queryable } from './db.ts';

export interface IndicatorListRecord {
  id: string;
  name: string;
  description: string;
  source: string;
  default_confidence: number;
  feed_kind: IntelFeedKind;
  path: string | null;
  format: IntelFormat | null;
  enabled: boolean;
  indicator_count: number;
  last_import: ImportStats | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type NewIndicatorList = Omit<IndicatorListRecord, 'indicator_count' | 'last_import' | 'created_at' | 'updated_at'>;
export type IndicatorListPatch = Partial<Pick<IndicatorListRecord, 'name' | 'description' | 'source' | 'default_confidence' | 'path' | 'format' | 'enabled'>>;

export interface IndicatorRecord {
  id: string;
  list_id: string;
  type: IndicatorType;
  value: string;
  source: string | null;
  confidence: number;
  expires_at: string | null;
  first_seen: string;
  last_seen: string;
}

export interface IndicatorWrite {
  type: IndicatorType;
  value: string;
  source: string | null;
  confidence: number;
  /** Epoch ms or null. */
  expiresMs: number | null;
}

/** One row of the matcher's load. */
export interface IndicatorLoadRow {
  seq: number;
  list_id: string;
  type: IndicatorType;
  value: string;
  source: string | null;
  confidence: number;
  expires_ms: number | null;
}

/** Rows per upsert statement: large enough to amortize the round trip, small enough for one parameter array each. */
export const UPSERT_BATCH = 5_000;

const LIST_COLUMNS = `id, name, description, source, default_confidence, feed_kind, path, format, enabled, indicator_count,
  last_import, created_by, created_at, updated_at`;
const INDICATOR_COLUMNS = 'id, list_id, type, value, source, confidence, expires_at, first_seen, last_seen';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
type ListRow = Omit<IndicatorListRecord, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };
const toList = (r: ListRow): IndicatorListRecord => ({
  ...r,
  default_confidence: Number(r.default_confidence),
  indicator_count: Number(r.indicator_count),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});
type IndicatorRow = Omit<IndicatorRecord, 'id' | 'expires_at' | 'first_seen' | 'last_seen'> & {
  id: string | number;
  expires_at: Date | null;
  first_seen: Date;
  last_seen: Date;
};
const toIndicator = (r: IndicatorRow): IndicatorRecord => ({
  ...r,
  id: String(r.id),
  confidence: Number(r.confidence),
  expires_at: iso(r.expires_at),
  first_seen: iso(r.first_seen)!,
  last_seen: iso(r.last_seen)!,
});

/** `%` and `_` (and the escape) taken literally in LIKE. */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createIntelRepo(db: Queryable) {
  return {
    async lists(tx: Queryable = db): Promise<IndicatorListRecord[]> {
      const { rows } = await tx.query<ListRow>(`SELECT ${LIST_COLUMNS} FROM indicator_lists ORDER BY name`);
      return rows.map(toList);
    },

    async findList(id: string, tx: Queryable = db): Promise<IndicatorListRecord | null> {
      const { rows } = await tx.query<ListRow>(`SELECT ${LIST_COLUMNS} FROM indicator_lists WHERE id = $1`, [id]);
      return rows[0] ? toList(rows[0]) : null;
    },

    async countLists(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_lists');
      return Number(rows[0]?.n ?? 0);
    },

    async insertList(list: NewIndicatorList, tx: Queryable = db): Promise<IndicatorListRecord> {
      const { rows } = await tx.query<ListRow>(
        `INSERT INTO indicator_lists (id, name, description, source, default_confidence, feed_kind, path, format, enabled, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${LIST_COLUMNS}`,
        [list.id, list.name, list.description, list.source, list.default_confidence, list.feed_kind, list.path, list.format, list.enabled, list.created_by],
      );
      return toList(rows[0]!);
    },

    async updateList(id: string, patch: IndicatorListPatch, tx: Queryable = db): Promise<IndicatorListRecord | null> {
      const sets = ['updated_at = now()'];
      const params: unknown[] = [];
      for (const key of ['name', 'description', 'source', 'default_confidence', 'path', 'format', 'enabled'] as const) {
        if (patch[key] === undefined) continue;
        params.push(patch[key]);
        sets.push(`${key} = $${params.length}`);
      }
      params.push(id);
      const { rows } = await tx.query<ListRow>(`UPDATE indicator_lists SET ${sets.join(', ')} WHERE id = $${params.length} RETURNING ${LIST_COLUMNS}`, params);
      return rows[0] ? toList(rows[0]) : null;
    },

    async removeList(id: string, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query('DELETE FROM indicator_lists WHERE id = $1', [id]);
      return rowCount > 0;
    },

    /** Stores the outcome of an import and the list's indicator count, recounted. */
    async recordImport(id: string, stats: ImportStats | null, tx: Queryable = db): Promise<void> {
      await tx.query(
        `UPDATE indicator_lists SET indicator_count = (SELECT count(*) FROM indicators WHERE list_id = $1),
           last_import = COALESCE($2::jsonb, last_import), updated_at = now() WHERE id = $1`,
        [id, stats === null ? null : JSON.stringify(stats)],
      );
    },

    /**
     * Inserts or refreshes indicators (one statement per UPSERT_BATCH rows). `seenAt` becomes
     * their last_seen (and first_seen when new). Values must be unique per (type, value) within
     * the call: PostgreSQL refuses to update one row twice in a statement.
     */
    async upsertIndicators(listId: string, items: readonly IndicatorWrite[], seenAt: Date, tx: Queryable = db): Promise<number> {
      let written = 0;
      for (let start = 0; start < items.length; start += UPSERT_BATCH) {
        const batch = items.slice(start, start + UPSERT_BATCH);
        const types: string[] = [];
        const values: string[] = [];
        const sources: (string | null)[] = [];
        const confidences: number[] = [];
        const expiries: (string | null)[] = [];
        for (const i of batch) {
          types.push(i.type);
          values.push(i.value);
          sources.push(i.source);
          confidences.push(i.confidence);
          expiries.push(i.expiresMs === null ? null : new Date(i.expiresMs).toISOString());
        }
        const { rowCount } = await tx.query(
          `INSERT INTO indicators (list_id, type, value, source, confidence, expires_at, first_seen, last_seen)
           SELECT $1, u.t, u.v, u.s, u.c, u.e, $7, $7
             FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[]) AS u(t, v, s, c, e)
           ON CONFLICT (list_id, type, value) DO UPDATE
             SET source = EXCLUDED.source, confidence = EXCLUDED.confidence, expires_at = EXCLUDED.expires_at, last_seen = EXCLUDED.last_seen`,
          [listId, types, values, sources, confidences, expiries, seenAt.toISOString()],
        );
        written += rowCount;
      }
      return written;
    },

    /** Removes the list's indicators an import did not see again (last_seen before it began). */
    async removeUnseen(listId: string, before: Date, tx: Queryable = db): Promise<number> {
      const { rowCount } = await tx.query('DELETE FROM indicators WHERE list_id = $1 AND last_seen < $2', [listId, before.toISOString()]);
      return rowCount;
    },

    /** Deletes one indicator; what it was, or null when the list holds no such id. */
    async removeIndicator(listId: string, id: string, tx: Queryable = db): Promise<{ type: IndicatorType; value: string } | null> {
      if (!/^\d{1,18}$/.test(id)) return null;
      const { rows } = await tx.query<{ type: IndicatorType; value: string }>('DELETE FROM indicators WHERE list_id = $1 AND id = $2 RETURNING type, value', [listId, id]);
      return rows[0] ?? null;
    },

    async findIndicator(listId: string, type: IndicatorType, value: string, tx: Queryable = db): Promise<IndicatorRecord | null> {
      const { rows } = await tx.query<IndicatorRow>(`SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE list_id = $1 AND type = $2 AND value = $3`, [listId, type, value]);
      return rows[0] ? toIndicator(rows[0]) : null;
    },

    /** One page of a list's indicators by type and value; `q` is a case-insensitive prefix of the value. */
    async page(listId: string, opts: { q?: string | undefined; type?: IndicatorType | undefined; offset: number; limit: number }): Promise<{ items: IndicatorRecord[]; total: number }> {
      const where = ['list_id = $1'];
      const params: unknown[] = [listId];
      if (opts.type) {
        params.push(opts.type);
        where.push(`type = $${params.length}`);
      }
      if (opts.q) {
        params.push(likePrefix(opts.q.toLowerCase()));
        where.push(`value LIKE $${params.length}`);
      }
      const cond = where.join(' AND ');
      const [{ rows }, count] = await Promise.all([
        db.query<IndicatorRow>(`SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE ${cond} ORDER BY type, value LIMIT ${opts.limit} OFFSET ${opts.offset}`, params),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM indicators WHERE ${cond}`, params),
      ]);
      return { items: rows.map(toIndicator), total: Number(count.rows[0]?.n ?? 0) };
    },

    /**
     * The matcher's load: unexpired indicators (at the database's now) after `afterSeq`, by
     * the primary key alone (a join with the lists made the planner scan the whole table for
     * every page; the caller drops rows of disabled lists). The page comes back as one JSON
     * text: row by row, the embedded store spends several times longer handing rows over.
     */
    async loadPage(afterSeq: number, limit: number): Promise<IndicatorLoadRow[]> {
      const { rows } = await db.query<{ page: string | null }>(
        `SELECT json_agg(json_build_array(p.id, p.list_id, p.type, p.value, p.source, p.confidence,
                  (extract(epoch FROM p.expires_at) * 1000)::float8) ORDER BY p.id)::text AS page
           FROM (SELECT i.id, i.list_id, i.type, i.value, i.source, i.confidence, i.expires_at
                   FROM indicators i
                  WHERE i.id > $1 AND (i.expires_at IS NULL OR i.expires_at > now())
                  ORDER BY i.id LIMIT $2) p`,
        [afterSeq, limit],
      );
      const page = rows[0]?.page;
      if (!page) return [];
      return (JSON.parse(page) as [number, string, IndicatorType, string, string | null, number, number | null][]).map(
        ([seq, list_id, type, value, source, confidence, expires_ms]) => ({ seq, list_id, type, value, source, confidence, expires_ms }),
      );
    },

    /** Deletes indicators expired before `before`; returns how many. */
    async pruneExpired(before: Date, tx: Queryable = db): Promise<number> {
      const { rowCount } = await tx.query('DELETE FROM indicators WHERE expires_at < $1', [before.toISOString()]);
      if (rowCount > 0) {
        await tx.query('UPDATE indicator_lists l SET indicator_count = (SELECT count(*) FROM indicators i WHERE i.list_id = l.id)');
      }
      return rowCount;
    },

    async version(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ version: string | number }>('SELECT version FROM intel_version WHERE id = 1');
      return Number(rows[0]?.version ?? 0);
    },

    async bumpVersion(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ version: string | number }>('UPDATE intel_version SET version = version + 1 WHERE id = 1 RETURNING version');
      return Number(rows[0]?.version ?? 0);
    },
  };
}
export type IntelRepo = ReturnType<typeof createIntelRepo>;
