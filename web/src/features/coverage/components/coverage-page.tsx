// /coverage: the ATT&CK matrix of what the rules cover. Tactics are columns, techniques
// cells shaded by enabled rules or, on the toggle, by alerts in the chosen period; each
// cell links to its rules and its alerts. Settings live in the URL (shareable).
import { useSearchParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { COVERAGE_PERIODS, useCoverage } from '../api/coverage.ts';
import { buildMatrix, summarize } from '../utils/matrix.ts';
import type { ShadeBy } from '../utils/matrix.ts';
import { TechniqueCell } from './technique-cell.tsx';
import './coverage.css';

export default function CoveragePage() {
  const [params, setParams] = useSearchParams();
  const by: ShadeBy = params.get('by') === 'alerts' ? 'alerts' : 'rules';
  const hours = COVERAGE_PERIODS.find((p) => String(p.hours) === params.get('hours'))?.hours ?? COVERAGE_PERIODS[0].hours;
  const onlyCovered = params.get('covered') === '1';
  const coverage = useCoverage(hours);
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };
  const columns = buildMatrix(coverage.data, { onlyCovered });
  const summary = summarize(columns, by);
  const period = COVERAGE_PERIODS.find((p) => p.hours === hours)!.label;
  return (
    <div className="page page-wide">
      <header className="page-head">
        <h1>ATT&amp;CK coverage</h1>
        {coverage.isFetching && !coverage.isPending && <span className="muted" aria-live="polite">Updating…</span>}
      </header>
      <div className="filters card coverage-controls" role="group" aria-label="Coverage view">
        <div className="seg" role="group" aria-label="Shade by">
          <button type="button" className="btn btn-small" aria-pressed={by === 'rules'} onClick={() => setParam('by', null)}>Enabled rules</button>
          <button type="button" className="btn btn-small" aria-pressed={by === 'alerts'} onClick={() => setParam('by', 'alerts')}>Alerts</button>
        </div>
        <div className="field">
          <label htmlFor="coverage-period">Alerts over</label>
          <select id="coverage-period" value={hours} onChange={(e) => setParam('hours', e.target.value === '24' ? null : e.target.value)}>
            {COVERAGE_PERIODS.map((p) => <option key={p.hours} value={p.hours}>the last {p.label}</option>)}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={onlyCovered} onChange={(e) => setParam('covered', e.target.checked ? '1' : null)} /> Only techniques with rules
        </label>
        <p className="muted small coverage-summary" data-testid="coverage-summary">
          {summary.covered} technique{summary.covered === 1 ? '' : 's'} covered by enabled rules
          {summary.disabledOnly > 0 ? `, ${summary.disabledOnly} by disabled rules only` : ''}; {summary.alerts} alert{summary.alerts === 1 ? '' : 's'} in the last {period}.
        </p>
      </div>
      {coverage.isPending ? <Loading label="Loading coverage…" /> : coverage.error && !coverage.data ? (
        <ErrorState error={coverage.error} onRetry={() => void coverage.refetch()} />
      ) : (
        <div className="matrix-wrap card" data-testid="coverage-matrix">
          <div className="matrix">
            {columns.map((col) => (
              <section key={col.id} className="tactic" aria-labelledby={`tactic-${col.id}`}>
                <h2 id={`tactic-${col.id}`} className="tactic-head">
                  <span>{col.name}</span>
                  <span className="muted small mono">{col.id === 'other' ? 'not in catalog' : col.id}</span>
                </h2>
                <ul className="tcells">
                  {col.cells.map((cell) => <TechniqueCell key={cell.technique} cell={cell} by={by} max={summary.max} since={coverage.data?.from} />)}
                  {col.cells.length === 0 && <li className="muted small">None</li>}
                </ul>
              </section>
            ))}
          </div>
        </div>
      )}
      <p className="muted small legend">
        Shade: {by === 'rules' ? 'enabled rules naming the technique (its sub-techniques included)' : `alerts in the last ${period}`}; darker is more.
        A dashed cell has rules, all disabled.
      </p>
    </div>
  );
}
