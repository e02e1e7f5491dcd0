// Configuration: defaults that run out of the box, every bad key reported at once, and
// secrets refused in production.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_SECRET, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('works with an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.PORT, 8431);
    assert.equal(c.DATABASE_URL, undefined);
    assert.equal(c.REDIS_URL, undefined);
    assert.deepEqual(c.RATELIMIT_DEFAULT, { max: 200, windowMs: 60_000 });
    assert.equal(c.RATELIMIT_INGEST, null);
    assert.deepEqual(c.INGEST_API_KEYS, []);
    assert.equal(c.SECRET_KEY, undefined, 'unset: generated at first start');
    assert.equal(c.REGISTRATION_ENABLED, true);
  });

  it('parses lists, booleans and limits', () => {
    const c = loadConfig({ INGEST_API_KEYS: 'a, b,,c', TRUST_PROXY: 'yes', RATELIMIT_AUTH: '5/second', CORS_ORIGINS: 'http://a.test,http://b.test' });
    assert.deepEqual(c.INGEST_API_KEYS, ['a', 'b', 'c']);
    assert.equal(c.TRUST_PROXY, true);
    assert.deepEqual(c.RATELIMIT_AUTH, { max: 5, windowMs: 1000 });
    assert.deepEqual(c.CORS_ORIGINS, ['http://a.test', 'http://b.test']);
    assert.equal(loadConfig({ RATELIMIT_DEFAULT: '' }).RATELIMIT_DEFAULT, null, 'empty means unlimited for rate limits');
    assert.equal(loadConfig({ PORT: '' }).PORT, 8431, 'empty means unset elsewhere');
  });

  it('names every bad key in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', RATELIMIT_DEFAULT: 'lots', INGEST_BATCH_MAX: '0' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const keys = err.problems.map((p) => p.split(':')[0]);
      assert.deepEqual(keys.sort(), ['INGEST_BATCH_MAX', 'LOG_LEVEL', 'PORT', 'RATELIMIT_DEFAULT']);
      assert.match(err.message, /PORT/);
    }
  });

  it('refuses the former public default anywhere, and a short secret with NODE_ENV=production', () => {
    assert.throws(() => loadConfig({ SECRET_KEY: DEFAULT_SECRET }), /SECRET_KEY: the former development default is public/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: DEFAULT_SECRET }), /SECRET_KEY/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'short' }), /at least 32/);
    assert.equal(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) }).NODE_ENV, 'production');
    // Unset is fine everywhere: a random secret is generated and kept.
    assert.equal(loadConfig({ NODE_ENV: 'production' }).SECRET_KEY, undefined);
  });

  it('self-registration is off by default only with NODE_ENV=production', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).REGISTRATION_ENABLED, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', REGISTRATION_ENABLED: 'true' }).REGISTRATION_ENABLED, true);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).REGISTRATION_ENABLED, true);
    assert.equal(loadConfig({ REGISTRATION_ENABLED: 'off' }).REGISTRATION_ENABLED, false);
    assert.throws(() => loadConfig({ REGISTRATION_ENABLED: 'maybe' }), /REGISTRATION_ENABLED/);
  });

  it('rejects an unsafe schema name', () => {
    assert.throws(() => loadConfig({ DATABASE_SCHEMA: 'x; DROP TABLE users' }), /DATABASE_SCHEMA/);
  });
});
