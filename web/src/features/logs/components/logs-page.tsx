// The log view: filters in the URL, loaded pages plus the live tail merged into one
// virtualized table, a pause that holds the view still and counts what arrives, and the
// event drawer.
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatCount, parseInstant } from '../../../lib/format.ts';
import { useConnection } from '../../../lib/sse.ts';
import { acceptsLive, logFiltersFromParams, logFiltersToParams, matchesLive } from '../api/filters.ts';
import type { LogFilters } from '../api/filters.ts';
import { useLiveLogs } from '../api/live.ts';
import { useLogs } from '../api/logs.ts';
import { useTail } from '../stores/tail-store.ts';
import { toolsApply } from '../api/tool-query.ts';
import { EventDrawer } from './event-drawer.tsx';
import { ExportMenu } from './export-menu.tsx';
import { FILTERABLE, FieldSidebar, andClause, fieldClause } from './field-sidebar.tsx';
import { HistogramChart } from './histogram-chart.tsx';
import { SavedSearchesMenu } from './saved-searches-menu.tsx';
import { LogFiltersBar } from './log-filters.tsx';
import { LogTable } from './log-table.tsx';
import { QueryBar } from './query-bar.tsx';
import type { LogRow } from './log-table.tsx';

export default function LogsPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => logFiltersFromParams(params), [params]);
  const query = useLogs(filters);
  const live = useLiveLogs();
  const { paused, pausedAt, pause, resume } = useTail();
  const feed = useConnection((s) => s.feeds.logs?.status ?? 'idle');
  const [selected, setSelected] = useState<string | null>(null);
  const liveAllowed = acceptsLive(filters);

  const { rows, waiting, total, eventTypes } = useMemo(() => {
    const loaded: LogRow[] = [];
    const seen = new Set<string>();
    for (const page of query.data?.pages ?? []) {
      for (const e of page.items) {
        if (seen.has(e.id)) continue;
        seen.add(e.id);
        loaded.push(e);
      }
    }
    const newest = parseInstant(loaded[0]?.timestamp) ?? -Infinity;
    const now = Date.now();
    const tail: LogRow[] = [];
    let waiting = 0;
    if (liveAllowed && query.data) {
      for (const item of live.items) {
        if (seen.has(item.id) || (parseInstant(item.timestamp) ?? 0) < newest || !matchesLive(item, filters, now)) continue;
        if (paused && item.seq > pausedAt) waiting++;
        else tail.push({ ...item, live: true });
      }
    }
    const types = new Set<string>();
    for (const r of loaded) if (r.event_type && types.size < 100) types.add(r.event_type);
    return { rows: tail.concat(loaded), waiting, total: (query.data?.pages[0]?.total ?? 0) + tail.length, eventTypes: [...types].sort() };
  }, [query.data, live, filters, paused, pausedAt, liveAllowed]);

  const setFilters = (f: LogFilters) => setParams(logFiltersToParams(f));
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const close = useCallback(() => setSelected(null), []);
  const tools = toolsApply(filters);

  return (
    <div className="page page-logs">
      <header className="page-head">
        <h1>Logs</h1>
        <div className="search-tools-actions">
          <SavedSearchesMenu filters={filters} onLoad={setFilters} />
          <ExportMenu filters={filters} enabled={tools} />
        </div>
        <div className="tail-controls">
          {liveAllowed ? (
            <>
              <span className={`live-dot ${paused ? 'paused' : feed}`} aria-hidden="true" />
              <span aria-live="polite" data-testid="tail-state">
                {paused ? `Paused${waiting ? ` · ${formatCount(waiting)} new` : ''}` : feed === 'open' ? 'Live' : 'Connecting…'}
              </span>
              <button type="button" className="btn btn-small" onClick={() => (paused ? resume() : pause(live.seq))} aria-pressed={paused}>
                {paused ? 'Resume live tail' : 'Pause live tail'}
              </button>
            </>
          ) : (
            <span className="muted">Live tail off: the range ends in the past</span>
          )}
        </div>
      </header>
      <QueryBar value={filters.query} onApply={(query) => setFilters({ ...filters, query, q: null })} />
      <LogFiltersBar filters={filters} onChange={setFilters} eventTypes={eventTypes} />
      <HistogramChart filters={filters} enabled={tools} onRange={(since, until) => setFilters({ ...filters, range: 'custom', since, until })} />
      <div className={tools ? 'logs-body' : undefined}>
      <FieldSidebar filters={filters} enabled={tools} onFilter={(field, value) => setFilters(FILTERABLE.has(field) ? { ...filters, [field]: value } : { ...filters, query: andClause(filters.query, fieldClause(field, value)) })} />
      <div className="logs-main">
      {query.isPending ? (
        <Loading label="Loading events…" />
      ) : query.error && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <div className="state state-empty">No events match. {liveAllowed && !paused ? 'New ones will appear here as they arrive.' : ''}</div>
      ) : (
        <>
          <p className="muted table-count" aria-live="polite">
            Showing {formatCount(rows.length)} of {formatCount(total)} events
          </p>
          <LogTable rows={rows} selectedId={selected} onSelect={setSelected} hasMore={!!hasNextPage} loadingMore={isFetchingNextPage} onLoadMore={loadMore} />
        </>
      )}
      </div>
      </div>
      {selected && <EventDrawer id={selected} onClose={close} />}
    </div>
  );
}
