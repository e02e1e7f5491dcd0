// Which correlation partitions this process should own. Every process taking part says
// it is alive in the store about every second, and from the live members and the current
// owners computes the same assignment (assignPartitions): an equal share each, partitions
// staying where they are when they can. A partition owned by a live member waits for that
// member to give it up (it sees the same assignment); one whose owner died (no heartbeat
// for ttlMs) or was released is free. Ownership itself is the checkpoint's epoch
// (correlation-repo): a process that claims wrongly only fences the other one out, which
// then starts over from its checkpoints; nothing is lost or doubled either way.
import type { Logger } from 'pino';
import { assignPartitions } from '../engine/correlation/partition.ts';
import type { CorrelationRepo } from '../store/correlation-repo.ts';
import type { MembersRepo, MemberState } from '../store/members-repo.ts';

/** A member silent for this long is gone: its partitions are taken over. */
export const MEMBER_TTL_MS = 5000;
/** How often a member says it is alive and looks at the others. */
export const MEMBER_BEAT_MS = 1000;
/** Members silent for this long are forgotten (the cluster view lists the others as gone). */
const MEMBER_FORGET_MS = 3_600_000;
/** Heartbeats between two prunings of forgotten members. */
const PRUNE_EVERY_TICKS = 60;

export interface MembershipDeps {
  members: MembersRepo;
  /** Forgets members silent for longer than the given ms (the cluster view lists the rest). */
  pruneMembers?: (olderThanMs: number) => Promise<number>;
  correlation: CorrelationRepo;
  consumer: string;
  host: string;
  pid: number;
  log: Logger;
  ttlMs?: number;
  beatMs?: number;
}

const sameSet = (a: ReadonlySet<number>, b: ReadonlySet<number>): boolean => a.size === b.size && [...a].every((p) => b.has(p));

export function createMembership(deps: MembershipDeps) {
  const { members, correlation, consumer, log } = deps;
  const ttlMs = deps.ttlMs ?? MEMBER_TTL_MS;
  const beatMs = deps.beatMs ?? MEMBER_BEAT_MS;
  let owned: number[] = [];
  let state: MemberState = 'starting';
  let wanted = new Set<number>();
  let version = 0;
  let ticked = false;
  let failures = 0;
  let ticks = 0;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let waiters: (() => void)[] = [];
  const notify = () => {
    const list = waiters;
    waiters = [];
    for (const w of list) w();
  };

  async function tick(): Promise<void> {
    try {
      await members.beat({ consumer, host: deps.host, pid: deps.pid, partitions: owned, state });
      const alive = await members.alive(ttlMs);
      const checkpoints = await correlation.partitions();
      const live = new Set(alive);
      const owners = new Map(checkpoints.map((c) => [c.partition, c.owner !== null && live.has(c.owner) ? c.owner : null]));
      const assignment = assignPartitions(live.has(consumer) ? alive : [...alive, consumer], owners);
      const next = new Set<number>();
      for (const [p, member] of assignment) {
        const owner = owners.get(p) ?? null;
        if (member === consumer && (owner === null || owner === consumer)) next.add(p);
      }
      if (!sameSet(next, wanted)) {
        wanted = next;
        version++;
      }
      if (failures > 0) log.info('correlation membership works again');
      failures = 0;
      if (ticks++ % PRUNE_EVERY_TICKS === 0) await deps.pruneMembers?.(MEMBER_FORGET_MS);
    } catch (err) {
      // Without a view of the others, keep what is owned: the epochs still guard it.
      if (failures++ === 0) log.warn({ err }, 'correlation membership could not reach the store; retrying');
    } finally {
      ticked = true;
      notify();
    }
  }

  const runTick = (): Promise<void> => (ticking ??= tick().finally(() => (ticking = null)));

  return {
    start(): void {
      if (timer) return;
      void runTick();
      timer = setInterval(() => void runTick(), beatMs);
      timer.unref();
    },

    /** The partitions this process should own now, and a version that changes with them. */
    target(): { wanted: ReadonlySet<number>; version: number } {
      return { wanted, version };
    },

    /** Resolves after the next look at the others (or after `timeoutMs`). */
    async changed(timeoutMs: number): Promise<void> {
      if (!ticked) await runTick();
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },

    /** What this process owns and does, told to the others with the next heartbeat. */
    report(partitions: readonly number[], next: MemberState): void {
      owned = [...partitions].sort((a, b) => a - b);
      state = next;
    },

    /** Leaves: no more heartbeats, and the others may take over without waiting. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await ticking;
      notify();
      await members.remove(consumer).catch((err: unknown) => log.warn({ err }, 'could not leave the correlation members'));
    },
  };
}
export type Membership = ReturnType<typeof createMembership>;
