// Every status change of the alert, oldest first; the engine's creation comes first.
import type { AlertHistoryEntry } from '@siem/contracts';
import { StatusBadge } from '../../../components/ui/badges.tsx';
import { Empty } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';

export function AlertHistory({ history }: { history: AlertHistoryEntry[] }) {
  return (
    <section className="card panel" aria-labelledby="history-title">
      <header className="panel-head">
        <h2 id="history-title">Status history</h2>
      </header>
      {history.length === 0 ? (
        <Empty>No status changes yet.</Empty>
      ) : (
        <ol className="history" data-testid="alert-history">
          {history.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <div>
                {h.kind === 'assignee' ? (
                  <>{h.to_value ? `Assigned to ${h.to_value}` : 'Unassigned'}{h.from_value ? ` (was ${h.from_value})` : ''}</>
                ) : h.from ? (
                  <>
                    <StatusBadge status={h.from} /> → <StatusBadge status={h.to} />
                  </>
                ) : (
                  <>
                    Raised as <StatusBadge status={h.to} />
                  </>
                )}
              </div>
              <div className="muted">
                {h.by ?? 'detection engine'} · {formatDateTime(h.at)}
              </div>
              {h.notes && <p className="history-notes">{h.notes}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
