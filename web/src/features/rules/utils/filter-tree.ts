// A rule filter (docs/rules.md "Filters") as the tree the builder edits, and back.
// parseFilter keeps every operand as the JSON value it was, and the shape of each entry
// (a plain string, a list, an operator object), so a filter nobody edited serializes to
// exactly what was loaded; what the builder cannot show as rows is kept as a raw value.
// serializeFilter also returns, per node, the path its value has in the conditions, so
// server error paths can be shown at the row they name.
import { COMBINATORS, isModifier } from './operators.ts';

export interface Test {
  op: string;
  /** The operand as JSON: string, number, boolean or a list of them. */
  value: unknown;
}

export interface Predicate {
  kind: 'pred';
  id: string;
  field: string;
  /**
   * How it is written: `string` (exact, cased equality), `list` (any of these strings),
   * `object` (operators with modifiers), `raw` (anything else, kept verbatim in `raw`).
   */
  shape: 'string' | 'list' | 'object' | 'raw';
  tests: Test[];
  /** Modifiers as written; undefined = absent. */
  cased?: boolean;
  of?: 'all' | 'any';
  raw?: unknown;
}

export interface Group {
  kind: 'group';
  id: string;
  op: 'all' | 'any' | 'not';
  children: Node[];
  /**
   * An `all` group written as one filter object ({a, b}) inside a list, rather than as an
   * `all` entry ({all: [...]}). The root of every filter is such a group.
   */
  inline?: boolean;
}

export type Node = Predicate | Group;
export type FilterObject = Record<string, unknown>;

let serial = 0;
export const newId = (): string => `n${++serial}`;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isOperand = (v: unknown) => isScalar(v) || (Array.isArray(v) && v.every(isScalar));

function parsePredicate(field: string, value: unknown): Predicate {
  const base = { kind: 'pred' as const, id: newId(), field };
  if (typeof value === 'string') return { ...base, shape: 'string', tests: [{ op: 'equals', value }], cased: true };
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    return { ...base, shape: 'list', tests: [{ op: 'equals', value: [...value] }], cased: true };
  }
  if (isObject(value)) {
    const tests: Test[] = [];
    let ok = true;
    for (const [op, operand] of Object.entries(value)) {
      if (isModifier(op)) continue;
      if (!isOperand(operand)) ok = false;
      tests.push({ op, value: operand });
    }
    const cased = value.cased;
    const of = value.of;
    const modifiersOk = (cased === undefined || typeof cased === 'boolean') && (of === undefined || of === 'all' || of === 'any');
    if (ok && modifiersOk && tests.length > 0) {
      const p: Predicate = { ...base, shape: 'object', tests };
      if (cased !== undefined) p.cased = cased as boolean;
      if (of !== undefined) p.of = of as 'all' | 'any';
      return p;
    }
  }
  return { ...base, shape: 'raw', tests: [], raw: value };
}

function parseEntry(key: string, value: unknown): Node {
  if ((key === 'all' || key === 'any') && Array.isArray(value) && value.every(isObject)) {
    return { kind: 'group', id: newId(), op: key, children: value.map(parseMember) };
  }
  if (key === 'not' && isObject(value)) return { kind: 'group', id: newId(), op: 'not', children: parseEntries(value) };
  return parsePredicate(key, value);
}

/**
 * The entries of one filter object: field tests first, then groups. The store does not keep
 * key order (jsonb), and AND does not care, so this is the order the builder always shows.
 */
function parseEntries(obj: FilterObject): Node[] {
  const nodes = Object.entries(obj).map(([k, v]) => parseEntry(k, v));
  return [...nodes.filter((n) => n.kind === 'pred'), ...nodes.filter((n) => n.kind === 'group')];
}

/** One filter of an `all`/`any` list: a single entry stands alone, several are an inline `all`. */
function parseMember(obj: FilterObject): Node {
  const entries = parseEntries(obj);
  if (entries.length === 1) return entries[0]!;
  return { kind: 'group', id: newId(), op: 'all', inline: true, children: entries };
}

/** A filter object as its root group (an inline `all`); anything else is an empty filter. */
export function parseFilter(filter: unknown): Group {
  return { kind: 'group', id: newId(), op: 'all', inline: true, children: isObject(filter) ? parseEntries(filter) : [] };
}

/** The JSON value of a predicate: its original shape while that still says the same. */
export function predicateValue(p: Predicate): unknown {
  if (p.shape === 'raw') return p.raw;
  const only = p.tests.length === 1 ? p.tests[0]! : null;
  const exactEquality = only?.op === 'equals' && p.cased === true && p.of === undefined;
  if (p.shape === 'string' && exactEquality && typeof only!.value === 'string') return only!.value;
  if (p.shape === 'list' && exactEquality && Array.isArray(only!.value) && only!.value.length > 0 && only!.value.every((v) => typeof v === 'string')) {
    return only!.value;
  }
  const out: Record<string, unknown> = {};
  for (const t of p.tests) out[t.op] = t.value;
  if (p.cased !== undefined) out.cased = p.cased;
  if (p.of !== undefined) out.of = p.of;
  return out;
}

export type PathMap = Map<string, string>;

const isEmptyOperand = (v: unknown) => v === '' || (Array.isArray(v) && v.length === 0);
const isBlank = (p: Predicate) => p.field.trim() === '' && p.shape !== 'raw' && p.tests.every((t) => isEmptyOperand(t.value));
const join = (base: string, key: string | number) => (base ? `${base}.${key}` : String(key));

/**
 * The filter object of a list of nodes (AND). Two entries under the same key (the same
 * field twice, two `any` groups) cannot share one object: the later ones go into `all`.
 */
function objectOf(nodes: Node[], path: string, paths: PathMap): FilterObject {
  const out: FilterObject = {};
  const overflow: Node[] = [];
  for (const node of nodes) {
    // A row added and left empty is not a condition (it would only be an error).
    if (node.kind === 'pred' && isBlank(node)) continue;
    const key = node.kind === 'pred' ? node.field : node.op;
    if (node.kind === 'group' && node.inline && node.op === 'all') {
      overflow.push(node);
      continue;
    }
    if (key in out || (key === 'all' && overflow.length > 0)) overflow.push(node);
    else out[key] = entryValue(node, join(path, key), paths);
  }
  if (overflow.length > 0) {
    const existing = Array.isArray(out.all) ? (out.all as unknown[]) : [];
    const start = existing.length;
    out.all = [...existing, ...overflow.map((n, i) => memberOf(n, join(path, `all.${start + i}`), paths))];
  }
  return out;
}

function entryValue(node: Node, path: string, paths: PathMap): unknown {
  paths.set(node.id, path);
  if (node.kind === 'pred') return predicateValue(node);
  if (node.op === 'not') return objectOf(node.children, path, paths);
  return node.children.map((c, i) => memberOf(c, join(path, i), paths));
}

/** One item of an `all`/`any` list. */
function memberOf(node: Node, path: string, paths: PathMap): FilterObject {
  if (node.kind === 'group' && node.op === 'all' && node.inline) {
    paths.set(node.id, path);
    return objectOf(node.children, path, paths);
  }
  return objectOf([node], path, paths);
}

/** The filter object of a root group, and where each node's value sits (under `basePath`). */
export function serializeFilterWithPaths(root: Group, basePath: string): { filter: FilterObject; paths: PathMap } {
  const paths: PathMap = new Map([[root.id, basePath]]);
  const filter = root.op === 'all' ? objectOf(root.children, basePath, paths) : objectOf([root], basePath, paths);
  return { filter, paths };
}

export const serializeFilter = (root: Group): FilterObject => serializeFilterWithPaths(root, '').filter;

export const isCombinator = (key: string): boolean => (COMBINATORS as readonly string[]).includes(key);

/** Predicates in the tree, at every depth. */
export function countPredicates(node: Node): number {
  return node.kind === 'pred' ? 1 : node.children.reduce((n, c) => n + countPredicates(c), 0);
}

export function depthOf(node: Node): number {
  return node.kind === 'pred' ? 0 : 1 + Math.max(0, ...node.children.map(depthOf));
}

/** A new predicate row (the builder's "+ Condition"): exact equality, as a plain string. */
export const newPredicate = (field = '', value = ''): Predicate => ({ kind: 'pred', id: newId(), field, shape: 'string', tests: [{ op: 'equals', value }], cased: true });

/** A new sub-group; an `all` inside a list is written inline ({a, b}). */
export const newGroup = (op: Group['op'], parentOp: Group['op']): Group => ({
  kind: 'group',
  id: newId(),
  op,
  children: [newPredicate()],
  ...(op === 'all' && parentOp === 'any' ? { inline: true } : {}),
});

/** Replaces the node with `id` anywhere under `root` (null removes it). */
export function replaceNode(root: Group, id: string, next: Node | null): Group {
  const walk = (g: Group): Group => ({
    ...g,
    children: g.children.flatMap((c) => {
      if (c.id === id) return next ? [next] : [];
      return c.kind === 'group' ? [walk(c)] : [c];
    }),
  });
  return walk(root);
}
