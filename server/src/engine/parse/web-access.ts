// nginx and Apache access logs: common and combined formats, with or without a leading
// virtual host ("example.org:443 203.0.113.5 - ..."), and anything appended after the user
// agent. `addr ident user [time] "METHOD url PROTO" status bytes "referer" "agent"`.
import { putAddress, putPort, putText } from './fields.ts';
import { readUint } from './scan.ts';
import { readClfTime } from './time-formats.ts';
import type { MessageParse, ParsedFields } from './types.ts';

const MAX_PREFIX = 512;

export function parseWebAccess(message: string): MessageParse | null {
  const open = message.indexOf(' [');
  if (open < 0 || open > MAX_PREFIX) return null;
  const time = readClfTime(message, open + 2);
  if (time === null || message.charCodeAt(time.end) !== 93 || message.charCodeAt(time.end + 1) !== 32) return null;
  const prefix = message.slice(0, open).split(' ');
  if (prefix.length < 3 || prefix.length > 5) return null;
  // [vhost] addr ident user: the user is the last token, the address the third from last.
  const addr = prefix[prefix.length - 3]!;
  const user = prefix[prefix.length - 1]!;
  const vhost = prefix.length >= 4 ? prefix[0]! : null;
  let i = time.end + 2;
  const request = readQuoted(message, i);
  if (request === null) return null;
  i = request.end;
  const fields: ParsedFields = { 'event.category': 'web' };
  putAddress(fields, 'source', addr);
  putText(fields, 'user.name', user);
  if (vhost !== null) readVhost(fields, vhost);
  readRequest(fields, request.value);
  const statusEnd = message.indexOf(' ', i + 1);
  const status = readUint(message, i + 1, statusEnd < 0 ? message.length : statusEnd);
  if (message.charCodeAt(i) !== 32 || status < 100 || status > 999) return null;
  fields['http.response.status_code'] = status;
  fields['event.outcome'] = status < 400 ? 'success' : 'failure';
  if (statusEnd > 0) {
    const bytesEnd = message.indexOf(' ', statusEnd + 1);
    const bytes = readUint(message, statusEnd + 1, bytesEnd < 0 ? message.length : bytesEnd);
    if (bytes >= 0) fields['http.response.body.bytes'] = bytes;
    if (bytesEnd > 0) {
      const referrer = readQuoted(message, bytesEnd + 1);
      if (referrer !== null) {
        putText(fields, 'http.request.referrer', referrer.value);
        const agent = readQuoted(message, referrer.end + 1);
        if (agent !== null) putText(fields, 'user_agent.original', agent.value);
      }
    }
  }
  return { parser: 'web-access', source_type: 'proxy', event_type: 'http_request', fields, timestampMs: time.ms };
}

/** "example.org:443" -> url.domain and destination.port. */
function readVhost(fields: ParsedFields, vhost: string): void {
  const colon = vhost.lastIndexOf(':');
  if (colon > 0 && !vhost.includes(']', colon) && vhost.indexOf(':') === colon) {
    putText(fields, 'url.domain', vhost.slice(0, colon));
    putPort(fields, 'destination', vhost.slice(colon + 1));
  } else putText(fields, 'url.domain', vhost);
}

/** "GET /path?q HTTP/1.1" -> method, url, version. A malformed request ("-", TLS bytes) keeps only url.original. */
export function readRequest(fields: ParsedFields, request: string): void {
  const first = request.indexOf(' ');
  const last = request.lastIndexOf(' ');
  const method = first > 0 ? request.slice(0, first) : '';
  if (first > 0 && isMethod(method)) {
    fields['http.request.method'] = method;
    if (last > first && request.startsWith('HTTP/', last + 1)) {
      putText(fields, 'url.original', request.slice(first + 1, last));
      fields['http.version'] = request.slice(last + 6);
    } else putText(fields, 'url.original', request.slice(first + 1));
  } else putText(fields, 'url.original', request);
}

function isMethod(word: string): boolean {
  if (word.length < 3 || word.length > 16) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c < 65 || c > 90) && c !== 45 && c !== 95) return false;
  }
  return true;
}

/** A "quoted" value at `at` with \" escapes (Apache) and \x22 left as written (nginx); end is past the quote. */
export function readQuoted(text: string, at: number): { value: string; end: number } | null {
  if (text.charCodeAt(at) !== 34) return null;
  let i = at + 1;
  let escaped = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      escaped = true;
      i += 2;
      continue;
    }
    if (c === 34) break;
    i++;
  }
  if (i >= text.length) return null;
  const raw = text.slice(at + 1, i);
  return { value: escaped ? raw.replaceAll('\\"', '"').replaceAll('\\\\', '\\') : raw, end: i + 1 };
}
