// The field sidebar: the fields present in the newest matches with the share of events that
// carry them; opening one shows its top values, and clicking a value of a filterable column
// adds it to the filters.
import { useState } from 'react';
import { STAT_COLUMNS } from '@siem/contracts';
import { formatCount } from '../../../lib/format.ts';
import { FIELD_SAMPLE, useFieldList, useFieldTop } from '../api/field-stats.ts';
import { TEXT_FILTERS } from '../api/filters.ts';
import type { LogFilters } from '../api/filters.ts';
import './search-tools.css';

/** Columns the filter bar takes; other fields show their values without a filter action. */
export const FILTERABLE = new Set<string>(['source_type', 'severity', ...TEXT_FILTERS]);
const LISTED = 40;
const pct = (share: number) => `${share >= 0.995 ? 100 : share < 0.01 && share > 0 ? '<1' : Math.round(share * 100)}%`;

interface Props {
  filters: LogFilters;
  enabled: boolean;
  onFilter: (field: string, value: string) => void;
}

export function FieldSidebar({ filters, enabled, onFilter }: Props) {
  const list = useFieldList(filters, enabled);
  const [open, setOpen] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  if (!enabled) return null;
  const fields = list.data?.fields ?? [];
  const shown = all ? fields : fields.slice(0, LISTED);

  return (
    <aside className="field-sidebar card" aria-label="Fields" data-testid="field-sidebar">
      <h2>Fields</h2>
      {list.isPending ? (
        <p className="muted">Loading…</p>
      ) : list.error ? (
        <p className="muted">The fields could not be loaded.</p>
      ) : (
        <>
          <p className="sample-note muted" data-testid="field-sample">
            From the newest {formatCount(list.data?.sample_size ?? 0)} matches (a sample of at most {formatCount(FIELD_SAMPLE)})
          </p>
          {fields.length === 0 && <p className="muted">No events match.</p>}
          <ul className="field-list">
            {shown.map((f) => (
              <li key={`${f.kind}:${f.field}`}>
                <button type="button" className="field-name" aria-expanded={open === f.field} onClick={() => setOpen(open === f.field ? null : f.field)}>
                  <span className="mono">{f.field}</span>
                  <span className="coverage" title={`${formatCount(f.present)} events of the sample`}>{pct(f.coverage)}</span>
                </button>
                {open === f.field && <TopValues filters={filters} field={f.field} onFilter={onFilter} />}
              </li>
            ))}
          </ul>
          {fields.length > LISTED && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setAll(!all)}>
              {all ? 'Show fewer' : `Show all ${fields.length}`}
            </button>
          )}
        </>
      )}
    </aside>
  );
}

function TopValues({ filters, field, onFilter }: { filters: LogFilters; field: string; onFilter: Props['onFilter'] }) {
  const top = useFieldTop(filters, field);
  const stat = top.data?.stats[0];
  if (top.isPending) return <p className="muted small">Loading values…</p>;
  if (!stat) return <p className="muted small">The values could not be loaded.</p>;
  return (
    <ul className="top-values" aria-label={`Top values of ${field}`} data-testid="top-values">
      {stat.top.map((t) => (
        <li key={t.value}>
          <button type="button" className="top-value" title={`Filter on ${field} = ${t.value}`} onClick={() => onFilter(field, t.value)}>
            {t.value}
          </button>
          <span className="coverage">{formatCount(t.count)}</span>
          <span className="top-share" style={{ width: `${Math.max(2, t.share * 100)}%` }} aria-hidden="true" />
        </li>
      ))}
      {stat.distinct > stat.top.length && <li className="muted small">{formatCount(stat.distinct - stat.top.length)} more values</li>}
    </ul>
  );
}

/**
 * A search-query clause matching one value of a field exactly: quoted, so wildcards and
 * keywords in the value are literal. A parsed field without a dot takes its `fields.` prefix.
 */
export function fieldClause(field: string, value: string): string {
  const name = (STAT_COLUMNS as readonly string[]).includes(field) || field.includes('.') ? field : `fields.${field}`;
  return `${name}:"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The query with one more clause ANDed to it. */
export function andClause(query: string | null, clause: string): string {
  return query && query.trim() ? `(${query.trim()}) AND ${clause}` : clause;
}
