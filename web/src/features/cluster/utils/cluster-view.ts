// What the Cluster page shows, derived from GET /v1/cluster: a short label and a colour
// per process (so a partition tile names its owner at a glance), each partition's health,
// and the summary line. Pure, so the rules are unit-tested apart from the page.
import type { ClusterMember, ClusterPartition, ClusterView } from '@siem/contracts';

/** A partition whose oldest pending event waited longer than this is behind. */
export const BEHIND_AFTER_SECONDS = 10;
/** Distinct owner colours; more processes than this reuse them. */
export const OWNER_COLOURS = 8;

export type PartitionHealth = 'ok' | 'behind' | 'orphaned' | 'unclaimed';

export const HEALTH_LABEL: Record<PartitionHealth, string> = {
  ok: 'Up to date',
  behind: 'Behind',
  orphaned: 'Owner gone',
  unclaimed: 'Unclaimed',
};

export interface OwnerLabel {
  /** "host · pid", or the consumer name for an owner that is not registered. */
  label: string;
  /** 0 .. OWNER_COLOURS - 1, by the member's place in the list; null when not registered. */
  colour: number | null;
  thisProcess: boolean;
}

export interface PartitionTile extends ClusterPartition {
  health: PartitionHealth;
  ownerLabel: OwnerLabel | null;
}

export interface ClusterSummary {
  membersAlive: number;
  membersTotal: number;
  /** Partitions whose owner is a live process. */
  partitionsServed: number;
  /** Events the furthest-behind partition has left (every partition reads the same log). */
  maxLagEvents: number;
  anyCapped: boolean;
  /** The longest wait of an event, over all partitions. */
  maxLagSeconds: number;
}

export function partitionHealth(p: ClusterPartition): PartitionHealth {
  if (p.owner === null) return 'unclaimed';
  if (!p.owner_alive) return 'orphaned';
  if (p.lag_capped || p.lag_seconds > BEHIND_AFTER_SECONDS) return 'behind';
  return 'ok';
}

export function memberLabel(m: Pick<ClusterMember, 'host' | 'pid'>): string {
  return `${m.host} · ${m.pid}`;
}

export function ownerLabels(members: ClusterMember[]): Map<string, OwnerLabel> {
  return new Map(members.map((m, i) => [m.consumer, { label: memberLabel(m), colour: i % OWNER_COLOURS, thisProcess: m.this_process }]));
}

export function partitionTiles(view: ClusterView): PartitionTile[] {
  const owners = ownerLabels(view.members);
  return view.partitions.map((p) => ({
    ...p,
    health: partitionHealth(p),
    ownerLabel: p.owner === null ? null : owners.get(p.owner) ?? { label: p.owner, colour: null, thisProcess: p.owner === view.this_process },
  }));
}

export function summarize(view: ClusterView): ClusterSummary {
  return {
    membersAlive: view.members.filter((m) => m.alive).length,
    membersTotal: view.members.length,
    partitionsServed: view.partitions.filter((p) => p.owner_alive).length,
    maxLagEvents: Math.max(0, ...view.partitions.map((p) => p.lag_events)),
    anyCapped: view.partitions.some((p) => p.lag_capped),
    maxLagSeconds: Math.max(0, ...view.partitions.map((p) => p.lag_seconds)),
  };
}

/** "0.4 s", "12 s", "3 min 5 s", "2 h 10 min". */
export function formatSeconds(s: number): string {
  if (s < 10) return `${(Math.round(s * 10) / 10).toLocaleString()} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Lag in events; a capped figure reads as "100,000+". */
export function formatLagEvents(p: Pick<ClusterPartition, 'lag_events' | 'lag_capped'>): string {
  return `${p.lag_events.toLocaleString()}${p.lag_capped ? '+' : ''}`;
}

/** Owned partitions as ranges: [0, 1, 2, 3, 5] -> "0–3, 5"; none -> "none". */
export function formatPartitionSet(partitions: number[]): string {
  const sorted = [...new Set(partitions)].sort((a, b) => a - b);
  if (sorted.length === 0) return 'none';
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(', ');
}
