// The cluster view for admins: which processes share correlation, which are alive, which
// partitions each owns and how far each partition trails the stored events. Liveness and
// ages are measured with the store's clock, the one that stamped the heartbeats.
import { CLUSTER_MEMBER_STATES } from '@siem/contracts';
import type { ClusterMember, ClusterMemberState, ClusterPartition, ClusterView } from '@siem/contracts';
import type { ClusterRepo } from '../store/cluster-repo.ts';
import { MEMBER_TTL_MS } from './correlation-membership.ts';

/** A member whose heartbeat is older than this is dead; its partitions go to the live ones. */
export const CLUSTER_MEMBER_TTL_MS = MEMBER_TTL_MS;
/** Dead members are kept this long for the view, then pruneDeadMembers() removes them. */
export const CLUSTER_MEMBER_PRUNE_AFTER_MS = 60 * 60 * 1000;
/** Lag is counted up to this many events per partition; past it the view says "capped". */
export const CLUSTER_LAG_COUNT_MAX = 100_000;
/** Members listed at most (the most recently seen): dead ones pile up between prunes. */
export const CLUSTER_MEMBERS_MAX = 256;

export interface ClusterServiceDeps {
  repo: Pick<ClusterRepo, 'members' | 'partitions' | 'pruneMembers'>;
  store: ClusterView['store'];
  bus: ClusterView['bus'];
  /** Consumer name of this process. */
  consumer: string;
  partitions: number;
  memberTtlMs?: number;
  lagCountMax?: number;
  membersMax?: number;
}

const iso = (t: number): string => new Date(t).toISOString();
const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t));
const STATES: ReadonlySet<string> = new Set(CLUSTER_MEMBER_STATES);
// The members table is written by our own processes with these states only; an unknown one
// (a newer version during a rolling upgrade) reads as 'starting' rather than failing the view.
const toState = (s: string): ClusterMemberState => (STATES.has(s) ? (s as ClusterMemberState) : 'starting');

export function createClusterService(deps: ClusterServiceDeps) {
  const ttlMs = deps.memberTtlMs ?? CLUSTER_MEMBER_TTL_MS;
  const countMax = deps.lagCountMax ?? CLUSTER_LAG_COUNT_MAX;
  const membersMax = deps.membersMax ?? CLUSTER_MEMBERS_MAX;
  // Several open admin pages polling at once share one read: the lag walk is the costly part.
  let inFlight: Promise<ClusterView> | null = null;

  async function read(): Promise<ClusterView> {
    const [{ nowMs, members: rows }, parts] = await Promise.all([
      deps.repo.members(membersMax),
      deps.repo.partitions(deps.partitions, countMax),
    ]);
    const members: ClusterMember[] = rows
      .map((m) => ({
        consumer: m.consumer,
        host: m.host,
        pid: m.pid,
        started_at: iso(m.startedMs),
        heartbeat_at: iso(m.heartbeatMs),
        heartbeat_age_seconds: Math.max(0, (nowMs - m.heartbeatMs) / 1000),
        alive: nowMs - m.heartbeatMs < ttlMs,
        state: toState(m.state),
        partitions: m.partitions,
        this_process: m.consumer === deps.consumer,
        startedMs: m.startedMs,
      }))
      .sort((a, b) => a.startedMs - b.startedMs || a.consumer.localeCompare(b.consumer))
      .map(({ startedMs: _, ...m }) => m);
    const alive = new Set(members.filter((m) => m.alive).map((m) => m.consumer));
    const partitions: ClusterPartition[] = parts.map((p) => ({
      partition: p.partition,
      owner: p.owner,
      owner_alive: p.owner !== null && alive.has(p.owner),
      epoch: p.epoch,
      high_water: isoOrNull(p.highWaterMs),
      checkpoint_at: isoOrNull(p.advancedMs),
      heartbeat_at: isoOrNull(p.heartbeatMs),
      lag_events: Math.min(p.lagEvents, countMax),
      lag_seconds: p.oldestPendingMs === null ? 0 : Math.max(0, (nowMs - p.oldestPendingMs) / 1000),
      lag_capped: p.lagEvents > countMax,
    }));
    return {
      checked_at: iso(nowMs),
      partitions_total: deps.partitions,
      store: deps.store,
      bus: deps.bus,
      this_process: deps.consumer,
      member_ttl_seconds: ttlMs / 1000,
      lag_count_max: countMax,
      members,
      partitions,
    };
  }

  return {
    view(): Promise<ClusterView> {
      inFlight ??= read().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },

    /** Removes members dead for longer than `olderThanMs` (default one hour); returns how many. */
    pruneDeadMembers(olderThanMs = CLUSTER_MEMBER_PRUNE_AFTER_MS): Promise<number> {
      return deps.repo.pruneMembers(Math.max(olderThanMs, ttlMs));
    },
  };
}
export type ClusterService = ReturnType<typeof createClusterService>;
