// Rules: parse (contracts zod schemas) -> compile (compile.ts, operators.ts, fields.ts).
// The correlation engine runs what this produces; services call checkConditions on writes
// and loadRules when (re)loading the enabled set.
export { compileRule, groupLabel, GROUP_SEPARATOR, type CompileContext, type CompiledRule, type CompiledSpec, type CompiledStep, type KeyGetter, type RuleDefinition } from './compile.ts';
export { RuleCompileError } from './errors.ts';
export { fieldGetter, isPresent, keyOf, numberOf, textOf, type FieldGetter } from './fields.ts';
export {
  checkConditions,
  describeProblem,
  loadRules,
  prepareRule,
  type ConditionsCheck,
  type PreparedRule,
  type RuleLoadFailure,
  type RuleProblem,
  type StoredRule,
} from './load.ts';
export { compileFilter, pinnedValues } from './filter.ts';
export { listResolver, NO_LISTS, type ListResolver, type SharedList } from './lists.ts';
export { MATCH_ALL, type Matcher } from './operators.ts';
