// Where each error of a rule goes: server and local details are keyed by form path
// (`conditions.event_filter.any.0.user.name.in_list`); an error inside a filter goes to
// the deepest node whose path is a prefix of it, a known input's error to that input, and
// whatever maps to nothing visible to the summary above the buttons.
import type { FieldErrors } from '../../../lib/form-errors.ts';
import type { PathMap } from './filter-tree.ts';
import type { RuleDraft } from './rule-draft.ts';

export interface PlacedErrors {
  /** Node id -> message, for every filter tree of the form. */
  byNode: Map<string, string>;
  /** Error keys shown at an input or a node (the rest is the summary). */
  placed: Set<string>;
}

const within = (key: string, path: string) => key === path || key.startsWith(`${path}.`);

/** The condition keys with an input for this rule type (and their sub-paths). */
function inputKeys(d: RuleDraft): string[] {
  const keys = ['name', 'description', 'severity', 'rule_type', 'enabled', 'mitre_tactic', 'mitre_technique', 'cooldown_seconds', 'tags'];
  if (d.suppression.enabled) keys.push('suppression');
  const c = ['group_by', 'exceptions'];
  if (d.rule_type !== 'single') c.push('window_seconds');
  if (d.rule_type === 'threshold' || d.rule_type === 'aggregation') c.push('threshold');
  if (d.rule_type === 'aggregation') c.push('aggregation', 'aggregation_field');
  if (d.rule_type === 'sequence') {
    c.push('steps', 'ordered');
    d.steps.forEach((_, i) => c.push(`steps.${i}.count`));
  }
  return [...keys, ...c.map((k) => `conditions.${k}`)];
}

export function placeErrors(errors: FieldErrors, draft: RuleDraft, trees: PathMap[]): PlacedErrors {
  const byNode = new Map<string, string>();
  const placed = new Set<string>();
  const nodes = trees.flatMap((paths) => [...paths.entries()]);
  const inputs = inputKeys(draft);
  for (const [key, message] of Object.entries(errors)) {
    if (key === '_form' || key === '_code') continue;
    let best: [string, string] | null = null;
    for (const [id, path] of nodes) if (within(key, path) && (!best || path.length > best[1].length)) best = [id, path];
    if (best) {
      if (!byNode.has(best[0])) byNode.set(best[0], message);
      placed.add(key);
      continue;
    }
    // `conditions.steps` itself is the steps section's; its sub-paths belong to the steps.
    if (inputs.some((k) => key === k || (k !== 'conditions.steps' && within(key, k)))) placed.add(key);
  }
  return { byNode, placed };
}

/** The message of an input (its own key or any sub-path: `conditions.group_by.1`). */
export function inputError(errors: FieldErrors, key: string): string | undefined {
  return errors[key] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1];
}
