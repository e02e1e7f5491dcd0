// Mail server authentication: Postfix smtpd SASL failures ("warning: host[addr]: SASL LOGIN
// authentication failed: ...") and Dovecot login summaries ("imap-login: Disconnected (auth
// failed, 3 attempts in 9 secs): user=<bob>, method=PLAIN, rip=..., lip=...").
import { authFields, putAddress, putText } from './fields.ts';
import { parsePam } from './pam.ts';
import { readUint } from './scan.ts';
import type { MessageParse, ParsedFields } from './types.ts';

export function parsePostfix(message: string, program: string): MessageParse | null {
  if (!message.startsWith('warning: ')) return null;
  const sasl = message.indexOf(': SASL ', 9);
  if (sasl < 0) return null;
  const failedAt = message.indexOf(' authentication failed', sasl + 7);
  if (failedAt < 0) return null;
  const fields = authFields(program, 'failure', 'sasl_login');
  readClient(message.slice(9, sasl), fields);
  fields['auth.method'] = message.slice(sasl + 7, failedAt);
  const reasonAt = message.indexOf(': ', failedAt);
  if (reasonAt >= 0) {
    let reason = message.slice(reasonAt + 2);
    const userAt = reason.indexOf(', sasl_username=');
    if (userAt >= 0) {
      putText(fields, 'user.name', reason.slice(userAt + 16));
      reason = reason.slice(0, userAt);
    }
    putText(fields, 'event.reason', reason);
  }
  return { parser: 'postfix', source_type: 'auth', event_type: 'login_failure', fields };
}

/** "mail.example.net[198.51.100.2]" or "unknown[203.0.113.7]". */
function readClient(text: string, fields: ParsedFields): void {
  const open = text.lastIndexOf('[');
  if (open < 0 || !text.endsWith(']')) {
    putAddress(fields, 'source', text);
    return;
  }
  putAddress(fields, 'source', text.slice(open + 1, -1));
  const name = text.slice(0, open);
  if (name !== 'unknown') putText(fields, 'source.domain', name);
}

export function parseDovecot(message: string, program: string, maxFields: number): MessageParse | null {
  // Dovecot logs PAM through its auth process: "auth: pam_unix(dovecot:auth): ...".
  if (message.startsWith('auth: pam_')) return parsePam(message.slice(6), program, maxFields);
  let text = message;
  let service = program;
  const colon = text.indexOf(': ');
  if (colon > 0 && colon < 32 && text.slice(0, colon).endsWith('-login')) {
    service = text.slice(0, colon);
    text = text.slice(colon + 2);
  }
  if (!service.endsWith('-login')) return null;
  let outcome: 'success' | 'failure';
  let count = 1;
  if (text.startsWith('Login: ')) {
    outcome = 'success';
  } else if (text.startsWith('Disconnected (auth failed, ') || text.startsWith('Aborted login (auth failed, ')) {
    outcome = 'failure';
    const at = text.indexOf('auth failed, ') + 13;
    const space = text.indexOf(' ', at);
    const n = readUint(text, at, space);
    if (n >= 1) count = n;
  } else {
    return null;
  }
  const fields = authFields(service, outcome, 'mail_login');
  const pairsAt = text.indexOf('): ');
  readDovecotPairs(text, pairsAt >= 0 ? pairsAt + 3 : text.indexOf(': ') + 2, fields);
  return {
    parser: 'dovecot',
    source_type: 'auth',
    event_type: outcome === 'success' ? 'login_success' : 'login_failure',
    count,
    fields,
  };
}

/** "user=<bob>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.2, TLS, session=<x>". */
function readDovecotPairs(text: string, at: number, fields: ParsedFields): void {
  let i = at;
  let pairs = 0;
  while (i < text.length && pairs < 32) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim();
    let end: number;
    let value: string;
    if (text.charCodeAt(eq + 1) === 60) {
      // <...> values may hold ", " (user names do); they end at ">" followed by "," or the end.
      let close = text.indexOf('>,', eq + 2);
      if (close < 0) close = text.endsWith('>') ? text.length - 1 : text.length;
      value = text.slice(eq + 2, close);
      end = close + 1;
    } else {
      end = text.indexOf(',', eq + 1);
      if (end < 0) end = text.length;
      value = text.slice(eq + 1, end);
    }
    pairs++;
    if (key === 'user') putText(fields, 'user.name', value);
    else if (key === 'rip') putAddress(fields, 'source', value);
    else if (key === 'lip') putAddress(fields, 'destination', value);
    else if (key === 'method') putText(fields, 'auth.method', value);
    else if (key === 'session') putText(fields, 'session.id', value);
    i = end + 1;
    while (i < text.length && text.charCodeAt(i) === 32) i++;
    // Bare flags ("TLS", "secured") between pairs are skipped.
    const nextEq = text.indexOf('=', i);
    const nextComma = text.indexOf(',', i);
    if (nextComma >= 0 && (nextEq < 0 || nextComma < nextEq)) i = nextComma + 1;
  }
}
