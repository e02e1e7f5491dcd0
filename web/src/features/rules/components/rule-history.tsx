// The rule's audit trail, oldest first: who created, changed, enabled, disabled it, when,
// and for a change the fields with their old and new values.
import type { RuleHistoryEntry } from '@siem/contracts';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime, humanize } from '../../../lib/format.ts';
import { useRuleHistory } from '../api/rule-history.ts';

const show = (value: unknown): string => (value === null || value === undefined || value === '' ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

function Changes({ entry }: { entry: RuleHistoryEntry }) {
  if (entry.action !== 'updated') return null;
  return (
    <ul className="history-changes">
      {Object.entries(entry.changes).map(([field, { from, to }]) => (
        <li key={field}>
          <strong>{humanize(field)}</strong>: <del>{show(from)}</del> → <ins>{show(to)}</ins>
        </li>
      ))}
    </ul>
  );
}

export function RuleHistory({ ruleId }: { ruleId: string }) {
  const { data, error, isPending, refetch } = useRuleHistory(ruleId);
  return (
    <section className="card panel" aria-labelledby="rule-history-title">
      <header className="panel-head">
        <h2 id="rule-history-title">Change history</h2>
      </header>
      {isPending ? <Loading label="Loading history…" /> : error && !data ? <ErrorState error={error} onRetry={() => void refetch()} /> : !data?.length ? (
        <Empty>No recorded changes.</Empty>
      ) : (
        <ol className="history" data-testid="rule-history">
          {data.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <div>{humanize(h.action)}</div>
              <div className="muted">
                {h.by ?? 'the server'} · {formatDateTime(h.at)}
              </div>
              <Changes entry={h} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
