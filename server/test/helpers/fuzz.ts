// Hostile-input generator for the fuzz suite: walks an OpenAPI document and, for every
// operation, derives a deterministic (seeded) list of requests that each break one input:
// a path parameter, a query parameter, a body field at any depth, or the body as a whole.
// Pure: no app, no I/O; the test feeds the cases to app.inject.

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = unknown;

/** A body given as JSON text, so it can hold what JSON.stringify of a JS object cannot (`__proto__` keys). */
export interface FuzzCase {
  label: string;
  method: string;
  /** The OpenAPI path template, e.g. /v1/rules/{rule_id}. */
  route: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
}

export interface OperationInfo {
  method: string;
  route: string;
  pathParams: string[];
  queryParams: string[];
  bodySchema?: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  minLength?: number;
  minimum?: number;
  minItems?: number;
  [key: string]: unknown;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}

export function listOperations(doc: OpenApiDoc): OperationInfo[] {
  const ops: OperationInfo[] = [];
  for (const [route, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        route,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

const DEEP = 5000;
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Hostile JSON values for one field; `text` is spliced into the JSON body as is. */
interface HostileValue {
  name: string;
  text: string;
}

/** Deterministic text that does not compress: 4-byte characters from a fixed PRNG. */
function noise(length: number): string {
  const rand = createRandom(7);
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCodePoint(0x10000 + Math.floor(rand() * 0xf0000));
  return s;
}

const j = (name: string, value: Json): HostileValue => ({ name, text: JSON.stringify(value) });

export const HOSTILE_VALUES: HostileValue[] = [
  j('nul', 'a\u0000b'),
  j('nul-only', '\u0000'),
  { name: 'lone-high-surrogate', text: '"x\\ud800y"' },
  { name: 'lone-low-surrogate', text: '"\\udfff"' },
  { name: 'reversed-surrogates', text: '"\\udc00\\ud800"' },
  j('huge-string-5k', 'A'.repeat(5_000)),
  // Incompressible, so an index entry really is this large (a repeated letter compresses away).
  j('huge-random-3k', noise(3_000)),
  j('huge-string-300k', 'B'.repeat(300_000)),
  j('extended-year', '+275760-09-13T00:00:00Z'),
  j('negative-year', '-271821-04-20T00:00:00Z'),
  j('bad-date', '2026-02-31T25:61:61Z'),
  j('digits-30', '9'.repeat(30)),
  j('empty', ''),
  j('blank', '   '),
  j('rtl-bidi', '\u202e\u2066admin'),
  j('emoji', '\u{1F4A5}'.repeat(64)),
  j('sql-ish', "' OR 1=1; --"),
  j('path-ish', '../../../../etc/passwd'),
  j('like-wildcards', '%_\\'),
  { name: 'int-2^31', text: '2147483648' },
  { name: 'int-2^53+', text: '9007199254740993' },
  { name: 'int-2^63', text: '9223372036854775808' },
  { name: 'int-2^64-digits', text: '184467440737095516160000' },
  { name: 'negative', text: '-1' },
  { name: 'negative-huge', text: '-1e308' },
  { name: 'zero', text: '0' },
  { name: 'fraction', text: '1.5' },
  { name: 'exp-huge', text: '1e308' },
  { name: 'exp-overflow', text: '1e400' },
  { name: 'tiny', text: '5e-324' },
  j('numeric-string-huge', '1e400'),
  j('numeric-string-2^63', '9223372036854775808'),
  j('true', true),
  j('null', null),
  j('empty-array', []),
  j('array-of-scalar', ['a']),
  j('array-of-nul', ['\u0000']),
  j('empty-object', {}),
  { name: 'proto-object', text: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
  { name: 'deep-array', text: deepArray(DEEP) },
  { name: 'deep-object', text: deepObject(DEEP) },
  { name: 'wide-object', text: `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}` },
];

/** Hostile strings for path and query parameters (already URL-encoded). */
export const HOSTILE_PARAMS: { name: string; text: string }[] = [
  { name: 'nul', text: 'a%00b' },
  { name: 'utf8-surrogate-bytes', text: '%ED%A0%80' },
  { name: 'invalid-utf8', text: '%FF%FE' },
  { name: 'bad-escape', text: '%E0%A4%A' },
  { name: 'huge-4k', text: 'A'.repeat(4_000) },
  { name: 'huge-60k', text: 'C'.repeat(60_000) },
  { name: 'digits-30', text: '9'.repeat(30) },
  { name: 'int-2^63', text: '9223372036854775808' },
  { name: 'int-2^31', text: '2147483648' },
  { name: 'negative', text: '-1' },
  { name: 'zero', text: '0' },
  { name: 'fraction', text: '1.5' },
  { name: 'exp-overflow', text: '1e400' },
  { name: 'exp-big', text: '1e20' },
  { name: 'nan', text: 'NaN' },
  { name: 'infinity', text: 'Infinity' },
  { name: 'hex', text: '0x7fffffffffffffff' },
  { name: 'extended-year', text: '%2B275760-09-13T00%3A00%3A00Z' },
  { name: 'negative-year', text: '-271821-04-20T00:00:00Z' },
  { name: 'year-0', text: '0000-01-01T00:00:00Z' },
  { name: 'far-future', text: '9999-12-31T23:59:59.999Z' },
  { name: 'bad-date', text: '2026-13-45' },
  { name: 'empty', text: '' },
  { name: 'blank', text: '%20%20' },
  { name: 'sql-ish', text: "'%20OR%201%3D1--" },
  { name: 'dot-dot', text: '..%2F..%2Fetc%2Fpasswd' },
  { name: 'like-wildcards', text: '%25_%5C' },
  { name: 'hex-24', text: 'ffffffffffffffffffffffff' },
];

// Sent to every field or parameter; the rest of each catalogue is sampled per field with
// the seeded PRNG, so a run stays bounded and another seed covers other combinations.
const CORE_VALUES = new Set(['nul', 'lone-high-surrogate', 'huge-random-3k', 'huge-string-300k', 'extended-year', 'int-2^31', 'int-2^63', 'negative', 'fraction', 'null', 'array-of-scalar', 'proto-object', 'deep-object']);
const CORE_PARAMS = new Set(['nul', 'huge-4k', 'digits-30', 'int-2^63', 'negative', 'fraction', 'exp-overflow', 'extended-year', 'year-0', 'empty']);

function sample<T extends { name: string }>(list: T[], core: Set<string>, extra: number, rand: () => number): T[] {
  const rest = list.filter((v) => !core.has(v.name));
  const picked: T[] = [];
  for (let i = 0; i < extra && rest.length > 0; i++) picked.push(rest.splice(Math.floor(rand() * rest.length), 1)[0]!);
  return [...list.filter((v) => core.has(v.name)), ...picked];
}

/** A minimal value that satisfies a JSON schema, for routes without a known-good example. */
export function sampleFor(schema: JsonSchema | undefined): Json {
  if (!schema) return {};
  const branch = schema.anyOf ?? schema.oneOf;
  if (branch) return sampleFor(branch.find((s) => s.type !== 'null') ?? branch[0]);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const key of schema.required ?? []) out[key] = sampleFor(schema.properties?.[key]);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 1 }, () => sampleFor(schema.items));
    case 'string':
      return 'f'.repeat(Math.max(schema.minLength ?? 1, 4));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return 'fuzz';
  }
}

/** JSON text of `value` with the value at `path` replaced by raw JSON text. */
function replaceAt(value: Json, path: (string | number)[], text: string): string {
  if (path.length === 0) return text;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const items = value.map((item, i) => (i === head ? replaceAt(item, rest, text) : JSON.stringify(item)));
    if (typeof head === 'number' && head >= value.length) items.push(replaceAt(undefined, rest, text));
    return `[${items.join(',')}]`;
  }
  const obj = (value ?? {}) as Record<string, Json>;
  const entries = Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${k === head ? replaceAt(v, rest, text) : JSON.stringify(v)}`);
  if (!Object.hasOwn(obj, head as string)) entries.push(`${JSON.stringify(head)}:${replaceAt(undefined, rest, text)}`);
  return `{${entries.join(',')}}`;
}

/** Every field path of a JSON value (objects and arrays), up to `maxDepth`, root excluded. */
function fieldPaths(value: Json, maxDepth: number, prefix: (string | number)[] = []): (string | number)[][] {
  if (prefix.length >= maxDepth || value === null || typeof value !== 'object') return [];
  const out: (string | number)[][] = [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const path = [...prefix, key];
    out.push(path, ...fieldPaths(child, maxDepth, path));
  }
  return out;
}

function objectPaths(value: Json, maxDepth: number): (string | number)[][] {
  const isObj = (v: Json) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const at = (path: (string | number)[]) => path.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string], value);
  return [[], ...fieldPaths(value, maxDepth)].filter((p) => isObj(at(p)));
}

export interface GenerateOptions {
  /** Known-good values per path parameter name. */
  pathValues: Record<string, string>;
  /** Known-good bodies per "METHOD /route"; `{{uniq}}` is replaced by a counter per case. */
  examples: Record<string, Json>;
  /** Catalogue values per field or parameter sampled besides the core ones. */
  sampledPerField: number;
  /** Random values per body field generated by the PRNG. */
  randomPerField: number;
}

function randomString(rand: () => number): string {
  const pools = [
    () => String.fromCharCode(Math.floor(rand() * 0x20)),
    () => String.fromCharCode(0xd800 + Math.floor(rand() * 0x800)),
    () => String.fromCodePoint(0x80 + Math.floor(rand() * 0x10ff00)),
    () => String.fromCharCode(0x20 + Math.floor(rand() * 0x5f)),
  ];
  const length = Math.floor(rand() ** 3 * 2000) + 1;
  let s = '';
  for (let i = 0; i < length; i++) s += pools[Math.floor(rand() * pools.length)]!();
  return s;
}

function randomValue(rand: () => number): HostileValue {
  const pick = Math.floor(rand() * 4);
  if (pick === 0) {
    // Lone surrogates survive only as \u escapes in JSON text.
    const text = JSON.stringify(randomString(rand)).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    return { name: 'random-string', text };
  }
  if (pick === 1) return { name: 'random-number', text: String((rand() - 0.5) * 10 ** Math.floor(rand() * 40)) };
  if (pick === 2) return { name: 'random-int', text: String(Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 80))) };
  return { name: 'random-array', text: JSON.stringify(Array.from({ length: Math.floor(rand() * 5) }, () => randomString(rand).slice(0, 20))) };
}

// Stands for a key JSON.stringify cannot write (an own `__proto__`, a lone surrogate).
const KEY_SLOT = '__fuzz_key_slot__';

const WHOLE_BODIES: { name: string; payload: string | Buffer; contentType?: string }[] = [
  { name: 'empty', payload: '' },
  { name: 'null', payload: 'null' },
  { name: 'array', payload: '[]' },
  { name: 'scalar', payload: '42' },
  { name: 'string', payload: '"x"' },
  { name: 'broken-json', payload: '{"a":' },
  { name: 'trailing-garbage', payload: '{}x' },
  { name: 'deep-array', payload: deepArray(DEEP) },
  { name: 'deep-object', payload: deepObject(DEEP) },
  { name: 'very-deep-array', payload: deepArray(100_000) },
  { name: 'nul-key', payload: '{"a\\u0000b":1}' },
  { name: 'surrogate-key', payload: '{"\\ud800":1}' },
  { name: 'proto-key', payload: '{"__proto__":{"polluted":true}}' },
  { name: 'constructor-key', payload: '{"constructor":{"prototype":{"polluted":true}}}' },
  { name: 'invalid-utf8', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0xff, 0x22, 0x7d]) },
  { name: 'text-plain', payload: 'hello', contentType: 'text/plain' },
  { name: 'ndjson', payload: '{"a":1}\n{"__proto__":1}\n\u0000', contentType: 'application/x-ndjson' },
  { name: 'form', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
];

/** Builds every fuzz case for one operation. */
export function casesFor(op: OperationInfo, opts: GenerateOptions, rand: () => number, counter: { n: number }): FuzzCase[] {
  const key = `${op.method} ${op.route}`;
  const fillPath = (override?: { name: string; text: string }) =>
    op.route.replace(/\{([^}]+)\}/g, (_, name: string) =>
      override && override.name === name ? override.text : encodeURIComponent(opts.pathValues[name] ?? 'ffffffffffffffffffffffff'),
    );
  const withBody = op.bodySchema !== undefined;
  const example = opts.examples[key] ?? (withBody ? sampleFor(op.bodySchema) : undefined);
  const body = (text?: string) => {
    const raw = text ?? (example === undefined ? undefined : JSON.stringify(example));
    return raw?.replaceAll('{{uniq}}', String(++counter.n));
  };
  const cases: FuzzCase[] = [];
  const add = (label: string, url: string, payload?: string | Buffer, contentType?: string) =>
    cases.push({ label: `${key} ${label}`, method: op.method, route: op.route, url, payload, contentType: payload === undefined ? undefined : (contentType ?? 'application/json') });

  const baseUrl = fillPath();
  add('baseline', baseUrl, body());
  for (const name of op.pathParams) {
    for (const p of sample(HOSTILE_PARAMS, CORE_PARAMS, opts.sampledPerField, rand)) add(`path ${name}=${p.name}`, fillPath({ name, text: p.text }), body());
  }
  for (const name of [...op.queryParams, '__proto__', 'constructor']) {
    const values = op.queryParams.includes(name) ? sample(HOSTILE_PARAMS, CORE_PARAMS, opts.sampledPerField, rand) : HOSTILE_PARAMS.slice(0, 4);
    for (const p of values) add(`query ${name}=${p.name}`, `${baseUrl}?${name}=${p.text}`, body());
    add(`query ${name} repeated`, `${baseUrl}?${name}=1&${name}=${HOSTILE_PARAMS[0]!.text}`, body());
    add(`query ${name}[]`, `${baseUrl}?${name}[]=1&${name}[a]=2`, body());
  }
  if (!withBody) {
    // Control routes ignore a body, whatever it is.
    for (const w of WHOLE_BODIES.slice(0, 9)) add(`body ${w.name}`, baseUrl, w.payload, w.contentType);
    return cases;
  }
  for (const w of WHOLE_BODIES) add(`body ${w.name}`, baseUrl, w.payload, w.contentType);
  // Every field of the known-good body and every property the schema declares.
  const declared = Object.keys(op.bodySchema?.properties ?? op.bodySchema?.items?.properties ?? {});
  const prefix = Array.isArray(example) ? [0] : [];
  const paths = fieldPaths(example, 5);
  // An array body's items are fuzzed field by field through the single-item route already.
  if (!Array.isArray(example)) for (const name of declared) if (!paths.some((p) => p.length === prefix.length + 1 && p.at(-1) === name)) paths.push([...prefix, name]);
  for (const path of paths) {
    const values = [...sample(HOSTILE_VALUES, CORE_VALUES, opts.sampledPerField, rand), ...Array.from({ length: opts.randomPerField }, () => randomValue(rand))];
    for (const v of values) add(`field ${path.join('.')}=${v.name}`, baseUrl, body(replaceAt(example, path, v.text)));
  }
  for (const path of objectPaths(example, 4)) {
    const where = path.join('.') || '(root)';
    for (const k of ['__proto__', 'constructor', 'a\\u0000b', '\\ud800']) {
      add(`key ${where}.${k}`, baseUrl, body(replaceAt(example, [...path, KEY_SLOT], '{"polluted":true}').replace(`"${KEY_SLOT}"`, `"${k}"`)));
    }
  }
  return cases;
}
