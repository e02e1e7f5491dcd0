// What CEF and LEEF records share: their key names mapped to ECS, the severity scale turned
// into an IDS priority, and the choice of source and event type from what the record holds.
import type { SourceType } from '@siem/contracts';
import { isIp } from '../normalize/ip.ts';
import { putAddress, putPort, putText } from './fields.ts';
import { processNameFromPath } from './process-name.ts';
import type { ParsedFields } from './types.ts';

/** CEF/LEEF key -> ECS field, for keys that are not addresses or ports. */
const TEXT_KEYS: Readonly<Record<string, string>> = {
  suser: 'user.name', usrName: 'user.name', duser: 'user.target.name',
  act: 'event.action', action: 'event.action', outcome: 'event.outcome', reason: 'event.reason',
  request: 'url.original', url: 'url.original', requestMethod: 'http.request.method', requestClientApplication: 'user_agent.original',
  app: 'network.protocol', cat: 'rule.category', msg: 'event.reason', fname: 'file.name', filePath: 'file.path', fileHash: 'file.hash',
  smac: 'source.mac', dmac: 'destination.mac', srcMAC: 'source.mac', dstMAC: 'destination.mac',
  shost: 'source.domain', dhost: 'destination.domain', srcHostName: 'source.domain', dstHostName: 'destination.domain',
  dvchost: 'observer.hostname', deviceExternalId: 'observer.serial_number', dntdom: 'user.target.domain', sntdom: 'user.domain',
  policy: 'rule.ruleset', identHostName: 'host.name', role: 'user.roles', domain: 'user.domain',
};
const NUMBER_KEYS: Readonly<Record<string, string>> = {
  in: 'source.bytes', out: 'destination.bytes', srcBytes: 'source.bytes', dstBytes: 'destination.bytes',
  cnt: 'event.count', totalPackets: 'network.packets', spid: 'process.pid', dpid: 'process.pid',
};
const PROCESS_KEYS = new Set(['sproc', 'dproc']);
const SOURCE_ADDR = new Set(['src', 'c6a2', 'srcPreNAT']);
const DEST_ADDR = new Set(['dst', 'c6a3', 'dstPreNAT']);
const SOURCE_PORT = new Set(['spt', 'srcPort', 'srcPreNATPort']);
const DEST_PORT = new Set(['dpt', 'dstPort', 'dstPreNATPort']);
const DENY = ['block', 'deny', 'denied', 'drop', 'reject', 'blocked', 'dropped', 'prevent'];

/** Puts one key=value of a CEF extension or LEEF attribute list into fields. */
export function putCefPair(fields: ParsedFields, key: string, value: string, prefix: string): void {
  if (value === '' || key === '__proto__') return;
  if (SOURCE_ADDR.has(key)) return putAddress(fields, 'source', value);
  if (DEST_ADDR.has(key)) return putAddress(fields, 'destination', value);
  if (SOURCE_PORT.has(key)) return putPort(fields, 'source', value);
  if (DEST_PORT.has(key)) return putPort(fields, 'destination', value);
  if (key === 'proto') return putText(fields, 'network.transport', value.toLowerCase());
  if (key === 'dvc' || key === 'devIp') {
    if (isIp(value)) fields['observer.ip'] = value;
    else fields['observer.hostname'] ??= value;
    return;
  }
  if (PROCESS_KEYS.has(key)) {
    fields['process.executable'] = value;
    fields['process.name'] = processNameFromPath(value);
    return;
  }
  const ecs = TEXT_KEYS[key];
  if (ecs !== undefined) {
    if (fields[ecs] === undefined) putText(fields, ecs, value);
    else fields[`${prefix}.${key}`] = value;
    return;
  }
  const numeric = NUMBER_KEYS[key];
  if (numeric !== undefined) {
    const n = Number(value);
    if (Number.isFinite(n) && value.trim() !== '') fields[numeric] = n;
    return;
  }
  fields[`${prefix}.${key}`] = value;
}

/**
 * cs1..cs6 / cn1..cn3 / flexString1 with their *Label keys: "cef.<label>" beside "cef.cs1".
 * `labels` are the (slot, label) pairs the record carried, collected while reading it.
 */
export function labelCustomFields(fields: ParsedFields, prefix: string, labels: ReadonlyArray<readonly [string, string]>): void {
  for (const [slot, label] of labels) {
    const value = fields[`${prefix}.${slot}`];
    if (value === undefined) continue;
    const name = label.trim().replace(/[^A-Za-z0-9_]+/g, '_').slice(0, 48);
    if (name !== '' && name !== '__proto__') fields[`${prefix}.${name}`] ??= value;
  }
}

/**
 * CEF severity (0-10, or Low/Medium/High/Very-High) -> ids.priority on Suricata's scale,
 * 1 highest: 7-10 -> 1, 4-6 -> 2, 0-3 -> 3. Null when the value is neither.
 */
export function severityToPriority(severity: string): number | null {
  const word = severity.trim().toLowerCase();
  const named: Record<string, number> = { low: 3, medium: 2, high: 1, 'very-high': 1, 'very high': 1, unknown: 3 };
  if (Object.hasOwn(named, word)) return named[word]!;
  const n = Number(word);
  if (word === '' || !Number.isFinite(n) || n < 0 || n > 10) return null;
  return n >= 7 ? 1 : n >= 4 ? 2 : 3;
}

export interface CefMeaning {
  source_type: SourceType;
  event_type: string;
}

/**
 * What a CEF/LEEF record is: authentication when its category says so, a web request when it
 * has a URL and method, a firewall decision when the product is a firewall and it has an
 * action, otherwise an IDS alert (its signature id and name are the rule).
 */
export function classifyCef(vendorProduct: string, fields: ParsedFields): CefMeaning {
  const category = String(fields['rule.category'] ?? '').toLowerCase();
  const outcome = String(fields['event.outcome'] ?? '').toLowerCase();
  if (category.includes('authentication') || category.includes('logon') || category.includes('login')) {
    const failed = outcome.includes('fail') || outcome.includes('deny');
    fields['event.outcome'] = failed ? 'failure' : outcome.includes('success') ? 'success' : outcome || 'unknown';
    return { source_type: 'auth', event_type: failed ? 'login_failure' : outcome.includes('success') ? 'login_success' : 'authentication' };
  }
  if (fields['url.original'] !== undefined && fields['http.request.method'] !== undefined) return { source_type: 'proxy', event_type: 'http_request' };
  const product = vendorProduct.toLowerCase();
  const action = String(fields['event.action'] ?? '').toLowerCase();
  const firewall = product.includes('firewall') || product.includes('fw') || product.includes('asa') || category.includes('firewall') || category.includes('traffic');
  if (firewall && action !== '' && !product.includes('ips') && !product.includes('ids')) {
    return { source_type: 'firewall', event_type: DENY.some((w) => action.includes(w)) ? 'firewall_deny' : 'network_flow' };
  }
  return { source_type: 'ids', event_type: 'ids_alert' };
}
