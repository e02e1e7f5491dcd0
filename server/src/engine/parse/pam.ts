// PAM module messages under any program: "pam_unix(sshd:auth): authentication failure;
// logname= uid= euid= tty= ruser= rhost= user=", session open/close, password changes and
// "PAM N more authentication failures". rhost may be a host name: kept as source.domain.
import { authFields, putAddress, putText } from './fields.ts';
import { readUint, scanKeyValues } from './scan.ts';
import type { MessageParse, ParsedFields } from './types.ts';

// Services whose own log line already reports the failed attempt (sshd "Failed password",
// sudo "incorrect password attempts", su "FAILED SU", Dovecot's login summary): their PAM line gets its own
// event type so login-failure rules do not count the attempt twice.
const SELF_REPORTING = new Set(['sshd', 'sshd-session', 'sudo', 'su', 'su-l', 'dovecot']);
const REST_KEYS = new Set(['user']);

export function parsePam(message: string, _program: string, maxFields: number): MessageParse | null {
  if (message.startsWith('PAM ')) return moreFailures(message, maxFields);
  if (!message.startsWith('pam_')) return null;
  const open = message.indexOf('(');
  const close = message.indexOf('): ', open);
  if (open < 0 || close < 0 || close - open > 64) return null;
  const module = message.slice(0, open);
  const scope = message.slice(open + 1, close);
  const colon = scope.indexOf(':');
  const service = colon < 0 ? scope : scope.slice(0, colon);
  const facility = colon < 0 ? '' : scope.slice(colon + 1);
  const text = message.slice(close + 3);
  // Fields are built by assignment, not object spread: spreading dotted-key objects made
  // this parser twenty times slower.
  const base = (fields: ParsedFields): ParsedFields => {
    fields['pam.module'] = module;
    fields['service.name'] = service;
    if (facility !== '') fields['pam.type'] = facility;
    return fields;
  };

  if (text.startsWith('authentication failure')) {
    const fields = base(authFields(service, 'failure', 'pam_authentication_failure'));
    const semi = text.indexOf(';');
    if (semi >= 0) readPamPairs(text, semi + 1, fields, maxFields);
    return { parser: 'pam', source_type: 'auth', event_type: failureType(service), fields };
  }
  if (text.startsWith('session opened for user ')) return session(text, 24, base({}), 'session_opened');
  if (text.startsWith('session closed for user ')) return session(text, 24, base({}), 'session_closed');
  if (text.startsWith('password changed for ')) {
    const fields = base({ 'event.category': 'iam', 'event.action': 'password_changed', 'event.outcome': 'success' });
    putText(fields, 'user.name', text.slice(21).trim());
    return { parser: 'pam', source_type: 'auth', event_type: 'password_changed', fields };
  }
  if (text.startsWith('check pass; user unknown')) {
    const fields = base(authFields(service, 'failure', 'pam_user_unknown'));
    fields['event.reason'] = 'user_unknown';
    return { parser: 'pam', source_type: 'auth', event_type: 'pam_user_unknown', fields };
  }
  return null;
}

/** "PAM 2 more authentication failures; logname= uid=0 ... user=root": N further attempts. */
function moreFailures(message: string, maxFields: number): MessageParse | null {
  const space = message.indexOf(' ', 4);
  const n = readUint(message, 4, space);
  if (n < 1 || !message.startsWith(' more authentication failure', space)) return null;
  const fields = authFields('pam', 'failure', 'pam_authentication_failure');
  const semi = message.indexOf(';', space);
  if (semi >= 0) readPamPairs(message, semi + 1, fields, maxFields);
  return { parser: 'pam', source_type: 'auth', event_type: 'pam_authentication_failure', count: n, fields };
}

/** "alice(uid=1000) by (uid=0)" / "alice by (uid=0)" / "root by alice(uid=1000)". */
function session(text: string, at: number, fields: ParsedFields, type: string): MessageParse {
  fields['event.category'] = 'session';
  fields['event.action'] = type;
  const byAt = text.indexOf(' by ', at);
  let user = byAt < 0 ? text.slice(at) : text.slice(at, byAt);
  const paren = user.indexOf('(uid=');
  if (paren >= 0) {
    const uid = readUint(user, paren + 5, user.length - 1);
    if (uid >= 0) fields['user.id'] = String(uid);
    user = user.slice(0, paren);
  }
  putText(fields, 'user.name', user.trim());
  if (byAt >= 0) {
    let by = text.slice(byAt + 4).trim();
    const byParen = by.indexOf('(uid=');
    if (byParen >= 0) {
      const uid = readUint(by, byParen + 5, by.length - 1);
      if (uid >= 0) fields['process.user.id'] = String(uid);
      by = by.slice(0, byParen);
    }
    putText(fields, 'process.user.name', by);
  }
  return { parser: 'pam', source_type: 'auth', event_type: type, fields };
}

function readPamPairs(text: string, from: number, fields: ParsedFields, maxFields: number): void {
  scanKeyValues(text, from, text.length, { maxPairs: maxFields, restKeys: REST_KEYS }, (key, value) => {
    switch (key) {
      case 'user': putText(fields, 'user.name', value); break;
      case 'rhost': putAddress(fields, 'source', value); break;
      case 'ruser': putText(fields, 'source.user.name', value); break;
      case 'logname': putText(fields, 'pam.logname', value); break;
      case 'uid': putText(fields, 'process.user.id', value); break;
      case 'euid': putText(fields, 'process.user.effective.id', value); break;
      case 'tty': putText(fields, 'process.tty.name', value); break;
      default: putText(fields, `pam.${key}`, value);
    }
  });
}

function failureType(service: string): string {
  return SELF_REPORTING.has(service) ? 'pam_authentication_failure' : 'authentication_failure';
}
