// The coverage matrix from the server's per-technique figures: one column per tactic in
// ATT&CK order, one cell per parent technique (sub-techniques folded in), plus an "Other"
// column for techniques the catalog does not list. Shading is a level 0..4 relative to the
// busiest cell, so a single rule still shows and a hundred alerts do not wash out the rest.
import type { Coverage, CoverageRule } from '@siem/contracts';
import { ATTACK_TACTICS, parentTechnique, tacticsOf, techniqueName } from '../../../lib/attack-matrix.ts';

export interface Cell {
  technique: string;
  name: string;
  /** Sub-technique ids (and the parent itself) the rules name, sorted. */
  named: string[];
  rules: CoverageRule[];
  enabledRules: number;
  alerts: number;
}

export interface Column {
  id: string;
  name: string;
  cells: Cell[];
}

export type ShadeBy = 'rules' | 'alerts';

export const OTHER_COLUMN = 'other';

function foldTechniques(data: Coverage): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const t of data.techniques) {
    const parent = parentTechnique(t.technique);
    let cell = cells.get(parent);
    if (!cell) {
      cell = { technique: parent, name: techniqueName(parent) ?? parent, named: [], rules: [], enabledRules: 0, alerts: 0 };
      cells.set(parent, cell);
    }
    cell.named.push(t.technique);
    cell.alerts += t.alerts;
    for (const r of t.rules) if (!cell.rules.some((x) => x.id === r.id)) cell.rules.push(r);
  }
  for (const cell of cells.values()) {
    cell.enabledRules = cell.rules.filter((r) => r.enabled).length;
    cell.named.sort();
  }
  return cells;
}

const emptyCell = (technique: string): Cell => ({ technique, name: techniqueName(technique) ?? technique, named: [], rules: [], enabledRules: 0, alerts: 0 });

/** Columns in tactic order; `onlyCovered` keeps the cells some rule names. */
export function buildMatrix(data: Coverage | undefined, opts: { onlyCovered: boolean }): Column[] {
  const cells = data ? foldTechniques(data) : new Map<string, Cell>();
  const columns: Column[] = ATTACK_TACTICS.map((tactic) => ({
    id: tactic.id,
    name: tactic.name,
    cells: tactic.techniques.map((t) => cells.get(t) ?? emptyCell(t)).filter((c) => !opts.onlyCovered || c.rules.length > 0),
  }));
  const other = [...cells.values()].filter((c) => tacticsOf(c.technique).length === 0).sort((a, b) => a.technique.localeCompare(b.technique));
  if (other.length > 0) columns.push({ id: OTHER_COLUMN, name: 'Other', cells: other });
  return columns;
}

export const cellValue = (cell: Cell, by: ShadeBy): number => (by === 'rules' ? cell.enabledRules : cell.alerts);

/** 0 for nothing, else 1..4 on a log scale up to the busiest cell. */
export function shadeLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  if (max === 1) return 4;
  return Math.max(1, Math.min(4, Math.ceil((Math.log(value + 1) / Math.log(max + 1)) * 4)));
}

export interface CoverageSummary {
  covered: number;
  disabledOnly: number;
  alerts: number;
  max: number;
}

export function summarize(columns: Column[], by: ShadeBy): CoverageSummary {
  const seen = new Map<string, Cell>();
  for (const col of columns) for (const c of col.cells) seen.set(c.technique, c);
  const cells = [...seen.values()];
  return {
    covered: cells.filter((c) => c.enabledRules > 0).length,
    disabledOnly: cells.filter((c) => c.rules.length > 0 && c.enabledRules === 0).length,
    alerts: cells.reduce((n, c) => n + c.alerts, 0),
    max: Math.max(0, ...cells.map((c) => cellValue(c, by))),
  };
}
