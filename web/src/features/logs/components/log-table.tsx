// The virtualized event table: only the rows in view are in the DOM (fixed row height,
// no measuring), so tens of thousands of rows scroll smoothly. Nearing the end loads
// the next page. Rows are keyboard reachable: Tab to the table, arrows to move, Enter
// to open the event.
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LogFeedItem } from '@siem/contracts';
import { SeverityBadge } from '../../../components/ui/badges.tsx';
import { AddressFacts } from '../../../components/ui/address-facts.tsx';
import { formatDateTime } from '../../../lib/format.ts';

export type LogRow = Pick<LogFeedItem, 'id' | 'timestamp' | 'source_type' | 'severity' | 'event_type' | 'source_ip' | 'dest_ip' | 'username' | 'hostname'> & {
  live?: boolean;
  /** Stored events carry their fields (address enrichment); live feed rows do not. */
  fields?: Record<string, unknown>;
};

const ROW_HEIGHT = 34;
const LOAD_AHEAD = 60;
const COLUMNS = ['Time', 'Severity', 'Source type', 'Event type', 'Source', 'Destination', 'User', 'Host'];

interface Props {
  rows: LogRow[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

export function LogTable({ rows, selectedId, onSelect, hasMore, loadingMore, onLoadMore }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - LOAD_AHEAD) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    const row = rows[index];
    if (!row) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(row.id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
    }
  };

  return (
    <div className="vtable card" role="grid" aria-label="Events" aria-rowcount={rows.length + 1} aria-readonly="true">
      <div role="rowgroup">
        <div className="vt-row vt-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => <div key={c} role="columnheader" className="vt-cell">{c}</div>)}
        </div>
      </div>
      <div ref={scrollRef} className="vt-body" role="rowgroup" data-testid="log-rows">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const r = rows[v.index]!;
            return (
              <div
                key={v.key}
                data-index={v.index}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={r.id === selectedId}
                tabIndex={0}
                className={`vt-row${r.id === selectedId ? ' is-selected' : ''}${r.live ? ' is-live' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                onClick={() => onSelect(r.id)}
                onKeyDown={(e) => onKeyDown(e, v.index)}
              >
                <div role="gridcell" className="vt-cell mono">{formatDateTime(r.timestamp)}</div>
                <div role="gridcell" className="vt-cell"><SeverityBadge severity={r.severity} /></div>
                <div role="gridcell" className="vt-cell">{r.source_type}</div>
                <div role="gridcell" className="vt-cell">{r.event_type ?? '—'}</div>
                <div role="gridcell" className="vt-cell mono addr-cell"><span className="addr" title={r.source_ip ?? undefined}>{r.source_ip ?? '—'}</span><AddressFacts fields={r.fields} side="source" /></div>
                <div role="gridcell" className="vt-cell mono addr-cell"><span className="addr" title={r.dest_ip ?? undefined}>{r.dest_ip ?? '—'}</span><AddressFacts fields={r.fields} side="destination" /></div>
                <div role="gridcell" className="vt-cell">{r.username ?? '—'}</div>
                <div role="gridcell" className="vt-cell">{r.hostname ?? '—'}</div>
              </div>
            );
          })}
        </div>
        {loadingMore && <div className="vt-more" role="status">Loading more…</div>}
      </div>
    </div>
  );
}
