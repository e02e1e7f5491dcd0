// One row per registered correlation process: where it runs, whether it is alive, what it
// is doing, which partitions it owns and how fresh its heartbeat is.
import type { ClusterMember } from '@siem/contracts';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { formatPartitionSet, formatSeconds, memberLabel, OWNER_COLOURS } from '../utils/cluster-view.ts';

export function OwnerDot({ colour }: { colour: number | null }) {
  return <span className={`owner-dot${colour === null ? ' owner-unknown' : ` owner-c${colour % OWNER_COLOURS}`}`} aria-hidden="true" />;
}

export function MembersTable({ members, now }: { members: ClusterMember[]; now: number }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="cluster-members">
        <caption className="sr-only">Correlation processes</caption>
        <thead>
          <tr>
            <th scope="col">Process</th>
            <th scope="col">Status</th>
            <th scope="col">State</th>
            <th scope="col">Partitions</th>
            <th scope="col" className="num">Heartbeat</th>
            <th scope="col" className="hide-narrow">Started</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => (
            <tr key={m.consumer} data-testid={`member-${m.consumer}`} className={m.alive ? undefined : 'is-muted'}>
              <td>
                <OwnerDot colour={i} /> <strong>{memberLabel(m)}</strong>
                {m.this_process && <span className="badge this-process">this process</span>}
                <div className="mono muted small member-consumer">{m.consumer}</div>
              </td>
              <td>{m.alive ? <span className="badge ok">Alive</span> : <span className="badge dead">Dead</span>}</td>
              <td><span className={`badge member-${m.state}`}>{m.state}</span></td>
              <td>
                {formatPartitionSet(m.partitions)}
                {m.partitions.length > 0 && <div className="muted small">{m.partitions.length} owned</div>}
              </td>
              <td className="num nowrap" title={formatDateTime(m.heartbeat_at)}>{formatSeconds(m.heartbeat_age_seconds)} ago</td>
              <td className="nowrap hide-narrow" title={formatDateTime(m.started_at)}>{formatRelative(m.started_at, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
