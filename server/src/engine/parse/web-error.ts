// nginx and Apache error logs. nginx: "2026/03/15 10:00:00 [error] 12#12: *5 text, client:
// ADDR, server: NAME, request: "GET / HTTP/1.1", host: "h"". Apache 2.4: "[Sun Mar 15 ...
// 2026] [core:error] [pid 12:tid 34] [client ADDR:PORT] AH00126: text". Basic-auth failures
// of both become login failures; everything else is a web_error.
import { putAddress, putPort, putText } from './fields.ts';
import { readUint } from './scan.ts';
import type { ZoneSpec } from './syslog-time.ts';
import { readApacheErrorTime, readNginxErrorTime } from './time-formats.ts';
import { parseWebAccess, readQuoted, readRequest } from './web-access.ts';
import type { MessageParse, ParsedFields } from './types.ts';

const LEVELS = new Set(['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg']);

/** nginx error line; the time is read in `zone` when given (it has no offset). */
export function parseNginxError(message: string, zone?: ZoneSpec): MessageParse | null {
  if (message.charCodeAt(4) !== 47 || message.charCodeAt(20) !== 91) return null;
  const close = message.indexOf('] ', 21);
  const level = close > 0 ? message.slice(21, close) : '';
  if (!LEVELS.has(level)) return null;
  const fields: ParsedFields = { 'log.level': level };
  let i = close + 2;
  // "12#34: " pid#tid
  const hash = message.indexOf('#', i);
  const colon = message.indexOf(': ', i);
  if (hash > i && colon > hash && colon - i < 24) {
    const pid = readUint(message, i, hash);
    if (pid >= 0) fields['process.pid'] = pid;
    i = colon + 2;
  }
  // "*5 " connection number
  if (message.charCodeAt(i) === 42) {
    const space = message.indexOf(' ', i);
    const conn = readUint(message, i + 1, space);
    if (conn >= 0) fields['nginx.connection_id'] = conn;
    i = space + 1;
  }
  // Context pairs are appended after the text: ", client: ..., server: ..., request: "...", ...".
  const ctxAt = message.indexOf(', client: ', i);
  const text = ctxAt < 0 ? message.slice(i) : message.slice(i, ctxAt);
  fields['error.message'] = text;
  if (ctxAt >= 0) readNginxContext(message, ctxAt + 2, fields);
  const auth = nginxAuthFailure(text, fields);
  const timestampMs = zone ? readNginxErrorTime(message, zone) : null;
  if (auth) return { parser: 'nginx-error', source_type: 'auth', event_type: 'login_failure', fields, timestampMs };
  return { parser: 'nginx-error', source_type: 'proxy', event_type: 'web_error', fields, timestampMs };
}

function readNginxContext(message: string, at: number, fields: ParsedFields): void {
  let i = at;
  let guard = 0;
  while (i < message.length && guard++ < 16) {
    const colon = message.indexOf(': ', i);
    if (colon < 0 || colon - i > 32) return;
    const key = message.slice(i, colon);
    let value: string;
    let next: number;
    if (message.charCodeAt(colon + 2) === 34) {
      const q = readQuoted(message, colon + 2);
      if (q === null) return;
      value = q.value;
      next = q.end;
    } else {
      const comma = message.indexOf(', ', colon + 2);
      next = comma < 0 ? message.length : comma;
      value = message.slice(colon + 2, next);
    }
    switch (key) {
      case 'client': putAddress(fields, 'source', value); break;
      case 'server': putText(fields, 'nginx.server_name', value); break;
      case 'request': readRequest(fields, value); break;
      case 'host': putText(fields, 'url.domain', value); break;
      case 'upstream': putText(fields, 'nginx.upstream', value); break;
      case 'referrer': putText(fields, 'http.request.referrer', value); break;
      default: if (/^[a-z_]{1,32}$/.test(key)) putText(fields, `nginx.${key}`, value);
    }
    if (!message.startsWith(', ', next)) return;
    i = next + 2;
  }
}

/** 'user "bob" was not found in "/etc/nginx/.htpasswd"', 'user "bob": password mismatch'. */
function nginxAuthFailure(text: string, fields: ParsedFields): boolean {
  if (!text.startsWith('user "')) return false;
  const end = text.indexOf('"', 6);
  if (end < 0) return false;
  const rest = text.slice(end + 1);
  const notFound = rest.startsWith(' was not found');
  if (!notFound && !rest.startsWith(': password mismatch')) return false;
  putText(fields, 'user.name', text.slice(6, end));
  setAuth(fields, notFound ? 'user_not_found' : 'password_mismatch');
  return true;
}

function setAuth(fields: ParsedFields, reason: string): void {
  fields['event.category'] = 'authentication';
  fields['event.action'] = 'http_basic_auth';
  fields['event.outcome'] = 'failure';
  fields['event.reason'] = reason;
  fields['auth.method'] = 'basic';
}

/**
 * Apache error line; the time is read in `zone` when given. Through syslog (ErrorLog
 * syslog:) the line starts at the "[module:level]" group: the header holds the time.
 */
export function parseApacheError(message: string, zone?: ZoneSpec): MessageParse | null {
  if (message.charCodeAt(0) !== 91) return null;
  const timeEnd = message.indexOf(']');
  const stamped = timeEnd >= 20 && timeEnd <= 48 && message.charCodeAt(timeEnd - 5) === 32;
  const timestampMs = stamped && zone ? readApacheErrorTime(message.slice(1, timeEnd), zone) : null;
  const fields: ParsedFields = {};
  // `i` is at the space before the next group ("[time] [level]..."), or at -1 so the line's
  // own "[" opens the first group when there is no time.
  let i = stamped ? timeEnd + 1 : -1;
  let groups = 0;
  while ((i < 0 || message.startsWith(' [', i)) && groups++ < 6) {
    const at = i + 2;
    // "[client [2001:db8::5]:5678]": an IPv6 client has brackets of its own.
    const inner = message.startsWith('client [', at) ? message.indexOf(']', at + 8) : at;
    const close = inner < 0 ? -1 : message.indexOf(']', inner + 1);
    if (close < 0) return null;
    const group = message.slice(at, close);
    i = close + 1;
    if (group.startsWith('pid ')) {
      const colon = group.indexOf(':');
      const pid = readUint(group, 4, colon < 0 ? group.length : colon);
      if (pid >= 0) fields['process.pid'] = pid;
    } else if (group.startsWith('client ')) readClient(fields, group.slice(7));
    else if (group.startsWith('remote ')) readClient(fields, group.slice(7));
    else if (fields['log.level'] === undefined) {
      // "core:error" (2.4) or "error" (2.2)
      const colon = group.indexOf(':');
      const level = colon < 0 ? group : group.slice(colon + 1);
      if (!LEVELS.has(level) && !level.startsWith('trace')) return null;
      fields['log.level'] = level;
      if (colon > 0) fields['apache.module'] = group.slice(0, colon);
    }
  }
  if (fields['log.level'] === undefined) return null;
  let text = message.slice(i).trimStart();
  // "AH01617: ..." error code
  if (text.startsWith('AH') && text.charCodeAt(7) === 58) {
    fields['error.code'] = text.slice(0, 7);
    text = text.slice(9);
  }
  const referer = text.lastIndexOf(', referer: ');
  if (referer >= 0) {
    putText(fields, 'http.request.referrer', text.slice(referer + 11));
    text = text.slice(0, referer);
  }
  fields['error.message'] = text;
  if (apacheAuthFailure(text, fields)) return { parser: 'apache-error', source_type: 'auth', event_type: 'login_failure', fields, timestampMs };
  return { parser: 'apache-error', source_type: 'proxy', event_type: 'web_error', fields, timestampMs };
}

/** "203.0.113.9:51234" or "[2001:db8::1]:51234" or a bare address (2.2). */
function readClient(fields: ParsedFields, client: string): void {
  const colon = client.lastIndexOf(':');
  const bracketed = client.startsWith('[');
  if (colon > 0 && (bracketed || client.indexOf(':') === colon)) {
    putAddress(fields, 'source', client.slice(0, colon));
    putPort(fields, 'source', client.slice(colon + 1));
  } else putAddress(fields, 'source', client);
}

const AUTH_FAILURE_FOR = ': authentication failure for ';

/** "user bob: authentication failure for "/admin": Password Mismatch", "user bob not found: /admin". */
function apacheAuthFailure(text: string, fields: ParsedFields): boolean {
  if (!text.startsWith('user ')) return false;
  const mismatch = text.indexOf(AUTH_FAILURE_FOR);
  if (mismatch > 5) {
    putText(fields, 'user.name', text.slice(5, mismatch));
    const q = readQuoted(text, mismatch + AUTH_FAILURE_FOR.length);
    if (q) putText(fields, 'url.original', q.value);
    setAuth(fields, 'password_mismatch');
    return true;
  }
  const notFound = text.indexOf(' not found');
  if (notFound > 5) {
    putText(fields, 'user.name', text.slice(5, notFound));
    const colon = text.indexOf(': ', notFound);
    if (colon > 0) putText(fields, 'url.original', text.slice(colon + 2));
    setAuth(fields, 'user_not_found');
    return true;
  }
  return false;
}

/** A message from a web server's syslog program: access line, nginx error or Apache error. */
export function parseWebMessage(message: string, zone?: ZoneSpec): MessageParse | null {
  const first = message.charCodeAt(0);
  if (first === 91) return parseApacheError(message, zone);
  return parseNginxError(message, zone) ?? parseWebAccess(message);
}
