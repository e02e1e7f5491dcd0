// "Test this rule": replays the chosen hours of stored events through it and lists the
// alerts it would have raised (nothing is raised for real).
import { useState } from 'react';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { TEST_HOURS, useTestRule } from '../api/test-rule.ts';

export function RuleTestPanel({ ruleId }: { ruleId: string }) {
  const [hours, setHours] = useState(24);
  const test = useTestRule(ruleId);
  const r = test.data;
  return (
    <section className="card panel" aria-labelledby={`test-${ruleId}`}>
      <header className="panel-head">
        <h2 id={`test-${ruleId}`}>Test against history</h2>
      </header>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`hours-${ruleId}`}>Replay the last</label>
          <select id={`hours-${ruleId}`} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {TEST_HOURS.map((h) => <option key={h} value={h}>{h} hour{h > 1 ? 's' : ''}</option>)}
          </select>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => test.mutate(hours)} disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Run test'}
        </button>
      </div>
      <FormError message={test.error ? errorMessage(test.error) : null} />
      {r && (
        <div className="test-result" role="status" data-testid="rule-test-result">
          <p>
            <strong>{r.alerts_would_fire}</strong> alert{r.alerts_would_fire === 1 ? '' : 's'} would have fired over{' '}
            <strong>{r.events_evaluated}</strong> events.
          </p>
          {r.alerts.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Group</th><th className="num">Matched events</th><th>Would fire at</th></tr></thead>
                <tbody>
                  {r.alerts.map((a, i) => (
                    <tr key={`${a.group_value}-${i}`}>
                      <td className="mono">{a.group_value}</td>
                      <td className="num">{a.matched_event_count}</td>
                      <td>{formatDateTime(a.fired_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
