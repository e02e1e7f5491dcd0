// The rule list's `?technique=` filter: a rule matches when its technique, or one of the
// techniques of an imported rule, is the one asked for or one of its sub-techniques
// (T1110 matches T1110.001).
export interface RuleTechniques {
  mitre_technique: string | null;
  mitre_techniques?: unknown;
}

const matches = (id: string, wanted: string) => id === wanted || id.startsWith(`${wanted}.`);

export function ruleHasTechnique(rule: RuleTechniques, wanted: string): boolean {
  const w = wanted.trim().toUpperCase();
  if (!w) return true;
  const list = Array.isArray(rule.mitre_techniques) ? rule.mitre_techniques : [];
  return [rule.mitre_technique, ...list].some((t) => typeof t === 'string' && matches(t.trim().toUpperCase(), w));
}
