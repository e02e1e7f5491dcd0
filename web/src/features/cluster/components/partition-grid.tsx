// The partitions as tiles: owner (with its process colour), health, and how far the
// checkpoint trails the stored events, in events and in the age of the oldest waiting one.
import { formatDateTime } from '../../../lib/format.ts';
import type { PartitionTile } from '../utils/cluster-view.ts';
import { formatLagEvents, formatSeconds, HEALTH_LABEL } from '../utils/cluster-view.ts';
import { OwnerDot } from './members-table.tsx';

function Tile({ p }: { p: PartitionTile }) {
  return (
    <li className={`partition-tile health-${p.health}`} data-testid={`partition-${p.partition}`}>
      <div className="partition-head">
        <strong>#{p.partition}</strong>
        <span className={`badge health-badge-${p.health}`}>{HEALTH_LABEL[p.health]}</span>
      </div>
      <div className="partition-owner" title={p.owner ?? undefined}>
        {p.ownerLabel ? (
          <>
            <OwnerDot colour={p.ownerLabel.colour} /> <span className="ellipsis">{p.ownerLabel.label}</span>
            {p.ownerLabel.thisProcess && <span className="muted small"> (this)</span>}
          </>
        ) : <span className="muted">no owner</span>}
      </div>
      <dl className="partition-lag">
        <div><dt>Lag</dt><dd className="num" data-testid={`lag-${p.partition}`}>{formatLagEvents(p)} <span className="muted small">{p.lag_events === 1 && !p.lag_capped ? 'event' : 'events'}</span></dd></div>
        <div><dt>Oldest wait</dt><dd className="num">{formatSeconds(p.lag_seconds)}</dd></div>
      </dl>
      <div className="muted small" title={p.checkpoint_at ? `Checkpoint advanced ${formatDateTime(p.checkpoint_at)}` : undefined}>
        epoch {p.epoch}{p.checkpoint_at ? '' : ' · no checkpoint yet'}
      </div>
    </li>
  );
}

export function PartitionGrid({ tiles }: { tiles: PartitionTile[] }) {
  return (
    <ul className="partition-grid" data-testid="cluster-partitions" aria-label="Partitions">
      {tiles.map((p) => <Tile key={p.partition} p={p} />)}
    </ul>
  );
}
