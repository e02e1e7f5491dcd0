// GET /v1/coverage: MITRE ATT&CK techniques covered by the rules (enabled or not) and the
// alerts raised for each in a period, for the coverage matrix.
import { z } from 'zod';
import { IdSchema, lenientInt } from './common.ts';

export const COVERAGE_LIMITS = { minHours: 1, maxHours: 720, defaultHours: 24 } as const;

export const coverageQuery = z.object({
  hours: lenientInt({ min: COVERAGE_LIMITS.minHours, max: COVERAGE_LIMITS.maxHours, source: 'query' }).optional().default(COVERAGE_LIMITS.defaultHours),
});
export type CoverageQuery = z.output<typeof coverageQuery>;

export const CoverageRuleSchema = z.object({
  id: IdSchema,
  name: z.string(),
  enabled: z.boolean(),
  rule_type: z.string(),
});
export type CoverageRule = z.infer<typeof CoverageRuleSchema>;

export const CoverageTechniqueSchema = z.object({
  /** T1110 or T1110.001. */
  technique: z.string(),
  /** The tactic a rule names with it (TA0006), or null when none does. */
  tactic: z.string().nullable(),
  rules: z.array(CoverageRuleSchema),
  enabled_rules: z.number().int(),
  /** Alerts created in the period whose technique this is. */
  alerts: z.number().int(),
});
export type CoverageTechnique = z.infer<typeof CoverageTechniqueSchema>;

export const CoverageSchema = z.object({
  from: z.string(),
  to: z.string(),
  techniques: z.array(CoverageTechniqueSchema),
});
export type Coverage = z.infer<typeof CoverageSchema>;
