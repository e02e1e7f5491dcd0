// Every address of the alert's matched events: the side it stood on, how many events
// carried it, where it is (flag, country, city), its autonomous system, the threat-intel
// indicators it matched, and a scope tag when it is not a public address.
import { Link } from 'react-router';
import { countryFlag, type AlertContext, type TriageAddress } from '@siem/contracts';
import { Empty } from '../../../components/ui/states.tsx';
import { logsHref } from '../api/triage-text.ts';

const SCOPE_LABEL: Record<TriageAddress['enrichment']['scope'], string> = {
  public: 'public', private: 'private', loopback: 'loopback', link_local: 'link-local', multicast: 'multicast',
  cgnat: 'carrier NAT', documentation: 'documentation', reserved: 'reserved',
};

function Location({ e }: { e: TriageAddress['enrichment'] }) {
  const place = [e.city, e.country_name ?? e.country_code].filter(Boolean).join(', ');
  if (!place) return <span className="muted">—</span>;
  const flag = countryFlag(e.country_code);
  return (
    <span>
      {flag && <span className="flag" role="img" aria-label={e.country_name ?? e.country_code ?? ''}>{flag} </span>}
      {place}
    </span>
  );
}

function AddressRow({ a, pivot }: { a: TriageAddress; pivot: AlertContext['pivot'] }) {
  const e = a.enrichment;
  const field = a.roles.includes('source') ? 'source_ip' : 'dest_ip';
  return (
    <tr data-testid="triage-address">
      <td>
        <Link to={logsHref(pivot, { field, value: a.ip })} className="pivot mono" title={`Logs around the alert with ${field} ${a.ip}`}>{a.ip}</Link>
        {e.scope !== 'public' && <> <span className="tag scope-tag">{SCOPE_LABEL[e.scope]}</span></>}
      </td>
      <td>{a.roles.join(', ')}</td>
      <td>{a.event_count}</td>
      <td><Location e={e} /></td>
      <td>{e.asn !== null || e.as_org ? <span>{e.asn !== null && <span className="mono">AS{e.asn}</span>} {e.as_org ?? ''}</span> : <span className="muted">—</span>}</td>
      <td>
        {e.indicators.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <span className="tags">
            {e.indicators.map((m) => (
              <span key={`${m.list_id}:${m.indicator}`} className="badge ioc-badge" title={`${m.list_name}: ${m.indicator} (${m.type}, on ${m.field})${m.source ? `, source ${m.source}` : ''}${m.confidence !== null ? `, confidence ${m.confidence}` : ''}`}>
                {m.list_name}
              </span>
            ))}
          </span>
        )}
      </td>
    </tr>
  );
}

export function TriageAddresses({ addresses, truncated, pivot }: { addresses: TriageAddress[]; truncated: boolean; pivot: AlertContext['pivot'] }) {
  return (
    <section className="card panel" aria-labelledby="addresses-title" data-testid="triage-addresses">
      <header className="panel-head">
        <h2 id="addresses-title">Addresses</h2>
        {truncated && <span className="muted">the {addresses.length} most frequent</span>}
      </header>
      {addresses.length === 0 ? (
        <Empty>The matched events carry no address.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table triage-table">
            <thead>
              <tr><th>Address</th><th>Role</th><th>Events</th><th>Location</th><th>AS</th><th>Indicators</th></tr>
            </thead>
            <tbody>
              {addresses.map((a) => <AddressRow key={a.ip} a={a} pivot={pivot} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
