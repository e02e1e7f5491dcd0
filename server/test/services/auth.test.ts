// Credentials without HTTP: token issue/verify (HS256 pinned, no leeway, claims required),
// Argon2id hashing and re-hash detection, the dummy verification for unknown users, and
// the email rules of the API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { checkEmail } from '@siem/contracts';
import { isAppError } from '../../src/errors.ts';
import { createPasswordHasher, DEFAULT_HASH_PARAMS } from '../../src/services/passwords.ts';
import { createTokenService } from '../../src/services/tokens.ts';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(SECRET);
const userId = '665f1c2e9b1e8a3d4c7f0a12';
const nowS = () => Math.floor(Date.now() / 1000);

async function rejectsAs(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (err) => {
    assert.ok(isAppError(err));
    assert.equal(err.status, 401);
    assert.equal(err.message, 'Invalid or expired token');
    assert.equal(err.code, code);
    return true;
  });
}

describe('tokens', () => {
  const tokens = createTokenService({ secret: SECRET, expirationHours: 24 });

  it('issues HS256 tokens with sub, iat, exp = iat + lifetime, username and role', async () => {
    const token = await tokens.issue({ id: userId, username: 'alice', role: 'analyst' });
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p!, 'base64url').toString()));
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.sub, userId);
    assert.equal(payload.username, 'alice');
    assert.equal(payload.role, 'analyst');
    assert.equal(payload.exp - payload.iat, 24 * 3600);
    assert.ok(Math.abs(payload.iat - nowS()) <= 1);
    assert.equal(await tokens.verify(token), userId);
  });

  it('refuses alg none', async () => {
    const unsigned = new UnsecuredJWT({ username: 'alice', role: 'admin' }).setSubject(userId).setIssuedAt().setExpirationTime('1h').encode();
    await rejectsAs(tokens.verify(unsigned), 'AUTH_TOKEN_INVALID');
  });

  it('refuses another HMAC algorithm even with the right secret', async () => {
    const hs512 = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject(userId).setIssuedAt().setExpirationTime('1h').sign(key);
    await rejectsAs(tokens.verify(hs512), 'AUTH_TOKEN_INVALID');
  });

  it('refuses a token signed with another secret, and a tampered payload', async () => {
    const other = createTokenService({ secret: 'another-secret-entirely-of-enough-length', expirationHours: 24 });
    await rejectsAs(tokens.verify(await other.issue({ id: userId, username: 'a', role: 'admin' })), 'AUTH_TOKEN_INVALID');
    const good = await tokens.issue({ id: userId, username: 'alice', role: 'analyst' });
    const [h, p, s] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    await rejectsAs(tokens.verify(`${h}.${forged}.${s}`), 'AUTH_TOKEN_INVALID');
  });

  it('refuses an expired token, with no leeway', async () => {
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt(nowS() - 100).setExpirationTime(nowS()).sign(key);
    await rejectsAs(tokens.verify(expired), 'AUTH_TOKEN_EXPIRED');
    const later = createTokenService({ secret: SECRET, expirationHours: 1, now: () => Date.now() + 3601_000 });
    await rejectsAs(later.verify(await tokens.issue({ id: userId, username: 'a', role: 'analyst' })), 'AUTH_TOKEN_EXPIRED');
  });

  it('refuses an iat in the future', async () => {
    const future = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt(nowS() + 60).setExpirationTime(nowS() + 3600).sign(key);
    await rejectsAs(tokens.verify(future), 'AUTH_TOKEN_INVALID');
  });

  it('requires sub, iat and exp', async () => {
    const build = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' });
    await rejectsAs(tokens.verify(await build().setIssuedAt().setExpirationTime('1h').sign(key)), 'AUTH_TOKEN_INVALID');
    await rejectsAs(tokens.verify(await build().setSubject(userId).setExpirationTime('1h').sign(key)), 'AUTH_TOKEN_INVALID');
    await rejectsAs(tokens.verify(await build().setSubject(userId).setIssuedAt().sign(key)), 'AUTH_TOKEN_INVALID');
  });

  it('a token accepted before still expires on time, and a one-character change of it fails', async () => {
    let clock = Date.now();
    const svc = createTokenService({ secret: SECRET, expirationHours: 1, now: () => clock });
    const token = await svc.issue({ id: userId, username: 'a', role: 'analyst' });
    assert.equal(await svc.verify(token), userId);
    assert.equal(await svc.verify(token), userId);
    // Not the last character: its low bits are base64url padding that decoders ignore.
    const at = token.length - 5;
    const changed = token.slice(0, at) + (token[at] === 'A' ? 'Q' : 'A') + token.slice(at + 1);
    await rejectsAs(svc.verify(changed), 'AUTH_TOKEN_INVALID');
    clock += 3600_000;
    await rejectsAs(svc.verify(token), 'AUTH_TOKEN_EXPIRED');
  });

  it('refuses garbage', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', 'Bearer x', '...']) await rejectsAs(tokens.verify(garbage), 'AUTH_TOKEN_INVALID');
  });
});

describe('passwords', () => {
  const hasher = createPasswordHasher();

  it('stores Argon2id PHC strings with the configured parameters', async () => {
    const phc = await hasher.hash('correct horse');
    const { memoryCost: m, timeCost: t, parallelism: p } = DEFAULT_HASH_PARAMS;
    assert.match(phc, new RegExp(`^\\$argon2id\\$v=19\\$m=${m},t=${t},p=${p}\\$`));
    assert.equal(await hasher.verify(phc, 'correct horse'), true);
    assert.equal(await hasher.verify(phc, 'correct horsE'), false);
    assert.equal(await hasher.verify('not a hash', 'x'), false);
  });

  it('tells when a stored hash was made with other parameters', async () => {
    const weak = createPasswordHasher({ memoryCost: 4096, timeCost: 1, parallelism: 1 });
    assert.equal(hasher.needsRehash(await weak.hash('pw')), true);
    assert.equal(hasher.needsRehash(await hasher.hash('pw')), false);
    assert.equal(hasher.needsRehash('$2b$10$bcrypt-style-hash'), true);
  });

  it('the dummy verification always fails and costs what a real one costs (same Argon2 parameters)', async () => {
    // Time is not asserted here (bench/auth.ts measures it); equal parameters mean equal work.
    assert.equal(await hasher.verifyDummy('pw'), false);
    const dummy = await hasher.dummyHash();
    assert.match(dummy, /^\$argon2id\$/);
    assert.equal(hasher.needsRehash(dummy), false);
    assert.equal(hasher.needsRehash(await hasher.hash('pw')), false);
  });
});

describe('email addresses', () => {
  const accepted: [string, string][] = [
    ['alice@example.com', 'alice@example.com'],
    ['Alice.Smith+tag@Example.COM', 'Alice.Smith+tag@example.com'],
    ['Alice Smith <alice@EXAMPLE.org>', 'alice@example.org'],
    ['"Smith, Alice" <alice@mail.example.co.uk>', 'alice@mail.example.co.uk'],
    ['<bob@example.net>', 'bob@example.net'],
    ['  carol@example.io  ', 'carol@example.io'],
    ['δοκιμή@παράδειγμα.ελ', 'δοκιμή@παράδειγμα.ελ'],
    ['o\'brien@sub-domain.example.com', 'o\'brien@sub-domain.example.com'],
  ];
  for (const [input, normalized] of accepted) {
    it(`accepts ${JSON.stringify(input)} as ${normalized}`, () => {
      assert.deepEqual(checkEmail(input), { ok: true, email: normalized });
    });
  }

  const rejected: [string, RegExp][] = [
    ['', /empty/],
    ['alice', /@-sign/],
    ['@example.com', /before the @-sign/],
    ['alice@', /after the @-sign/],
    ['alice@localhost', /period/],
    ['alice@example', /period/],
    ['alice@host.localhost', /special-use/],
    ['alice@example.test', /special-use/],
    ['alice@a.b.invalid', /special-use/],
    ['alice@printer.local', /special-use/],
    ['alice@3g2upl4pq6kufc4m.onion', /special-use/],
    ['alice@1.0.168.192.in-addr.arpa', /special-use/],
    ['al ice@example.com', /invalid characters/],
    ['.alice@example.com', /start with a period/],
    ['alice.@example.com', /period immediately before/],
    ['al..ice@example.com', /two periods/],
    ['alice@exa_mple.com', /invalid characters/],
    ['alice@-example.com', /hyphen/],
    ['alice@example..com', /two periods/],
    ['alice@[192.168.0.1]', /bracketed/],
    ['"alice"@example.com', /Quoting/],
    ['alice@example.123', /top-level/],
    [`${'a'.repeat(65)}@example.com`, /too long before/],
    [`alice@${'a'.repeat(64)}.com`, /so many characters/],
    [`a@${'abcdefghi.'.repeat(26)}com`, /too long/],
  ];
  for (const [input, reason] of rejected) {
    it(`rejects ${JSON.stringify(input.length > 40 ? `${input.slice(0, 37)}...` : input)}`, () => {
      const result = checkEmail(input);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, reason);
    });
  }
});
