// Linux audit records (auditd's log file, audisp/syslog, kernel "audit:" lines):
// "[node=h ]type=T msg=audit(EPOCH.MS:SERIAL): k=v ... msg='k=v ...'". Unquoted EXECVE
// arguments are hex-encoded by auditd and decoded here; the nested msg='...' is flattened.
import { authFields, putAddress, putText } from './fields.ts';
import { processNameFromPath } from './process-name.ts';
import { readUint, scanKeyValues } from './scan.ts';
import type { MessageParse, ParsedFields } from './types.ts';

const UNSET_ID = '4294967295';
// Names for the keys most records carry, built once rather than per pair.
const OTHER_KEYS: ReadonlyMap<string, string> = new Map(
  ['arch', 'syscall', 'exit', 'a0', 'a1', 'a2', 'a3', 'items', 'gid', 'suid', 'fsuid', 'egid', 'sgid', 'fsgid', 'tty', 'subj', 'grantors', 'id', 'comm', 'node']
    .map((k) => [k, `auditd.${k}`]),
);
const MAX_ARGS = 64;
// Fields auditd writes as hex when their value holds a space, quote or control character.
const HEX_FIELDS: ReadonlySet<string> = new Set(['acct', 'exe', 'comm', 'cwd', 'name', 'proctitle', 'cmd', 'path', 'new', 'old']);

/** Index of "type=" when the message is an audit record, else -1. */
export function auditStart(message: string): number {
  if (message.startsWith('type=')) return 0;
  if (message.startsWith('node=')) {
    const at = message.indexOf(' type=');
    return at > 0 && at < 300 ? at + 1 : -1;
  }
  if (message.startsWith('audit: type=')) return 7;
  return -1;
}

export function parseAuditd(message: string, _program: string, maxFields: number): MessageParse | null {
  const at = auditStart(message);
  if (at < 0) return null;
  // The enriched format appends translated values after a GS (0x1d); the raw ones suffice.
  const gs = message.indexOf('\u001d', at);
  const end = gs < 0 ? message.length : gs;
  const typeEnd = message.indexOf(' ', at);
  if (typeEnd < 0) return null;
  const type = message.slice(at + 5, typeEnd);
  const fields: ParsedFields = { 'auditd.type': type };
  if (at > 0 && message.startsWith('node=')) putText(fields, 'auditd.node', message.slice(5, at - 1));
  let timestampMs: number | null = null;
  let bodyAt = typeEnd + 1;
  // Kernel lines write "audit(...)" without "msg=".
  const stampAt = message.startsWith('msg=audit(', bodyAt) ? bodyAt + 10 : message.startsWith('audit(', bodyAt) ? bodyAt + 6 : -1;
  if (stampAt > 0) {
    const close = message.indexOf('):', stampAt);
    if (close > 0 && close - stampAt < 40) {
      const stamp = message.slice(stampAt, close);
      const colon = stamp.indexOf(':');
      const dot = stamp.indexOf('.');
      const secs = readUint(stamp, 0, dot < 0 ? colon : dot);
      const millis = dot < 0 ? 0 : readUint(stamp, dot + 1, Math.min(dot + 4, colon));
      if (secs >= 0 && millis >= 0) timestampMs = secs * 1000 + millis;
      const serial = readUint(stamp, colon + 1, stamp.length);
      if (serial >= 0) fields['auditd.sequence'] = serial;
      bodyAt = close + 2;
    }
  }
  const args: string[] = [];
  const budget = { left: maxFields };
  const onPair = (key: string, value: string, quotedValue: boolean): void => {
    if (key === 'msg' && value.includes('=')) {
      scanAudit(value, 0, value.length, budget, onPair);
      return;
    }
    if (type === 'EXECVE' && key.charCodeAt(0) === 97 && key !== 'argc') {
      const index = readUint(key, 1, key.length);
      if (index >= 0 && index < MAX_ARGS) args[index] = quotedValue ? value : decodeHex(value);
      return;
    }
    // Untrusted strings holding spaces or quotes are written in hex, unquoted.
    readPair(fields, key, !quotedValue && HEX_FIELDS.has(key) ? decodeHex(value) : value);
  };
  scanAudit(message, bodyAt, end, budget, onPair);
  return finish(type, fields, args, timestampMs);
}

/** key=value pairs whose values may be "quoted", 'quoted' or bare; reports which. */
function scanAudit(
  text: string,
  from: number,
  to: number,
  budget: { left: number },
  onPair: (key: string, value: string, quoted: boolean) => void,
): void {
  scanKeyValues(text, from, to, { maxPairs: budget.left, singleQuotes: true }, (key, value, quoted) => {
    budget.left--;
    onPair(key, value, quoted);
  });
}

function readPair(fields: ParsedFields, key: string, value: string): void {
  if (value === '(null)' || value === '?' || value === '') return;
  switch (key) {
    case 'pid': setNumber(fields, 'process.pid', value); return;
    case 'ppid': setNumber(fields, 'process.parent.pid', value); return;
    case 'uid': fields['user.id'] = value; return;
    case 'euid': fields['user.effective.id'] = value; return;
    case 'auid': if (value !== UNSET_ID) fields['user.audit.id'] = value; return;
    case 'ses': if (value !== UNSET_ID) fields['auditd.session'] = value; return;
    case 'acct': fields['user.name'] = value; return;
    case 'exe': fields['process.executable'] = value; fields['process.name'] = processNameFromPath(value); return;
    case 'comm': fields['auditd.comm'] = value; if (fields['process.name'] === undefined) fields['process.name'] = value; return;
    case 'key': fields['auditd.key'] = value; return;
    case 'addr': putAddress(fields, 'source', value); return;
    case 'hostname': if (fields['source.ip'] === undefined) putAddress(fields, 'source', value); return;
    case 'terminal': fields['process.tty.name'] = value; return;
    case 'res': case 'success': fields['event.outcome'] = value === 'success' || value === 'yes' ? 'success' : 'failure'; return;
    case 'op': fields['event.action'] = value; return;
    case 'cwd': fields['process.working_directory'] = value; return;
    case 'name': fields['file.path'] = value; return;
    case 'argc': setNumber(fields, 'process.args_count', value); return;
    case 'proctitle': fields['process.command_line'] = value.trimEnd(); return;
    case 'cmd': fields['process.command_line'] = value; return;
    default: fields[OTHER_KEYS.get(key) ?? `auditd.${key}`] = value;
  }
}

function finish(type: string, fields: ParsedFields, args: string[], timestampMs: number | null): MessageParse {
  const outcome = fields['event.outcome'];
  if (type === 'EXECVE') {
    const argv = args.filter((a) => a !== undefined);
    if (argv.length > 0) {
      fields['process.command_line'] = argv.join(' ');
      fields['process.name'] = processNameFromPath(argv[0]!);
      if (argv[0]!.includes('/')) fields['process.executable'] = argv[0]!;
    }
    Object.assign(fields, { 'event.category': 'process', 'event.action': 'executed' });
    return { parser: 'auditd', source_type: 'endpoint', event_type: 'process_start', fields, timestampMs };
  }
  if (type === 'USER_AUTH' || type === 'USER_LOGIN') {
    const failed = outcome === 'failure';
    const action = String(fields['event.action'] ?? type.toLowerCase());
    Object.assign(fields, authFields(String(fields['process.name'] ?? 'audit'), failed ? 'failure' : 'success', action));
    const base = type === 'USER_AUTH' ? 'authentication' : 'login';
    return { parser: 'auditd', source_type: 'auth', event_type: `${base}_${failed ? 'failure' : 'success'}`, fields, timestampMs };
  }
  if (type === 'SYSCALL') {
    fields['event.category'] = 'process';
    return { parser: 'auditd', source_type: 'endpoint', event_type: 'audit_syscall', fields, timestampMs };
  }
  return { parser: 'auditd', source_type: 'generic', event_type: `audit_${type.toLowerCase()}`, fields, timestampMs };
}

function setNumber(fields: ParsedFields, name: string, value: string): void {
  const n = readUint(value, 0, value.length);
  if (n >= 0) fields[name] = n;
}

/** auditd writes an argument as hex when it holds spaces, quotes or control characters. */
export function decodeHex(value: string): string {
  if (value.length === 0 || value.length % 2 !== 0) return value;
  const bytes = new Uint8Array(value.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const hi = hexDigit(value.charCodeAt(2 * i));
    const lo = hexDigit(value.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return value;
    bytes[i] = (hi << 4) | lo;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replaceAll('\u0000', ' ');
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
