// The field names a rule reads, each with where it is named (a path relative to
// `conditions`): filter keys at any depth (event_filter, every step's, every exception),
// group_by and aggregation_field. Pure; the rules service compares them with the fields
// stored events carry to warn about a name no event has (a typo, or a source not yet sent).
import { ruleFieldKind, type RuleFieldKind } from '@siem/contracts';

export interface NamedField {
  name: string;
  kind: RuleFieldKind;
  /** Where the name appears, relative to `conditions` (`event_filter.any.1.process.name`). */
  path: string;
}

const COMBINATORS = new Set(['all', 'any', 'not']);
const MAX_DEPTH = 40;

function fromFilter(filter: unknown, path: string, out: NamedField[], depth: number): void {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter) || depth > MAX_DEPTH) return;
  for (const [key, value] of Object.entries(filter)) {
    const at = `${path}.${key}`;
    if (COMBINATORS.has(key)) {
      if (Array.isArray(value)) value.forEach((sub, i) => fromFilter(sub, `${at}.${i}`, out, depth + 1));
      else fromFilter(value, at, out, depth + 1);
      continue;
    }
    const kind = ruleFieldKind(key);
    if (kind !== null) out.push({ name: key, kind, path: at });
  }
}

function fromNames(value: unknown, path: string, out: NamedField[]): void {
  const names = Array.isArray(value) ? value.map((v, i) => [v, `${path}.${i}`] as const) : [[value, path] as const];
  for (const [name, at] of names) {
    if (typeof name !== 'string') continue;
    const kind = ruleFieldKind(name);
    if (kind !== null) out.push({ name, kind, path: at });
  }
}

export function fieldNamesOf(conditions: unknown): NamedField[] {
  const out: NamedField[] = [];
  if (typeof conditions !== 'object' || conditions === null) return out;
  const c = conditions as Record<string, unknown>;
  fromFilter(c.event_filter, 'event_filter', out, 0);
  if (Array.isArray(c.steps)) {
    c.steps.forEach((step, i) => {
      if (typeof step === 'object' && step !== null) fromFilter((step as Record<string, unknown>).event_filter, `steps.${i}.event_filter`, out, 0);
    });
  }
  if (Array.isArray(c.exceptions)) c.exceptions.forEach((f, i) => fromFilter(f, `exceptions.${i}`, out, 0));
  fromNames(c.group_by, 'group_by', out);
  fromNames(c.aggregation_field, 'aggregation_field', out);
  return out;
}
