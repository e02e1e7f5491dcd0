// ATT&CK coverage: which techniques the rules name (primary technique and, for imported
// rules, their full technique list), how many of those rules are enabled, and how many
// alerts each technique saw in a period.
import type { Coverage, CoverageTechnique } from '@siem/contracts';
import type { CoverageRepo, RuleTechniques } from '../store/coverage-repo.ts';

const TECHNIQUE = /^T\d{4}(?:\.\d{3})?$/;
const TACTIC = /^TA\d{4}$/;

/** Technique ids a rule names, normalized (T1110.001), without duplicates or malformed ids. */
export function ruleTechniques(rule: Pick<RuleTechniques, 'mitre_technique' | 'mitre_techniques'>): string[] {
  const list = Array.isArray(rule.mitre_techniques) ? rule.mitre_techniques : [];
  const all = [rule.mitre_technique, ...list].filter((t): t is string => typeof t === 'string').map((t) => t.trim().toUpperCase());
  return [...new Set(all.filter((t) => TECHNIQUE.test(t)))];
}

export function createCoverageService(deps: { coverage: CoverageRepo; clock?: () => number }) {
  const clock = deps.clock ?? Date.now;

  return {
    async coverage(hours: number): Promise<Coverage> {
      const to = clock();
      const from = to - hours * 3_600_000;
      const [rules, counts] = await Promise.all([deps.coverage.rules(), deps.coverage.alertCounts(from, to)]);
      const byTechnique = new Map<string, CoverageTechnique>();
      const entry = (technique: string) => {
        let e = byTechnique.get(technique);
        if (!e) {
          e = { technique, tactic: null, rules: [], enabled_rules: 0, alerts: 0 };
          byTechnique.set(technique, e);
        }
        return e;
      };
      const techniquesOfRule = new Map<string, string[]>();
      for (const rule of rules) {
        const techniques = ruleTechniques(rule);
        techniquesOfRule.set(rule.id, techniques);
        const tactic = rule.mitre_tactic && TACTIC.test(rule.mitre_tactic.trim().toUpperCase()) ? rule.mitre_tactic.trim().toUpperCase() : null;
        for (const t of techniques) {
          const e = entry(t);
          e.rules.push({ id: rule.id, name: rule.name, enabled: rule.enabled, rule_type: rule.rule_type });
          if (rule.enabled) e.enabled_rules++;
          e.tactic ??= tactic;
        }
      }
      // An alert counts for the technique it carries and for every other technique of its
      // rule (an imported rule names several; the alert copies only the first).
      for (const c of counts) {
        const own = c.technique?.trim().toUpperCase();
        const techniques = new Set([...(own && TECHNIQUE.test(own) ? [own] : []), ...(techniquesOfRule.get(c.rule_id) ?? [])]);
        for (const t of techniques) entry(t).alerts += c.count;
      }
      const techniques = [...byTechnique.values()].sort((a, b) => a.technique.localeCompare(b.technique));
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), techniques };
    },
  };
}
export type CoverageService = ReturnType<typeof createCoverageService>;
