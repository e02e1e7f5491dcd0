// "Never alert on this value for this rule": adds an exception filter to the rule's
// `conditions.exceptions` (exact equality on the alert's group fields), or puts the value
// in a shared list and makes sure the rule excepts that list. The rule changes through the
// rules service, so the result is validated, kept in its history and announced.
import type { ErrorDetail, Rule, RuleExceptionCreate, RuleExceptionResult } from '@siem/contracts';
import { LIST_LIMITS, normalizeListItem } from '@siem/contracts';
import { AppError, notFound, validationError } from '../errors.ts';
import type { ListService } from './lists.ts';
import type { Actor, RuleService } from './rules.ts';

export interface RuleExceptionDeps {
  rules: RuleService;
  lists: ListService;
}

/** Key order does not make two filters different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function currentExceptions(conditions: Record<string, unknown>): unknown[] {
  const list = conditions.exceptions;
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw validationError([{ field: 'exceptions', message: "The rule's exceptions are not a list; fix them in the rule editor", type: 'list_type' }]);
  }
  return list;
}

/** The conditions with `filter` appended to exceptions; null when an equal one is there. */
export function withException(conditions: Record<string, unknown>, filter: Record<string, unknown>): Record<string, unknown> | null {
  const list = currentExceptions(conditions);
  const key = canonical(filter);
  if (list.some((existing) => canonical(existing) === key)) return null;
  if (list.length >= LIST_LIMITS.maxExceptions) {
    throw validationError(
      [{ field: 'exceptions', message: `A rule holds at most ${LIST_LIMITS.maxExceptions} exceptions; use a shared list for many values`, type: 'too_long' }],
      `The rule already has ${list.length} exceptions`,
    );
  }
  return { ...conditions, exceptions: [...list, filter] };
}

/** The conditions without exception `index` (the key goes with the last one). */
export function withoutException(conditions: Record<string, unknown>, index: number): Record<string, unknown> {
  const list = currentExceptions(conditions);
  if (index >= list.length) throw notFound('Exception');
  const rest = list.filter((_, i) => i !== index);
  const { exceptions: _gone, ...others } = conditions;
  return rest.length === 0 ? others : { ...others, exceptions: rest };
}

export function createRuleExceptionService(deps: RuleExceptionDeps) {
  const { rules, lists } = deps;

  return {
    async add(ruleId: string, body: RuleExceptionCreate, actor: Actor): Promise<RuleExceptionResult> {
      await rules.get(ruleId);
      if (body.list === undefined) {
        const rule = await rules.editConditions(ruleId, (c) => withException(c, { ...body.values }), actor);
        return { rule, list: null };
      }
      const entries = Object.entries(body.values);
      if (entries.length !== 1) {
        throw validationError([{ field: 'values', message: 'Adding to a list takes exactly one field and its value', type: 'value_error' }]);
      }
      const [field, value] = entries[0]!;
      const list = await lists.findByName(body.list);
      if (!list) throw notFound('List');
      // Checked before anything changes, so a refused value leaves rule and list as they were.
      const item = normalizeListItem(list.kind, value);
      if (!item.ok) {
        const detail: ErrorDetail = { field: `values.${field}`, message: item.message, type: 'value_error' };
        throw validationError([detail], `The value does not fit list '${list.name}' (kind ${list.kind})`);
      }
      const rule: Rule = await rules.editConditions(ruleId, (c) => withException(c, { [field]: { in_list: list.name } }), actor);
      return { rule, list: await lists.addValue(list.name, item.value, actor) };
    },

    async remove(ruleId: string, index: string, actor: Actor): Promise<Rule> {
      await rules.get(ruleId);
      const at = /^\d{1,4}$/.test(index) ? Number(index) : Number.NaN;
      if (!Number.isInteger(at)) throw new AppError('NOT_FOUND', 'Exception not found');
      return rules.editConditions(ruleId, (c) => withoutException(c, at), actor);
    },
  };
}
export type RuleExceptionService = ReturnType<typeof createRuleExceptionService>;
