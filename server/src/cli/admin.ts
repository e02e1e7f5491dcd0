// Operator bootstrap, run beside the server: `npm run admin -- create --username U --email E
// [--role admin|engineer|analyst] [--password-stdin]` creates an account with that role (admin
// by default), or gives the role to (and re-activates) the account whose username or email
// matches. Opens the store exactly as the server does (.env, migrations).
import { parseArgs } from 'node:util';
import { EmailSchema, PasswordSchema, ROLES, UsernameSchema } from '@siem/contracts';
import type { Role } from '@siem/contracts';
import type { z } from 'zod';
import { isAppError } from '../errors.ts';
import { cliOutput, openStoreForCli, runAsScript } from './common.ts';
import { createPasswordHasher } from '../services/passwords.ts';
import { createUserService } from '../services/users.ts';
import { createUsersRepo } from '../store/users-repo.ts';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: npm run admin -- create --username <name> --email <address> [--role admin|engineer|analyst] [--password-stdin]

Creates an account with the role (admin unless --role says otherwise), or gives the role to
the existing account with that username or email (engineer: may change detection rules).
The password is asked for on the terminal (hidden), or read from standard input with
--password-stdin (one line, e.g. printf '%s' "$PASSWORD" | npm run admin -- create ...).
`;

class UsageError extends Error {}

function check<T>(schema: z.ZodType<T>, value: string, label: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UsageError(`${label}: ${result.error.issues.map((i) => i.message).join('; ')}`);
}

async function readAll(stdin: CliIo['stdin']): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

/** Reads one line with echo off (raw mode), so the password never shows on screen. */
function promptHidden(question: string, io: CliIo): Promise<string> {
  const { stdin, stdout } = io;
  stdout.write(question);
  stdin.setRawMode!(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      stdout.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new UsageError('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(fromStdin: boolean, io: CliIo): Promise<string> {
  if (fromStdin) return check(PasswordSchema, await readAll(io.stdin), 'password');
  if (!io.stdin.isTTY || !io.stdin.setRawMode) {
    throw new UsageError('no terminal to ask for the password: pass it on standard input with --password-stdin');
  }
  const password = check(PasswordSchema, await promptHidden('Password: ', io), 'password');
  if ((await promptHidden('Repeat password: ', io)) !== password) throw new UsageError('the passwords do not match');
  return password;
}

/** Runs the command; returns the exit status (0 done, 1 failed, 2 bad usage, 78 bad configuration). */
export async function runAdminCli(argv: string[], io: CliIo): Promise<number> {
  const { say, fail } = cliOutput(io);
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { username: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals[0] !== 'create' || positionals.length !== 1 || !values.username || !values.email) return fail(USAGE, 2);

  const role = (values.role ?? 'admin') as Role;
  if (!(ROLES as readonly string[]).includes(role)) return fail(`Error: role: expected one of ${ROLES.join(', ')}`, 2);
  let username: string;
  let email: string;
  try {
    username = check(UsernameSchema, values.username, 'username');
    email = check(EmailSchema, values.email, 'email');
  } catch (err) {
    return fail(`Error: ${(err as Error).message}`, 2);
  }
  const opened = await openStoreForCli(io.env);
  if (!opened.ok) return fail(opened.message, opened.status);
  const db = opened.db;
  try {
    const repo = createUsersRepo(db);
    const service = createUserService({ db, users: repo, passwords: createPasswordHasher() });
    const isNew = (await repo.findByNameOrEmail(username, email)).length === 0;
    const password = isNew ? await readPassword(values['password-stdin'] === true, io) : undefined;
    const { user, created } = await service.createOrPromoteAdmin({ username, email, password }, role);
    say(created
      ? `Created ${role} '${user.username}' <${user.email}> (id ${user.id}).`
      : role === 'admin'
        ? `Promoted existing account '${user.username}' <${user.email}> (id ${user.id}) to admin; its password is unchanged.`
        : `Gave existing account '${user.username}' <${user.email}> (id ${user.id}) the ${role} role; its password is unchanged.`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return fail(`Error: ${err.message}`, 2);
    if (isAppError(err)) return fail(`Error: ${err.message}`, 1);
    throw err;
  } finally {
    await db.close();
  }
}

runAsScript(import.meta.url, () => runAdminCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }));
