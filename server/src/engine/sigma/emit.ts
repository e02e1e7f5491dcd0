// The condition tree -> a filter of our rule language. AND becomes one object (a repeated
// key goes into `all`), OR `any` (alternatives on one field share the field's value list),
// NOT the negated operator when there is one, else `not`. Constants fold away. The
// language's bounds (64 items per combinator, 16 levels, 2,000 predicates) are held here.
import { SigmaRefusal, type Filter, type Node, type OperatorObject } from './types.ts';

export const FILTER_LIMITS = { maxItems: 64, maxDepth: 16, maxPredicates: 2000 } as const;
const NEGATABLE: ReadonlySet<string> = new Set(['equals', 'contains', 'startswith', 'endswith', 'wildcard', 'regex', 'cidr']);
const COMBINATORS: ReadonlySet<string> = new Set(['any', 'all', 'not']);

/** Flattens nested and/or, folds constants; returns a const node when the whole tree is constant. */
export function simplify(node: Node): Node {
  switch (node.kind) {
    case 'test':
    case 'const':
      return node;
    case 'not': {
      const inner = simplify(node.item);
      if (inner.kind === 'const') return { kind: 'const', value: !inner.value };
      if (inner.kind === 'not') return inner.item;
      return { kind: 'not', item: inner };
    }
    case 'and':
    case 'or': {
      const neutral = node.kind === 'and';
      const items: Node[] = [];
      for (const child of node.items.map(simplify)) {
        if (child.kind === 'const') {
          if (child.value !== neutral) return { kind: 'const', value: !neutral };
          continue;
        }
        if (child.kind === node.kind) items.push(...child.items);
        else items.push(child);
      }
      if (items.length === 0) return { kind: 'const', value: neutral };
      return items.length === 1 ? items[0]! : { kind: node.kind, items };
    }
  }
}

function chunked(kind: 'any' | 'all', filters: Filter[]): Filter[] {
  let list = filters;
  while (list.length > FILTER_LIMITS.maxItems) {
    const next: Filter[] = [];
    for (let i = 0; i < list.length; i += FILTER_LIMITS.maxItems) {
      const chunk = list.slice(i, i + FILTER_LIMITS.maxItems);
      next.push(chunk.length === 1 ? chunk[0]! : { [kind]: chunk });
    }
    list = next;
  }
  return list;
}

const isOperatorObject = (v: unknown): v is OperatorObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const singleOp = (test: OperatorObject): string | null => {
  const ops = Object.keys(test).filter((k) => k !== 'cased' && k !== 'of');
  return ops.length === 1 ? ops[0]! : null;
};

/** NOT of one field test (also a merged list of values) is that test's negated operator: `not_contains`, exists flipped. */
function emitNot(item: Node): Filter {
  const inner = emit(item);
  const keys = Object.keys(inner);
  if (keys.length === 1 && !COMBINATORS.has(keys[0]!)) {
    const field = keys[0]!;
    const test = inner[field];
    if (isOperatorObject(test) && isNegatable(test)) {
      const op = singleOp(test)!;
      if (op === 'exists') return { [field]: { exists: !test.exists } };
      const { [op]: operand, ...rest } = test;
      return { [field]: { [`not_${op}`]: operand, ...rest } };
    }
  }
  return { not: inner };
}

function isNegatable(test: OperatorObject): boolean {
  const op = singleOp(test);
  if (op === null || test.of === 'all') return false;
  return (op === 'exists' && typeof test.exists === 'boolean') || NEGATABLE.has(op);
}

type OrSlot = { kind: 'field'; field: string; tests: OperatorObject[] } | { kind: 'filter'; filter: Filter };

function emitOr(items: Node[]): Filter {
  // Alternatives on one field: one value list ([{contains: [...]}, {exists: false}]), at the field's first place.
  const slots: OrSlot[] = [];
  const byField = new Map<string, OrSlot & { kind: 'field' }>();
  for (const item of items) {
    if (item.kind !== 'test') {
      slots.push({ kind: 'filter', filter: emit(item) });
      continue;
    }
    let slot = byField.get(item.field);
    if (!slot) {
      slot = { kind: 'field', field: item.field, tests: [] };
      byField.set(item.field, slot);
      slots.push(slot);
    }
    slot.tests.push(item.test);
  }
  const filters = slots.map((s) =>
    s.kind === 'filter' ? s.filter : { [s.field]: s.tests.length === 1 ? s.tests[0] : mergeAlternatives(s.tests) },
  );
  if (filters.length === 1) return filters[0]!;
  return { any: chunked('any', filters) };
}

/** Same operator and flags: one object with the operands joined; else a value list of objects. */
function mergeAlternatives(tests: OperatorObject[]): OperatorObject | OperatorObject[] {
  const merged: OperatorObject[] = [];
  for (const test of tests) {
    const op = singleOp(test);
    const target = op && test.of !== 'all' && op !== 'exists' && !/^[gl]te?$/.test(op)
      ? merged.find((m) => singleOp(m) === op && m.of !== 'all' && m.cased === test.cased)
      : undefined;
    if (!target) {
      merged.push({ ...test });
      continue;
    }
    const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
    const joined = [...new Set([...list(target[op!]), ...list(test[op!])])];
    if (joined.length > 1000) merged.push({ ...test });
    else target[op!] = joined;
  }
  return merged.length === 1 ? merged[0]! : merged;
}

/** Two operator objects on one field under AND: one object when their operators differ and their modifiers agree. */
function mergeable(a: unknown, b: unknown): boolean {
  if (!isOperatorObject(a) || !isOperatorObject(b)) return false;
  if (a.cased !== b.cased || a.of !== b.of) return false;
  const ops = (o: OperatorObject) => Object.keys(o).filter((k) => k !== 'cased' && k !== 'of');
  const left = new Set(ops(a));
  return ops(b).every((op) => !left.has(op));
}

function emitAnd(items: Node[]): Filter {
  const out: Filter = {};
  const extra: Filter[] = [];
  for (const item of items) {
    const filter = emit(item);
    for (const [key, value] of Object.entries(filter)) {
      if (key === 'all') extra.push(...(value as Filter[]));
      else if (!Object.hasOwn(out, key)) out[key] = value;
      else if (!COMBINATORS.has(key) && mergeable(out[key], value)) out[key] = { ...(out[key] as OperatorObject), ...(value as OperatorObject) };
      else extra.push({ [key]: value });
    }
  }
  if (extra.length > 0) {
    const all = chunked('all', extra);
    if (all.length === 1 && !Object.keys(all[0]!).some((k) => Object.hasOwn(out, k))) Object.assign(out, all[0]);
    else out.all = all;
  }
  return out;
}

function emit(node: Node): Filter {
  switch (node.kind) {
    case 'test':
      return { [node.field]: node.test };
    case 'not':
      return emitNot(node.item);
    case 'or':
      return emitOr(node.items);
    case 'and':
      return emitAnd(node.items);
    case 'const':
      // simplify() removed every constant below the root.
      throw new Error('constant inside a simplified tree');
  }
}

function measure(value: unknown, depth: number, acc: { predicates: number; depth: number }): void {
  if (Array.isArray(value)) {
    for (const v of value) measure(v, depth, acc);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  acc.depth = Math.max(acc.depth, depth);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (COMBINATORS.has(key)) measure(v, depth + 1, acc);
    else acc.predicates += Array.isArray(v) ? Math.max(1, v.length) : 1;
  }
}

/** The filter for a condition tree; refuses a tree that never matches or breaks the language's bounds. */
export function toFilter(node: Node): Filter {
  const simple = simplify(node);
  if (simple.kind === 'const') {
    if (simple.value) return {};
    throw new SigmaRefusal('the condition can never match', { field: 'condition' });
  }
  const filter = emit(simple);
  const acc = { predicates: 0, depth: 1 };
  measure(filter, 1, acc);
  if (acc.depth > FILTER_LIMITS.maxDepth) throw new SigmaRefusal(`the condition nests deeper than ${FILTER_LIMITS.maxDepth} levels`, { field: 'condition' });
  if (acc.predicates > FILTER_LIMITS.maxPredicates) {
    throw new SigmaRefusal(`the condition holds more than ${FILTER_LIMITS.maxPredicates} tests`, { field: 'condition' });
  }
  return filter;
}
