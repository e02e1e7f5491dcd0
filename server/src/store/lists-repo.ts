// lists: the shared lists rules reference by name. Unique names are enforced by the
// database (23505 -> 409 in the service); items are one jsonb array, replaced whole.
import type { ListKind } from '@siem/contracts';
import type { Queryable } from './db.ts';

export interface ListRecord {
  id: string;
  name: string;
  kind: ListKind;
  description: string;
  items: string[];
  item_count: number;
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A list without its items (the listing; a list may hold 100,000). */
export type ListHead = Omit<ListRecord, 'items'>;

/** What an engine needs to evaluate in_list. */
export interface ListContent {
  name: string;
  kind: ListKind;
  items: string[];
}

export type NewList = Pick<ListRecord, 'id' | 'name' | 'kind' | 'description' | 'items' | 'created_by'>;
export type ListPatch = { description?: string; items?: string[]; updated_by: string | null };

const HEAD = 'id, name, kind, description, jsonb_array_length(items) AS item_count, created_by, updated_by, created_at, updated_at';
const ALL = `${HEAD}, items`;

type Row = Omit<ListRecord, 'created_at' | 'updated_at' | 'items'> & { created_at: Date; updated_at: Date; items?: string[] };
const toHead = ({ items: _items, ...r }: Row): ListHead => ({
  ...r,
  item_count: Number(r.item_count),
  created_at: new Date(r.created_at).toISOString(),
  updated_at: new Date(r.updated_at).toISOString(),
});
const toRecord = (r: Row): ListRecord => ({ ...toHead(r), items: r.items ?? [] });

export function createListsRepo(db: Queryable) {
  return {
    /** Every list without items, by name. */
    async list(): Promise<ListHead[]> {
      const { rows } = await db.query<Row>(`SELECT ${HEAD} FROM lists ORDER BY name`);
      return rows.map(toHead);
    },

    /** Every list with its items, for the engines. */
    async contents(): Promise<ListContent[]> {
      const { rows } = await db.query<ListContent>('SELECT name, kind, items FROM lists ORDER BY name');
      return rows.map((r) => ({ name: r.name, kind: r.kind, items: r.items ?? [] }));
    },

    async findById(id: string, tx: Queryable = db, opts: { forUpdate?: boolean } = {}): Promise<ListRecord | null> {
      const lock = opts.forUpdate ? ' FOR UPDATE' : '';
      const { rows } = await tx.query<Row>(`SELECT ${ALL} FROM lists WHERE id = $1${lock}`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async findByName(name: string, tx: Queryable = db, opts: { forUpdate?: boolean } = {}): Promise<ListRecord | null> {
      const lock = opts.forUpdate ? ' FOR UPDATE' : '';
      const { rows } = await tx.query<Row>(`SELECT ${ALL} FROM lists WHERE name = $1${lock}`, [name]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async insert(list: NewList, tx: Queryable = db): Promise<ListRecord> {
      const { rows } = await tx.query<Row>(
        `INSERT INTO lists (id, name, kind, description, items, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6) RETURNING ${ALL}`,
        [list.id, list.name, list.kind, list.description, JSON.stringify(list.items), list.created_by],
      );
      return toRecord(rows[0]!);
    },

    async update(id: string, patch: ListPatch, tx: Queryable = db): Promise<ListRecord | null> {
      const sets = ['updated_by = $1', 'updated_at = now()'];
      const params: unknown[] = [patch.updated_by];
      if (patch.description !== undefined) {
        params.push(patch.description);
        sets.push(`description = $${params.length}`);
      }
      if (patch.items !== undefined) {
        params.push(JSON.stringify(patch.items));
        sets.push(`items = $${params.length}::jsonb`);
      }
      params.push(id);
      const { rows } = await tx.query<Row>(`UPDATE lists SET ${sets.join(', ')} WHERE id = $${params.length} RETURNING ${ALL}`, params);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async remove(id: string, tx: Queryable = db): Promise<boolean> {
      const { rowCount } = await tx.query('DELETE FROM lists WHERE id = $1', [id]);
      return rowCount > 0;
    },

    async count(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM lists');
      return Number(rows[0]?.n ?? 0);
    },
  };
}
export type ListsRepo = ReturnType<typeof createListsRepo>;
