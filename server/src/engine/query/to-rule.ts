// A parsed search as a rule's event filter ("detection from a search"): AND -> one object
// (or `all`), OR -> `any`, NOT -> `not`, values -> equals / wildcard / cidr / exists /
// gt..lte, free text -> `any` of `contains` over the searched columns. What rules cannot
// say (time ranges, text ranges) is refused with the place in the query.
import { checkFilter, type EventFilter, type FilterValue } from '@siem/contracts';
import { QueryError, type FieldRef, type PatternPart, type QueryNode, type QueryValue, type RangeBound } from './ast.ts';
import { FREE_TEXT_COLUMNS } from './fields.ts';
import { isNumberText, severitiesInRange } from './values.ts';

const COMBINATORS = new Set(['all', 'any', 'not']);
const MAX_BRANCHES = 64;

/** A pattern in the rules' wildcard syntax: `*`, `?`, and `\*` `\?` `\\` for literals. */
export function ruleWildcard(parts: PatternPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p.replace(/[\\*?]/g, (c) => `\\${c}`) : p.wild)).join('');
}

/** The name a rule uses for a field (always one `ruleFieldKind` accepts). */
const ruleName = (f: FieldRef) => f.name;

const one = (field: FieldRef, test: FilterValue): EventFilter => ({ [ruleName(field)]: test });

function branches(kind: 'any' | 'all', filters: EventFilter[], node: QueryNode): EventFilter {
  if (filters.length > MAX_BRANCHES) {
    throw new QueryError(`A rule group holds at most ${MAX_BRANCHES} alternatives; the group at position ${node.pos} has ${filters.length}`, node.pos, node.len);
  }
  return { [kind]: filters };
}

/** AND of filters: one object when no key repeats (the usual `{a: x, b: y}`), else `all`. */
function merge(filters: EventFilter[], node: QueryNode): EventFilter {
  const merged: EventFilter = {};
  for (const f of filters) {
    for (const [key, value] of Object.entries(f)) {
      if (COMBINATORS.has(key) || key in merged) return branches('all', filters, node);
      merged[key] = value;
    }
  }
  return merged;
}

function number(v: QueryValue, field: FieldRef): number {
  if (!isNumberText(v.text)) {
    throw new QueryError(
      `A rule compares '${field.name}' with numbers only; '${v.text}' at position ${v.pos} is not a number (a rule's time span is its window, not a range)`,
      v.pos,
      v.len,
    );
  }
  return Number(v.text);
}

function severityRange(lower: RangeBound | null, upper: RangeBound | null, node: QueryNode): string[] {
  const inRange = severitiesInRange(lower, upper);
  if (inRange.length === 0) throw new QueryError(`The severity range at position ${node.pos} holds no severity`, node.pos, node.len);
  return inRange;
}

function rangeFilter(node: Extract<QueryNode, { kind: 'range' }>): EventFilter {
  const { field, lower, upper } = node;
  if (field.type === 'severity') return one(field, { in: severityRange(lower, upper, node) });
  if (field.type === 'time') {
    throw new QueryError(`A rule cannot hold a time range ('${field.name}' at position ${node.pos}): its window says how far back it looks`, node.pos, node.len);
  }
  const test: Record<string, number> = {};
  if (lower) test[lower.inclusive ? 'gte' : 'gt'] = number(lower.value, field);
  if (upper) test[upper.inclusive ? 'lte' : 'lt'] = number(upper.value, field);
  return one(field, test);
}

function textFilter(v: QueryValue): EventFilter {
  const test: FilterValue = v.pattern ? { wildcard: `*${ruleWildcard(v.pattern)}*` } : { contains: v.text };
  return { any: FREE_TEXT_COLUMNS.map((c) => ({ [c]: test })) };
}

function toFilter(node: QueryNode): EventFilter {
  switch (node.kind) {
    case 'and':
      return merge(node.children.map(toFilter), node);
    case 'or':
      return branches('any', node.children.map(toFilter), node);
    case 'not':
      return { not: toFilter(node.child) };
    case 'text':
      return textFilter(node.value);
    case 'match':
      return one(node.field, node.value.pattern ? { wildcard: ruleWildcard(node.value.pattern) } : { equals: node.value.text });
    case 'cidr':
      return one(node.field, { cidr: node.network });
    case 'exists':
      return one(node.field, { exists: true });
    case 'range':
      return rangeFilter(node);
  }
}

/**
 * The event filter a rule needs to match what the query finds. Throws QueryError at the part
 * that cannot be expressed, or when the result breaks a rule bound (depth, predicates).
 */
export function queryToRuleFilter(node: QueryNode): EventFilter {
  const filter = toFilter(node);
  const problems: string[] = [];
  checkFilter(filter, (path, _type, message) => problems.push(`${path.join('.') || 'event_filter'}: ${message}`));
  if (problems.length > 0) throw new QueryError(`This search does not fit in a rule: ${problems[0]}`, node.pos, node.len);
  return filter;
}
