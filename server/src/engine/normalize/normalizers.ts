// The normalizer registry (STYLE rule 6): per source_type, the projection keys of
// documented keys and the alias names read from `raw` when a canonical name is absent.
// Aliases only read: `raw` is stored exactly as submitted.
import { SOURCE_TYPES, type SourceType } from '@siem/contracts';

/** Top-level record fields that may be lifted from an alias (see index.ts for typing). */
export type CanonicalField = 'source_ip' | 'dest_ip' | 'source_port' | 'dest_port' | 'hostname' | 'username' | 'message';

export type AliasTable<K extends string> = Readonly<Partial<Record<K, readonly string[]>>>;

export interface Normalizer {
  readonly sourceType: SourceType;
  /** The keys of `normalized`, in documented order. */
  readonly keys: readonly string[];
  /** Raw names tried in order for a canonical record field the body did not name. */
  readonly fieldAliases: AliasTable<CanonicalField>;
  /** Raw names tried in order for a projection key absent from raw. */
  readonly projectionAliases: AliasTable<string>;
  /** `normalized`: exactly `keys`, values copied unchanged, null when absent. */
  project(raw: Record<string, unknown>): Record<string, unknown>;
}

// Names shippers commonly use (CEF, Zeek, Windows, syslog) for the record's own fields.
export const COMMON_FIELD_ALIASES: AliasTable<CanonicalField> = {
  source_ip: ['src_ip', 'src', 'client_ip'],
  dest_ip: ['dst_ip', 'dst', 'destination_ip'],
  source_port: ['src_port', 'sport', 'spt'],
  dest_port: ['dst_port', 'dport', 'dpt'],
  hostname: ['host', 'host_name', 'computer_name'],
  username: ['user', 'user_name', 'account'],
  message: ['msg'],
};

interface NormalizerSpec {
  keys: readonly string[];
  aliases: AliasTable<string>;
}

// Aliases are per type on purpose: `method` is the HTTP verb for proxy but the
// authentication method for auth, and `status` only means an HTTP status for proxy.
const SPECS: Readonly<Record<SourceType, NormalizerSpec>> = {
  firewall: {
    keys: ['action', 'protocol', 'bytes_sent', 'bytes_received', 'rule_name'],
    aliases: { action: ['act'], protocol: ['proto'] },
  },
  ids: {
    keys: ['signature_id', 'signature_name', 'classification', 'priority'],
    aliases: { signature_id: ['sid'], signature_name: ['signature', 'alert'] },
  },
  auth: {
    keys: ['auth_method', 'result', 'failure_reason', 'service'],
    aliases: { auth_method: ['method'], result: ['outcome'] },
  },
  endpoint: {
    keys: ['process_name', 'process_id', 'parent_process', 'command_line', 'file_path'],
    aliases: {
      process_name: ['process', 'image'],
      process_id: ['pid'],
      parent_process: ['parent_image'],
      command_line: ['cmdline'],
    },
  },
  dns: {
    keys: ['query', 'query_type', 'response', 'response_code'],
    aliases: { query: ['qname'], query_type: ['qtype'], response_code: ['rcode'] },
  },
  proxy: {
    keys: ['url', 'method', 'status_code', 'user_agent', 'content_type', 'bytes_transferred'],
    aliases: { url: ['uri'], method: ['http_method'], status_code: ['status'], user_agent: ['http_user_agent'] },
  },
  generic: {
    keys: ['message'],
    aliases: { message: ['msg'] },
  },
};

const hasOwn = Object.hasOwn;

/** The raw value under `key`, else under its first present alias; undefined when none. */
export function readWithAliases(
  raw: Record<string, unknown>,
  key: string,
  aliases: readonly string[] | undefined,
): unknown {
  if (hasOwn(raw, key)) return raw[key];
  if (aliases) {
    for (const alias of aliases) if (hasOwn(raw, alias)) return raw[alias];
  }
  return undefined;
}

function createNormalizer(sourceType: SourceType, spec: NormalizerSpec): Normalizer {
  // Resolved once so project() does no lookups beyond the raw reads themselves.
  const plan = spec.keys.map((key) => [key, spec.aliases[key]] as const);
  return Object.freeze({
    sourceType,
    keys: Object.freeze([...spec.keys]),
    fieldAliases: COMMON_FIELD_ALIASES,
    projectionAliases: spec.aliases,
    project(raw: Record<string, unknown>): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const [key, aliases] of plan) {
        const value = readWithAliases(raw, key, aliases);
        // raw never holds top-level nulls (8.4.1), so undefined is the only "absent".
        out[key] = value === undefined ? null : value;
      }
      return out;
    },
  });
}

export const NORMALIZERS: readonly Normalizer[] = Object.freeze(
  SOURCE_TYPES.map((type) => createNormalizer(type, SPECS[type])),
);

const BY_TYPE: ReadonlyMap<string, Normalizer> = new Map(NORMALIZERS.map((n) => [n.sourceType, n]));
const GENERIC = BY_TYPE.get('generic')!;

/**
 * The normalizer for a source type. Unknown names fall back to generic rather than
 * failing: the ingest schema already rejects them, and scenario or replayed events
 * should still be stored rather than lost.
 */
export function getNormalizer(sourceType: string): Normalizer {
  return BY_TYPE.get(sourceType) ?? GENERIC;
}
