// The log search query language at the edge: its bounds, the located error the server
// answers with (so the web can underline the exact place), the validate answer and the
// "detection from a search" request. The language itself is parsed by the server's engine.
import { z } from 'zod';
import { SeveritySchema } from './common.ts';
import { RuleTypeSchema } from './rules.ts';

/** Every bound of one query: text length, nesting, terms, wildcards and length of one value. */
export const QUERY_LIMITS = {
  maxLength: 2000,
  maxDepth: 32,
  maxTerms: 100,
  maxWildcardsPerValue: 16,
  maxValueLength: 1024,
} as const;

/** A query parameter holding the language: absent, null or blank mean "no query". */
export const queryText = z
  .string()
  .max(QUERY_LIMITS.maxLength)
  .optional()
  .nullable()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? undefined : v))
  .describe('Search query language (docs/search.md): field:value, AND/OR/NOT, "phrases", wildcards, ranges, CIDR, exists');

/** Where a query is wrong: 0-based offset and length in the query text. */
export const QueryErrorSchema = z.object({
  message: z.string(),
  position: z.number().int(),
  length: z.number().int(),
  /** For an unknown field: the closest known field name, when one is close. */
  suggestion: z.string().optional(),
});
export type QueryError = z.infer<typeof QueryErrorSchema>;

/** The detail of a 422 QUERY_SYNTAX: an ErrorDetail plus where it is. */
export type QueryErrorDetail = { field: string; message: string; type: string; position: number; length: number; suggestion?: string };

export const QueryValidateBodySchema = z.object({ query: z.string().max(QUERY_LIMITS.maxLength * 4) });
export const QueryValidateAnswerSchema = z.object({
  valid: z.boolean(),
  /** The query rewritten in its canonical form (explicit AND/OR/NOT, quoted where needed); null when empty or invalid. */
  normalized: z.string().nullable(),
  /** The syntax tree (see docs/search.md); null when empty or invalid. */
  ast: z.unknown().nullable(),
  /** The fields the query names, canonical names. */
  fields: z.array(z.string()),
  error: QueryErrorSchema.nullable(),
});
export type QueryValidateAnswer = z.infer<typeof QueryValidateAnswerSchema>;

export const RuleFromQueryBodySchema = z.object({
  query: z.string().min(1).max(QUERY_LIMITS.maxLength),
  name: z.string().min(1).max(200).optional(),
  severity: SeveritySchema.optional(),
});
export type RuleFromQueryBody = z.infer<typeof RuleFromQueryBodySchema>;

/** A rule body ready for the editor (POST /v1/rules would accept it); never stored by from-query. */
export const RuleDraftBodySchema = z.object({
  name: z.string(),
  description: z.string(),
  rule_type: RuleTypeSchema,
  severity: SeveritySchema,
  enabled: z.boolean(),
  conditions: z.record(z.string(), z.unknown()),
  mitre_tactic: z.string().nullable(),
  mitre_technique: z.string().nullable(),
});
export type RuleDraftBody = z.infer<typeof RuleDraftBodySchema>;
