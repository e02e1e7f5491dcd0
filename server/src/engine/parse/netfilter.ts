// Kernel netfilter LOG lines (iptables, UFW, nftables): "[UFW BLOCK] IN=eth0 OUT= SRC=...
// DST=... PROTO=TCP SPT=... DPT=...". The action is read from the log prefix the
// administrator chose; a prefix naming none gives event.action "log".
import { putAddress, putPort, putText } from './fields.ts';
import { readUint, scanKeyValues } from './scan.ts';
import type { MessageParse, ParsedFields } from './types.ts';

// Checked in order against the upper-cased prefix; deny words first so "NOT-ALLOWED DROP" denies.
const ACTION_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['BLOCK', 'block'], ['DROP', 'drop'], ['REJECT', 'reject'], ['DENY', 'deny'], ['DENIED', 'deny'],
  ['ALLOW', 'allow'], ['ACCEPT', 'accept'], ['AUDIT', 'log'], ['LIMIT', 'limit'],
];
// Names for the keys every LOG line carries, built once: composing them per line cost more
// than the rest of the parse.
const OTHER_KEYS: ReadonlyMap<string, string> = new Map(
  ['MAC', 'TOS', 'PREC', 'TTL', 'ID', 'WINDOW', 'RES', 'URGP', 'TC', 'HOPLIMIT', 'FLOWLBL', 'SEQ', 'MARK', 'PHYSIN', 'PHYSOUT'].map(
    (k) => [k, `netfilter.${k.toLowerCase()}`],
  ),
);
const DENY_ACTIONS = new Set(['block', 'drop', 'reject', 'deny']);
const ALLOW_ACTIONS = new Set(['allow', 'accept']);

/** Index of the "IN=" that starts the netfilter fields (at the start or after a space), or -1. */
export function netfilterStart(message: string): number {
  let at = message.indexOf('IN=');
  while (at > 0 && message.charCodeAt(at - 1) !== 32) at = message.indexOf('IN=', at + 3);
  return at >= 0 && message.includes(' OUT=', at) ? at : -1;
}

export function parseNetfilter(message: string, _program: string, maxFields: number): MessageParse | null {
  const at = netfilterStart(message);
  if (at < 0) return null;
  const prefix = stripKernelTime(message.slice(0, at)).trim();
  const fields: ParsedFields = { 'event.category': 'network' };
  const name = ruleName(prefix);
  if (name !== '') fields['rule.name'] = name;
  const upper = prefix.toUpperCase();
  let action = 'log';
  for (const [word, name] of ACTION_WORDS) {
    if (upper.includes(word)) {
      action = name;
      break;
    }
  }
  fields['event.action'] = action;
  if (DENY_ACTIONS.has(action)) fields['event.outcome'] = 'failure';
  else if (ALLOW_ACTIONS.has(action)) fields['event.outcome'] = 'success';
  const flags: string[] = [];
  scanKeyValues(message, at, message.length, { maxPairs: maxFields }, (key, value) => readPair(fields, key, value), (flag) => {
    if (flags.length < 16) flags.push(flag);
  });
  if (flags.length > 0) fields['netfilter.flags'] = flags.join(' ');
  const eventType = DENY_ACTIONS.has(action) ? 'firewall_deny' : ALLOW_ACTIONS.has(action) ? 'connection_allowed' : 'firewall_log';
  return { parser: 'netfilter', source_type: 'firewall', event_type: eventType, fields };
}

function readPair(fields: ParsedFields, key: string, value: string): void {
  switch (key) {
    case 'IN': putText(fields, 'observer.ingress.interface.name', value); return;
    case 'OUT': putText(fields, 'observer.egress.interface.name', value); return;
    case 'SRC': putAddress(fields, 'source', value); return;
    case 'DST': putAddress(fields, 'destination', value); return;
    case 'SPT': putPort(fields, 'source', value); return;
    case 'DPT': putPort(fields, 'destination', value); return;
    case 'PROTO': {
      // Protocols without a name are logged as their number ("PROTO=47").
      putText(fields, 'network.transport', value.toLowerCase());
      return;
    }
    case 'LEN': {
      const n = readUint(value, 0, value.length);
      if (n >= 0 && fields['network.packet_length'] === undefined) fields['network.packet_length'] = n;
      return;
    }
    case 'TYPE': putText(fields, 'icmp.type', value); return;
    case 'CODE': putText(fields, 'icmp.code', value); return;
    default: putText(fields, OTHER_KEYS.get(key) ?? `netfilter.${key.toLowerCase()}`, value);
  }
}

/** "[UFW BLOCK]" -> "UFW BLOCK", "DROP-INPUT:" -> "DROP-INPUT". */
function ruleName(prefix: string): string {
  let name = prefix;
  if (name.endsWith(':')) name = name.slice(0, -1).trimEnd();
  if (name.length > 1 && name.charCodeAt(0) === 91 && name.endsWith(']')) name = name.slice(1, -1).trim();
  return name;
}

/** Drops dmesg's "[12345.678901] " uptime stamp in front of the prefix. */
function stripKernelTime(prefix: string): string {
  if (prefix.charCodeAt(0) !== 91) return prefix;
  const close = prefix.indexOf(']');
  if (close < 0) return prefix;
  const inside = prefix.slice(1, close).trim();
  for (let i = 0; i < inside.length; i++) {
    const c = inside.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46) return prefix;
  }
  return prefix.slice(close + 1);
}
