// ECS documents in general (Beats, Elastic Agent, Logstash with ECS, Vector and Fluent Bit
// remaps), nested or dotted. A syslog line in `message` is parsed as a line first; otherwise
// event.category/type/outcome/action say what the event is. Every leaf stays a field.
import type { SourceType } from '@siem/contracts';
import { isIp } from '../../normalize/ip.ts';
import { processNameFromPath } from '../process-name.ts';
import type { ParsedFields, ParseResult } from '../types.ts';
import { docHost, docMessage, docTime, parseEmbedded } from './embedded.ts';
import { countFields, flatten, get, includes, isObject, own, text, type Doc } from './read.ts';
import { docResult, type DocContext, type DocParser } from './types.ts';

// Top-level ECS field sets whose presence marks a document as ECS.
const ECS_ROOTS = ['event', 'source', 'destination', 'user', 'process', 'agent', 'ecs', 'log', 'host', 'network', 'url', 'http', 'dns', 'file', 'rule'];
const SKIP = new Set(['@timestamp', 'message', 'event.original']);
const MAX_EVENT_TYPE = 64;

export const ecsParser: DocParser = {
  name: 'ecs',
  hints: ['ecs', 'beats', 'filebeat', 'elastic-agent', 'auditbeat', 'packetbeat', 'logstash'],
  detect(doc) {
    if (own(doc, '@timestamp') !== undefined || own(doc, 'ecs') !== undefined) return true;
    for (const root of ECS_ROOTS) {
      if (isObject(own(doc, root)) && root !== 'host' && root !== 'log') return true;
    }
    for (const key in doc) {
      if (!Object.hasOwn(doc, key)) continue;
      const dot = key.indexOf('.');
      if (dot > 0 && ECS_ROOTS.includes(key.slice(0, dot))) return true;
    }
    return false;
  },
  parse(doc, ctx) {
    return parseEcs(doc, ctx, 'ecs');
  },
};

/** ECS parse shared with the generic parser (a document with no ECS marker is read the same way). */
export function parseEcs(doc: Doc, ctx: DocContext, parser: string, mapNames?: (fields: ParsedFields) => void): ParseResult {
  const message = docMessage(doc);
  const line = message === undefined ? null : parseEmbedded(doc, message, ctx);
  if (line !== null) {
    // The line decides what the event is; the document's other fields stay reachable.
    flatten(line.fields, '', doc, ctx.maxFields - countFields(line.fields), SKIP);
    mapNames?.(line.fields);
    tidy(line.fields);
    if (line.format === 'none') line.format = 'json';
    return line;
  }
  const fields: ParsedFields = {};
  flatten(fields, '', doc, ctx.maxFields, SKIP);
  mapNames?.(fields);
  tidy(fields);
  const meaning = classify(doc, fields);
  return docResult({
    parser,
    source_type: meaning.source_type,
    event_type: meaning.event_type,
    fields,
    timestampMs: docTime(doc, ctx),
    host: docHost(doc),
    message: message ?? meaning.summary,
  });
}

/** Addresses that are not IPs become domains, bad ports go, process names lose their paths. */
function tidy(fields: ParsedFields): void {
  for (const side of ['source', 'destination', 'client', 'server']) {
    const ip = fields[`${side}.ip`];
    if (ip !== undefined && !(typeof ip === 'string' && isIp(ip))) {
      delete fields[`${side}.ip`];
      if (typeof ip === 'string' && fields[`${side}.domain`] === undefined) fields[`${side}.domain`] = ip;
    }
    const port = fields[`${side}.port`];
    if (port !== undefined) {
      const n = typeof port === 'number' ? port : Number(port);
      if (Number.isInteger(n) && n >= 0 && n <= 65535) fields[`${side}.port`] = n;
      else delete fields[`${side}.port`];
    }
  }
  for (const prefix of ['process', 'process.parent']) {
    const name = fields[`${prefix}.name`];
    const executable = fields[`${prefix}.executable`];
    if (typeof name === 'string' && (name.includes('/') || name.includes('\\'))) {
      if (executable === undefined) fields[`${prefix}.executable`] = name;
      fields[`${prefix}.name`] = processNameFromPath(name);
    } else if (name === undefined && typeof executable === 'string') fields[`${prefix}.name`] = processNameFromPath(executable);
    const pid = fields[`${prefix}.pid`];
    if (typeof pid === 'string') {
      const n = Number(pid);
      if (Number.isSafeInteger(n) && n >= 0) fields[`${prefix}.pid`] = n;
      else delete fields[`${prefix}.pid`];
    }
  }
}

interface Meaning {
  source_type: SourceType;
  event_type: string | null;
  summary: string;
}

// event.action values (Beats modules, Elastic Agent integrations) that name an account change.
const IAM_ACTIONS: Readonly<Record<string, string>> = {
  'added-user-account': 'user_created',
  'user-created': 'user_created',
  'deleted-user-account': 'user_deleted',
  'user-deleted': 'user_deleted',
  'added-member-to-group': 'user_added_to_group',
  'added-group-account-to': 'user_added_to_group',
  'locked-out-user-account': 'user_locked',
  'audit-log-cleared': 'audit_log_cleared',
};

/** What an ECS document is, from event.* and the field sets present. */
function classify(doc: Doc, fields: ParsedFields): Meaning {
  const category = get(doc, 'event.category');
  const type = get(doc, 'event.type');
  // From the fields: the generic parser reads flat names (`action`, `outcome`) into them.
  const outcome = text(fields['event.outcome']);
  const action = text(fields['event.action']);
  const kind = text(get(doc, 'event.kind'));
  const summary = action ?? text(get(doc, 'event.dataset')) ?? '';
  if (fields['dns.question.name'] !== undefined) return { source_type: 'dns', event_type: 'dns_query', summary };
  if (includes(category, 'intrusion_detection') || (kind === 'alert' && fields['rule.name'] !== undefined)) {
    return { source_type: 'ids', event_type: 'ids_alert', summary: text(fields['rule.name']) ?? summary };
  }
  if (includes(category, 'authentication')) {
    const eventType = outcome === 'failure' ? 'login_failure' : outcome === 'success' ? 'login_success' : 'authentication';
    return { source_type: 'auth', event_type: eventType, summary };
  }
  const iam = action === undefined ? undefined : IAM_ACTIONS[action];
  if (iam !== undefined) return { source_type: 'auth', event_type: iam, summary };
  if (includes(category, 'iam')) {
    if (includes(type, 'user') && includes(type, 'creation')) return { source_type: 'auth', event_type: 'user_created', summary };
    if (includes(type, 'user') && includes(type, 'deletion')) return { source_type: 'auth', event_type: 'user_deleted', summary };
    if (includes(type, 'group') && includes(type, 'change')) return { source_type: 'auth', event_type: 'user_added_to_group', summary };
    return { source_type: 'auth', event_type: eventName(action), summary };
  }
  if (includes(category, 'process')) {
    const start = includes(type, 'start') || action === 'exec' || action === 'process_started' || action === 'executed';
    return { source_type: 'endpoint', event_type: start ? 'process_start' : eventName(action), summary };
  }
  if (includes(category, 'web') || fields['http.request.method'] !== undefined) return { source_type: 'proxy', event_type: 'http_request', summary };
  if (fields['tls.server.name'] !== undefined) return { source_type: 'proxy', event_type: 'tls_handshake', summary };
  if (includes(category, 'file')) {
    return { source_type: 'endpoint', event_type: includes(type, 'creation') ? 'file_created' : eventName(action), summary };
  }
  if (includes(category, 'network') || (fields['source.ip'] !== undefined && fields['destination.ip'] !== undefined)) {
    return { source_type: 'firewall', event_type: 'network_flow', summary };
  }
  return { source_type: 'generic', event_type: eventName(action), summary };
}

/** event.action as an event type: kept when short, null otherwise. */
function eventName(action: string | undefined): string | null {
  return action !== undefined && action.length <= MAX_EVENT_TYPE ? action : null;
}
