// The processes that share correlation and the partitions they own (GET /v1/cluster, admin
// only): who is alive, what each owns, and how far each partition's checkpoint trails the
// stored events. An addition to the v1 contract.
import { z } from 'zod';

export const CLUSTER_MEMBER_STATES = ['starting', 'standby', 'replaying', 'running', 'stopping'] as const;
export const ClusterMemberStateSchema = z.enum(CLUSTER_MEMBER_STATES);
export type ClusterMemberState = z.infer<typeof ClusterMemberStateSchema>;

export const ClusterMemberSchema = z.object({
  /** The process's consumer name (host, pid and a random suffix). */
  consumer: z.string(),
  host: z.string(),
  pid: z.number().int(),
  started_at: z.string(),
  heartbeat_at: z.string(),
  /** Seconds since its last heartbeat, by the store's clock. */
  heartbeat_age_seconds: z.number(),
  /** Its heartbeat is younger than member_ttl_seconds; a dead member's partitions go to the live ones. */
  alive: z.boolean(),
  state: ClusterMemberStateSchema,
  /** The partitions it says it owns, ascending. */
  partitions: z.array(z.number().int()),
  /** This is the process that answered. */
  this_process: z.boolean(),
});
export type ClusterMember = z.infer<typeof ClusterMemberSchema>;

export const ClusterPartitionSchema = z.object({
  partition: z.number().int(),
  /** Consumer name of the owner per the checkpoint; null when nobody has claimed it. */
  owner: z.string().nullable(),
  /** The owner is a member with a live heartbeat. */
  owner_alive: z.boolean(),
  /** Raised by every takeover; fences out a previous owner. */
  epoch: z.number().int(),
  /** Newest event time the partition had seen at its checkpoint; null before any. */
  high_water: z.string().nullable(),
  /** When the checkpoint last advanced; null when the partition has no checkpoint yet. */
  checkpoint_at: z.string().nullable(),
  /** The owner's last heartbeat on the checkpoint; null without a checkpoint. */
  heartbeat_at: z.string().nullable(),
  /** Stored events after the checkpoint, counted up to lag_count_max. */
  lag_events: z.number().int(),
  /** Age of the oldest of them (when it was stored); 0 when there is none. */
  lag_seconds: z.number(),
  /** More events than lag_count_max wait: lag_events is that bound, not the count. */
  lag_capped: z.boolean(),
});
export type ClusterPartition = z.infer<typeof ClusterPartitionSchema>;

export const ClusterViewSchema = z.object({
  /** When the figures were read, by the store's clock. */
  checked_at: z.string(),
  partitions_total: z.number().int(),
  store: z.enum(['pglite', 'postgres']),
  bus: z.enum(['memory', 'redis']),
  /** Consumer name of the process that answered. */
  this_process: z.string(),
  /** A member whose heartbeat is older than this is dead. */
  member_ttl_seconds: z.number(),
  /** The bound on lag_events. */
  lag_count_max: z.number().int(),
  /** Registered processes, the longest-running first (at most 256, the most recently seen). */
  members: z.array(ClusterMemberSchema),
  /** Every partition, 0 to partitions_total - 1. */
  partitions: z.array(ClusterPartitionSchema),
});
export type ClusterView = z.infer<typeof ClusterViewSchema>;
