// Sources (GET /v1/sources): every input the server listens with, what arrives through
// them, and a sample of the lines no parser knew. An addition to the v1 contract.
import { z } from 'zod';

export const InputStateSchema = z.enum(['listening', 'off', 'error']);
export type InputState = z.infer<typeof InputStateSchema>;

export const InputSnapshotSchema = z.object({
  name: z.string(),
  kind: z.string(),
  state: InputStateSchema,
  /** host:port it listens on; null when off. */
  address: z.string().nullable(),
  /** Why it failed to start (state `error`). */
  error: z.string().nullable(),
  events_total: z.number().int(),
  /** Over the last completed seconds of a short sliding window. */
  events_per_second: z.number(),
  parse_failures_total: z.number().int(),
  bytes_total: z.number().int(),
  dropped_total: z.number().int(),
  /** Drop reason -> count (bad_frame, invalid_utf8, line_too_long, queue_full, ...). */
  dropped: z.record(z.string(), z.number().int()),
  connections: z.number().int(),
  last_seen: z.string().nullable(),
});
export type InputSnapshot = z.infer<typeof InputSnapshotSchema>;

export const SourcesSnapshotSchema = z.object({
  inputs: z.array(InputSnapshotSchema),
  top_hosts: z.array(z.object({ host: z.string(), events: z.number().int(), last_seen: z.string() })),
  top_formats: z.array(z.object({ format: z.string(), events: z.number().int() })),
  unparsed_samples: z.array(z.object({ input: z.string(), peer: z.string().nullable(), line: z.string(), at: z.string() })),
});
export type SourcesSnapshot = z.infer<typeof SourcesSnapshotSchema>;
