// Security headers on every kind of response: an API answer, an error, and the web app's
// page: no MIME sniffing, no framing, no referrer, and a Content-Security-Policy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let token: string;
before(async () => {
  sys = await startTestSystem();
  token = await registerUser(sys.app);
});
after(async () => sys.stop());

function assertHardened(headers: Record<string, unknown>, what: string) {
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['x-frame-options'], 'DENY', what);
  assert.equal(headers['referrer-policy'], 'no-referrer', what);
  const csp = String(headers['content-security-policy'] ?? '');
  assert.match(csp, /default-src 'self'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.match(csp, /object-src 'none'/, what);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/, what);
}

describe('security headers', () => {
  it('are on API answers, errors and the web app page', async () => {
    const cases: [string, InjectOptions][] = [
      ['GET /v1/auth/me', { method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${token}` } }],
      ['401', { method: 'GET', url: '/v1/auth/me' }],
      ['422', { method: 'POST', url: '/v1/auth/login', payload: {} }],
      ['404', { method: 'GET', url: '/v1/nothing-here' }],
      ['GET /health', { method: 'GET', url: '/health' }],
      ['GET /', { method: 'GET', url: '/', headers: { accept: 'text/html' } }],
      ['SPA route', { method: 'GET', url: '/alerts', headers: { accept: 'text/html' } }],
    ];
    for (const [what, request] of cases) {
      const res = await sys.app.inject(request);
      assertHardened(res.headers, what);
    }
  });
});
