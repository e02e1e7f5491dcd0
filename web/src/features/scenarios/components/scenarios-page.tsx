// Attack replay: the playbook catalogue, the active runs (polled while any is active)
// and the recent finished runs.
import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useAvailable } from '../api/available.ts';
import { recentKey, useRecent } from '../api/recent.ts';
import { useRunning } from '../api/running.ts';
import { SPEED_PRESETS, PlaybookCard } from './playbook-card.tsx';
import { ActiveRuns, RecentRuns } from './runs-table.tsx';

export default function ScenariosPage() {
  const qc = useQueryClient();
  const available = useAvailable();
  const running = useRunning();
  const recent = useRecent();

  // A run that left the active list has finished: show it among the recent ones.
  const activeIds = useRef<Set<string>>(new Set());
  useEffect(() => {
    const ids = new Set((running.data ?? []).map((r) => r.id));
    if ([...activeIds.current].some((id) => !ids.has(id))) void qc.invalidateQueries({ queryKey: recentKey });
    activeIds.current = ids;
  }, [running.data, qc]);

  return (
    <div className="page">
      <header className="page-head"><h1>Scenarios</h1></header>
      <datalist id="speed-presets">{SPEED_PRESETS.map((s) => <option key={s} value={s} />)}</datalist>
      <section aria-labelledby="running-title" className="card panel">
        <header className="panel-head"><h2 id="running-title">Running</h2></header>
        {running.isPending ? <Loading /> : running.error && !running.data ? <ErrorState error={running.error} onRetry={() => void running.refetch()} /> :
          running.data?.length ? <ActiveRuns runs={running.data} /> : <Empty>No scenario is running. Start one below.</Empty>}
      </section>
      <section aria-labelledby="playbooks-title">
        <h2 id="playbooks-title" className="section-title">Playbooks</h2>
        {available.isPending ? <Loading label="Loading playbooks…" /> : available.error && !available.data ? <ErrorState error={available.error} onRetry={() => void available.refetch()} /> :
          available.data?.length ? (
            <div className="playbook-grid">{available.data.map((p) => <PlaybookCard key={p.filename} playbook={p} />)}</div>
          ) : <Empty>No playbooks in the playbook folder.</Empty>}
      </section>
      <section aria-labelledby="recent-title" className="card panel">
        <header className="panel-head"><h2 id="recent-title">Recent runs</h2></header>
        {recent.isPending ? <Loading /> : recent.error && !recent.data ? <ErrorState error={recent.error} onRetry={() => void recent.refetch()} /> :
          recent.data?.length ? <RecentRuns runs={recent.data} /> : <Empty>No finished runs yet.</Empty>}
      </section>
    </div>
  );
}
