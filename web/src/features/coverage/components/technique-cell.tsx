// One technique of the matrix: its id and name, shaded by enabled rules or alerts, with
// links to the rules that name it and to its alerts.
import { Link } from 'react-router';
import { mitreUrl } from '../../../lib/mitre.ts';
import { techniqueName } from '../../../lib/attack-matrix.ts';
import type { Cell, ShadeBy } from '../utils/matrix.ts';
import { cellValue, shadeLevel } from '../utils/matrix.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `since`: the start of the chosen period (ISO), so the alert link lists the alerts counted here. */
export function TechniqueCell({ cell, by, max, since }: { cell: Cell; by: ShadeBy; max: number; since?: string | undefined }) {
  const level = shadeLevel(cellValue(cell, by), max);
  const disabledOnly = cell.rules.length > 0 && cell.enabledRules === 0;
  const title = [
    `${cell.technique} ${cell.name}`,
    ...cell.named.filter((t) => t !== cell.technique).map((t) => `${t} ${techniqueName(t) ?? ''}`.trim()),
    ...cell.rules.map((r) => `• ${r.name}${r.enabled ? '' : ' (disabled)'}`),
  ].join('\n');
  return (
    <li className={`tcell shade-${by}-${level}${disabledOnly ? ' tcell-disabled' : ''}`} title={title}
      data-testid="technique-cell" data-technique={cell.technique} data-level={level}>
      <div className="tcell-head">
        <a className="tcell-id mono" href={mitreUrl(cell.technique) ?? undefined} target="_blank" rel="noopener noreferrer">{cell.technique}</a>
        <span className="tcell-name">{cell.name}</span>
      </div>
      {cell.rules.length > 0 || cell.alerts > 0 ? (
        <div className="tcell-links">
          {cell.rules.length > 0 && (
            <Link to={`/rules?technique=${encodeURIComponent(cell.technique)}`}>
              {plural(cell.enabledRules, 'rule')}{cell.rules.length > cell.enabledRules ? ` (+${cell.rules.length - cell.enabledRules} off)` : ''}
            </Link>
          )}
          <Link to={`/alerts?technique=${encodeURIComponent(cell.technique)}${since ? `&since=${encodeURIComponent(since)}` : ''}`}>{plural(cell.alerts, 'alert')}</Link>
        </div>
      ) : null}
    </li>
  );
}
