// sudo and su: commands run as another user, failed passwords, users not in sudoers.
// sudo's line is "user : [reason ; ]KEY=value ; ... ; COMMAND=rest"; COMMAND runs to the
// end of the line because a command may itself contain " ; ".
import { authFields, putText } from './fields.ts';
import { setProcessFromCommandLine } from './process-name.ts';
import type { MessageParse, ParsedFields } from './types.ts';

const SUDO_KEY = /^[A-Z_]{1,32}$/;

export function parseSudo(message: string, _program: string, maxFields: number): MessageParse | null {
  const text = message.trimStart();
  const sep = text.indexOf(' : ');
  if (sep <= 0 || sep > 256) return null;
  const user = text.slice(0, sep);
  let rest = text.slice(sep + 3);
  let command: string | null = null;
  const cmdAt = rest.indexOf('COMMAND=');
  if (cmdAt >= 0) {
    command = rest.slice(cmdAt + 8);
    rest = rest.slice(0, cmdAt);
  }
  const fields: ParsedFields = { 'user.name': user, 'service.name': 'sudo' };
  let reason: string | null = null;
  for (const segment of rest.split(' ; ', maxFields)) {
    const part = segment.trim().replace(/ ;$/, '');
    if (part === '') continue;
    // KEY=value segments have upper-case keys; anything else is sudo's reason text (which
    // may contain '='), and values may contain spaces (PWD=/home/my dir).
    const eq = part.indexOf('=');
    if (eq <= 0 || !SUDO_KEY.test(part.slice(0, eq))) {
      reason ??= part;
      continue;
    }
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'TTY') putText(fields, 'process.tty.name', value);
    else if (key === 'PWD') putText(fields, 'process.working_directory', value);
    else if (key === 'USER') putText(fields, 'user.effective.name', value);
    else if (key === 'GROUP') putText(fields, 'group.effective.name', value);
    else putText(fields, `sudo.${key.toLowerCase()}`, value);
  }
  if (command !== null) setProcessFromCommandLine(fields, command.trim());
  if (reason === null) {
    if (command === null) return null;
    Object.assign(fields, { 'event.category': 'process', 'event.action': 'sudo_command', 'event.outcome': 'success' });
    return { parser: 'sudo', source_type: 'endpoint', event_type: 'sudo', fields };
  }
  fields['event.reason'] = reason;
  const attempts = /^(\d{1,6}) incorrect password attempts?$/.exec(reason);
  if (attempts) {
    Object.assign(fields, authFields('sudo', 'failure', 'sudo_password_failure'), { 'user.name': user });
    return { parser: 'sudo', source_type: 'auth', event_type: 'authentication_failure', count: Number(attempts[1]), fields };
  }
  if (reason === 'user NOT in sudoers' || reason === 'user NOT authorized on host' || reason === 'command not allowed') {
    Object.assign(fields, { 'event.category': 'process', 'event.action': 'sudo_denied', 'event.outcome': 'failure' });
    return { parser: 'sudo', source_type: 'auth', event_type: reason === 'command not allowed' ? 'sudo_command_denied' : 'sudo_not_in_sudoers', fields };
  }
  Object.assign(fields, { 'event.category': 'process', 'event.action': 'sudo_error', 'event.outcome': 'failure' });
  return { parser: 'sudo', source_type: 'auth', event_type: 'sudo_failure', fields };
}

/**
 * util-linux su: "(to root) alice on pts/0", "FAILED SU (to root) alice on pts/0";
 * shadow su: "Successful su for root by alice", "FAILED su for root by alice".
 */
export function parseSu(message: string): MessageParse | null {
  let failed = false;
  let text = message;
  if (text.startsWith('FAILED SU ')) {
    failed = true;
    text = text.slice(10);
  }
  if (text.startsWith('(to ')) {
    const close = text.indexOf(') ', 4);
    if (close < 0) return null;
    const onAt = text.lastIndexOf(' on ');
    const fields = suFields(failed, text.slice(4, close), onAt > close ? text.slice(close + 2, onAt) : text.slice(close + 2));
    if (onAt > close) putText(fields, 'process.tty.name', text.slice(onAt + 4));
    return suResult(failed, fields);
  }
  const ok = text.startsWith('Successful su for ');
  const bad = text.startsWith('FAILED su for ');
  if (!ok && !bad) return null;
  const at = ok ? 18 : 14;
  const byAt = text.lastIndexOf(' by ');
  if (byAt < at) return null;
  return suResult(bad, suFields(bad, text.slice(at, byAt), text.slice(byAt + 4)));
}

function suFields(failed: boolean, target: string, by: string): ParsedFields {
  const fields = authFields('su', failed ? 'failure' : 'success', 'su');
  putText(fields, 'user.name', by.trim());
  putText(fields, 'user.effective.name', target);
  return fields;
}

function suResult(failed: boolean, fields: ParsedFields): MessageParse {
  return { parser: 'su', source_type: 'auth', event_type: failed ? 'authentication_failure' : 'su_success', fields };
}
