// The filter language of rules: a tree of all / any / not over field predicates. A field's
// value test is a string (exact equality, as in v1), a list (any of its items) or an
// operator object (every operator holds; `cased` and `of` modify its string operators).
// Checked here so a bad filter is a 422 pointing at the exact place; the server compiles
// what passes (and stays the authority for what only it can judge: regular expressions,
// networks, list names).
import { z } from 'zod';

/** Columns of the stored event a rule may name. */
export const RULE_EVENT_FIELDS = [
  'id',
  'timestamp',
  'source_type',
  'severity',
  'event_type',
  'source_ip',
  'dest_ip',
  'source_port',
  'dest_port',
  'hostname',
  'username',
  'message',
  'mitre_tactic',
  'mitre_technique',
  'scenario_run_id',
] as const;
export type RuleEventField = (typeof RULE_EVENT_FIELDS)[number];
export const NORMALIZED_PREFIX = 'normalized.';
/** Parsed fields under their dotted names: `fields.dns.question.name`, `fields.group.name`. */
export const FIELDS_PREFIX = 'fields.';
/** The record as it arrived, by dotted path: `raw.winlog.event_data.TargetUserName`. */
export const RAW_PREFIX = 'raw.';

const TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set(RULE_EVENT_FIELDS);
export const FIELD_HINT = `use one of ${RULE_EVENT_FIELDS.join(', ')}, normalized.<key>, a parsed field by its dotted name (process.command_line, fields.<name>) or raw.<path>`;
const MAX_FIELD_NAME = 256;

export type RuleFieldKind = 'column' | 'normalized' | 'field' | 'raw';

/**
 * What a field name addresses, or null when it cannot be one. A name without a dot that is
 * not a column is refused (a typo such as "usrname" would otherwise be a rule that silently
 * never matches); a dotted name is a parsed field even if no event carries it yet (the
 * server warns about those on save).
 */
export function ruleFieldKind(name: string): RuleFieldKind | null {
  if (TOP_LEVEL_FIELDS.has(name)) return 'column';
  if (name.length > MAX_FIELD_NAME || name.length === 0) return null;
  if (name.startsWith(NORMALIZED_PREFIX)) return name.length > NORMALIZED_PREFIX.length ? 'normalized' : null;
  if (name.startsWith(RAW_PREFIX)) return validPath(name.slice(RAW_PREFIX.length)) ? 'raw' : null;
  if (name.startsWith(FIELDS_PREFIX)) return name.length > FIELDS_PREFIX.length ? 'field' : null;
  return validPath(name) && name.includes('.') ? 'field' : null;
}

/** Dotted path: non-empty segments, no whitespace or control characters. */
function validPath(path: string): boolean {
  if (path.length === 0) return false;
  for (const segment of path.split('.')) if (segment.length === 0 || !/^[^\s\p{Cc}]+$/u.test(segment)) return false;
  return true;
}

export function isRuleField(name: string): boolean {
  return ruleFieldKind(name) !== null;
}

/** The parsed-field key a name reads (`process.name` and `fields.process.name` -> `process.name`), else null. */
export function parsedFieldKey(name: string): string | null {
  if (ruleFieldKind(name) !== 'field') return null;
  return name.startsWith(FIELDS_PREFIX) ? name.slice(FIELDS_PREFIX.length) : name;
}

/** Operators that take strings (or a list of them) and have a negated `not_` form. */
export const STRING_OPERATORS = ['equals', 'contains', 'startswith', 'endswith', 'wildcard', 'regex', 'cidr', 'in_list'] as const;
export type StringOperator = (typeof STRING_OPERATORS)[number];
export const NEGATED_OPERATORS = STRING_OPERATORS.map((op) => `not_${op}` as const);
export type NegatedOperator = `not_${StringOperator}`;
/** v1 operators keep their meaning: `in` (case-insensitive any-of) and `not` (absent or differs). */
export const FILTER_OPERATORS = [
  'in',
  'not',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
  ...STRING_OPERATORS,
  ...NEGATED_OPERATORS,
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export const FILTER_MODIFIERS = ['cased', 'of'] as const;
export const FILTER_COMBINATORS = ['all', 'any', 'not'] as const;

const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);
export const isFilterOperator = (name: string): name is FilterOperator => OPERATOR_SET.has(name);
const OPERATOR_HINT = FILTER_OPERATORS.join(', ');

/** Bounds of one rule's filters (each filter of a rule is checked against them on its own). */
export const FILTER_LIMITS = {
  maxDepth: 16,
  maxBranches: 64,
  maxPredicates: 2000,
  maxListItems: 1000,
  maxStringLength: 4096,
  maxRegexLength: 1000,
} as const;

/** A value test inside an operator object. */
export type OperatorObject = Partial<Record<FilterOperator, unknown>> & { cased?: boolean; of?: 'any' | 'all' };
/** A string means exact, case-sensitive equality; a list means any of its items. */
export type FilterValue = string | OperatorObject | Array<string | number | boolean | OperatorObject>;
export type EventFilter = { [field: string]: FilterValue | EventFilter | EventFilter[] | undefined };

type Path = (string | number)[];
type Report = (path: Path, type: string, message: string) => void;

const V4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const V4 = new RegExp(`^${V4_OCTET}(?:\\.${V4_OCTET}){3}$`);
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function isV6Text(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let body = s;
  let tailGroups = 0;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return false;
  if (s.includes('.', lastColon)) {
    // A dotted-quad tail fills the last 32 bits (two groups).
    if (!V4.test(s.slice(lastColon + 1))) return false;
    body = `${s.slice(0, lastColon + 1)}0`;
    tailGroups = 1;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  let count = tailGroups;
  for (const half of halves) {
    if (half === '') continue;
    for (const group of half.split(':')) {
      if (!V6_GROUP.test(group)) return false;
      count++;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

/**
 * Textual check of "address" or "address/prefix" (v4 or v6) so a bad network is a 422 at
 * the filter key. Contracts cannot import the server's parser; the engine's compile step
 * re-parses with it and stays the authority (it also rejects what this lets through).
 */
export function isCidrText(s: string): boolean {
  const slash = s.indexOf('/');
  const address = slash < 0 ? s : s.slice(0, slash);
  const v4 = V4.test(address);
  if (!v4 && !isV6Text(address)) return false;
  if (slash < 0) return true;
  const prefix = s.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Walks one filter, reporting every problem; counts predicates against the rule's budget. */
class FilterChecker {
  predicates = 0;
  constructor(private readonly report: Report) {}

  filter(value: unknown, path: Path, depth: number): void {
    if (!isObject(value)) return this.report(path, 'dict_type', 'A filter should be an object of field -> value test (or all / any / not)');
    if (depth > FILTER_LIMITS.maxDepth) return this.report(path, 'value_error', `Filters nest at most ${FILTER_LIMITS.maxDepth} levels deep`);
    for (const [key, entry] of Object.entries(value)) {
      const at = [...path, key];
      if (key === 'all' || key === 'any') this.branches(entry, at, depth);
      else if (key === 'not') {
        // v1 had no `not` key (it is not a field), so an object here is always a sub-filter.
        this.filter(entry, at, depth + 1);
      } else if (!isRuleField(key)) this.report(at, 'value_error', `Unknown field '${key}': ${FIELD_HINT}`);
      else this.valueTest(entry, at);
    }
  }

  private branches(value: unknown, path: Path, depth: number): void {
    if (!Array.isArray(value)) return this.report(path, 'list_type', 'Input should be a list of filters');
    if (value.length === 0) return this.report(path, 'too_short', 'List should have at least 1 filter');
    if (value.length > FILTER_LIMITS.maxBranches) return this.report(path, 'too_long', `At most ${FILTER_LIMITS.maxBranches} filters per group`);
    value.forEach((sub, i) => this.filter(sub, [...path, i], depth + 1));
  }

  private count(path: Path): boolean {
    if (++this.predicates === FILTER_LIMITS.maxPredicates + 1) {
      this.report(path, 'too_long', `A rule holds at most ${FILTER_LIMITS.maxPredicates} predicates`);
    }
    return this.predicates <= FILTER_LIMITS.maxPredicates;
  }

  private valueTest(value: unknown, path: Path): void {
    if (typeof value === 'string') {
      if (this.count(path)) this.text(value, path, false);
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return this.report(path, 'too_short', 'List should have at least 1 item');
      if (value.length > FILTER_LIMITS.maxListItems) return this.report(path, 'too_long', `At most ${FILTER_LIMITS.maxListItems} items`);
      value.forEach((item, i) => {
        if (isObject(item)) this.operatorObject(item, [...path, i]);
        else if (typeof item === 'string') {
          if (this.count([...path, i])) this.text(item, [...path, i], false);
        } else if (!(typeof item === 'number' && Number.isFinite(item)) && typeof item !== 'boolean') {
          this.report([...path, i], 'string_type', 'A list item should be a string, a number, a boolean or an operator object');
        }
      });
      return;
    }
    if (isObject(value)) return this.operatorObject(value, path);
    this.report(path, 'string_type', `Input should be a string (equality), a list (any of) or an object of operators (${OPERATOR_HINT})`);
  }

  private operatorObject(value: Record<string, unknown>, path: Path): void {
    const keys = Object.keys(value);
    const ops = keys.filter((k) => k !== 'cased' && k !== 'of');
    if (ops.length === 0) return this.report(path, 'value_error', `An operator object needs at least one operator (${OPERATOR_HINT})`);
    if ('cased' in value && typeof value.cased !== 'boolean') this.report([...path, 'cased'], 'bool_type', 'Input should be a valid boolean');
    if ('of' in value && value.of !== 'any' && value.of !== 'all') this.report([...path, 'of'], 'literal_error', "Input should be 'any' or 'all'");
    for (const op of ops) {
      if (!isFilterOperator(op)) {
        this.report(path, 'value_error', `Unknown operator '${op}'; valid operators: ${OPERATOR_HINT} (modifiers: cased, of)`);
        continue;
      }
      if (this.count([...path, op])) this.operand(op, value[op], [...path, op]);
    }
  }

  private text(s: string, path: Path, nonEmpty: boolean): boolean {
    if (nonEmpty && s.length === 0) {
      this.report(path, 'string_too_short', 'String should have at least 1 character');
      return false;
    }
    if (s.length > FILTER_LIMITS.maxStringLength) {
      this.report(path, 'string_too_long', `String should have at most ${FILTER_LIMITS.maxStringLength} characters`);
      return false;
    }
    return true;
  }

  /** A string, or (listOk) a non-empty list of strings; `item` checks each string further. */
  private strings(operand: unknown, path: Path, listOk: boolean, item: (s: string, at: Path) => void, nonEmpty = true): void {
    if (typeof operand === 'string') {
      if (this.text(operand, path, nonEmpty)) item(operand, path);
      return;
    }
    if (!listOk || !Array.isArray(operand)) {
      return this.report(path, 'string_type', listOk ? 'Input should be a string or a list of strings' : 'Input should be a valid string');
    }
    if (operand.length === 0) return this.report(path, 'too_short', 'List should have at least 1 item');
    if (operand.length > FILTER_LIMITS.maxListItems) return this.report(path, 'too_long', `At most ${FILTER_LIMITS.maxListItems} items`);
    operand.forEach((s, i) => {
      if (typeof s !== 'string') this.report([...path, i], 'string_type', 'Input should be a valid string');
      else if (this.text(s, [...path, i], nonEmpty)) item(s, [...path, i]);
    });
  }

  private operand(op: FilterOperator, operand: unknown, path: Path): void {
    const base = op.startsWith('not_') ? (op.slice(4) as StringOperator) : op;
    const none = (): void => undefined;
    switch (base) {
      case 'in':
        if (!Array.isArray(operand)) return this.report(path, 'list_type', 'Input should be a valid list of strings');
        return this.strings(operand, path, true, none, false);
      case 'not':
        return this.strings(operand, path, false, none, false);
      case 'exists':
        if (typeof operand !== 'boolean') this.report(path, 'bool_type', 'Input should be a valid boolean');
        return;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (typeof operand !== 'number' || !Number.isFinite(operand)) this.report(path, 'float_type', 'Input should be a valid number');
        return;
      case 'equals': {
        const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
        if (scalar(operand)) {
          if (typeof operand === 'string') this.text(operand, path, false);
          return;
        }
        if (!Array.isArray(operand)) return this.report(path, 'string_type', 'Input should be a string, number, boolean or a list of them');
        if (operand.length === 0) return this.report(path, 'too_short', 'List should have at least 1 item');
        if (operand.length > FILTER_LIMITS.maxListItems) return this.report(path, 'too_long', `At most ${FILTER_LIMITS.maxListItems} items`);
        operand.forEach((v, i) => {
          if (!scalar(v)) this.report([...path, i], 'string_type', 'Input should be a string, number or boolean');
          else if (typeof v === 'string') this.text(v, [...path, i], false);
        });
        return;
      }
      case 'contains':
      case 'startswith':
      case 'endswith':
      case 'wildcard':
        return this.strings(operand, path, true, none);
      case 'regex':
        return this.strings(operand, path, true, (s, at) => {
          if (s.length > FILTER_LIMITS.maxRegexLength) {
            this.report(at, 'string_too_long', `A regular expression has at most ${FILTER_LIMITS.maxRegexLength} characters`);
          }
        });
      case 'cidr':
        return this.strings(operand, path, true, (s, at) => {
          if (!isCidrText(s)) this.report(at, 'value_error', `'${s}' is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, 2001:db8::/32)`);
        });
      case 'in_list':
        return this.strings(operand, path, true, (s, at) => {
          if (!LIST_NAME.test(s)) this.report(at, 'value_error', `'${s}' is not a list name (lower-case letters, digits, _ . -)`);
        });
    }
  }
}

/** Shared list names: what `in_list` may reference. */
export const LIST_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Checks one filter; `report` receives paths relative to the filter. Returns the predicates counted. */
export function checkFilter(value: unknown, report: Report): number {
  const checker = new FilterChecker(report);
  checker.filter(value, [], 0);
  return checker.predicates;
}

function zodReporter(ctx: z.RefinementCtx): Report {
  return (path, type, message) => ctx.addIssue({ code: 'custom', path, message, params: { type } });
}

/** event_filter (and each exception): the filter tree; `{}` matches every event. */
export const EventFilterSchema = z
  .record(z.string(), z.unknown())
  .superRefine((filter, ctx) => {
    checkFilter(filter, zodReporter(ctx));
  })
  .transform((filter) => filter as EventFilter)
  .meta({
    description:
      'Field -> string (exact equality), list (any of) or {operator: operand, ...} with operators: ' +
      `${OPERATOR_HINT}; modifiers cased (bool) and of ('any'|'all'); combinators all / any (lists of filters) and not (a filter). Fields: ${FIELD_HINT}.`,
  });

/** group_by / aggregation_field: one field name. */
export const RuleFieldSchema = z.string().superRefine((name, ctx) => {
  if (!isRuleField(name)) ctx.addIssue({ code: 'custom', path: [], message: `Unknown field '${name}': ${FIELD_HINT}`, params: { type: 'value_error' } });
});

export const MAX_GROUP_BY_FIELDS = 5;
export type GroupBy = string | string[];
/** group_by: one field, or a list of up to 5 (events are grouped by the combination). */
export const GroupBySchema = z.custom<GroupBy>(() => true).superRefine((value, ctx) => {
  const report = zodReporter(ctx);
  const one = (name: unknown, path: Path) => {
    if (typeof name !== 'string') report(path, 'string_type', 'Input should be a field name');
    else if (!isRuleField(name)) report(path, 'value_error', `Unknown field '${name}': ${FIELD_HINT}`);
  };
  if (value === undefined) return report([], 'missing', 'Field required');
  if (!Array.isArray(value)) return one(value, []);
  if (value.length === 0) return report([], 'too_short', 'List should have at least 1 field');
  if (value.length > MAX_GROUP_BY_FIELDS) return report([], 'too_long', `At most ${MAX_GROUP_BY_FIELDS} fields`);
  value.forEach((name, i) => one(name, [i]));
});

export const MAX_EXCEPTIONS = 100;
export const ExceptionsSchema = z.array(EventFilterSchema).max(MAX_EXCEPTIONS);
