// A Sigma `detection` block -> one condition node: each selection (a map is an AND of its
// fields, a list of maps an OR, a list of strings keywords searched in the message) is
// built once, then the condition expression combines them. Fields go through the taxonomy;
// an unmapped one falls back to where our parsers keep unknown keys, with a warning.
import { parseCondition, resolveCondition } from './condition.ts';
import { mapField } from './taxonomy/index.ts';
import type { Logsource } from './taxonomy/types.ts';
import { fieldNode } from './values.ts';
import { and, or, SigmaRefusal, type Node, type TranslateContext } from './types.ts';

/** The field unfielded Sigma values (keywords) are searched in. */
export const KEYWORD_FIELD = 'message';
export const MAX_SELECTIONS = 256;
const MATCH_MODIFIERS = new Set(['contains', 'startswith', 'endswith', 're', 'cidr', 'gt', 'gte', 'lt', 'lte', 'exists']);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function entryNode(key: string, value: unknown, ctx: TranslateContext): Node {
  const [name = '', ...modifiers] = key.split('|');
  const field = name.trim();
  if (field === '') return keywordNode(value, modifiers);
  const mapped = mapField(field, ctx.logsource as Logsource);
  if (mapped.fallback) ctx.fallbacks.set(field, mapped.field);
  return fieldNode(mapped.field, field, modifiers, value);
}

/** Keywords: a value anywhere in the message (Sigma full-text search), case-insensitively. */
function keywordNode(value: unknown, modifiers: string[]): Node {
  const hasMatch = modifiers.some((m) => MATCH_MODIFIERS.has(m.trim()));
  return fieldNode(KEYWORD_FIELD, 'keywords', hasMatch ? modifiers : [...modifiers, 'contains'], value);
}

function mapNode(selection: Record<string, unknown>, ctx: TranslateContext): Node {
  const entries = Object.entries(selection);
  if (entries.length === 0) throw new SigmaRefusal('an empty selection');
  return and(entries.map(([key, value]) => entryNode(key, value, ctx)));
}

export function selectionNode(name: string, selection: unknown, ctx: TranslateContext): Node {
  try {
    if (isMap(selection)) return mapNode(selection, ctx);
    if (Array.isArray(selection)) {
      if (selection.length === 0) throw new SigmaRefusal('an empty selection');
      const keywords = selection.filter((item) => !isMap(item));
      const maps = selection.filter(isMap);
      const nodes = maps.map((m) => mapNode(m, ctx));
      if (keywords.length > 0) nodes.push(keywordNode(keywords, []));
      return or(nodes);
    }
    if (typeof selection === 'string' || typeof selection === 'number') return keywordNode(selection, []);
    throw new SigmaRefusal('a selection must be a map of fields, a list of maps or a list of keywords');
  } catch (err) {
    if (err instanceof SigmaRefusal && err.field === undefined) throw new SigmaRefusal(err.message, { field: name, modifier: err.modifier });
    throw err;
  }
}

/** The detection block's condition as one node (several conditions: any of them). */
export function detectionNode(detection: unknown, ctx: TranslateContext): Node {
  if (!isMap(detection)) throw new SigmaRefusal('detection must be a map', { field: 'detection' });
  const condition = detection.condition;
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (conditions.length === 0 || conditions.some((c) => typeof c !== 'string' || c.trim() === '')) {
    throw new SigmaRefusal('detection.condition must be a non-empty string (or a list of them)', { field: 'condition' });
  }
  if (detection.timeframe !== undefined && !conditions.some((c) => (c as string).includes('|'))) {
    ctx.warnings.push('detection.timeframe is ignored (it only means something with an aggregation)');
  }
  const names = Object.keys(detection).filter((k) => k !== 'condition' && k !== 'timeframe');
  if (names.length > MAX_SELECTIONS) throw new SigmaRefusal(`more than ${MAX_SELECTIONS} selections`, { field: 'detection' });
  const built = new Map<string, Node>();
  const selection = (name: string): Node => {
    let node = built.get(name);
    if (!node) {
      node = selectionNode(name, detection[name], ctx);
      built.set(name, node);
    }
    return node;
  };
  return or(conditions.map((c) => resolveCondition(parseCondition(c as string), names, selection)));
}
