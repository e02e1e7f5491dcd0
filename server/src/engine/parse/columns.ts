// The parse result in the flat names today's ingest body and normalizers read (source_ip,
// username, auth_method, action, process_name...), so wiring the parsers into ingest needs no
// second mapping. ECS fields stay the source of truth; this only projects them.
import { INDEXED_TEXT_MAX } from '@siem/contracts';
import type { ParseResult } from './types.ts';

type Flat = Record<string, string | number>;

// Per source_type: projection key <- ECS field (normalizers.ts holds the keys).
const PROJECTIONS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  auth: [['auth_method', 'auth.method'], ['result', 'event.outcome'], ['failure_reason', 'event.reason'], ['service', 'service.name']],
  firewall: [['action', 'event.action'], ['protocol', 'network.transport'], ['rule_name', 'rule.name'], ['bytes_sent', 'source.bytes'], ['bytes_received', 'destination.bytes']],
  endpoint: [['process_name', 'process.name'], ['process_id', 'process.pid'], ['parent_process', 'process.parent.name'], ['command_line', 'process.command_line'], ['file_path', 'file.path']],
  ids: [['signature_id', 'rule.id'], ['signature_name', 'rule.name'], ['classification', 'rule.category'], ['priority', 'ids.priority']],
  dns: [['query', 'dns.question.name'], ['query_type', 'dns.question.type'], ['response_code', 'dns.response_code'], ['response', 'dns.answers']],
  proxy: [
    ['url', 'url.original'], ['method', 'http.request.method'], ['status_code', 'http.response.status_code'],
    ['user_agent', 'user_agent.original'], ['content_type', 'http.response.mime_type'], ['bytes_transferred', 'http.response.body.bytes'],
  ],
};
// Columns the store indexes: text of at most INDEXED_TEXT_MAX characters, or left out (the
// value stays in `fields`); ports: integers 0..65535.
const INDEXED_TEXT = new Set(['event_type', 'hostname', 'username', 'source_ip', 'dest_ip']);
const PORTS = new Set(['source_port', 'dest_port']);

const COMMON: ReadonlyArray<readonly [string, string]> = [
  ['username', 'user.name'],
  ['source_ip', 'source.ip'],
  ['source_port', 'source.port'],
  ['dest_ip', 'destination.ip'],
  ['dest_port', 'destination.port'],
];

/**
 * Flat ingest fields for a parse result: source_type, event_type, hostname, message, the
 * common columns and the source type's projection keys, each only when known. Time is left
 * to the caller, which decides between the parsed time and the receipt time.
 */
export function toIngestFields(result: ParseResult): Flat {
  const out: Flat = { source_type: result.source_type, message: result.message };
  const fields = result.fields;
  if (result.event_type !== null) putColumn(out, 'event_type', result.event_type);
  const host = result.host ?? fields['host.name'];
  if (host !== undefined) putColumn(out, 'hostname', host);
  for (const [column, ecs] of COMMON) {
    const value = fields[ecs];
    if (value !== undefined) putColumn(out, column, value);
  }
  for (const [column, ecs] of PROJECTIONS[result.source_type] ?? []) {
    const value = fields[ecs];
    if (value !== undefined) out[column] = value;
  }
  // A program with a pid but no parsed process is still worth a process column on endpoints.
  if (result.source_type === 'endpoint' && out.process_id === undefined && result.pid !== null) out.process_id = result.pid;
  return out;
}

function putColumn(out: Flat, column: string, value: string | number): void {
  if (INDEXED_TEXT.has(column)) {
    const text = String(value);
    if (text.length <= INDEXED_TEXT_MAX) out[column] = text;
    return;
  }
  if (PORTS.has(column)) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) out[column] = value;
    return;
  }
  out[column] = value;
}
