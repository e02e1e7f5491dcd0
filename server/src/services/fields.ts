// The field catalog: every name a rule can use that stored events actually carry (columns,
// `normalized.<key>`, parsed fields), measured on the newest events and cached for a few
// seconds, so the editor's field picker and the "unknown field" warnings on rule save do
// not scan the events on every keystroke or save.
import { FIELDS_LIMITS } from '@siem/contracts';
import type { FieldInfo } from '@siem/contracts';
import { EVENT_COLUMNS } from '../store/fields-repo.ts';
import type { EventColumn, FieldsRepo } from '../store/fields-repo.ts';

const COLUMN_TYPES: Record<EventColumn, string> = {
  id: 'string', timestamp: 'string', source_type: 'string', severity: 'string', event_type: 'string', source_ip: 'string',
  dest_ip: 'string', source_port: 'number', dest_port: 'number', hostname: 'string', username: 'string', message: 'string',
  mitre_tactic: 'string', mitre_technique: 'string', scenario_run_id: 'string',
};

/** Distinct source types cached at once: the key space is bounded even if a client invents them. */
const MAX_CACHED = 32;

export interface FieldServiceOptions {
  fields: FieldsRepo;
  /** Newest events measured (default 5,000). */
  sample?: number;
  ttlMs?: number;
  clock?: () => number;
}

export function createFieldService(deps: FieldServiceOptions) {
  const sample = deps.sample ?? FIELDS_LIMITS.sampleEvents;
  const ttlMs = deps.ttlMs ?? 30_000;
  const clock = deps.clock ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<FieldInfo[]> }>();

  async function measure(sourceType: string | undefined): Promise<FieldInfo[]> {
    const chars = FIELDS_LIMITS.exampleChars;
    const [columns, keys] = await Promise.all([deps.fields.columnUse(sample, sourceType, chars), deps.fields.seenKeys(sample, sourceType, chars)]);
    const columnInfo: FieldInfo[] = columns.map((c) => ({
      name: c.name, origin: 'column', count: c.count, types: [COLUMN_TYPES[c.name]], example: c.example,
    }));
    const seen: FieldInfo[] = keys
      .map((k): FieldInfo => ({ name: k.origin === 'normalized' ? `normalized.${k.name}` : k.name, origin: k.origin, count: k.count, types: k.types, example: k.example }))
      // A parsed field named like a column is reached as the column; keep the column's entry.
      .filter((f) => !(f.origin === 'field' && f.name in EVENT_COLUMNS))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return [...columnInfo, ...seen];
  }

  /**
   * Every field seen in the newest events (of one source type), columns first, then the
   * rest by how many events carry them. Cached per source type for `ttlMs`.
   */
  async function fieldCatalog(opts: { sourceType?: string | undefined } = {}): Promise<FieldInfo[]> {
    const key = opts.sourceType ?? '';
    const now = clock();
    const hit = cache.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = measure(opts.sourceType);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: now, value });
    // A failed measurement is not cached: the next call tries again.
    value.catch(() => cache.get(key)?.value === value && cache.delete(key));
    return value;
  }

  /** The names no recent event carries (for "unknown field" warnings on rule save), once each. */
  async function unseen(names: Iterable<string>): Promise<string[]> {
    const catalog = await fieldCatalog();
    const known = new Set(catalog.map((f) => f.name));
    const out = new Set<string>();
    for (const name of names) {
      if (name in EVENT_COLUMNS || name.startsWith('raw.')) continue;
      const bare = name.startsWith('fields.') ? name.slice('fields.'.length) : name;
      if (!known.has(name) && !known.has(bare)) out.add(name);
    }
    return [...out];
  }

  return {
    fieldCatalog,

    /** The catalog cut to `limit` entries (the columns always come first). */
    async list(q: { source_type?: string | undefined; limit: number }): Promise<FieldInfo[]> {
      return (await fieldCatalog({ sourceType: q.source_type })).slice(0, q.limit);
    },

    /**
     * Whether stored events carry a field a rule names: columns always; `normalized.<key>`,
     * dotted parsed names (with or without `fields.`) when the sample has them. `raw.<path>`
     * is not measured and counts as carried.
     */
    async isSeen(name: string): Promise<boolean> {
      return (await unseen([name])).length === 0;
    },

    unseen,
  };
}
export type FieldService = ReturnType<typeof createFieldService>;
