// OpenSSH sshd (and OpenSSH 9.8+'s sshd-session): logins by password, public key and
// keyboard-interactive, invalid users, pre-authentication disconnects. Parsed from the
// right (" from ", " port ") so user names may contain spaces.
import { authFields, putAddress, putPort, putText } from './fields.ts';
import { readUint } from './scan.ts';
import type { MessageParse, ParsedFields } from './types.ts';

const SERVICE = 'sshd';

export function parseSshd(message: string): MessageParse | null {
  if (message.startsWith('Failed ')) return login(message, 7, 'failure');
  if (message.startsWith('Accepted ')) return login(message, 9, 'success');
  if (message.startsWith('Invalid user ')) return invalidUser(message);
  if (message.startsWith('Connection closed by ')) return closed(message, 21, 'ssh_connection_closed');
  if (message.startsWith('Disconnected from ')) return closed(message, 18, 'ssh_disconnected');
  if (message.startsWith('Disconnecting ')) return closed(message, 14, 'ssh_disconnecting');
  if (message.startsWith('Received disconnect from ')) return receivedDisconnect(message);
  if (message.startsWith('error: maximum authentication attempts exceeded for ')) return maxAttempts(message);
  if (message.startsWith('Did not receive identification string from ')) return noIdent(message);
  return null;
}

/** "Failed password for [invalid user ]NAME from ADDR port N ssh2[: KEY]" and "Accepted ...". */
function login(message: string, at: number, outcome: 'success' | 'failure'): MessageParse | null {
  const forAt = message.indexOf(' for ', at);
  if (forAt < 0) return null;
  const method = message.slice(at, forAt);
  const fromAt = message.lastIndexOf(' from ');
  if (fromAt <= forAt) return null;
  let userStart = forAt + 5;
  const invalid = message.startsWith('invalid user ', userStart);
  if (invalid) userStart += 13;
  const fields = authFields(SERVICE, outcome, 'ssh_login');
  fields['auth.method'] = method;
  putText(fields, 'user.name', message.slice(userStart, fromAt));
  if (invalid) fields['event.reason'] = 'invalid_user';
  readAddressPort(message, fromAt + 6, fields);
  const colon = message.indexOf(': ', fromAt);
  if (colon > 0) {
    // "ssh2: RSA SHA256:..." -> the key type and fingerprint of a public key login.
    const key = message.slice(colon + 2);
    const space = key.indexOf(' ');
    if (space > 0) {
      fields['sshd.key_type'] = key.slice(0, space);
      fields['sshd.key_fingerprint'] = key.slice(space + 1);
    }
  }
  return { parser: 'sshd', source_type: 'auth', event_type: outcome === 'success' ? 'login_success' : 'login_failure', fields };
}

/**
 * "Invalid user NAME from ADDR port N": the probe before the password attempt. Kept out of
 * the login failure types: the "Failed password for invalid user" line that follows is the
 * attempt, and counting both would double every guess.
 */
function invalidUser(message: string): MessageParse | null {
  const fromAt = message.lastIndexOf(' from ');
  if (fromAt < 13) return null;
  const fields = authFields(SERVICE, 'failure', 'ssh_invalid_user');
  putText(fields, 'user.name', message.slice(13, fromAt));
  fields['event.reason'] = 'invalid_user';
  readAddressPort(message, fromAt + 6, fields);
  return { parser: 'sshd', source_type: 'auth', event_type: 'invalid_user', fields };
}

/**
 * "Connection closed by [authenticating user NAME |invalid user NAME ]ADDR port N [preauth]"
 * "Disconnected from [user NAME |...]ADDR port N" and "Disconnecting ... port N: reason".
 */
function closed(message: string, at: number, action: string): MessageParse | null {
  const portAt = message.lastIndexOf(' port ');
  if (portAt < at) return null;
  const addrAt = message.lastIndexOf(' ', portAt - 1);
  const fields = authFields(SERVICE, 'unknown', action);
  fields['event.category'] = 'network';
  const preauth = message.endsWith('[preauth]');
  let userPart = addrAt >= at ? message.slice(at, addrAt) : '';
  if (userPart.startsWith('authenticating user ')) userPart = userPart.slice(20);
  else if (userPart.startsWith('invalid user ')) {
    userPart = userPart.slice(13);
    fields['event.reason'] = 'invalid_user';
  } else if (userPart.startsWith('user ')) userPart = userPart.slice(5);
  putText(fields, 'user.name', userPart);
  readAddressPort(message, addrAt >= at ? addrAt + 1 : at, fields);
  // "Disconnecting ... port N: Too many authentication failures [preauth]"
  const reasonAt = message.indexOf(': ', portAt);
  if (reasonAt > 0) putText(fields, 'event.reason', stripPreauth(message.slice(reasonAt + 2)));
  if (preauth) fields['sshd.preauth'] = 'true';
  return { parser: 'sshd', source_type: 'auth', event_type: preauth ? 'ssh_preauth_disconnect' : 'logout', fields };
}

/** "Received disconnect from ADDR port N:11: reason [preauth]". */
function receivedDisconnect(message: string): MessageParse {
  const fields = authFields(SERVICE, 'unknown', 'ssh_received_disconnect');
  fields['event.category'] = 'network';
  readAddressPort(message, 25, fields);
  const reasonAt = message.indexOf(': ', 25);
  if (reasonAt > 0) putText(fields, 'event.reason', stripPreauth(message.slice(reasonAt + 2)));
  const preauth = message.endsWith('[preauth]');
  if (preauth) fields['sshd.preauth'] = 'true';
  return { parser: 'sshd', source_type: 'auth', event_type: preauth ? 'ssh_preauth_disconnect' : 'ssh_disconnect', fields };
}

/** "error: maximum authentication attempts exceeded for [invalid user ]NAME from ADDR port N ssh2 [preauth]". */
function maxAttempts(message: string): MessageParse | null {
  const at = 52;
  const fromAt = message.lastIndexOf(' from ');
  if (fromAt < at) return null;
  const fields = authFields(SERVICE, 'failure', 'ssh_max_auth_attempts');
  let user = message.slice(at, fromAt);
  if (user.startsWith('invalid user ')) {
    user = user.slice(13);
    fields['event.reason'] = 'invalid_user';
  }
  putText(fields, 'user.name', user);
  readAddressPort(message, fromAt + 6, fields);
  return { parser: 'sshd', source_type: 'auth', event_type: 'ssh_max_auth_attempts', fields };
}

function noIdent(message: string): MessageParse {
  const fields: ParsedFields = { 'event.category': 'network', 'event.action': 'ssh_no_identification', 'service.name': SERVICE };
  readAddressPort(message, 43, fields);
  return { parser: 'sshd', source_type: 'auth', event_type: 'ssh_scan', fields };
}

/** "ADDR port N..." at `at` -> source.ip|domain and source.port. */
function readAddressPort(message: string, at: number, fields: ParsedFields): void {
  let end = message.indexOf(' ', at);
  if (end < 0) end = message.length;
  putAddress(fields, 'source', message.slice(at, end));
  if (message.startsWith(' port ', end)) {
    const start = end + 6;
    let stop = start;
    while (stop < message.length && stop - start < 6 && isDigit(message.charCodeAt(stop))) stop++;
    const port = readUint(message, start, stop);
    if (port >= 0 && port <= 65535) putPort(fields, 'source', String(port));
  }
}

function stripPreauth(text: string): string {
  return text.endsWith(' [preauth]') ? text.slice(0, -10) : text;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
