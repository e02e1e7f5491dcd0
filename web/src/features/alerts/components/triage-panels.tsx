// Triage at a glance, beside the alert: the rule's "check first" guidance, one-click pivots
// to the logs around the alert, the matched events' addresses with their enrichment, and
// the related alerts. One query (the alert's context); each panel is its own component.
import { useState } from 'react';
import { Link } from 'react-router';
import type { AlertContext } from '@siem/contracts';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useAlertContext } from '../api/alert-context.ts';
import { guidanceBlocks, logsHref, type GuidanceBlock } from '../api/triage-text.ts';
import { TriageAddresses } from './triage-addresses.tsx';
import { RelatedAlerts } from './triage-related.tsx';
import './triage.css';

function Guidance({ blocks }: { blocks: GuidanceBlock[] }) {
  return (
    <>
      {blocks.map((b, i) =>
        b.kind === 'list' ? (
          <ul key={i} className="guidance-list">{b.items.map((item, j) => <li key={j}>{item}</li>)}</ul>
        ) : (
          <p key={i} className="guidance-text">{b.text}</p>
        ),
      )}
    </>
  );
}

function CheckFirst({ rule, ruleName }: { rule: AlertContext['rule']; ruleName: string }) {
  return (
    <section className="card panel" aria-labelledby="check-first-title" data-testid="triage-check-first">
      <header className="panel-head">
        <h2 id="check-first-title">Check first</h2>
        {rule && <Link to={`/rules/${rule.id}`} className="muted">{rule.name}</Link>}
      </header>
      {!rule ? (
        <p className="muted">The rule “{ruleName}” no longer exists: no guidance to show.</p>
      ) : (
        <>
          {rule.check_first ? (
            <Guidance blocks={guidanceBlocks(rule.check_first, { checklist: true })} />
          ) : (
            <p className="muted">This rule carries no “Check first” guidance.</p>
          )}
          {rule.summary && (
            <details className="guidance-about">
              <summary>What the rule detects</summary>
              <Guidance blocks={guidanceBlocks(rule.summary)} />
            </details>
          )}
        </>
      )}
    </section>
  );
}

const PIVOT_LABEL = { hostname: 'Same host', username: 'Same user', source_ip: 'Same source IP' } as const;

function Pivots({ pivot }: { pivot: AlertContext['pivot'] }) {
  return (
    <section className="card panel" aria-labelledby="pivot-title" data-testid="triage-pivots">
      <header className="panel-head">
        <h2 id="pivot-title">Pivot to logs</h2>
        <span className="muted">matched events ± 15 min</span>
      </header>
      <div className="pivot-buttons">
        <Link className="btn btn-primary btn-small" to={logsHref(pivot)}>Logs around the alert</Link>
        {pivot.filters.map((f) => (
          <Link key={`${f.field}:${f.value}`} className="btn btn-small" to={logsHref(pivot, f)} title={`${f.event_count} matched event(s)`}>
            {PIVOT_LABEL[f.field]}: <span className="mono pivot-value">{f.value}</span>
          </Link>
        ))}
      </div>
    </section>
  );
}

export function TriagePanels({ alertId, ruleName }: { alertId: string; ruleName: string }) {
  const [hours, setHours] = useState(6);
  const { data, error, isPending, refetch } = useAlertContext(alertId, hours);
  if (isPending) return <Loading label="Loading triage context…" />;
  if (error || !data) return <ErrorState error={error} onRetry={() => void refetch()} title="Could not load the triage context" />;
  return (
    <div className="triage" data-testid="triage">
      <div className="triage-top">
        <CheckFirst rule={data.rule} ruleName={ruleName} />
        <Pivots pivot={data.pivot} />
      </div>
      <TriageAddresses addresses={data.addresses} truncated={data.addresses_truncated} pivot={data.pivot} />
      <RelatedAlerts related={data.related} hours={hours} onHours={setHours} />
    </div>
  );
}
