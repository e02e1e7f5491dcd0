// One case: its editable header, linked alerts and events, observables, comments and timeline.
import { Link, useParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useCaseDetail } from '../api/cases.ts';
import { CaseComments } from './case-comments.tsx';
import { CaseHeader } from './case-header.tsx';
import { CaseAlerts, CaseEvents } from './case-links.tsx';
import { CaseObservables } from './case-observables.tsx';
import { CaseTimeline } from './case-timeline.tsx';

export default function CaseDetailPage() {
  const { caseId = '' } = useParams();
  const { data, error, isPending, refetch } = useCaseDetail(caseId);
  if (isPending) return <div className="page"><Loading label="Loading case…" /></div>;
  if (error || !data) return <div className="page"><ErrorState error={error} onRetry={() => void refetch()} title="Could not load this case" /></div>;
  const c = data.case;
  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to="/cases">Cases</Link> / <span>{c.id}</span></nav>
      {/* Keyed by the update time: the edit fields start from the saved values after each change. */}
      <CaseHeader key={c.updated_at} c={c} />
      <CaseAlerts caseId={c.id} alerts={data.alerts} />
      <div className="case-cols">
        <CaseComments caseId={c.id} comments={data.comments} />
        <CaseTimeline caseId={c.id} />
      </div>
      <CaseObservables caseId={c.id} observables={data.observables} alerts={data.alerts} />
      <CaseEvents caseId={c.id} events={data.events} eventIds={data.event_ids} />
    </div>
  );
}
