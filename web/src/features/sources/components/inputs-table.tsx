// One row per input: what it is, whether it listens and where, and what came through it.
import type { InputSnapshot } from '@siem/contracts';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../../lib/format.ts';

const STATE_LABEL: Record<InputSnapshot['state'], string> = { listening: 'Listening', off: 'Off', error: 'Error' };
const STATE_CLASS: Record<InputSnapshot['state'], string> = { listening: 'ok', off: 'off', error: 'input-error' };

export function InputStateBadge({ input }: { input: InputSnapshot }) {
  return (
    <span className={`badge ${STATE_CLASS[input.state]}`} title={input.error ?? undefined} data-testid={`state-${input.name}`}>
      {STATE_LABEL[input.state]}
    </span>
  );
}

function Dropped({ input }: { input: InputSnapshot }) {
  const reasons = Object.entries(input.dropped).filter(([, n]) => n > 0);
  if (reasons.length === 0) return <span className="muted">0</span>;
  return (
    <ul className="drop-list">
      {reasons.map(([reason, n]) => (
        <li key={reason}><span className="num">{formatCount(n)}</span> <span className="muted small">{humanize(reason)}</span></li>
      ))}
    </ul>
  );
}

export function InputsTable({ inputs, now }: { inputs: InputSnapshot[]; now: number }) {
  return (
    <div className="table-wrap">
      <table className="table inputs-table" data-testid="inputs-table">
        <caption className="sr-only">Inputs</caption>
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">State</th>
            <th scope="col">Address</th>
            <th scope="col" className="num">Events/s</th>
            <th scope="col" className="num">Events</th>
            <th scope="col" className="num" title="Lines no parser recognized">Unparsed</th>
            <th scope="col">Dropped</th>
            <th scope="col" className="num hide-narrow">Connections</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((i) => (
            <tr key={i.name} data-testid={`input-${i.name}`} className={i.state === 'off' ? 'is-muted' : undefined}>
              <td>
                <strong>{i.name}</strong>
                <div className="muted small">{i.kind}</div>
              </td>
              <td>
                <InputStateBadge input={i} />
                {i.error && <div className="input-error-text small">{i.error}</div>}
              </td>
              <td className="mono">{i.address ?? <span className="muted">{i.state === 'listening' && i.kind.startsWith('http') ? 'HTTP API port' : '—'}</span>}</td>
              <td className="num">{i.events_per_second.toLocaleString(undefined, { maximumFractionDigits: 1 })}</td>
              <td className="num">{formatCount(i.events_total)}</td>
              <td className={`num${i.parse_failures_total > 0 ? ' warn-text' : ''}`}>{formatCount(i.parse_failures_total)}</td>
              <td><Dropped input={i} /></td>
              <td className="num hide-narrow">{formatCount(i.connections)}</td>
              <td className="nowrap" title={i.last_seen ? formatDateTime(i.last_seen) : undefined}>
                {i.last_seen ? formatRelative(i.last_seen, now) : <span className="muted">never</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
