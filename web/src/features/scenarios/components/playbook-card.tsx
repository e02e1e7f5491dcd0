// One playbook of the catalogue: what it plays, its MITRE tags, and a start button with
// a starting speed. An invalid file is listed with its problems and cannot start.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { PlaybookInfo } from '@siem/contracts';
import { Tag } from '../../../components/ui/badges.tsx';
import { FormError } from '../../../components/ui/states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { mitreUrl } from '../../../lib/mitre.ts';
import { toast } from '../../../lib/toast.ts';
import { useStartScenario } from '../api/start-scenario.ts';

export const SPEED_PRESETS = [0.5, 1, 2, 5, 10];

export function PlaybookCard({ playbook: p }: { playbook: PlaybookInfo }) {
  const [speed, setSpeed] = useState('1');
  const start = useStartScenario();
  const id = `speed-${p.filename.replace(/\W/g, '-')}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ filename: p.filename, speed: Number(speed) }, { onSuccess: (run) => toast.success(`Started "${run.scenario_name}" at ${run.speed}×`) });
  };
  return (
    <article className={`card playbook${p.valid ? '' : ' invalid'}`} aria-labelledby={`${id}-title`} data-testid={`playbook-${p.filename}`}>
      <header>
        <h3 id={`${id}-title`}>{p.name}</h3>
        <span className="muted small mono">{p.filename}</span>
      </header>
      {p.description && <p className="playbook-desc">{p.description}</p>}
      <div className="tags">
        {[...p.mitre_tactics, ...p.mitre_techniques].map((m) => <Tag key={m} href={mitreUrl(m)}>{m}</Tag>)}
      </div>
      <p className="muted small">{p.event_count} events</p>
      {p.valid ? (
        <form className="inline-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={id}>Speed ×</label>
            <input id={id} type="number" min={0.1} step={0.1} list="speed-presets" value={speed} onChange={(e) => setSpeed(e.target.value)} />
          </div>
          <button type="submit" className="btn btn-primary" disabled={start.isPending || !(Number(speed) > 0)}>
            {start.isPending ? 'Starting…' : 'Start'}
          </button>
        </form>
      ) : (
        <div className="state state-error" role="note">
          <strong>This playbook cannot run:</strong>
          <ul>{(p.errors ?? ['It is not valid.']).map((e) => <li key={e}>{e}</li>)}</ul>
        </div>
      )}
      <FormError message={start.error ? errorMessage(start.error) : null} />
    </article>
  );
}
