// Sources: every input with its state and counters, the hosts and formats that report, and
// the lines no parser recognized. Refreshed every 5 s. Engineers and admins only (input
// addresses and raw lines); the route guard explains it to everyone else.
import { useEffect, useState } from 'react';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { formatTime } from '../../../lib/format.ts';
import { useSources } from '../api/sources.ts';
import { GettingStarted } from './getting-started.tsx';
import { InputsTable } from './inputs-table.tsx';
import { TopFormatsPanel, TopHostsPanel, UnparsedPanel } from './source-panels.tsx';

/** The current time, ticking with each refresh so "5s ago" stays true between polls. */
function useNow(tick: unknown): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [tick]);
  return now;
}

export default function SourcesPage() {
  const { data, error, isPending, refetch, dataUpdatedAt } = useSources();
  const now = useNow(dataUpdatedAt);
  const received = data?.inputs.some((i) => i.events_total > 0) ?? false;
  return (
    <div className="page">
      <header className="page-head">
        <h1>Sources</h1>
        <span className="muted small" role="status" aria-live="off">
          {dataUpdatedAt ? `Updated ${formatTime(dataUpdatedAt)}, refreshes every 5 s` : 'Refreshes every 5 s'}
        </span>
      </header>
      {isPending ? <Loading /> : !data ? (
        isApiError(error) && error.status === 403
          ? <ErrorState error={error} title="Engineers and admins only" />
          : <ErrorState error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          <section className="card panel" aria-labelledby="inputs-title">
            <header className="panel-head">
              <h2 id="inputs-title">Inputs</h2>
              <span className="muted small">{data.inputs.filter((i) => i.state === 'listening').length} of {data.inputs.length} listening</span>
            </header>
            {data.inputs.length === 0 ? <p className="muted">No inputs are configured on this server.</p> : <InputsTable inputs={data.inputs} now={now} />}
          </section>
          {!received && <GettingStarted inputs={data.inputs} />}
          <div className="sources-grid">
            <TopHostsPanel hosts={data.top_hosts} now={now} />
            <TopFormatsPanel formats={data.top_formats} />
          </div>
          <UnparsedPanel samples={data.unparsed_samples} now={now} />
        </>
      )}
    </div>
  );
}
