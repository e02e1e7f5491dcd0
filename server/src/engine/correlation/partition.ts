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
