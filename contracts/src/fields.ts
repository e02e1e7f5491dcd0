// GET /v1/fields: the field names rules can name, as seen in stored events (a sample of
// the newest ones) plus the fixed event columns, for the rule editor's field picker and
// the "unknown field" warnings on rule save.
import { z } from 'zod';
import { lenientInt, optionalFilter } from './common.ts';

/** Where a field lives: an event column, `normalized.<key>`, or a parsed field (`fields` document). */
export const FIELD_ORIGINS = ['column', 'normalized', 'field'] as const;
export const FieldOriginSchema = z.enum(FIELD_ORIGINS);
export type FieldOrigin = z.infer<typeof FieldOriginSchema>;

/** JSON types a field's values had in the sample (`string`, `number`, `boolean`, `array`, `object`). */
export const FieldInfoSchema = z.object({
  name: z.string(),
  origin: FieldOriginSchema,
  /** Events of the sample that carry it (0 for a column never set in the sample). */
  count: z.number().int(),
  types: z.array(z.string()),
  /** One value seen, as text, cut to 200 characters; null when none was seen. */
  example: z.string().nullable(),
});
export type FieldInfo = z.infer<typeof FieldInfoSchema>;

export const FIELDS_LIMITS = { maxLimit: 2000, defaultLimit: 500, sampleEvents: 5000, exampleChars: 200 } as const;

export const fieldsQuery = z.object({
  source_type: optionalFilter,
  limit: lenientInt({ min: 1, max: FIELDS_LIMITS.maxLimit, source: 'query' }).optional().default(FIELDS_LIMITS.defaultLimit),
});
export type FieldsQuery = z.output<typeof fieldsQuery>;
