// Account and group changes from shadow-utils (useradd, usermod, userdel, groupadd,
// groupdel, gpasswd, passwd): "new user: name=bob, UID=1001, ...", "add 'bob' to group
// 'sudo'". The account acted upon is user.target.name; the group is group.name.
import { putText } from './fields.ts';
import type { MessageParse, ParsedFields } from './types.ts';

export function parseAccount(message: string, program: string, maxFields: number): MessageParse | null {
  if (message.startsWith('new user: ')) {
    const fields = iam('user_created', program);
    readCommaPairs(message, 10, fields, maxFields);
    return result('user_created', fields);
  }
  if (message.startsWith('new group: ') || message.startsWith('group added to ')) {
    const fields = iam('group_created', program);
    const colon = message.indexOf(': ');
    readCommaPairs(message, colon + 2, fields, maxFields);
    if (message.startsWith('group added to ')) fields['file.path'] = message.slice(15, colon);
    return result('group_created', fields);
  }
  let q = quoted(message, "add '", "' to ");
  if (q) return groupChange('user_added_to_group', program, q.value, message, q.end);
  q = quoted(message, "delete '", "' from ");
  if (q) return groupChange('user_removed_from_group', program, q.value, message, q.end);
  q = quoted(message, "delete user '", "'");
  if (q) return target('user_deleted', program, q.value);
  q = quoted(message, "removed group '", "'") ?? quoted(message, "group '", "' removed");
  if (q) {
    const fields = iam('group_deleted', program);
    fields['group.name'] = q.value;
    return result('group_deleted', fields);
  }
  q = quoted(message, "change user '", "' ");
  if (q) {
    const fields = iam('user_modified', program);
    fields['user.target.name'] = q.value;
    fields['event.reason'] = message.slice(q.end);
    return result('user_modified', fields);
  }
  q = quoted(message, "lock user '", "'") ?? quoted(message, "unlock user '", "'");
  if (q) return target(message.startsWith('lock') ? 'user_locked' : 'user_unlocked', program, q.value);
  q = quoted(message, "password for '", "' changed");
  if (q) {
    const fields = iam('password_changed', program);
    fields['user.target.name'] = q.value;
    const by = quoted(message, "by '", "'", q.end);
    if (by) fields['user.name'] = by.value;
    return result('password_changed', fields);
  }
  // gpasswd: "user bob added by root to group sudo"
  const gp = /^user (\S{1,256}) (added|removed) by (\S{1,256}) (?:to|from) group (\S{1,256})$/.exec(message);
  if (gp) {
    const type = gp[2] === 'added' ? 'user_added_to_group' : 'user_removed_from_group';
    const fields = iam(type, program);
    Object.assign(fields, { 'user.target.name': gp[1]!, 'user.name': gp[3]!, 'group.name': gp[4]! });
    return result(type, fields);
  }
  return null;
}

function iam(action: string, program: string): ParsedFields {
  return { 'event.category': 'iam', 'event.action': action, 'event.outcome': 'success', 'process.name': program };
}

function result(type: string, fields: ParsedFields): MessageParse {
  return { parser: 'accounts', source_type: 'auth', event_type: type, fields };
}

function target(type: string, program: string, name: string): MessageParse {
  const fields = iam(type, program);
  fields['user.target.name'] = name;
  return result(type, fields);
}

/** "add 'bob' to [shadow ]group 'sudo'" after the user name. */
function groupChange(type: string, program: string, user: string, message: string, at: number): MessageParse | null {
  const group = quoted(message, "group '", "'", at);
  if (!group) return null;
  const fields = iam(type, program);
  fields['user.target.name'] = user;
  fields['group.name'] = group.value;
  if (message.includes('shadow group', at)) fields['file.path'] = '/etc/gshadow';
  return result(type, fields);
}

/** The text between open and close, where `open` is at `from` or later; end is after close. */
function quoted(message: string, open: string, close: string, from = 0): { value: string; end: number } | null {
  const a = from === 0 ? (message.startsWith(open) ? 0 : -1) : message.indexOf(open, from);
  if (a < 0) return null;
  const b = message.indexOf(close, a + open.length);
  if (b < 0) return null;
  return { value: message.slice(a + open.length, b), end: b + close.length };
}

/** "name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash, from=/dev/pts/0". */
function readCommaPairs(message: string, at: number, fields: ParsedFields, maxFields: number): void {
  let n = 0;
  for (const part of message.slice(at).split(', ')) {
    if (++n > maxFields) break;
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'name') putText(fields, fields['event.action'] === 'group_created' ? 'group.name' : 'user.target.name', value);
    else if (key === 'UID') putText(fields, 'user.target.id', value);
    else if (key === 'GID') putText(fields, 'group.id', value);
    else if (key === 'home') putText(fields, 'user.target.home', value);
    else if (key === 'shell') putText(fields, 'user.target.shell', value);
    else if (key === 'from') putText(fields, 'process.tty.name', value);
    else putText(fields, `account.${key.toLowerCase()}`, value);
  }
}
