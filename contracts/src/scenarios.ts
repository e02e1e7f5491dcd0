// Scenario (attack replay) shapes: the playbook catalogue entry (plus whether the
// file is valid and why not), the run (7.9, plus progress) and the start / speed bodies (8.7),
// whose speed bounds come from the server's config.
import { z } from 'zod';
import { IdSchema, lenientNumber } from './common.ts';

export const RUN_STATUSES = ['running', 'paused', 'completed', 'stopped', 'error'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** The defaults of SCENARIO_MIN_SPEED / SCENARIO_MAX_SPEED. */
export const DEFAULT_MIN_SPEED = 0.1;
export const DEFAULT_MAX_SPEED = 10;

/**
 * One located problem of a playbook file. `event_index` is 0-based in `events`, `field` the
 * key inside that event (or the top-level key), `line` 1-based in the file when known.
 */
export const PlaybookErrorSchema = z.object({
  file: z.string(),
  event_index: z.number().int().optional(),
  field: z.string().optional(),
  line: z.number().int().optional(),
  message: z.string(),
});
export type PlaybookError = z.infer<typeof PlaybookErrorSchema>;

/**
 * GET /v1/scenarios/available item. `valid` and `errors` are additive: an invalid file is
 * still listed (reported, never crashing the listing) with one readable
 * message per problem, and starting it answers 422.
 */
export const PlaybookInfoSchema = z.object({
  filename: z.string(),
  name: z.string(),
  description: z.string(),
  mitre_tactics: z.array(z.string()),
  mitre_techniques: z.array(z.string()),
  event_count: z.number().int(),
  valid: z.boolean(),
  errors: z.array(z.string()).optional(),
});
export type PlaybookInfo = z.infer<typeof PlaybookInfoSchema>;

/** A scenario run plus `events_total` (the playbook's event count) and `progress` (0..1). */
export const ScenarioRunSchema = z.object({
  id: IdSchema,
  scenario_name: z.string(),
  status: RunStatusSchema,
  started_at: z.string(),
  completed_at: z.string().nullable(),
  events_generated: z.number().int(),
  events_total: z.number().int(),
  progress: z.number().min(0).max(1),
  speed: z.number(),
  error_message: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ScenarioRun = z.infer<typeof ScenarioRunSchema>;

const FILENAME_MAX = 255;

/**
 * POST /v1/scenarios/start. `speed` is additive (start at a chosen speed, default 1.0).
 * The filename is only checked for length here: whether it names a listed playbook is the
 * loader's call (404 otherwise).
 */
export function scenarioStartBody(minSpeed = DEFAULT_MIN_SPEED, maxSpeed = DEFAULT_MAX_SPEED) {
  return z.object({
    filename: z.string().min(1).max(FILENAME_MAX),
    speed: lenientNumber({ min: minSpeed, max: maxSpeed }).optional(),
  });
}
/** Alias of scenarioStartBody, the name routes use next to the response schemas. */
export const ScenarioStartSchema = scenarioStartBody;
export type ScenarioStart = z.output<ReturnType<typeof scenarioStartBody>>;

/** PUT /v1/scenarios/{run_id}/speed: `{"speed": number}` within the configured bounds. */
export function scenarioSpeedBody(minSpeed = DEFAULT_MIN_SPEED, maxSpeed = DEFAULT_MAX_SPEED) {
  return z.object({ speed: lenientNumber({ min: minSpeed, max: maxSpeed }) });
}
export type ScenarioSpeed = z.output<ReturnType<typeof scenarioSpeedBody>>;
