// The Cluster page and its data mapping: partition health from owner and lag, owner labels
// and colours by process, owned partitions as ranges, capped lag as "N+"; the page lists
// the processes (this one marked, the dead one dimmed) and the 16 partitions, says so when
// no process registered, and tells a non-admin why it cannot see it.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import type { ClusterPartition, ClusterView } from '@siem/contracts';
import { RequireAdmin } from '../../src/app/guards.tsx';
import ClusterPage from '../../src/features/cluster/components/cluster-page.tsx';
import {
  formatLagEvents, formatPartitionSet, formatSeconds, partitionHealth, partitionTiles, summarize,
} from '../../src/features/cluster/utils/cluster-view.ts';
import { useSession } from '../../src/lib/session.ts';
import { USER, renderWithApp, stubFetch } from './helpers.tsx';

const now = new Date().toISOString();
const part = (partition: number, over: Partial<ClusterPartition> = {}): ClusterPartition => ({
  partition, owner: 'a-1-aaaaaa', owner_alive: true, epoch: 1, high_water: now, checkpoint_at: now, heartbeat_at: now,
  lag_events: 0, lag_seconds: 0, lag_capped: false, ...over,
});
const member = (consumer: string, over: Record<string, unknown> = {}) => ({
  consumer, host: 'node-a', pid: 101, started_at: now, heartbeat_at: now, heartbeat_age_seconds: 0.4, alive: true,
  state: 'running' as const, partitions: [] as number[], this_process: false, ...over,
});
const VIEW: ClusterView = {
  checked_at: now, partitions_total: 16, store: 'postgres', bus: 'redis', this_process: 'a-1-aaaaaa', member_ttl_seconds: 5, lag_count_max: 100_000,
  members: [
    member('a-1-aaaaaa', { partitions: [0, 1, 2, 3, 4, 5, 6, 7], this_process: true }),
    member('b-2-bbbbbb', { host: 'node-b', pid: 202, partitions: [8, 9, 10, 11, 12, 13, 14], state: 'replaying' }),
    member('c-3-cccccc', { host: 'node-c', pid: 303, alive: false, heartbeat_age_seconds: 42, partitions: [15] }),
  ],
  partitions: Array.from({ length: 16 }, (_, i) =>
    i < 8 ? part(i) : i < 15 ? part(i, { owner: 'b-2-bbbbbb', lag_events: 100_000, lag_capped: true, lag_seconds: 95 })
      : part(i, { owner: 'c-3-cccccc', owner_alive: false, lag_events: 12, lag_seconds: 3 })),
};

describe('cluster view mapping', () => {
  it('rates a partition: unclaimed without owner, orphaned with a dead owner, behind when capped or waiting, else ok', () => {
    expect(partitionHealth(part(0, { owner: null, owner_alive: false }))).toBe('unclaimed');
    expect(partitionHealth(part(0, { owner_alive: false }))).toBe('orphaned');
    expect(partitionHealth(part(0, { lag_capped: true, lag_events: 100_000 }))).toBe('behind');
    expect(partitionHealth(part(0, { lag_seconds: 11 }))).toBe('behind');
    expect(partitionHealth(part(0, { lag_events: 50, lag_seconds: 2 }))).toBe('ok');
  });

  it('labels owners by host and pid with the colour of their row; an unregistered owner keeps its name', () => {
    const tiles = partitionTiles({ ...VIEW, partitions: [part(0), part(1, { owner: 'b-2-bbbbbb' }), part(2, { owner: 'ghost', owner_alive: false }), part(3, { owner: null })] });
    expect(tiles.map((t) => t.ownerLabel)).toEqual([
      { label: 'node-a · 101', colour: 0, thisProcess: true },
      { label: 'node-b · 202', colour: 1, thisProcess: false },
      { label: 'ghost', colour: null, thisProcess: false },
      null,
    ]);
  });

  it('summarizes live processes, served partitions and the worst lag', () => {
    expect(summarize(VIEW)).toEqual({ membersAlive: 2, membersTotal: 3, partitionsServed: 15, maxLagEvents: 100_000, anyCapped: true, maxLagSeconds: 95 });
  });

  it('formats partition sets as ranges, seconds readably and a capped lag with a plus', () => {
    expect(formatPartitionSet([5, 0, 1, 2, 3, 9, 10])).toBe('0–3, 5, 9–10');
    expect(formatPartitionSet([])).toBe('none');
    expect(formatSeconds(0.44)).toBe('0.4 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(185)).toBe('3 min 5 s');
    expect(formatSeconds(7800)).toBe('2 h 10 min');
    expect(formatLagEvents({ lag_events: 100_000, lag_capped: true })).toBe(`${(100_000).toLocaleString()}+`);
    expect(formatLagEvents({ lag_events: 7, lag_capped: false })).toBe('7');
  });
});

const page = (
  <Routes>
    <Route path="/cluster" element={<RequireAdmin what="Cluster"><ClusterPage /></RequireAdmin>} />
  </Routes>
);

describe('cluster page', () => {
  it('lists the processes (this one marked, the dead one dead) and the 16 partitions with owner and lag', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'admin' });
    const calls = stubFetch(() => [200, VIEW]);
    renderWithApp(page, { route: '/cluster' });
    const mine = await screen.findByTestId('member-a-1-aaaaaa');
    expect(calls[0]!.url).toBe('/api/v1/cluster');
    expect(mine.textContent).toContain('this process');
    expect(mine.textContent).toContain('0–7');
    expect(mine.textContent).toContain('Alive');
    const dead = screen.getByTestId('member-c-3-cccccc');
    expect(dead.textContent).toContain('Dead');
    expect(dead.textContent).toContain('42 s ago');
    expect(screen.getByTestId('member-b-2-bbbbbb').textContent).toContain('replaying');
    const grid = screen.getByTestId('cluster-partitions');
    expect(within(grid).getAllByRole('listitem')).toHaveLength(16);
    expect(screen.getByTestId('partition-0').textContent).toContain('node-a · 101');
    expect(screen.getByTestId('partition-0').textContent).toContain('Up to date');
    expect(screen.getByTestId('lag-9').textContent).toContain('+');
    expect(screen.getByTestId('partition-9').textContent).toContain('Behind');
    expect(screen.getByTestId('partition-15').textContent).toContain('Owner gone');
    expect(screen.getByTestId('cluster-summary').textContent).toContain('2 / 3');
    expect(screen.getByText(/PostgreSQL server/)).toBeTruthy();
  });

  it('says when no process has registered, and still shows the partitions', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'admin' });
    stubFetch(() => [200, { ...VIEW, members: [], partitions: Array.from({ length: 16 }, (_, i) => part(i, { owner: null, owner_alive: false, checkpoint_at: null })) }]);
    renderWithApp(page, { route: '/cluster' });
    expect(await screen.findByText('No process has registered for correlation yet.')).toBeTruthy();
    expect(screen.getByTestId('partition-3').textContent).toContain('Unclaimed');
    expect(screen.getByTestId('partition-3').textContent).toContain('no checkpoint yet');
  });

  it('shows the error with a retry when the request fails', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'admin' });
    stubFetch(() => [500, { error: 'InternalServerError', message: 'Internal server error' }]);
    renderWithApp(page, { route: '/cluster' });
    expect(await screen.findByRole('button', { name: 'Retry' }, { timeout: 5000 })).toBeTruthy();
  });

  it('tells a non-admin the page needs the admin role, without asking the server', async () => {
    useSession.getState().signIn('jwt', { ...USER, role: 'engineer' });
    const calls = stubFetch(() => [200, VIEW]);
    renderWithApp(page, { route: '/cluster' });
    expect((await screen.findByTestId('forbidden')).textContent).toContain('admin role');
    expect(calls).toHaveLength(0);
  });
});
