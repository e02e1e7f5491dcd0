// The log search query language: tokens -> located syntax tree -> (store) SQL or (rules)
// an event filter. Pure: no I/O, no clock.
export { QueryError, fieldsOf, type FieldRef, type QueryNode, type QueryValue, type PatternPart, type RangeBound } from './ast.ts';
export { parseQuery } from './parser.ts';
export { instantOf, isNumberText, severitiesInRange } from './values.ts';
export { formatQuery } from './format.ts';
export { queryToRuleFilter, ruleWildcard } from './to-rule.ts';
export { FREE_TEXT_COLUMNS, QUERY_COLUMNS, resolveField } from './fields.ts';
