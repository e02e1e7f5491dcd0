// Structural limits on any JSON value a client submits (bodies, query strings, ingested
// events): depth, total key/item count, string and key length, and the characters
// PostgreSQL cannot store (NUL in text, unpaired UTF-16 surrogates in JSONB). The walk is
// iterative with an explicit stack so a 100k-deep body cannot overflow ours.
import type { ErrorDetail } from './common.ts';

export interface ShapeLimits {
  maxDepth: number;
  maxKeys: number;
  maxStringLength: number;
  /**
   * Refuse `__proto__` as a key. Schema-validated bodies are rebuilt by zod with plain
   * assignment, where such a key would become the object's prototype instead of data; only
   * routes that keep the submitted object as is (ingest) may accept it.
   */
  forbidProtoKey?: boolean;
}

export const DEFAULT_SHAPE_LIMITS: Readonly<ShapeLimits> = { maxDepth: 32, maxKeys: 10_000, maxStringLength: 65_536 };

// Past this many findings the body is clearly garbage; more details only bloat the 422.
export const MAX_SHAPE_ISSUES = 20;
// Keys are echoed in paths; a megabyte-long key must not come back in full.
const MAX_PATH_KEY_LENGTH = 64;

/** A container waiting to be visited; the parent chain rebuilds its path only on error. */
interface Frame {
  value: object;
  parent: Frame | null;
  key: string | number;
  depth: number;
}

export function checkJsonShape(value: unknown, limits: ShapeLimits): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  const report = (parent: Frame | null, key: string | number | null, message: string): boolean => {
    issues.push({ field: pathOf(parent, key), message, type: 'value_error' });
    return issues.length >= MAX_SHAPE_ISSUES;
  };

  if (!isContainer(value)) {
    checkString(value, null, null, limits, report);
    return issues;
  }
  if (limits.maxDepth < 1) {
    report(null, null, depthMessage(limits.maxDepth));
    return issues;
  }
  const stack: Frame[] = [{ value, parent: null, key: '', depth: 1 }];
  let seen = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.value;
    const keys = Array.isArray(node) ? null : Object.keys(node);
    const size = keys ? keys.length : (node as unknown[]).length;
    seen += size;
    if (seen > limits.maxKeys) {
      // Stop walking: past the limit the remaining work is unbounded by design.
      report(frame, null, `more than ${limits.maxKeys} object keys and array items in total`);
      return issues;
    }
    for (let i = 0; i < size; i++) {
      const key: string | number = keys ? keys[i]! : i;
      if (keys && checkKey(key as string, frame, limits, report)) return issues;
      const child = keys ? (node as Record<string, unknown>)[key as string] : (node as unknown[])[i];
      if (isContainer(child)) {
        if (frame.depth + 1 > limits.maxDepth) {
          if (report(frame, key, depthMessage(limits.maxDepth))) return issues;
          continue; // do not descend: what lies below is already rejected
        }
        stack.push({ value: child, parent: frame, key, depth: frame.depth + 1 });
      } else if (checkString(child, frame, key, limits, report)) {
        return issues;
      }
    }
  }
  return issues;
}

type Report = (parent: Frame | null, key: string | number | null, message: string) => boolean;

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Returns true when the issue budget is spent. */
function checkString(
  value: unknown,
  parent: Frame | null,
  key: string | number | null,
  limits: ShapeLimits,
  report: Report,
): boolean {
  if (typeof value !== 'string') return false;
  if (value.length > limits.maxStringLength) {
    if (report(parent, key, `string longer than ${limits.maxStringLength} characters`)) return true;
  }
  if (value.includes('\u0000')) {
    if (report(parent, key, 'string contains the NUL character (\\u0000), which cannot be stored')) return true;
  }
  if (LONE_SURROGATE.test(value)) {
    return report(parent, key, 'string contains an unpaired UTF-16 surrogate (such as \\ud800), which is not valid Unicode');
  }
  return false;
}

// With the u flag a surrogate pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /\p{Cs}/u;

function checkKey(key: string, parent: Frame, limits: ShapeLimits, report: Report): boolean {
  if (key.length > limits.maxStringLength) {
    if (report(parent, key, `key longer than ${limits.maxStringLength} characters`)) return true;
  }
  if (key.includes('\u0000')) {
    if (report(parent, key, 'key contains the NUL character (\\u0000), which cannot be stored')) return true;
  }
  if (LONE_SURROGATE.test(key)) {
    if (report(parent, key, 'key contains an unpaired UTF-16 surrogate (such as \\ud800), which is not valid Unicode')) return true;
  }
  if (limits.forbidProtoKey && key === '__proto__') {
    return report(parent, key, "the key '__proto__' is not accepted here");
  }
  return false;
}

function depthMessage(maxDepth: number): string {
  return `nesting deeper than ${maxDepth} levels`;
}

/** Dot path from the root, list indexes as numbers; "" is the root itself. */
function pathOf(parent: Frame | null, key: string | number | null): string {
  const parts: string[] = [];
  if (key !== null) parts.push(displayKey(key));
  for (let f = parent; f && f.parent; f = f.parent) parts.push(displayKey(f.key));
  return parts.reverse().join('.');
}

function displayKey(key: string | number): string {
  if (typeof key === 'number') return String(key);
  const shown = key.length > MAX_PATH_KEY_LENGTH ? `${key.slice(0, MAX_PATH_KEY_LENGTH)}...` : key;
  return shown.replaceAll('\u0000', '\\u0000').replace(/\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
