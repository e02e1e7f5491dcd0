// Field names of the query language, resolved the way rules resolve them: a column of the
// stored event, `normalized.<key>`, `raw.<path>`, or a parsed field by its dotted name
// (with or without `fields.`). An unknown undotted name is an error naming the closest one.
import { NORMALIZED_PREFIX, RAW_PREFIX, parsedFieldKey, ruleFieldKind } from '@siem/contracts';
import type { ColumnType, FieldRef } from './ast.ts';

const COLUMN_TYPES: Readonly<Record<string, ColumnType>> = {
  id: 'keyword',
  timestamp: 'time',
  source_type: 'keyword',
  severity: 'severity',
  event_type: 'text',
  source_ip: 'ip',
  dest_ip: 'ip',
  source_port: 'int',
  dest_port: 'int',
  hostname: 'text',
  username: 'text',
  message: 'text',
  mitre_tactic: 'text',
  mitre_technique: 'text',
  scenario_run_id: 'keyword',
};
/** Other spellings of a column, as analysts type them in other tools. */
const ALIASES: Readonly<Record<string, string>> = { ts: 'timestamp', '@timestamp': 'timestamp' };
/** The stored column behind a canonical name, where it differs. */
const COLUMN_OF: Readonly<Record<string, string>> = { timestamp: 'ts' };

/** The columns free text (a bare term or phrase) looks in: those of today's text search. */
export const FREE_TEXT_COLUMNS = ['event_type', 'source_ip', 'dest_ip', 'username', 'hostname', 'message'] as const;

export const QUERY_COLUMNS: readonly string[] = Object.keys(COLUMN_TYPES);
const KNOWN = [...QUERY_COLUMNS, ...Object.keys(ALIASES)];

/** The field a name addresses, or null when it is none (then see closestField). */
export function resolveField(written: string): FieldRef | null {
  const name = ALIASES[written] ?? written;
  const type = COLUMN_TYPES[name];
  if (type) return { name, kind: 'column', column: COLUMN_OF[name] ?? name, type };
  switch (ruleFieldKind(name)) {
    case 'field': {
      // An undotted key keeps its prefix: `tags` alone would read as an unknown column.
      const key = parsedFieldKey(name)!;
      return { name: key.includes('.') ? key : `fields.${key}`, kind: 'field', key };
    }
    case 'normalized':
      return { name, kind: 'normalized', key: name.slice(NORMALIZED_PREFIX.length) };
    case 'raw':
      return { name, kind: 'raw', key: name.slice(RAW_PREFIX.length) };
    default:
      return null;
  }
}

/** Edit distance, bounded: names are short (an unknown name is at most a few dozen characters). */
function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known column name closest to `name`, when it is close enough to be a typo. */
export function closestField(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of KNOWN) {
    const d = distance(lower, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? (ALIASES[best] ?? best) : undefined;
}

export const FIELD_LIST_HINT = `known fields: ${QUERY_COLUMNS.join(', ')}; or a parsed field by its dotted name (user.name, fields.<name>), normalized.<key>, raw.<path>`;
