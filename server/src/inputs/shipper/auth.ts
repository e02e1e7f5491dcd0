// INGEST_API_KEYS on the shipper listener, in the forms the shippers send them:
// Elasticsearch clients `Authorization: Basic base64(user:key)` (the password is the key,
// any user name), `ApiKey base64(id:key)` (or the key itself, encoded or not) and
// `Bearer <key>`; Splunk HEC clients `Authorization: Splunk <key>` (or Basic). The keys
// are compared in constant time by the main app's own check. No key configured = open.
import { createHash } from 'node:crypto';
import { matchesAnyKey } from '../../http/plugins/access.ts';

export type Presented = { kind: 'none' } | { kind: 'malformed' } | { kind: 'candidates'; values: string[] };

/** Header values longer than this are not credentials. */
const MAX_HEADER_CHARS = 4096;

function decodeBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}

/** The key candidates of an Authorization header. `schemes` lists the accepted schemes, lower-case. */
export function presentedKeys(header: string | string[] | undefined, schemes: readonly string[]): Presented {
  if (header === undefined || header === '') return { kind: 'none' };
  if (typeof header !== 'string' || header.length > MAX_HEADER_CHARS) return { kind: 'malformed' };
  const match = /^(\S+) +(\S+)\s*$/.exec(header);
  if (!match) return { kind: 'malformed' };
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (!schemes.includes(scheme)) return { kind: 'malformed' };
  if (scheme === 'basic') {
    const decoded = decodeBase64(value);
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded === null || colon < 0) return { kind: 'malformed' };
    return { kind: 'candidates', values: [decoded.slice(colon + 1)] };
  }
  if (scheme === 'apikey') {
    const decoded = decodeBase64(value);
    const values = [value];
    if (decoded !== null) {
      values.push(decoded);
      const colon = decoded.indexOf(':');
      if (colon >= 0) values.push(decoded.slice(colon + 1));
    }
    return { kind: 'candidates', values };
  }
  return { kind: 'candidates', values: [value] };
}

export interface KeyCheck {
  /** No key configured: everything is accepted. */
  readonly open: boolean;
  /** Whether any candidate is a configured key; every candidate is compared (no early exit). */
  accepts(candidates: readonly string[]): boolean;
}

export function createKeyCheck(keys: readonly string[]): KeyCheck {
  const digests = keys.map((k) => createHash('sha256').update(k).digest());
  return {
    open: digests.length === 0,
    accepts(candidates) {
      let ok = false;
      for (const c of candidates) ok = matchesAnyKey(c, digests) || ok;
      return ok;
    },
  };
}
