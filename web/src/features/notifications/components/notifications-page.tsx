// Notifications (admins): the channels alerts are sent to, with their routing and template,
// a "Send test" per channel showing the outcome, and the recent deliveries with attempts.
import { useState } from 'react';
import type { TestResult } from '@siem/contracts';
import { ConfirmButton } from '../../../components/ui/confirm-button.tsx';
import { Empty, ErrorState, FormError, Loading } from '../../../components/ui/states.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { useChannels, useDeleteChannel } from '../api/channels.ts';
import { useTestChannel } from '../api/test-channel.ts';
import { KIND_LABELS } from '../utils/channel-form.ts';
import { ChannelForm } from './channel-form.tsx';
import { DeliveriesTable } from './deliveries-table.tsx';
import './notifications.css';

function TestOutcome({ result }: { result: TestResult }) {
  return (
    <div className={`notify-test ${result.ok ? 'ok' : 'failed'}`} role="status" data-testid="test-outcome">
      {result.ok ? 'Sent' : 'Failed'}
      {result.status_code !== null && ` (HTTP ${result.status_code})`} in {result.latency_ms} ms{result.error ? `: ${result.error}` : ''}
    </div>
  );
}

export default function NotificationsPage() {
  const { data, error, isPending, refetch } = useChannels();
  const remove = useDeleteChannel();
  const test = useTestChannel();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [tested, setTested] = useState<{ id: string; result: TestResult } | null>(null);
  const editingChannel = editing && editing !== 'new' ? data?.find((c) => c.id === editing) ?? null : null;

  const runTest = (id: string) => {
    setTested(null);
    test.mutate(id, { onSuccess: (result) => setTested({ id, result }) });
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>Notifications</h1>
        <button type="button" className="btn btn-primary" aria-expanded={editing === 'new'} onClick={() => setEditing(editing === 'new' ? null : 'new')}>New channel</button>
      </header>
      <p className="muted">Where alerts are sent: signed webhooks, Slack, Teams, Mattermost, e-mail or syslog (CEF). Each channel receives the alerts its routing lets through; deliveries are retried with backoff.</p>
      {editing === 'new' && <ChannelForm key="new" channel={null} onDone={() => setEditing(null)} />}
      <FormError message={remove.error ? errorMessage(remove.error) : test.error ? errorMessage(test.error) : null} />
      {isPending ? <Loading label="Loading channels…" /> : error && !data ? (
        isApiError(error) && error.status === 403 ? <ErrorState error={error} title="Admins only" /> : <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !data?.length ? (
        <Empty>No channels yet. Create one to be told about new alerts.</Empty>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="channels-table">
            <thead><tr><th>Name</th><th>Kind</th><th>Routing</th><th>State</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {data.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>{c.name}</strong>
                    {tested?.id === c.id && <TestOutcome result={tested.result} />}
                  </td>
                  <td>{KIND_LABELS[c.kind]}</td>
                  <td className="small">
                    {c.routing.min_severity} and above
                    {c.routing.rule_ids.length > 0 && `, ${c.routing.rule_ids.length} rule${c.routing.rule_ids.length > 1 ? 's' : ''}`}
                    {c.routing.tactics.length > 0 && `, ${c.routing.tactics.join(', ')}`}
                    {(c.routing.tags ?? []).length > 0 && `, tagged ${(c.routing.tags ?? []).join(' or ')}`}
                  </td>
                  <td>{c.enabled ? 'enabled' : <span className="muted">disabled</span>}</td>
                  <td className="row-actions">
                    <button type="button" className="btn btn-small" disabled={test.isPending && test.variables === c.id} onClick={() => runTest(c.id)}>
                      {test.isPending && test.variables === c.id ? 'Sending…' : 'Send test'}
                    </button>
                    <button type="button" className="btn btn-small" aria-expanded={editing === c.id} onClick={() => setEditing(editing === c.id ? null : c.id)}>Edit</button>
                    <ConfirmButton label="Delete" confirmLabel={`Delete ${c.name}`} onConfirm={() => { remove.reset(); remove.mutate(c.id, { onSuccess: () => editing === c.id && setEditing(null) }); }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editingChannel && <ChannelForm key={editingChannel.id} channel={editingChannel} onDone={() => setEditing(null)} />}
      <DeliveriesTable channels={data ?? []} />
    </div>
  );
}
