// Any other JSON object: never refused. Its message (message, msg, log...) goes through the
// line parsers; common flat names (src_ip, dst_port, user...) are read into ECS names; every
// leaf stays a field under its own name.
import type { ParsedFields } from '../types.ts';
import { parseEcs } from './ecs.ts';
import { type DocParser } from './types.ts';

// ECS name <- flat names shippers and appliances commonly use, first present wins.
const WELL_KNOWN: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['source.ip', ['src_ip', 'source_ip', 'src', 'client_ip', 'srcip', 'remote_addr', 'clientip']],
  ['source.port', ['src_port', 'source_port', 'sport', 'spt', 'srcport']],
  ['destination.ip', ['dest_ip', 'dst_ip', 'destination_ip', 'dst', 'dstip']],
  ['destination.port', ['dest_port', 'dst_port', 'destination_port', 'dport', 'dpt', 'dstport']],
  ['user.name', ['user', 'username', 'user_name', 'account', 'suser']],
  ['process.name', ['process', 'process_name', 'comm']],
  ['process.pid', ['pid', 'process_id']],
  ['process.command_line', ['cmdline', 'command_line']],
  ['event.action', ['action']],
  ['event.outcome', ['outcome', 'result']],
  ['url.original', ['url', 'uri', 'request_uri']],
  ['http.request.method', ['method', 'http_method', 'request_method']],
  ['http.response.status_code', ['status', 'status_code']],
  ['user_agent.original', ['user_agent', 'http_user_agent', 'useragent']],
  ['dns.question.name', ['query', 'qname']],
];

export const genericParser: DocParser = {
  name: 'json',
  hints: ['json', 'generic'],
  detect() {
    return true;
  },
  parse(doc, ctx) {
    const result = parseEcs(doc, ctx, 'json', mapWellKnown);
    // No format claimed it: `parser` stays null (a line parser's name when the message was
    // recognized), and a document nothing was read from is unparsed, like an unknown line,
    // so the Sources view shows it as needing a parser. Its fields are kept all the same.
    if (result.parser === 'json') {
      result.parser = null;
      result.unparsed = result.source_type === 'generic' && result.event_type === null;
    }
    return result;
  },
};

// Names too common to trust without a look at the value: `method` may be an auth method,
// `query` an SQL statement, `status` a word.
const CHECKS: Readonly<Record<string, (value: string | number) => boolean>> = {
  'http.request.method': (v) => typeof v === 'string' && /^[A-Z]{3,12}$/.test(v),
  'http.response.status_code': (v) => Number(v) >= 100 && Number(v) <= 599,
  'dns.question.name': (v) => typeof v === 'string' && v.length <= 253 && v.includes('.') && !v.includes(' '),
};

function mapWellKnown(fields: ParsedFields): void {
  for (const [ecs, names] of WELL_KNOWN) {
    if (fields[ecs] !== undefined) continue;
    const check = CHECKS[ecs];
    for (const name of names) {
      const value = fields[name];
      if (value !== undefined && (check === undefined || check(value))) {
        fields[ecs] = ecs === 'http.response.status_code' ? Number(value) : value;
        break;
      }
    }
  }
}
