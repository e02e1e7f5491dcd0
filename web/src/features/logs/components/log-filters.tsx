// The filter bar: text search, selects that apply at once, text fields that apply on
// Enter or "Apply", and the time range (relative, or custom from/to).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { SEVERITIES, SOURCE_TYPES } from '@siem/contracts';
import { humanize } from '../../../lib/format.ts';
import { EMPTY_FILTERS, RANGES, TEXT_FILTERS, hasFieldFilters } from '../api/filters.ts';
import type { LogFilters, RangeKey } from '../api/filters.ts';

const TEXT_LABELS: Record<(typeof TEXT_FILTERS)[number], string> = {
  event_type: 'Event type (exact)',
  source_ip: 'Source address',
  dest_ip: 'Destination address',
  username: 'User',
  hostname: 'Host',
};
const RANGE_LABELS: Record<RangeKey, string> = { '': 'All time', '15m': 'Last 15 minutes', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', custom: 'Custom…' };

/** datetime-local works in local time without a zone; the API wants UTC instants. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

interface Props {
  filters: LogFilters;
  onChange: (f: LogFilters) => void;
  eventTypes: string[];
}

export function LogFiltersBar({ filters, onChange, eventTypes }: Props) {
  const [draft, setDraft] = useState(filters);
  // Pivots and back/forward change the URL: the draft follows.
  useEffect(() => setDraft(filters), [filters]);
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    onChange(draft);
  };
  const setNow = (patch: Partial<LogFilters>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    onChange(next);
  };
  const searching = !!filters.q;

  return (
    <form className="filters card" role="search" aria-label="Event filters" onSubmit={apply}>
      <div className="field field-grow">
        <label htmlFor="log-q">Search</label>
        <input id="log-q" type="search" placeholder="Text in event type, addresses, user or host" value={draft.q ?? ''} maxLength={256}
          onChange={(e) => setDraft({ ...draft, q: e.target.value || null })} />
      </div>
      <div className="field">
        <label htmlFor="log-source-type">Source type</label>
        <select id="log-source-type" value={draft.source_type ?? ''} disabled={searching}
          onChange={(e) => setNow({ source_type: (e.target.value || null) as LogFilters['source_type'] })}>
          <option value="">Any</option>
          {SOURCE_TYPES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="log-severity">Severity</label>
        <select id="log-severity" value={draft.severity ?? ''} disabled={searching}
          onChange={(e) => setNow({ severity: (e.target.value || null) as LogFilters['severity'] })}>
          <option value="">Any</option>
          {SEVERITIES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
        </select>
      </div>
      {TEXT_FILTERS.map((k) => (
        <div className="field" key={k}>
          <label htmlFor={`log-${k}`}>{TEXT_LABELS[k]}</label>
          <input id={`log-${k}`} value={draft[k] ?? ''} disabled={searching} list={k === 'event_type' ? 'log-event-types' : undefined}
            className={k === 'event_type' ? undefined : 'mono'} onChange={(e) => setDraft({ ...draft, [k]: e.target.value || null })} />
        </div>
      ))}
      <datalist id="log-event-types">
        {eventTypes.map((t) => <option key={t} value={t} />)}
      </datalist>
      <div className="field">
        <label htmlFor="log-range">Time range</label>
        <select id="log-range" value={draft.range} onChange={(e) => {
          const range = e.target.value as RangeKey;
          if (range === 'custom') setDraft({ ...draft, range });
          else setNow({ range, since: null, until: null });
        }}>
          {RANGES.map((r) => <option key={r} value={r}>{RANGE_LABELS[r]}</option>)}
        </select>
      </div>
      {draft.range === 'custom' && (
        <>
          <div className="field">
            <label htmlFor="log-since">From</label>
            <input id="log-since" type="datetime-local" value={toLocalInput(draft.since)} onChange={(e) => setDraft({ ...draft, since: fromLocalInput(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor="log-until">To</label>
            <input id="log-until" type="datetime-local" value={toLocalInput(draft.until)} onChange={(e) => setDraft({ ...draft, until: fromLocalInput(e.target.value) })} />
          </div>
        </>
      )}
      <div className="filter-actions">
        <button type="submit" className="btn btn-primary">Apply</button>
        <button type="button" className="btn" disabled={!hasFieldFilters(filters) && !filters.q && !filters.range}
          onClick={() => { setDraft(EMPTY_FILTERS); onChange(EMPTY_FILTERS); }}>
          Clear
        </button>
      </div>
      {searching && <p className="muted filter-note">Text search looks in event type, addresses, user and host; the field filters do not apply to it.</p>}
    </form>
  );
}
