// The processes taking part in correlation (table correlation_members), as they write
// themselves: each one's heartbeat, the partitions it owns and what it is doing. Liveness
// is judged on the store's clock, which every process shares. The cluster view reads the
// table (and prunes it) through cluster-repo.ts.
import type { Queryable } from './db.ts';

export type MemberState = 'starting' | 'standby' | 'replaying' | 'running' | 'stopping';

export interface MemberBeat {
  consumer: string;
  host: string;
  pid: number;
  partitions: readonly number[];
  state: MemberState;
}

export function createMembersRepo(db: Queryable) {
  return {
    /** Records that `member` is alive now, with what it owns and does. */
    async beat(member: MemberBeat): Promise<void> {
      await db.query(
        `INSERT INTO correlation_members (consumer, host, pid, partitions, state) VALUES ($1, $2, $3, $4::int[], $5)
         ON CONFLICT (consumer) DO UPDATE SET heartbeat_at = now(), partitions = $4::int[], state = $5`,
        [member.consumer, member.host, member.pid, [...member.partitions], member.state],
      );
    },

    /** The members whose heartbeat is younger than `ttlMs`, by name. */
    async alive(ttlMs: number): Promise<string[]> {
      const { rows } = await db.query<{ consumer: string }>(
        `SELECT consumer FROM correlation_members WHERE heartbeat_at > now() - make_interval(secs => $1::double precision / 1000)
         ORDER BY consumer`,
        [ttlMs],
      );
      return rows.map((r) => r.consumer);
    },

    /** A member leaving on purpose: the others need not wait for its heartbeat to age. */
    async remove(consumer: string): Promise<void> {
      await db.query('DELETE FROM correlation_members WHERE consumer = $1', [consumer]);
    },
  };
}
export type MembersRepo = ReturnType<typeof createMembersRepo>;
