// Which shared lists a rule names: the operands of in_list / not_in_list anywhere in its
// conditions (filters, steps, exceptions, nested any/all/not). Pure; used to tell which
// rules a list change touches and to refuse deleting a list in use.

/** Deeper than any valid rule (filters nest 16 levels inside a few levels of conditions). */
const MAX_DEPTH = 64;
/** Containers visited at most: a stored rule is bounded, this guards against anything else. */
const MAX_NODES = 100_000;
const LIST_OPERATORS: ReadonlySet<string> = new Set(['in_list', 'not_in_list']);

/** The list names a rule's conditions reference, each once, in order of appearance. */
export function referencedLists(conditions: unknown): string[] {
  const names = new Set<string>();
  const stack: { value: unknown; depth: number }[] = [{ value: conditions, depth: 0 }];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) continue;
    visited++;
    const children = Array.isArray(value) ? value : Object.entries(value as Record<string, unknown>).map(([key, child]) => {
      if (LIST_OPERATORS.has(key)) collect(child, names);
      return child;
    });
    // Reversed so the walk meets entries in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], depth: depth + 1 });
  }
  return [...names];
}

function collect(operand: unknown, into: Set<string>): void {
  if (typeof operand === 'string') {
    if (operand !== '') into.add(operand);
    return;
  }
  if (!Array.isArray(operand)) return;
  for (const item of operand) if (typeof item === 'string' && item !== '') into.add(item);
}
