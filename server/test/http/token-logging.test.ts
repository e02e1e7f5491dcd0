// Tokens and passwords never reach the server's own log: the real server (main.ts) runs in a
// child process with request logging on, takes tokens in the header and in a live feed's
// `?token=`, a password at login; then its whole log output is searched for them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('server log', () => {
  it('holds no token and no password', { timeout: 150_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'server/src/main.ts')], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'debug', DATA_DIR: ':memory:', PORT: String(port), WEB_DIST_DIR: os.tmpdir() },
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 90_000;
      while (!log.includes('SIEM listening')) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const base = `http://127.0.0.1:${port}`;
      const json = { 'content-type': 'application/json' };
      const password = 'Pa55word-that-must-not-leak';
      const reg = await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'logcheck', email: 'logcheck@example.com', password }) });
      assert.equal(reg.status, 201);
      const { access_token: token } = (await reg.json()) as { access_token: string };
      assert.equal((await fetch(`${base}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
      assert.equal((await fetch(`${base}/v1/auth/me?token=${token}`)).status, 401);
      assert.equal((await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'logcheck', password: `${password}x` }) })).status, 401);
      const abort = new AbortController();
      const feed = await fetch(`${base}/api/v1/logs/stream?token=${encodeURIComponent(token)}`, { signal: abort.signal });
      assert.equal(feed.status, 200);
      abort.abort();
      // A percent-encoded name authenticates nothing, and is not logged either.
      assert.equal((await fetch(`${base}/api/v1/logs/stream?%74oken=${encodeURIComponent(token)}`)).status, 401);
      await new Promise((r) => setTimeout(r, 300));
      assert.match(log, /\/v1\/logs\/stream\?token=\[redacted\]/, 'the request log is on and shows the redaction');
      assert.ok(!log.includes(token), 'the token appears in the log');
      assert.ok(!log.includes(token.split('.')[2]!), 'the token signature appears in the log');
      assert.ok(!log.includes(password), 'the password appears in the log');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
