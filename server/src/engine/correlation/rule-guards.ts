// Guards: a second necessary condition checked before a rule is evaluated. A rule filed
// under an exact anchor (the program is powershell.exe) usually also requires substrings of
// another field (the command line contains "-enc" or "-encodedcommand"): its guard. Each
// bucket scans an event's guarded fields once, with one automaton for the needles of every
// rule, so the dozens of rules watching a common program are evaluated only for the events
// that carry one of their substrings, instead of each testing its own list.
import type { AnchorAlt } from '../rules/anchors.ts';
import type { CompiledRule } from '../rules/compile.ts';
import { fieldGetter, textOf, type FieldGetter } from '../rules/fields.ts';
import { mayFold } from '../rules/fold.ts';
import type { EngineEvent } from './event.ts';
import type { RuleRuntime } from './runtime.ts';
import { SubstringSet } from './substrings.ts';

export interface GuardProbe {
  readonly field: string;
  readonly text: (e: EngineEvent) => string | null;
  readonly needles: SubstringSet;
  /** Rules by needle id. */
  readonly rules: RuleRuntime[][];
}

/** A needle this short is in most texts: guarding on it saves nothing. */
const MIN_NEEDLE = 3;

/** The rule's guard: a substring anchor on one field whose shortest needle is the longest, or null. */
export function guardOf(rule: CompiledRule): AnchorAlt | null {
  let best: AnchorAlt | null = null;
  let bestLength = MIN_NEEDLE - 1;
  for (const anchor of rule.anchors) {
    if (anchor.length !== 1 || anchor[0]!.derive !== 'contains') continue;
    const shortest = Math.min(...anchor[0]!.keys.map((k) => k.length));
    if (shortest > bestLength) [best, bestLength] = [anchor[0]!, shortest];
  }
  return best;
}

/** The guard probes of a bucket's rules (one per guarded field); marks each guarded runtime. */
export function buildGuards(runtimes: readonly RuleRuntime[]): GuardProbe[] {
  const byField = new Map<string, Map<string, RuleRuntime[]>>();
  for (const runtime of runtimes) {
    const guard = guardOf(runtime.rule);
    runtime.guarded = guard !== null;
    if (guard === null) continue;
    let needles = byField.get(guard.field);
    if (needles === undefined) byField.set(guard.field, (needles = new Map()));
    for (const key of guard.keys) {
      const list = needles.get(key);
      if (list === undefined) needles.set(key, [runtime]);
      else if (!list.includes(runtime)) list.push(runtime);
    }
  }
  return [...byField].map(([field, needles]) => substringProbe(field, needles));
}

/** A field's text, lower-cased (copied only when lower-casing changes it); null when it has none. */
export function loweredText(get: FieldGetter): (e: EngineEvent) => string | null {
  return (e) => {
    const text = textOf(get(e));
    return text === null ? null : mayFold(text) ? text.toLowerCase() : text;
  };
}

/** One field's lower-cased text and an automaton of needles, each with the rules filed under it. */
export function substringProbe(field: string, needles: ReadonlyMap<string, RuleRuntime[]>): GuardProbe {
  const set = new SubstringSet();
  const rules: RuleRuntime[][] = [];
  for (const [needle, list] of needles) {
    set.add(needle, rules.length);
    rules.push(list);
  }
  const get = fieldGetter(field)!;
  return {
    field,
    text: loweredText(get),
    needles: set.build(),
    rules,
  };
}
