// Active runs with their progress and controls (pause / resume / stop / speed), and the
// finished runs with how they ended.
import { useState } from 'react';
import type { ScenarioRun } from '@siem/contracts';
import { RunStatusBadge } from '../../../components/ui/badges.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { usePauseRun } from '../api/pause-run.ts';
import { useResumeRun } from '../api/resume-run.ts';
import { useSetRunSpeed } from '../api/set-run-speed.ts';
import { useStopRun } from '../api/stop-run.ts';
import { SPEED_PRESETS } from './playbook-card.tsx';

function Progress({ run }: { run: ScenarioRun }) {
  const pct = Math.round(run.progress * 100);
  return (
    <div className="progress-cell">
      <progress max={100} value={pct} aria-label={`${run.scenario_name} progress`} />
      <span className="small">{run.events_generated} / {run.events_total} ({pct}%)</span>
    </div>
  );
}

function RunControls({ run }: { run: ScenarioRun }) {
  const pause = usePauseRun();
  const resume = useResumeRun();
  const stop = useStopRun();
  const speed = useSetRunSpeed();
  const [value, setValue] = useState(String(run.speed));
  const busy = pause.isPending || resume.isPending || stop.isPending || speed.isPending;
  const error = pause.error ?? resume.error ?? stop.error ?? speed.error;
  const speeds = [...new Set([...SPEED_PRESETS, run.speed])].sort((a, b) => a - b);
  return (
    <div className="run-controls">
      {run.status === 'running' ? (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => pause.mutate(run.id)}>Pause</button>
      ) : (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => resume.mutate(run.id)}>Resume</button>
      )}
      <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => stop.mutate(run.id)}>Stop</button>
      <label className="sr-only" htmlFor={`run-speed-${run.id}`}>Speed of {run.scenario_name}</label>
      <select id={`run-speed-${run.id}`} value={value} disabled={busy} onChange={(e) => {
        setValue(e.target.value);
        speed.mutate({ id: run.id, speed: Number(e.target.value) });
      }}>
        {speeds.map((s) => <option key={s} value={String(s)}>{s}×</option>)}
      </select>
      <FormError message={error ? errorMessage(error) : null} />
    </div>
  );
}

export function ActiveRuns({ runs }: { runs: ScenarioRun[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="running-runs">
        <thead><tr><th>Scenario</th><th>Status</th><th>Progress</th><th>Speed</th><th>Started</th><th>Controls</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{r.scenario_name}</td>
              <td><RunStatusBadge status={r.status} /></td>
              <td><Progress run={r} /></td>
              <td>{r.speed}×</td>
              <td title={formatDateTime(r.started_at)}>{formatRelative(r.started_at)}</td>
              <td><RunControls run={r} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RecentRuns({ runs }: { runs: ScenarioRun[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="recent-runs">
        <thead><tr><th>Scenario</th><th>Outcome</th><th>Events</th><th>Started</th><th>Ended</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{r.scenario_name}</td>
              <td>
                <RunStatusBadge status={r.status} />
                {r.error_message && <div className="field-error small">{r.error_message}</div>}
              </td>
              <td>{r.events_generated} / {r.events_total}</td>
              <td>{formatDateTime(r.started_at)}</td>
              <td>{formatDateTime(r.completed_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
