// POST /v1/rules/import: Sigma rules in (files of YAML text, one text, or a raw YAML body),
// one result per YAML document out: created, updated in place (same Sigma id), unchanged,
// included in a correlation, or refused with the reason and where in the document.
import { z } from 'zod';
import { IdSchema, lenientBool } from './common.ts';

/** Bounds of one import: the YAML text in all (bytes), files, documents. */
export const RULE_IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxFiles: 2000, maxDocuments: 2000, maxFileNameLength: 500 } as const;

export const RuleImportFileSchema = z.object({
  name: z.string().min(1).max(RULE_IMPORT_LIMITS.maxFileNameLength),
  content: z.string(),
});

const flag = (fallback: boolean) =>
  lenientBool()
    .nullable()
    .optional()
    .transform((v) => v ?? fallback);

/** JSON body: `files` (several files) or `content` (one text); a raw YAML body becomes `{content}`. */
export const RuleImportRequestSchema = z
  .object({
    files: z.array(RuleImportFileSchema).min(1).max(RULE_IMPORT_LIMITS.maxFiles).optional(),
    content: z.string().optional(),
    /** The file name reported for `content` (default "request"). */
    name: z.string().min(1).max(RULE_IMPORT_LIMITS.maxFileNameLength).optional(),
    /** Whether new rules start enabled (default true); a rule updated in place keeps its own flag. */
    enabled: flag(true),
    /** Report what would happen, store nothing. */
    dry_run: flag(false),
  })
  .superRefine((body, ctx) => {
    if ((body.files === undefined) === (body.content === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Send either files: [{name, content}] or content: "<yaml>"', params: { type: 'missing' } });
    }
  });
export type RuleImportRequest = z.output<typeof RuleImportRequestSchema>;

/** Options of a raw YAML body, in the query string. */
export const RuleImportQuerySchema = z.object({ enabled: lenientBool().optional(), dry_run: lenientBool().optional() });

export const RULE_IMPORT_STATUSES = ['created', 'updated', 'unchanged', 'included', 'refused'] as const;

export const RuleImportItemSchema = z.object({
  file: z.string(),
  /** 1-based position of the YAML document in its file. */
  document: z.number().int(),
  title: z.string().nullable(),
  sigma_id: z.string().nullable(),
  /** included: a rule a correlation of the batch inlined (no rule of its own). */
  status: z.enum(RULE_IMPORT_STATUSES),
  rule_id: IdSchema.nullable(),
  rule_type: z.string().nullable(),
  /** Why it was refused (or included); null otherwise. */
  reason: z.string().nullable(),
  /** Where in the Sigma document the refusal points: a field (or condition, logsource...) and a modifier. */
  location: z.object({ field: z.string().optional(), modifier: z.string().optional() }).nullable(),
  warnings: z.array(z.string()),
});
export type RuleImportItem = z.infer<typeof RuleImportItemSchema>;

export const RuleImportResultSchema = z.object({
  dry_run: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  refused: z.number().int(),
  results: z.array(RuleImportItemSchema),
});
export type RuleImportResult = z.infer<typeof RuleImportResultSchema>;
