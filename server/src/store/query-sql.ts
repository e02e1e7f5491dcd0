// A parsed search query as one SQL boolean expression over log_events. Every value, key and
// pattern is a bind parameter; identifiers come only from the fixed column list of the
// engine's field resolution. Casts are guarded so stored text that is not a number or an
// address makes a row not match instead of failing the statement.
import { FREE_TEXT_COLUMNS, isNumberText, severitiesInRange, type FieldRef, type PatternPart, type QueryNode, type QueryValue, type RangeBound } from '../engine/query/index.ts';
import { likeLiteral, SEARCH_TEXT, searchUsesIndex } from './events-search.ts';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const V4 = `${OCTET}([.]${OCTET}){3}`;
const H = '[0-9a-f]{1,4}';
const V6 = [
  `(${H}:){7}${H}`,
  `(${H}:){1,7}:`,
  `(${H}:){1,6}:${H}`,
  `(${H}:){1,5}(:${H}){1,2}`,
  `(${H}:){1,4}(:${H}){1,3}`,
  `(${H}:){1,3}(:${H}){1,4}`,
  `(${H}:){1,2}(:${H}){1,5}`,
  `${H}:(:${H}){1,6}`,
  `:((:${H}){1,7}|:)`,
  `::(ffff(:0{1,4})?:)?${V4}`,
  `(${H}:){1,4}:${V4}`,
].join('|');
/** Texts PostgreSQL's inet input always accepts: only these are cast (constants, never user text). */
const IPV4_RE = `'^${V4}$'`;
const IPV6_RE = `'^(${V6})$'`;
/** Decimal text a numeric cast always accepts (bounded digits: no overflow). */
const NUMERIC_RE = "'^-?[0-9]{1,30}([.][0-9]{1,30})?$'";

/** A LIKE pattern (backslash escapes) for a wildcard value: * -> %, ? -> _. */
export function likePattern(parts: PatternPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? likeLiteral(p) : p.wild === '*' ? '%' : '_')).join('');
}

class SqlCompiler {
  constructor(private readonly params: unknown[]) {}

  private p(value: unknown, cast = ''): string {
    this.params.push(value);
    return `$${this.params.length}${cast}`;
  }

  compile(node: QueryNode): string {
    switch (node.kind) {
      case 'and':
        return `(${node.children.map((c) => this.compile(c)).join(' AND ')})`;
      case 'or':
        return `(${node.children.map((c) => this.compile(c)).join(' OR ')})`;
      case 'not':
        // A missing value satisfies a negation, as in rules: NULL comparisons count as false.
        return `(NOT coalesce(${this.compile(node.child)}, false))`;
      case 'text':
        return this.freeText(node.value);
      default:
        return node.field.kind === 'column' ? this.column(node) : this.document(node);
    }
  }

  /** Same expression as the literal search, so the trigram index serves it. */
  private freeText(v: QueryValue): string {
    const inner = v.pattern ? likePattern(v.pattern) : likeLiteral(v.text);
    return `${SEARCH_TEXT} ILIKE ${this.p(`%${inner}%`)}`;
  }

  private column(node: Exclude<QueryNode, { kind: 'and' | 'or' | 'not' | 'text' }>): string {
    const f = node.field;
    // The column name comes from the engine's fixed table (fields.ts), never from the query.
    const col = f.column!;
    switch (node.kind) {
      case 'exists':
        return `(${col} IS NOT NULL AND ${col}::text <> '')`;
      case 'cidr':
        return this.inet(col, node.network);
      case 'match':
        return this.columnMatch(f, col, node.value);
      case 'range':
        return this.columnRange(f, col, node.lower, node.upper);
    }
  }

  private columnMatch(f: FieldRef, col: string, v: QueryValue): string {
    if (v.pattern) return this.narrowed(col, v, `${f.type === 'int' ? `${col}::text` : col} ILIKE ${this.p(likePattern(v.pattern))}`);
    switch (f.type) {
      case 'int':
        return `${col} = ${this.p(v.text, '::bigint')}`;
      case 'text':
        return this.narrowed(col, v, `lower(${col}) = lower(${this.p(v.text)})`);
      case 'keyword':
        return `${col} = ${this.p(v.text.toLowerCase())}`;
      default:
        // ip (exact, so the column's index serves it), severity (lower-cased by the parser)
        return `${col} = ${this.p(v.text)}`;
    }
  }

  /**
   * A case-insensitive test of a column the text search covers, with the text search's own
   * condition ANDed in front: implied by the test (the column is part of that text), so the
   * meaning is unchanged, but it lets the trigram index find the candidates that lower()
   * and ILIKE on the bare column could only find by reading every row.
   */
  private narrowed(col: string, v: QueryValue, test: string): string {
    if (!(FREE_TEXT_COLUMNS as readonly string[]).includes(col)) return test;
    const inner = v.pattern ? likePattern(v.pattern) : likeLiteral(v.text);
    const literalRuns = v.pattern ? v.pattern.filter((p): p is string => typeof p === 'string') : [v.text];
    if (!literalRuns.some((run) => searchUsesIndex(run))) return test;
    return `(${SEARCH_TEXT} ILIKE ${this.p(`%${inner}%`)} AND ${test})`;
  }

  private columnRange(f: FieldRef, col: string, lower: RangeBound | null, upper: RangeBound | null): string {
    if (f.type === 'severity') return `${col} = ANY(${this.p(severitiesInRange(lower, upper), '::text[]')})`;
    const cast = f.type === 'time' ? '::timestamptz' : f.type === 'int' ? '::bigint' : '';
    return this.bounds(col, lower, upper, cast);
  }

  private bounds(expr: string, lower: RangeBound | null, upper: RangeBound | null, cast: string): string {
    const parts: string[] = [];
    if (lower) parts.push(`${expr} ${lower.inclusive ? '>=' : '>'} ${this.p(lower.value.text, cast)}`);
    if (upper) parts.push(`${expr} ${upper.inclusive ? '<=' : '<'} ${this.p(upper.value.text, cast)}`);
    return parts.length ? `(${parts.join(' AND ')})` : `${expr} IS NOT NULL`;
  }

  private inet(expr: string, network: string): string {
    // inet compares families apart (an IPv4-mapped IPv6 address is not inside an IPv4
    // network), so only texts of the network's own family are checked and cast.
    const isV6 = network.includes(':');
    const family = isV6 ? `strpos(${expr}, ':') > 0 AND ${expr} ~* ${IPV6_RE}` : `${expr} ~ ${IPV4_RE}`;
    const guarded = `(CASE WHEN ${family} THEN ${expr}::inet <<= ${this.p(network, '::inet')} ELSE false END)`;
    // An IPv4 network's whole leading octets are a plain text prefix of every address in it:
    // a cheap test before the pattern (about 5 µs a row) and the cast.
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}\/(\d{1,2})$/.exec(network);
    const octets = v4 ? Math.min(3, Math.floor(Number(v4[4]) / 8)) : 0;
    if (!v4 || octets === 0) return guarded;
    return `(starts_with(${expr}, ${this.p(`${v4.slice(1, 1 + octets).join('.')}.`)}) AND ${guarded})`;
  }

  /** The JSON value a field / normalized / raw name reads (keys are parameters). */
  private jsonValue(f: FieldRef): string {
    switch (f.kind) {
      case 'field':
        return `fields -> ${this.p(f.key)}`;
      case 'normalized':
        return `normalized -> ${this.p(f.key)}`;
      default: {
        // raw documents nest or carry dotted keys: the whole path as one key first.
        const key = f.key!;
        return `coalesce(raw -> ${this.p(key)}, raw #> ${this.p(key.split('.'), '::text[]')})`;
      }
    }
  }

  /** A value inside a JSON document: a scalar, or any item of an array. */
  private document(node: Exclude<QueryNode, { kind: 'and' | 'or' | 'not' | 'text' }>): string {
    const j = `(${this.jsonValue(node.field)})`;
    if (node.kind === 'exists') return `(${j} IS NOT NULL AND ${j} NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb))`;
    const items = `jsonb_array_elements_text(CASE jsonb_typeof(${j}) WHEN 'array' THEN ${j} ELSE jsonb_build_array(${j}) END)`;
    let test: string;
    switch (node.kind) {
      case 'cidr':
        test = this.inet('x', node.network);
        break;
      case 'match':
        test = node.value.pattern ? `x ILIKE ${this.p(likePattern(node.value.pattern))}` : `lower(x) = lower(${this.p(node.value.text)})`;
        break;
      case 'range': {
        const numeric = [node.lower, node.upper].every((b) => b === null || isNumberText(b.value.text));
        test = numeric
          ? this.bounds(`(CASE WHEN x ~ ${NUMERIC_RE} THEN x::numeric END)`, node.lower, node.upper, '::numeric')
          : this.bounds('x', node.lower, node.upper, '');
        break;
      }
    }
    return `EXISTS (SELECT 1 FROM ${items} AS v(x) WHERE ${test})`;
  }
}

/** The query as a boolean SQL expression; its values are appended to `params` ($n follows them). */
export function compileQuery(node: QueryNode, params: unknown[]): string {
  return new SqlCompiler(params).compile(node);
}
