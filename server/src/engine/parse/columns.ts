// The parse result in the flat names today's ingest body and normalizers read (source_ip,
// username, auth_method, action, process_name...), so wiring the parsers into ingest needs no
// second mapping. ECS fields stay the source of truth; this only projects them.
import type { ParseResult } from './types.ts';

type Flat = Record<string, string | number>;

// Per source_type: projection key <- ECS field (normalizers.ts holds the keys).
const PROJECTIONS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  auth: [['auth_method', 'auth.method'], ['result', 'event.outcome'], ['failure_reason', 'event.reason'], ['service', 'service.name']],
  firewall: [['action', 'event.action'], ['protocol', 'network.transport'], ['rule_name', 'rule.name']],
  endpoint: [['process_name', 'process.name'], ['process_id', 'process.pid'], ['parent_process', 'process.parent.name'], ['command_line', 'process.command_line'], ['file_path', 'file.path']],
};

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
  if (result.event_type !== null) out.event_type = result.event_type;
  if (result.host !== null) out.hostname = result.host;
  const fields = result.fields;
  for (const [column, ecs] of COMMON) {
    const value = fields[ecs];
    if (value !== undefined) out[column] = value;
  }
  for (const [column, ecs] of PROJECTIONS[result.source_type] ?? []) {
    const value = fields[ecs];
    if (value !== undefined) out[column] = value;
  }
  // A program with a pid but no parsed process is still worth a process column on endpoints.
  if (result.source_type === 'endpoint' && out.process_id === undefined && result.pid !== null) out.process_id = result.pid;
  return out;
}
