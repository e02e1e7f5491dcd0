// The search query language as services use it: parse a `query` parameter into the tree
// the store compiles (a located 422 QUERY_SYNTAX when it is wrong), answer the editor's
// validation, and turn a search into a draft rule ("detection from a search").
import type { QueryErrorDetail, QueryValidateAnswer, RuleDraftBody, RuleFromQueryBody } from '@siem/contracts';
import { AppError } from '../errors.ts';
import { QueryError, fieldsOf, formatQuery, parseQuery, queryToRuleFilter, type QueryNode } from '../engine/query/index.ts';

const RULE_NAME_MAX = 200;

function detail(err: QueryError): QueryErrorDetail {
  const d: QueryErrorDetail = { field: 'query', message: err.message, type: 'query_syntax', position: err.position, length: err.length };
  if (err.suggestion !== undefined) d.suggestion = err.suggestion;
  return d;
}

function located(code: 'QUERY_SYNTAX' | 'QUERY_NOT_A_RULE', err: unknown): unknown {
  if (!(err instanceof QueryError)) return err;
  return new AppError(code, err.message, { details: [detail(err)] });
}

/** The parsed `query` parameter (undefined when absent or empty); 422 QUERY_SYNTAX when invalid. */
export function parseSearchQuery(text: string | undefined): QueryNode | undefined {
  if (text === undefined) return undefined;
  try {
    return parseQuery(text) ?? undefined;
  } catch (err) {
    throw located('QUERY_SYNTAX', err);
  }
}

/** What the search bar shows while typing: the canonical form, or where the query is wrong. */
export function validateQuery(text: string): QueryValidateAnswer {
  try {
    const ast = parseQuery(text);
    return { valid: true, normalized: ast ? formatQuery(ast) : null, ast, fields: fieldsOf(ast), error: null };
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    const { message, position, length, suggestion } = err;
    return { valid: false, normalized: null, ast: null, fields: [], error: suggestion === undefined ? { message, position, length } : { message, position, length, suggestion } };
  }
}

/** A single-event rule matching what the search finds; nothing is stored. */
export function draftRuleFromQuery(body: RuleFromQueryBody): RuleDraftBody {
  const ast = parseSearchQuery(body.query);
  if (!ast) throw new AppError('QUERY_NOT_A_RULE', 'The query is empty: a rule needs at least one condition');
  let eventFilter;
  try {
    eventFilter = queryToRuleFilter(ast);
  } catch (err) {
    throw located('QUERY_NOT_A_RULE', err);
  }
  const normalized = formatQuery(ast);
  const name = body.name ?? `Search: ${normalized}`;
  return {
    name: name.length > RULE_NAME_MAX ? `${name.slice(0, RULE_NAME_MAX - 1)}…` : name,
    description: `Made from the search: ${normalized}`,
    rule_type: 'single',
    severity: body.severity ?? 'medium',
    enabled: true,
    conditions: { event_filter: eventFilter },
    mitre_tactic: null,
    mitre_technique: null,
  };
}
