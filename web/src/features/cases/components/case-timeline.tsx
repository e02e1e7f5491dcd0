// Everything that happened to the case, oldest first: who, when, what changed from what to what.
import type { CaseTimelineEntry } from '@siem/contracts';
import { Empty, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime, humanize } from '../../../lib/format.ts';
import { useCaseTimeline } from '../api/cases.ts';

export function describeEntry(e: CaseTimelineEntry): string {
  // Enum values (status, resolution, severity) read better humanized; free text stays as typed.
  const enumField = e.field === 'status' || e.field === 'resolution' || e.field === 'severity';
  const shown = (v: string | null) => (v === null || v === '' ? 'nothing' : enumField ? humanize(v).toLowerCase() : v);
  switch (e.kind) {
    case 'created': return `created the case "${e.to ?? ''}"`;
    case 'field_changed': return `changed ${humanize(e.field ?? 'a field').toLowerCase()} from ${shown(e.from)} to ${shown(e.to)}`;
    case 'comment_added': return `commented: ${e.to ?? ''}`;
    case 'alert_linked': return `linked alert ${e.ref_id}`;
    case 'alert_unlinked': return `unlinked alert ${e.ref_id}`;
    case 'event_linked': return `linked event ${e.ref_id}`;
    case 'event_unlinked': return `unlinked event ${e.ref_id}`;
    case 'observable_added': return `added observable ${e.to ?? ''}`;
    case 'observable_removed': return `removed observable ${e.from ?? ''}`;
  }
}

export function CaseTimeline({ caseId }: { caseId: string }) {
  const { data, error, isPending, refetch } = useCaseTimeline(caseId);
  return (
    <section className="card panel" aria-labelledby="case-timeline-title">
      <header className="panel-head"><h2 id="case-timeline-title">Timeline</h2>{data && <span className="muted">{data.items.length < data.total ? `first ${data.items.length} of ${data.total}` : data.total}</span>}</header>
      {isPending ? <Loading label="Loading the timeline…" /> : error ? <ErrorState error={error} onRetry={() => void refetch()} /> : data.items.length === 0 ? <Empty>Nothing yet.</Empty> : (
        <ol className="history" data-testid="case-timeline">
          {data.items.map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <div><strong>{e.by}</strong> {describeEntry(e)}</div>
              <div className="muted small">{formatDateTime(e.at)}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
