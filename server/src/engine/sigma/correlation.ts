// Sigma correlation rules -> our correlating rule types: event_count -> threshold,
// value_count -> aggregation (count_distinct), temporal_ordered -> sequence, temporal ->
// sequence with `ordered: false`. The rules they name (by name or id, in the same batch)
// are inlined as the filter or the steps; group-by fields go through the taxonomy of those
// rules' logsource. What our engine cannot count (upper bounds, sums, averages) is refused.
import { RULE_LIMITS } from '@siem/contracts';
import { readLogsource, readMetadata } from './metadata.ts';
import { mapField } from './taxonomy/index.ts';
import { SigmaRefusal, type TranslatedRule } from './types.ts';

/** A detection rule of the batch a correlation may name. */
export interface Referenceable {
  name: string | null;
  id: string | null;
  title: string;
  doc: Record<string, unknown>;
  /** The translated rule, or the reason it was refused. */
  rule: TranslatedRule | null;
  refusal: string | null;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const MAX_GROUP_BY = 5;

export function parseTimespan(value: unknown): number {
  const m = typeof value === 'string' ? /^\s*(\d{1,7})\s*([smhdw])\s*$/i.exec(value) : null;
  if (!m) throw new SigmaRefusal(`timespan '${String(value)}' is not a number with a unit (s, m, h, d, w), e.g. 5m`, { field: 'timespan' });
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]!;
  if (seconds < 1 || seconds > RULE_LIMITS.maxWindowSeconds) {
    throw new SigmaRefusal(`timespan '${value as string}' is outside 1 second .. ${RULE_LIMITS.maxWindowSeconds / 86_400} days`, { field: 'timespan' });
  }
  return seconds;
}

/** gte N -> N, gt N -> N + 1; an upper bound or equality cannot be expressed (our rules fire on reaching a count). */
export function parseThreshold(condition: unknown): number {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    throw new SigmaRefusal('correlation.condition must be a map such as {gte: 10}', { field: 'condition' });
  }
  const ops = Object.entries(condition as Record<string, unknown>).filter(([k]) => k !== 'field');
  if (ops.length !== 1) throw new SigmaRefusal('correlation.condition: exactly one of gte or gt is supported (no ranges)', { field: 'condition' });
  const [op, raw] = ops[0]!;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n)) throw new SigmaRefusal(`correlation.condition.${op} must be an integer`, { field: 'condition', modifier: op });
  let threshold: number;
  if (op === 'gte') threshold = n;
  else if (op === 'gt') threshold = n + 1;
  else if (op === 'lt' || op === 'lte' || op === 'eq' || op === 'neq') {
    throw new SigmaRefusal(`correlation.condition '${op}' cannot be expressed: our rules fire when a count is reached, never on a count staying low`, { field: 'condition', modifier: op });
  } else throw new SigmaRefusal(`unknown correlation.condition operator '${op}'`, { field: 'condition', modifier: op });
  if (threshold < 1 || threshold > RULE_LIMITS.maxThreshold) {
    throw new SigmaRefusal(`correlation threshold ${threshold} is outside 1 .. ${RULE_LIMITS.maxThreshold}`, { field: 'condition', modifier: op });
  }
  return threshold;
}

function resolveRules(names: unknown, batch: readonly Referenceable[]): Referenceable[] {
  const list = Array.isArray(names) ? names : [names];
  if (list.length === 0 || list.some((n) => typeof n !== 'string')) {
    throw new SigmaRefusal('correlation.rules must name one or more rules (by name or id)', { field: 'rules' });
  }
  return (list as string[]).map((ref) => {
    const found = batch.find((r) => r.name === ref || r.id === ref);
    if (!found) throw new SigmaRefusal(`rule '${ref}' is not in this import: import the rules a correlation names together with it`, { field: 'rules' });
    if (!found.rule) throw new SigmaRefusal(`rule '${ref}' (${found.title}) was refused: ${found.refusal ?? 'unknown reason'}`, { field: 'rules' });
    if (found.rule.rule_type !== 'single') throw new SigmaRefusal(`rule '${ref}' is itself a correlation: chained correlations are not supported`, { field: 'rules' });
    return found;
  });
}

/** A Sigma field of a correlation -> one of our fields valid for every referenced rule (aliases resolved per rule). */
function correlationField(name: string, rules: Referenceable[], aliases: Record<string, unknown>, what: string): string {
  const alias = aliases[name];
  const mapped = new Set<string>();
  for (const r of rules) {
    let field = name;
    if (alias !== undefined) {
      if (typeof alias !== 'object' || alias === null || Array.isArray(alias)) {
        throw new SigmaRefusal(`alias '${name}' must map rule names to fields`, { field: what });
      }
      const perRule = alias as Record<string, unknown>;
      const own = (r.name !== null ? perRule[r.name] : undefined) ?? (r.id !== null ? perRule[r.id] : undefined);
      if (typeof own !== 'string') throw new SigmaRefusal(`alias '${name}' names no field for rule '${r.name ?? r.id ?? r.title}'`, { field: what });
      field = own;
    }
    mapped.add(mapField(field, readLogsource(r.doc)).field);
  }
  if (mapped.size !== 1) {
    throw new SigmaRefusal(`'${name}' maps to different fields (${[...mapped].join(', ')}) in the correlated rules; our ${what} names one field`, { field: what });
  }
  return [...mapped][0]!;
}

export function translateCorrelation(doc: Record<string, unknown>, batch: readonly Referenceable[], warnings: string[]): { rule: TranslatedRule; used: Referenceable[] } {
  const spec = doc.correlation;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SigmaRefusal('correlation must be a map', { field: 'correlation' });
  const c = spec as Record<string, unknown>;
  const type = String(c.type ?? '');
  const used = resolveRules(c.rules, batch);
  const aliases = (typeof c.aliases === 'object' && c.aliases !== null ? c.aliases : {}) as Record<string, unknown>;
  const groupByRaw = c['group-by'] ?? c.group_by;
  const groupNames = groupByRaw === undefined ? [] : Array.isArray(groupByRaw) ? groupByRaw : [groupByRaw];
  if (groupNames.length === 0) throw new SigmaRefusal('group-by is required: our correlating rules count per group', { field: 'group-by' });
  if (groupNames.length > MAX_GROUP_BY) throw new SigmaRefusal(`group-by lists more than ${MAX_GROUP_BY} fields`, { field: 'group-by' });
  const group_by = groupNames.map((g) => correlationField(String(g), used, aliases, 'group-by'));
  const window_seconds = parseTimespan(c.timespan ?? c.timeframe);
  const filters = used.map((r) => (r.rule!.conditions as { event_filter: Record<string, unknown> }).event_filter);
  const meta = readMetadata(doc, readLogsource(used[0]!.doc), warnings);
  meta.origin.logsource = {};
  meta.origin.correlated = used.map((r) => r.id ?? r.name ?? r.title);
  const filter = filters.length === 1 ? filters[0]! : { any: filters };
  let conditions: Record<string, unknown>;
  let rule_type: TranslatedRule['rule_type'];
  switch (type) {
    case 'event_count':
      rule_type = 'threshold';
      conditions = { event_filter: filter, threshold: parseThreshold(c.condition), window_seconds, group_by };
      break;
    case 'value_count': {
      const field = (c.condition as Record<string, unknown> | undefined)?.field;
      if (typeof field !== 'string') throw new SigmaRefusal('value_count needs condition.field (the field whose distinct values are counted)', { field: 'condition' });
      rule_type = 'aggregation';
      conditions = {
        event_filter: filter,
        aggregation: 'count_distinct',
        aggregation_field: correlationField(field, used, aliases, 'condition.field'),
        threshold: parseThreshold(c.condition),
        window_seconds,
        group_by,
      };
      break;
    }
    case 'temporal':
    case 'temporal_ordered':
      if (used.length < 2) throw new SigmaRefusal(`${type} needs at least two rules`, { field: 'rules' });
      if (c.condition !== undefined) warnings.push(`${type}: condition is ignored (every named rule must occur once)`);
      rule_type = 'sequence';
      conditions = { steps: filters.map((f) => ({ event_filter: f })), window_seconds, group_by, ...(type === 'temporal' ? { ordered: false } : {}) };
      break;
    default:
      throw new SigmaRefusal(`correlation type '${type}' is not supported (supported: event_count, value_count, temporal, temporal_ordered)`, { field: 'type' });
  }
  return { rule: { ...meta, rule_type, conditions }, used };
}
