// The coverage matrix: tactic columns in ATT&CK order, sub-techniques folded into their
// parent's cell (rules counted once), a technique in several tactics shown in each,
// techniques outside the catalog in "Other", and shading relative to the busiest cell.
import { describe, expect, it } from 'vitest';
import type { Coverage } from '@siem/contracts';
import { buildMatrix, shadeLevel, summarize } from '../../src/features/coverage/utils/matrix.ts';
import { ATTACK_TACTICS, techniqueName } from '../../src/lib/attack-matrix.ts';
import { ruleHasTechnique } from '../../src/features/rules/utils/technique-filter.ts';

const rule = (id: string, enabled = true) => ({ id: id.padStart(24, '0'), name: `rule ${id}`, enabled, rule_type: 'threshold' });
const data: Coverage = {
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-02T00:00:00.000Z',
  techniques: [
    { technique: 'T1110', tactic: 'TA0006', rules: [rule('1')], enabled_rules: 1, alerts: 2 },
    { technique: 'T1110.001', tactic: 'TA0006', rules: [rule('1'), rule('2', false)], enabled_rules: 1, alerts: 5 },
    { technique: 'T1078', tactic: 'TA0001', rules: [rule('3', false)], enabled_rules: 0, alerts: 0 },
    { technique: 'T9999', tactic: null, rules: [rule('4')], enabled_rules: 1, alerts: 1 },
  ],
};

describe('coverage matrix', () => {
  it('puts tactics in ATT&CK order, from Reconnaissance to Impact', () => {
    expect(ATTACK_TACTICS[0]!.id).toBe('TA0043');
    expect(ATTACK_TACTICS.at(-1)!.id).toBe('TA0040');
    expect(ATTACK_TACTICS.map((t) => t.id)).toContain('TA0011');
    expect(techniqueName('T1110.003')).toBe('Brute Force: Password Spraying');
  });

  it('folds sub-techniques into the parent cell and counts each rule once', () => {
    const columns = buildMatrix(data, { onlyCovered: true });
    const cred = columns.find((c) => c.id === 'TA0006')!;
    expect(cred.cells).toHaveLength(1);
    expect(cred.cells[0]).toMatchObject({ technique: 'T1110', enabledRules: 1, alerts: 7, named: ['T1110', 'T1110.001'] });
    expect(cred.cells[0]!.rules).toHaveLength(2);
    // Valid Accounts sits under four tactics.
    expect(columns.filter((c) => c.cells.some((x) => x.technique === 'T1078')).map((c) => c.id)).toEqual(['TA0001', 'TA0003', 'TA0004', 'TA0005']);
    expect(columns.at(-1)).toMatchObject({ id: 'other', cells: [{ technique: 'T9999' }] });
    expect(buildMatrix(data, { onlyCovered: false }).find((c) => c.id === 'TA0006')!.cells.length).toBeGreaterThan(10);
  });

  it('sums up and shades on a log scale', () => {
    const s = summarize(buildMatrix(data, { onlyCovered: false }), 'rules');
    expect(s).toMatchObject({ covered: 2, disabledOnly: 1, alerts: 8, max: 1 });
    expect(shadeLevel(0, 10)).toBe(0);
    expect(shadeLevel(1, 1)).toBe(4);
    expect(shadeLevel(1, 100)).toBe(1);
    expect(shadeLevel(100, 100)).toBe(4);
  });

  it('filters rules by technique, sub-techniques and imported technique lists included', () => {
    expect(ruleHasTechnique({ mitre_technique: 'T1110.001' }, 'T1110')).toBe(true);
    expect(ruleHasTechnique({ mitre_technique: 'T1110' }, 't1110.001')).toBe(false);
    expect(ruleHasTechnique({ mitre_technique: 'T11100' }, 'T1110')).toBe(false);
    expect(ruleHasTechnique({ mitre_technique: null, mitre_techniques: ['T1059.001', 'T1027'] }, 'T1027')).toBe(true);
  });
});
