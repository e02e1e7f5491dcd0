// The histogram above the log list: matches per time bucket as stacked severity bars (plain
// SVG). Clicking a bar, or dragging across several, narrows the view to their time range.
import { useMemo, useRef, useState } from 'react';
import type { PointerEvent } from 'react';
import { SEVERITIES } from '@siem/contracts';
import type { Histogram } from '@siem/contracts';
import { formatCount, formatDateTime } from '../../../lib/format.ts';
import { useHistogram } from '../api/histogram.ts';
import type { LogFilters } from '../api/filters.ts';
import './search-tools.css';

const BAR_W = 10;
const HEIGHT = 80;
// Drawn bottom-up: the most severe on top, where the eye lands.
const STACK = [...SEVERITIES].reverse();

interface Props {
  filters: LogFilters;
  enabled: boolean;
  /** A bar or a dragged span was chosen: its start and end (ISO). */
  onRange: (since: string, until: string) => void;
}

export function HistogramChart({ filters, enabled, onRange }: Props) {
  const query = useHistogram(filters, enabled);
  const data = query.data;
  if (!enabled) return null;
  return (
    <section className="histogram card" aria-label="Events over time" data-testid="histogram">
      {query.isPending ? (
        <div className="histogram-note muted">Loading the histogram…</div>
      ) : query.error || !data ? (
        <div className="histogram-note muted">The histogram could not be loaded.</div>
      ) : (
        <Bars data={data} onRange={onRange} />
      )}
    </section>
  );
}

function Bars({ data, onRange }: { data: Histogram; onRange: Props['onRange'] }) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const max = useMemo(() => Math.max(1, ...data.buckets.map((b) => b.count)), [data]);
  const n = data.buckets.length;
  const width = n * BAR_W;

  const indexAt = (e: PointerEvent) => {
    const box = svg.current?.getBoundingClientRect();
    if (!box || box.width === 0) return 0;
    return Math.min(n - 1, Math.max(0, Math.floor(((e.clientX - box.left) / box.width) * n)));
  };
  const finish = () => {
    if (!drag) return;
    const lo = Math.min(drag.from, drag.to);
    const hi = Math.max(drag.from, drag.to);
    setDrag(null);
    const start = data.buckets[lo]?.start;
    const last = data.buckets[hi]?.start;
    if (!start || !last) return;
    onRange(new Date(Math.max(Date.parse(start), Date.parse(data.since))).toISOString(), new Date(Math.min(Date.parse(last) + data.interval_ms, Date.parse(data.until))).toISOString());
  };
  const sel = drag ? { lo: Math.min(drag.from, drag.to), hi: Math.max(drag.from, drag.to) } : null;

  return (
    <>
      <div className="histogram-head">
        <span data-testid="histogram-total">{formatCount(data.total)} events</span>
        <span className="muted">per {data.interval} · drag across bars to zoom in</span>
      </div>
      <svg
        ref={svg}
        className="histogram-svg"
        viewBox={`0 0 ${width} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${formatCount(data.total)} events from ${formatDateTime(data.since)} to ${formatDateTime(data.until)}, per ${data.interval}`}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture?.(e.pointerId);
          const i = indexAt(e);
          setDrag({ from: i, to: i });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, to: indexAt(e) })}
        onPointerUp={finish}
        onPointerCancel={() => setDrag(null)}
      >
        {data.buckets.map((b, i) => {
          let y = HEIGHT;
          const parts = STACK.flatMap((sev) => {
            const c = b.by_severity?.[sev] ?? 0;
            if (c === 0) return [];
            const h = (c / max) * (HEIGHT - 2);
            y -= h;
            return [<rect key={sev} x={i * BAR_W + 1} y={y} width={BAR_W - 2} height={h} className={`hbar hbar-${sev}`} />];
          });
          return (
            <g key={b.start} data-testid="histogram-bar" data-count={b.count}>
              <title>{`${formatDateTime(b.start)}: ${formatCount(b.count)} events`}</title>
              <rect x={i * BAR_W} y={0} width={BAR_W} height={HEIGHT} className="hbar-hit" />
              {b.by_severity ? parts : b.count > 0 && <rect x={i * BAR_W + 1} y={HEIGHT - (b.count / max) * (HEIGHT - 2)} width={BAR_W - 2} height={(b.count / max) * (HEIGHT - 2)} className="hbar hbar-info" />}
            </g>
          );
        })}
        {sel && <rect x={sel.lo * BAR_W} y={0} width={(sel.hi - sel.lo + 1) * BAR_W} height={HEIGHT} className="hbar-selection" />}
      </svg>
      <div className="histogram-axis muted" aria-hidden="true">
        <span>{formatDateTime(data.since)}</span>
        <span>{formatDateTime(data.until)}</span>
      </div>
    </>
  );
}
