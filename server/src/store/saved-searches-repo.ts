// saved_searches: named log searches per owner. Names are unique per owner (23505 -> 409
// in the service); params is the validated search, stored as one jsonb document.
import type { SavedSearchParams } from '@siem/contracts';
import type { Queryable } from './db.ts';

export interface SavedSearchRecord {
  id: string;
  owner_id: string;
  owner: string | null;
  name: string;
  description: string;
  params: SavedSearchParams;
  shared: boolean;
  created_at: string;
  updated_at: string;
}

export type SavedSearchPatch = Partial<Pick<SavedSearchRecord, 'name' | 'description' | 'params' | 'shared'>>;

const SELECT = `SELECT s.id, s.owner_id, u.username AS owner, s.name, s.description, s.params, s.shared, s.created_at, s.updated_at
  FROM saved_searches s LEFT JOIN users u ON u.id = s.owner_id`;

type Row = Omit<SavedSearchRecord, 'created_at' | 'updated_at'> & { created_at: Date | string; updated_at: Date | string };
const toRecord = (r: Row): SavedSearchRecord => ({
  ...r,
  created_at: new Date(r.created_at).toISOString(),
  updated_at: new Date(r.updated_at).toISOString(),
});

export function createSavedSearchesRepo(db: Queryable) {
  return {
    /** The caller's own searches and every shared one, by name; at most `limit`. */
    async visibleTo(userId: string, limit: number): Promise<SavedSearchRecord[]> {
      const { rows } = await db.query<Row>(`${SELECT} WHERE s.owner_id = $1 OR s.shared ORDER BY lower(s.name), s.id LIMIT $2`, [userId, limit]);
      return rows.map(toRecord);
    },

    async findById(id: string, tx: Queryable = db): Promise<SavedSearchRecord | null> {
      const { rows } = await tx.query<Row>(`${SELECT} WHERE s.id = $1`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async countOwned(ownerId: string, tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM saved_searches WHERE owner_id = $1', [ownerId]);
      return Number(rows[0]?.n ?? 0);
    },

    /** Serializes an owner's inserts, so the per-owner count holds under concurrent creations. */
    async lockOwner(ownerId: string, tx: Queryable): Promise<void> {
      await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [ownerId]);
    },

    async insert(s: Pick<SavedSearchRecord, 'id' | 'owner_id' | 'name' | 'description' | 'params' | 'shared'>, tx: Queryable = db): Promise<void> {
      await tx.query(
        'INSERT INTO saved_searches (id, owner_id, name, description, params, shared) VALUES ($1, $2, $3, $4, $5::jsonb, $6)',
        [s.id, s.owner_id, s.name, s.description, JSON.stringify(s.params), s.shared],
      );
    },

    async update(id: string, patch: SavedSearchPatch, tx: Queryable = db): Promise<boolean> {
      const sets = ['updated_at = now()'];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown, cast = '') => {
        params.push(value);
        sets.push(`${column} = $${params.length}${cast}`);
      };
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.params !== undefined) set('params', JSON.stringify(patch.params), '::jsonb');
      if (patch.shared !== undefined) set('shared', patch.shared);
      const { rowCount } = await tx.query(`UPDATE saved_searches SET ${sets.join(', ')} WHERE id = $1`, params);
      return rowCount > 0;
    },

    async remove(id: string, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query('DELETE FROM saved_searches WHERE id = $1', [id]);
      return rowCount > 0;
    },
  };
}
export type SavedSearchesRepo = ReturnType<typeof createSavedSearchesRepo>;
