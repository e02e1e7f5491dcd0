// Cluster (admins): the processes that share correlation, alive or dead, and the
// partitions each owns with how far it trails the stored events. Refreshed every 3 s.
import { useEffect, useMemo, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { formatTime } from '../../../lib/format.ts';
import { useCluster } from '../api/cluster.ts';
import { formatSeconds, partitionTiles, summarize } from '../utils/cluster-view.ts';
import type { ClusterSummary } from '../utils/cluster-view.ts';
import { MembersTable } from './members-table.tsx';
import { PartitionGrid } from './partition-grid.tsx';
import './cluster.css';

/** The current time, ticking with each refresh so "started 5m ago" stays true between polls. */
function useNow(tick: unknown): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [tick]);
  return now;
}

function SummaryCards({ s, total }: { s: ClusterSummary; total: number }) {
  const cards = [
    { label: 'Processes alive', value: `${s.membersAlive} / ${s.membersTotal}`, tone: s.membersTotal > 0 && s.membersAlive === 0 ? 'crit' : '' },
    { label: 'Partitions served', value: `${s.partitionsServed} / ${total}`, tone: s.partitionsServed < total ? 'warn' : '' },
    { label: 'Largest lag', value: `${s.maxLagEvents.toLocaleString()}${s.anyCapped ? '+' : ''}`, tone: s.anyCapped ? 'warn' : '', unit: s.maxLagEvents === 1 && !s.anyCapped ? 'event' : 'events' },
    { label: 'Longest wait', value: formatSeconds(s.maxLagSeconds), tone: '' },
  ];
  return (
    <div className="stat-cards" data-testid="cluster-summary">
      {cards.map((c) => (
        <div key={c.label} className={`card stat-card ${c.tone}`}>
          <span className="stat-label">{c.label}</span>
          <span className="stat-value">{c.value}{c.unit && <span className="stat-unit"> {c.unit}</span>}</span>
        </div>
      ))}
    </div>
  );
}

export default function ClusterPage() {
  const { data, error, isPending, refetch, dataUpdatedAt } = useCluster();
  const now = useNow(dataUpdatedAt);
  const tiles = useMemo(() => (data ? partitionTiles(data) : []), [data]);
  const summary = useMemo(() => (data ? summarize(data) : null), [data]);
  return (
    <div className="page">
      <header className="page-head">
        <h1>Cluster</h1>
        <span className="muted small" role="status" aria-live="off">
          {dataUpdatedAt ? `Updated ${formatTime(dataUpdatedAt)}, refreshes every 3 s` : 'Refreshes every 3 s'}
        </span>
      </header>
      {isPending ? <Loading label="Loading the cluster…" /> : !data || !summary ? (
        isApiError(error) && error.status === 403
          ? <ErrorState error={error} title="Admins only" />
          : <ErrorState error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          {error ? <div className="notice" role="status">The last refresh failed; showing the figures of {formatTime(dataUpdatedAt)}.</div> : null}
          <p className="muted cluster-intro">
            Correlation is split into {data.partitions_total} partitions, each owned by one live process. A process whose
            heartbeat is older than {data.member_ttl_seconds} s counts as dead and the others take its partitions over.
            Store: <strong>{data.store === 'postgres' ? 'PostgreSQL server' : 'embedded PGlite'}</strong>, bus: <strong>{data.bus === 'redis' ? 'Redis' : 'in-process'}</strong>.
          </p>
          <SummaryCards s={summary} total={data.partitions_total} />
          <section className="card panel" aria-labelledby="members-title">
            <header className="panel-head">
              <h2 id="members-title">Processes</h2>
              <span className="muted small">this process: <span className="mono">{data.this_process}</span></span>
            </header>
            {data.members.length === 0 ? (
              <Empty>
                <strong>No process has registered for correlation yet.</strong>
                <span>Processes register when they start correlating; one started with correlation turned off does not appear.</span>
              </Empty>
            ) : <MembersTable members={data.members} now={now} />}
          </section>
          <section className="card panel" aria-labelledby="partitions-title">
            <header className="panel-head">
              <h2 id="partitions-title">Partitions</h2>
              <span className="muted small">lag = stored events after the partition's checkpoint (counted up to {data.lag_count_max.toLocaleString()})</span>
            </header>
            <PartitionGrid tiles={tiles} />
          </section>
        </>
      )}
    </div>
  );
}
