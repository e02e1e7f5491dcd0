// Threat-intel indicator lists: named sets of indicators (addresses, networks, domains, URLs,
// file hashes) filled by hand, by uploading a feed file (CSV, STIX 2.1, MISP) or from a
// watched local path, each indicator with its source, confidence and expiry. Events that
// match one are tagged at ingest (enrichment.ts names the fields) and raise an alert.
import { z } from 'zod';
import { IdSchema, lenientBool, lenientInt, paginationQuery } from './common.ts';
import { IndicatorTypeSchema, ThreatMatchSchema } from './enrichment.ts';

/**
 * `fields[INTEL_MATCH_LABEL_FIELD]`: "<list name>: <indicator>" of an event's strongest
 * match, one text the shipped indicator-match rule groups by, so its alert title names both.
 */
export const INTEL_MATCH_LABEL_FIELD = 'threat.indicator.match_label';

export const INTEL_FORMATS = ['csv', 'stix', 'misp'] as const;
export const IntelFormatSchema = z.enum(INTEL_FORMATS);
export type IntelFormat = z.infer<typeof IntelFormatSchema>;

/** How a list is filled: by hand and uploads (`manual`), or re-imported from a watched path. */
export const INTEL_FEED_KINDS = ['manual', 'watched'] as const;
export const IntelFeedKindSchema = z.enum(INTEL_FEED_KINDS);
export type IntelFeedKind = z.infer<typeof IntelFeedKindSchema>;

/** Bounds of the API (the server's INTEL_* settings may lower the import ones). */
export const INTEL_LIMITS = {
  maxLists: 500,
  maxNameLength: 64,
  maxDescription: 2_000,
  maxSource: 200,
  maxValueLength: 2_048,
  maxPathLength: 1_024,
  maxPerPage: 200,
} as const;

const ListNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/, 'A list name is 1 to 64 characters: letters, digits, space, "_", ".", ":" and "-", starting with a letter or digit');
const Confidence = lenientInt({ min: 0, max: 100, source: 'body' });
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => v ?? undefined);

/** The outcome of the last import of a list. */
export const ImportStatsSchema = z.object({
  at: z.string(),
  format: IntelFormatSchema,
  /** Indicators read from the file and stored (new or refreshed). */
  imported: z.number().int(),
  /** Entries of the file that were refused (first few in `errors`). */
  rejected: z.number().int(),
  /** Entries left out because the file held more than the import limit. */
  truncated: z.number().int(),
  duration_ms: z.number().int(),
  /** Located problems: `line 12: ...`, `objects[3]: ...`. At most 20. */
  errors: z.array(z.string()),
});
export type ImportStats = z.infer<typeof ImportStatsSchema>;

export const IndicatorListSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  source: z.string(),
  default_confidence: z.number().int(),
  feed_kind: IntelFeedKindSchema,
  /** Watched lists: the file or directory, under INTEL_WATCH_ROOT. */
  path: z.string().nullable(),
  /** Watched lists: the format of the files at the path. */
  format: IntelFormatSchema.nullable(),
  enabled: z.boolean(),
  indicator_count: z.number().int(),
  last_import: ImportStatsSchema.nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type IndicatorList = z.infer<typeof IndicatorListSchema>;

/** POST /v1/intel/lists. A watched list needs `path` and `format`. */
export const IndicatorListCreateSchema = z.object({
  name: ListNameSchema,
  description: optionalText(INTEL_LIMITS.maxDescription).transform((v) => v ?? ''),
  source: optionalText(INTEL_LIMITS.maxSource).transform((v) => v ?? ''),
  default_confidence: Confidence.nullable()
    .optional()
    .transform((v) => v ?? 50),
  feed_kind: IntelFeedKindSchema.nullable()
    .optional()
    .transform((v) => v ?? 'manual'),
  path: optionalText(INTEL_LIMITS.maxPathLength),
  format: IntelFormatSchema.nullable()
    .optional()
    .transform((v) => v ?? undefined),
  enabled: lenientBool()
    .nullable()
    .optional()
    .transform((v) => v ?? true),
});
export type IndicatorListCreate = z.infer<typeof IndicatorListCreateSchema>;
export type IndicatorListCreateRequest = z.input<typeof IndicatorListCreateSchema>;

/** PATCH /v1/intel/lists/{list_id}: absent or null = unchanged. The feed kind is fixed. */
export const IndicatorListUpdateSchema = z.object({
  name: ListNameSchema.nullable()
    .optional()
    .transform((v) => v ?? undefined),
  description: optionalText(INTEL_LIMITS.maxDescription),
  source: optionalText(INTEL_LIMITS.maxSource),
  default_confidence: Confidence.nullable()
    .optional()
    .transform((v) => v ?? undefined),
  path: optionalText(INTEL_LIMITS.maxPathLength),
  format: IntelFormatSchema.nullable()
    .optional()
    .transform((v) => v ?? undefined),
  enabled: lenientBool()
    .nullable()
    .optional()
    .transform((v) => v ?? undefined),
});
export type IndicatorListUpdate = z.infer<typeof IndicatorListUpdateSchema>;

export const IndicatorSchema = z.object({
  id: z.string(),
  list_id: IdSchema,
  type: IndicatorTypeSchema,
  value: z.string(),
  source: z.string().nullable(),
  confidence: z.number().int(),
  expires_at: z.string().nullable(),
  first_seen: z.string(),
  last_seen: z.string(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

/** POST /v1/intel/lists/{list_id}/indicators: one indicator; `type` inferred when absent. */
export const IndicatorCreateSchema = z.object({
  value: z.string().min(1).max(INTEL_LIMITS.maxValueLength),
  type: IndicatorTypeSchema.nullable()
    .optional()
    .transform((v) => v ?? undefined),
  source: optionalText(INTEL_LIMITS.maxSource),
  confidence: Confidence.nullable()
    .optional()
    .transform((v) => v ?? undefined),
  expires_at: z.iso
    .datetime({ offset: true, local: false })
    .nullable()
    .optional()
    .transform((v) => v ?? undefined),
});
export type IndicatorCreate = z.infer<typeof IndicatorCreateSchema>;
export type IndicatorCreateRequest = z.input<typeof IndicatorCreateSchema>;

export const IndicatorParamsSchema = z.object({ list_id: z.string(), indicator_id: z.string() });

/** GET /v1/intel/lists/{list_id}/indicators: pages, optional search on the value (prefix, case-insensitive) and type. */
export const IndicatorQuerySchema = z.object({
  ...paginationQuery({ perPage: 50, maxPerPage: INTEL_LIMITS.maxPerPage }),
  q: z
    .string()
    .max(INTEL_LIMITS.maxValueLength)
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim())),
  type: z
    .union([IndicatorTypeSchema, z.literal('')])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});

/** POST /v1/intel/lists/{list_id}/import?format=csv|stix|misp (the file is the raw body). */
export const IntelImportQuerySchema = z.object({ format: IntelFormatSchema });

/** GET /v1/intel/match?value=...: which loaded indicators a value hits (type inferred). */
export const IntelMatchQuerySchema = z.object({ value: z.string().min(1).max(INTEL_LIMITS.maxValueLength) });
export const IntelMatchResultSchema = z.object({
  value: z.string(),
  /** The type the value was read as, null when it is none of the indicator types. */
  type: IndicatorTypeSchema.nullable(),
  matches: z.array(ThreatMatchSchema),
});
export type IntelMatchResult = z.infer<typeof IntelMatchResultSchema>;

/** The matcher's state in this process. */
export const IntelStatusSchema = z.object({
  indicators: z.number().int(),
  lists: z.number().int(),
  built_at: z.string().nullable(),
  build_ms: z.number().int().nullable(),
  version: z.number().int(),
});
export type IntelStatus = z.infer<typeof IntelStatusSchema>;
