// Which correlation partition a (rule, group) belongs to. The count is fixed: every
// process must agree on it, and the partitions' checkpoints are rows named after them.

/** Partitions the correlation work is split into (checkpoints 'correlation/0' ... '/15'). */
export const CORRELATION_PARTITIONS = 16;

/** Name of a partition's checkpoint row. */
export const partitionName = (p: number): string => `correlation/${p}`;

/** The partition of one (rule, group): FNV-1a over the rule id, a NUL, and the group key. */
export function partitionOf(ruleId: string, groupKey: string, partitions = CORRELATION_PARTITIONS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ruleId.length; i++) h = Math.imul(h ^ ruleId.charCodeAt(i), 0x01000193);
  h = Math.imul(h, 0x01000193); // the NUL separator
  for (let i = 0; i < groupKey.length; i++) h = Math.imul(h ^ groupKey.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/**
 * Who should own each partition, given the live members (any order) and the current
 * owners (null: free). Every member gets an equal share, give or take one (the first
 * members by name take the extra ones); a partition stays with its current owner while
 * that owner is live and within its share, so a member joining or leaving moves only the
 * partitions it must. Every process computes the same answer from the same inputs.
 */
export function assignPartitions(
  members: readonly string[],
  owners: ReadonlyMap<number, string | null>,
  partitions = CORRELATION_PARTITIONS,
): Map<number, string> {
  const sorted = [...new Set(members)].sort();
  const out = new Map<number, string>();
  if (sorted.length === 0) return out;
  const share = new Map<string, number>();
  const base = Math.floor(partitions / sorted.length);
  sorted.forEach((m, i) => share.set(m, base + (i < partitions % sorted.length ? 1 : 0)));
  const held = new Map<string, number>(sorted.map((m) => [m, 0]));
  for (let p = 0; p < partitions; p++) {
    const owner = owners.get(p) ?? null;
    if (owner === null || !share.has(owner) || held.get(owner)! >= share.get(owner)!) continue;
    out.set(p, owner);
    held.set(owner, held.get(owner)! + 1);
  }
  for (let p = 0; p < partitions; p++) {
    if (out.has(p)) continue;
    // The member furthest below its share (first by name on a tie).
    let best: string | null = null;
    for (const m of sorted) if (best === null || share.get(m)! - held.get(m)! > share.get(best)! - held.get(best)!) best = m;
    out.set(p, best!);
    held.set(best!, held.get(best!)! + 1);
  }
  return out;
}
