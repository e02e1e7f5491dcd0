// The analyst's search tools over the log filter set of GET /v1/logs: export (CSV, NDJSON),
// a histogram of matches over time, field statistics of the newest matches, and saved
// searches. Every query here takes exactly the filters GET /v1/logs takes.
import { z } from 'zod';
import { FILTER_MAX, IdSchema, SeveritySchema, lenientBool, lenientInt } from './common.ts';
import { INDEXED_TEXT_MAX, logFilterQuery } from './logs.ts';

export const EXPORT_LIMITS = {
  defaultRows: 10_000,
  maxRows: 100_000,
  /** The export stops past this many bytes written, whatever the row limit. */
  maxBytes: 256 * 1024 * 1024,
  /** Parsed fields a CSV export may add as columns. */
  maxFields: 20,
} as const;
export const HISTOGRAM_LIMITS = { defaultBuckets: 60, maxBuckets: 200, defaultRangeMs: 86_400_000 } as const;
export const FIELD_STATS_LIMITS = {
  defaultSample: 10_000,
  maxSample: 50_000,
  defaultTop: 10,
  maxTop: 50,
  maxFields: 10,
  /** Values are cut to this many characters (grouped after the cut). */
  valueChars: 200,
  /** Fields listed at most by the coverage mode. */
  maxListed: 300,
} as const;
export const SAVED_SEARCH_LIMITS = { perUser: 200, nameMax: 120, descriptionMax: 1000, queryMax: 4000 } as const;

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Columns every CSV export has, in this order. */
export const CSV_COLUMNS = ['timestamp', 'severity', 'source_type', 'event_type', 'source_ip', 'dest_ip', 'hostname', 'username', 'message', 'id'] as const;

/** Event columns field statistics can count, besides parsed dotted fields. */
export const STAT_COLUMNS = [
  'source_type', 'severity', 'event_type', 'source_ip', 'dest_ip', 'source_port', 'dest_port',
  'hostname', 'username', 'mitre_tactic', 'mitre_technique', 'scenario_run_id',
] as const;
export type StatColumn = (typeof STAT_COLUMNS)[number];

/** A parsed field's name as events carry it (`source.ip`, `http.request.method`). */
export const FIELD_NAME = /^[A-Za-z0-9_@][A-Za-z0-9_.@-]{0,127}$/;

/** A comma-separated list of field names (repeated query parameters are not read: the first wins). */
function fieldList(max: number) {
  return z
    .string()
    .max(4096)
    .optional()
    .nullable()
    .transform((value, ctx) => {
      const names = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unique = [...new Set(names)];
      if (unique.length > max) {
        ctx.addIssue({ code: 'custom', message: `At most ${max} fields`, params: { type: 'too_long' } });
        return z.NEVER;
      }
      const bad = unique.find((n) => !FIELD_NAME.test(n));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `Not a field name: ${bad.slice(0, 130)}`, params: { type: 'value_error' } });
        return z.NEVER;
      }
      return unique;
    });
}

/** The filters of GET /v1/logs without its pagination. */
const filterOnly = () => logFilterQuery({ perPage: 1, maxPerPage: 1 }).omit({ page: true, per_page: true });

export const exportQuery = filterOnly().extend({
  format: ExportFormatSchema.describe('csv or ndjson'),
  limit: lenientInt({ min: 1, max: EXPORT_LIMITS.maxRows, source: 'query' }).optional().default(EXPORT_LIMITS.defaultRows),
  fields: fieldList(EXPORT_LIMITS.maxFields).describe('CSV only: parsed fields added as columns, comma-separated (source.port,http.request.method)'),
});
export type ExportQuery = z.output<typeof exportQuery>;

export const histogramQuery = filterOnly().extend({
  buckets: lenientInt({ min: 1, max: HISTOGRAM_LIMITS.maxBuckets, source: 'query' }).optional().default(HISTOGRAM_LIMITS.defaultBuckets),
  by_severity: lenientBool().optional().default(false),
});
export type HistogramQuery = z.output<typeof histogramQuery>;

export const HistogramBucketSchema = z.object({
  /** Start of the bucket (inclusive); it ends where the next starts. */
  start: z.string(),
  count: z.number().int(),
  /** Only with by_severity: the count of each severity present in the bucket. */
  by_severity: z.record(z.string(), z.number().int()).optional(),
});
export const HistogramSchema = z.object({
  since: z.string(),
  until: z.string(),
  /** Bucket width in milliseconds and as text (5m, 1h, 1d). */
  interval_ms: z.number().int(),
  interval: z.string(),
  total: z.number().int(),
  buckets: z.array(HistogramBucketSchema),
});
export type Histogram = z.infer<typeof HistogramSchema>;
export type HistogramBucket = z.infer<typeof HistogramBucketSchema>;

export const fieldStatsQuery = filterOnly().extend({
  field: fieldList(FIELD_STATS_LIMITS.maxFields).describe('Fields to count, comma-separated: event columns or parsed dotted fields. Absent: list the fields present in the sample'),
  sample: lenientInt({ min: 1, max: FIELD_STATS_LIMITS.maxSample, source: 'query' }).optional().default(FIELD_STATS_LIMITS.defaultSample),
  top: lenientInt({ min: 1, max: FIELD_STATS_LIMITS.maxTop, source: 'query' }).optional().default(FIELD_STATS_LIMITS.defaultTop),
});
export type FieldStatsQuery = z.output<typeof fieldStatsQuery>;

export const FieldTopValueSchema = z.object({
  /** As text, cut to 200 characters; JSON text for a number, boolean, array or object. */
  value: z.string(),
  count: z.number().int(),
  /** count / the sample's size. */
  share: z.number(),
});
export const FieldStatSchema = z.object({
  field: z.string(),
  kind: z.enum(['column', 'field']),
  /** Events of the sample that carry the field. */
  present: z.number().int(),
  /** Distinct values among them (after the cut to 200 characters). */
  distinct: z.number().int(),
  top: z.array(FieldTopValueSchema),
});
export const FieldCoverageSchema = z.object({
  field: z.string(),
  kind: z.enum(['column', 'field']),
  present: z.number().int(),
  /** present / the sample's size. */
  coverage: z.number(),
});
export const FieldStatsSchema = z.object({
  /** Always true: the figures describe the newest `sample_size` matches, not every match. */
  sampled: z.literal(true),
  sample_size: z.number().int(),
  /** The sample asked for (the `sample` parameter). */
  sample_limit: z.number().int(),
  /** With `field`: one entry per field asked for. */
  stats: z.array(FieldStatSchema),
  /** Without `field`: the fields present in the sample, most covered first. */
  fields: z.array(FieldCoverageSchema),
});
export type FieldStats = z.infer<typeof FieldStatsSchema>;
export type FieldStat = z.infer<typeof FieldStatSchema>;
export type FieldCoverage = z.infer<typeof FieldCoverageSchema>;

// ---- saved searches ---------------------------------------------------------------------

const filterText = z.string().min(1).max(INDEXED_TEXT_MAX);
const isoInstant = z.string().max(40).refine((v) => Number.isFinite(Date.parse(v)), 'Input should be an ISO 8601 date-time');

/** What a saved search keeps: the parameters GET /v1/logs takes, with a relative or absolute time range. */
export const SavedSearchParamsSchema = z.strictObject({
  /** The query text of the search bar, kept as typed. */
  query: z.string().max(SAVED_SEARCH_LIMITS.queryMax).optional(),
  /** The literal text search (GET /v1/logs/search `q`), when that was the search saved. */
  text: z.string().max(256).optional(),
  filters: z
    .strictObject({
      source_type: z.string().max(64).optional(),
      severity: SeveritySchema.optional(),
      event_type: filterText.optional(),
      source_ip: filterText.optional(),
      dest_ip: filterText.optional(),
      username: filterText.optional(),
      hostname: filterText.optional(),
      scenario_run_id: z.string().max(FILTER_MAX).optional(),
    })
    .optional()
    .default({}),
  range: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('relative'), seconds: z.number().int().min(1).max(366 * 86_400) }),
      z.strictObject({ type: z.literal('absolute'), since: isoInstant.optional(), until: isoInstant.optional() }),
    ])
    .optional(),
});
export type SavedSearchParams = z.infer<typeof SavedSearchParamsSchema>;

const nameText = z.string().trim().min(1).max(SAVED_SEARCH_LIMITS.nameMax);

export const SavedSearchCreateSchema = z.object({
  name: nameText,
  description: z.string().max(SAVED_SEARCH_LIMITS.descriptionMax).optional().default(''),
  params: SavedSearchParamsSchema,
  shared: lenientBool().optional().default(false),
});
export type SavedSearchCreate = z.output<typeof SavedSearchCreateSchema>;

export const SavedSearchUpdateSchema = z.object({
  name: nameText.optional(),
  description: z.string().max(SAVED_SEARCH_LIMITS.descriptionMax).optional(),
  params: SavedSearchParamsSchema.optional(),
  shared: lenientBool().optional(),
});
export type SavedSearchUpdate = z.output<typeof SavedSearchUpdateSchema>;

export const SavedSearchSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  params: SavedSearchParamsSchema,
  shared: z.boolean(),
  owner_id: z.string(),
  owner: z.string().nullable(),
  /** Whether the caller may change or delete it (its owner, or an admin). */
  editable: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SavedSearch = z.infer<typeof SavedSearchSchema>;
