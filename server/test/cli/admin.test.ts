// The operator bootstrap (`npm run admin -- create`) on an on-disk PGlite store: creating an
// admin, promoting an existing account, input errors, a store locked by a running server;
// and what the server says at start: how to create the first admin, and a refused secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { runAdminCli } from '../../src/cli/admin.ts';
import { DEFAULT_SECRET, loadConfig } from '../../src/config.ts';
import { acquireDataDirLock } from '../../src/store/db.ts';
import { CREATE_ADMIN_HINT, createSystem } from '../../src/system.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = import.meta.resolve('tsx');

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(args: string[], env: Record<string, string>, stdinText = '') {
  const out = sink();
  const err = sink();
  const stdin = Readable.from([stdinText]) as unknown as NodeJS.ReadStream;
  const status = await runAdminCli(args, { stdin, stdout: out.stream, stderr: err.stream, env });
  return { status, stdout: out.text(), stderr: err.text() };
}

/** Runs a script with tsx in a child process (outside the test's own environment). */
function run(script: string, args: string[], env: Record<string, string>, stdinText = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, script, ...args], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdinText);
  });
}

/** Starts the server's system on `dataDir` with a logger whose output the test reads. */
async function startOn(dataDir: string) {
  const logs = sink();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'info', SYSLOG_UDP_PORT: '0', SYSLOG_TCP_PORT: '0', SYSLOG_TLS_PORT: '0', SHIPPER_PORT: '0' });
  const system = await createSystem(config, pino({ level: 'info' }, logs.stream));
  return { system, logs: logs.text };
}

describe('npm run admin -- create', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-cli-'));
    env = { DATA_DIR: dir };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the server says exactly how to create the first admin, until one exists', async () => {
    const first = await startOn(dir);
    await first.system.stop();
    assert.match(first.logs(), new RegExp(`or run: ${CREATE_ADMIN_HINT.replace(/[-<>]/g, '\\$&')}`));
    assert.equal(CREATE_ADMIN_HINT, 'npm run admin -- create --username <name> --email <address>');

    const created = await cli(['create', '--username', 'root', '--email', 'Root <root@Example.com>', '--password-stdin'], env, 'a-long-password\n');
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /^Created admin 'root' <root@example\.com> \(id [0-9a-f]{24}\)\.\n$/);

    const second = await startOn(dir);
    try {
      assert.doesNotMatch(second.logs(), /No administrator yet|setup_link/);
      const login = await second.system.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'root', password: 'a-long-password' } });
      assert.equal(login.statusCode, 200, login.body);
      const list = await second.system.app.inject({ method: 'GET', url: '/v1/admin/users', headers: { authorization: `Bearer ${login.json().access_token}` } });
      assert.equal(list.statusCode, 200);
    } finally {
      await second.system.stop();
    }
  });

  it('promotes and re-activates an existing account found by username or email, keeping its password', async () => {
    const { system } = await startOn(dir);
    let ids: string[];
    try {
      const a = await createTestUserOn(system, 'promote-me', 'promote@example.com');
      const b = await createTestUserOn(system, 'by-mail', 'by-mail@example.com');
      const admins = await system.deps.users.list({ page: 1, per_page: 50 });
      const root = admins.items.find((u) => u.username === 'root')!;
      await system.deps.users.deactivate(root.id, a.id);
      ids = [a.id, b.id];
    } finally {
      await system.stop();
    }
    const byName = await cli(['create', '--username', 'PROMOTE-ME', '--email', 'new@example.com'], env);
    assert.equal(byName.status, 0, byName.stderr);
    assert.match(byName.stdout, /Promoted existing account 'promote-me'.*its password is unchanged/);
    const byMail = await cli(['create', '--username', 'someone', '--email', 'BY-MAIL@example.com', '--password-stdin'], env, 'ignored-password');
    assert.equal(byMail.status, 0, byMail.stderr);
    assert.match(byMail.stdout, /Promoted existing account 'by-mail'/);

    const again = await startOn(dir);
    try {
      for (const id of ids) assert.deepEqual(await again.system.deps.users.get(id).then((u) => [u.role, u.is_active]), ['admin', true]);
      const login = await again.system.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'promote-me', password: 'correct-horse-battery' } });
      assert.equal(login.statusCode, 200);
    } finally {
      await again.system.stop();
    }
  });

  it('refuses bad input with a message and status 2, before touching the store', async () => {
    const cases: [string[], string, RegExp][] = [
      [['create', '--username', 'ok-name', '--email', 'x@host.localhost', '--password-stdin'], 'long-enough-pw', /email: value is not a valid email address: .*special-use/],
      [['create', '--username', 'ab', '--email', 'ab@example.com', '--password-stdin'], 'long-enough-pw', /username: String should have at least 3 characters|username: Too small/],
      [['create', '--username', 'new-one', '--email', 'new-one@example.com', '--password-stdin'], 'short\n', /password/],
      [['create', '--username', 'new-one', '--email', 'new-one@example.com'], '', /--password-stdin/],
      [['create', '--username', 'x'], '', /Usage: npm run admin -- create/],
      [['delete', '--username', 'abc', '--email', 'a@example.com'], '', /Usage/],
      [['create', '--bogus'], '', /Unknown option/],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await cli(args, env, stdin);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
  });

  it('says plainly when the embedded store is held by a running server, and exits 1', async () => {
    // Held by this test process; the CLI runs as its own process, like an operator's would.
    const release = acquireDataDirLock(dir);
    try {
      const result = await run(path.join(root, 'server/src/cli/admin.ts'), ['create', '--username', 'late', '--email', 'late@example.com', '--password-stdin'], env, 'a-long-password');
      assert.equal(result.status, 1);
      assert.match(result.stderr, new RegExp(`The data directory ${dir} is in use by process ${process.pid}`));
      assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
    } finally {
      release();
    }
    const ok = await run(path.join(root, 'server/src/cli/admin.ts'), ['create', '--username', 'late', '--email', 'late@example.com', '--password-stdin'], env, 'a-long-password');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Created admin 'late'/);
  });
});

describe('npm run admin -- create --role', () => {
  it('creates an engineer, re-roles an existing account, and never demotes the last admin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-cli-role-'));
    try {
      const env = { DATA_DIR: dir };
      const made = await cli(['create', '--username', 'eng', '--email', 'eng@example.com', '--role', 'engineer', '--password-stdin'], env, 'a-long-password');
      assert.equal(made.status, 0, made.stderr);
      assert.match(made.stdout, /Created engineer 'eng'/);
      assert.equal((await cli(['create', '--username', 'boss', '--email', 'boss@example.com', '--password-stdin'], env, 'a-long-password')).status, 0);
      const demote = await cli(['create', '--username', 'boss', '--email', 'boss@example.com', '--role', 'analyst'], env);
      assert.equal(demote.status, 1);
      assert.match(demote.stderr, /Cannot demote the last admin/);
      const rerole = await cli(['create', '--username', 'eng', '--email', 'eng@example.com', '--role', 'analyst'], env);
      assert.equal(rerole.status, 0, rerole.stderr);
      assert.match(rerole.stdout, /the analyst role/);
      const bad = await cli(['create', '--username', 'x1x', '--email', 'x@example.com', '--role', 'root'], env);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /role: expected one of analyst, engineer, admin/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('server start', () => {
  it('refuses the former public default secret, naming SECRET_KEY', async () => {
    const result = await run(path.join(root, 'server/src/main.ts'), [], { NODE_ENV: 'production', DATA_DIR: ':memory:', PORT: '0', SECRET_KEY: DEFAULT_SECRET });
    assert.equal(result.status, 78);
    assert.match(result.stderr, /SECRET_KEY: the former development default is public and cannot be used/);
  });
});

async function createTestUserOn(system: Awaited<ReturnType<typeof createSystem>>, username: string, email: string) {
  await system.deps.auth.register({ username, email, password: 'correct-horse-battery' });
  return (await system.deps.users.list({ page: 1, per_page: 100 })).items.find((u) => u.username === username)!;
}
