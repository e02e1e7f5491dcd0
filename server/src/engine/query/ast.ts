// The syntax tree of a log search query. Every node keeps where it came from (0-based
// offset and length in the query text) so later stages (SQL, rule translation) can point
// at the part they refuse. Values are kept as literal text plus, for patterns, segments.

/** What a field name addresses (see fields.ts). */
export type FieldKind = 'column' | 'field' | 'normalized' | 'raw';
/** How a column compares: text, whole numbers, instants, severity ranks. */
export type ColumnType = 'text' | 'ip' | 'int' | 'time' | 'severity' | 'keyword';

export interface FieldRef {
  /** Canonical name: the column name, or the dotted name as rules spell it. */
  name: string;
  kind: FieldKind;
  /** For columns: the column and how it compares. */
  column?: string;
  type?: ColumnType;
  /** For fields / normalized / raw: the key (raw: the dotted path). */
  key?: string;
}

export interface Span {
  pos: number;
  len: number;
}

/** A wildcard pattern: literal runs and single wildcards, in order. */
export type PatternPart = string | { wild: '*' | '?' };

/** A value as written: literal text; `pattern` when it holds unescaped wildcards. */
export interface QueryValue extends Span {
  text: string;
  quoted: boolean;
  pattern?: PatternPart[];
}

export interface RangeBound {
  value: QueryValue;
  inclusive: boolean;
}

export type QueryNode =
  | ({ kind: 'and'; children: QueryNode[] } & Span)
  | ({ kind: 'or'; children: QueryNode[] } & Span)
  | ({ kind: 'not'; child: QueryNode } & Span)
  /** Free text: any of the searchable columns contains it. */
  | ({ kind: 'text'; value: QueryValue } & Span)
  | ({ kind: 'match'; field: FieldRef; value: QueryValue } & Span)
  /** Ranges and comparisons: a null bound is open (`*`). */
  | ({ kind: 'range'; field: FieldRef; lower: RangeBound | null; upper: RangeBound | null } & Span)
  | ({ kind: 'cidr'; field: FieldRef; network: string } & Span)
  | ({ kind: 'exists'; field: FieldRef } & Span);

/** A located problem in a query. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly length: number,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Fields a query names, canonical, in first-seen order. */
export function fieldsOf(node: QueryNode | null, out: string[] = []): string[] {
  if (!node) return out;
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const c of node.children) fieldsOf(c, out);
      break;
    case 'not':
      fieldsOf(node.child, out);
      break;
    case 'text':
      break;
    default:
      if (!out.includes(node.field.name)) out.push(node.field.name);
  }
  return out;
}
