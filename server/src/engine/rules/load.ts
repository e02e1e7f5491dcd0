// The parse -> compile pipeline for rules as they are stored (conditions exactly as
// submitted): validate the conditions with the contracts schema, then compile. Loading a
// set collects every bad rule with its id instead of stopping at the first (STYLE rule 11).
import { RULE_TYPES, SuppressionSchema, validateConditions, type ConditionsByType, type RuleType, type Severity } from '@siem/contracts';
import type { z } from 'zod';
import { compileRule, type CompileContext, type CompiledRule, type RuleDefinition } from './compile.ts';
import { RuleCompileError } from './errors.ts';

/** A rule row: what the store returns (extra fields such as `enabled` are ignored). */
export interface StoredRule {
  id: string;
  name: string;
  rule_type: string;
  conditions: unknown;
  severity: Severity;
  mitre_tactic: string | null;
  mitre_technique: string | null;
  cooldown_seconds?: number | null;
  /** As stored (validated on write; checked again here). */
  suppression?: unknown;
}

/** ZodError: map with zodDetails(error, conditions); RuleCompileError: use `.detail`. */
export type RuleProblem = z.ZodError | RuleCompileError;

export type ConditionsCheck<K extends RuleType> =
  | { ok: true; conditions: ConditionsByType[K] }
  | { ok: false; error: RuleProblem };

const isRuleType = (t: string): t is RuleType => (RULE_TYPES as readonly string[]).includes(t);

/**
 * The full check for a create or update: schema, then a trial compile, so what the API
 * accepts is exactly what the engine can run. Paths are relative to `conditions`.
 */
export function checkConditions<K extends RuleType>(ruleType: K, conditions: unknown, ctx?: CompileContext): ConditionsCheck<K> {
  const parsed = validateConditions(ruleType, conditions);
  if (!parsed.ok) return parsed;
  try {
    compileRule({
      id: '',
      name: '',
      rule_type: ruleType,
      conditions: parsed.value,
      severity: 'info',
      mitre_tactic: null,
      mitre_technique: null,
      cooldown_seconds: null,
    } as RuleDefinition, ctx);
  } catch (err) {
    if (err instanceof RuleCompileError) return { ok: false, error: err };
    throw err;
  }
  return { ok: true, conditions: parsed.value };
}

export type PreparedRule = { ok: true; rule: CompiledRule } | { ok: false; error: RuleProblem };

/** One stored rule -> compiled rule, or the reason it cannot run. */
export function prepareRule(stored: StoredRule, ctx?: CompileContext): PreparedRule {
  if (!isRuleType(stored.rule_type)) {
    return { ok: false, error: new RuleCompileError([], `Unknown rule_type '${stored.rule_type}'; valid: ${RULE_TYPES.join(', ')}`) };
  }
  const parsed = validateConditions(stored.rule_type, stored.conditions);
  if (!parsed.ok) return parsed;
  try {
    const suppression = stored.suppression === undefined || stored.suppression === null ? null : SuppressionSchema.safeParse(stored.suppression);
    if (suppression !== null && !suppression.success) return { ok: false, error: suppression.error };
    const def = {
      id: stored.id,
      name: stored.name,
      rule_type: stored.rule_type,
      conditions: parsed.value,
      severity: stored.severity,
      mitre_tactic: stored.mitre_tactic,
      mitre_technique: stored.mitre_technique,
      cooldown_seconds: stored.cooldown_seconds ?? null,
      suppression: suppression?.data ?? null,
    } as RuleDefinition;
    return { ok: true, rule: compileRule(def, ctx) };
  } catch (err) {
    if (err instanceof RuleCompileError) return { ok: false, error: err };
    throw err;
  }
}

export interface RuleLoadFailure {
  ruleId: string;
  ruleName: string;
  /** One line per problem, `path: message`, for logs. */
  message: string;
  error: RuleProblem;
}

export function describeProblem(error: RuleProblem): string {
  if (error instanceof RuleCompileError) return error.message;
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** Compiles every rule it can; the others are reported, never thrown (one bad rule stops nothing). */
export function loadRules(stored: readonly StoredRule[], ctx?: CompileContext): { rules: CompiledRule[]; failures: RuleLoadFailure[] } {
  const rules: CompiledRule[] = [];
  const failures: RuleLoadFailure[] = [];
  for (const row of stored) {
    const prepared = prepareRule(row, ctx);
    if (prepared.ok) rules.push(prepared.rule);
    else failures.push({ ruleId: row.id, ruleName: row.name, message: describeProblem(prepared.error), error: prepared.error });
  }
  return { rules, failures };
}
