// Values that grow past what a btree index entry holds (about 2,700 bytes) are refused with a
// 422 before they reach an index, on both stores: a threat-intel URL whose percent-encoded
// form is long, a case observable at its bound in 4-byte characters. Random text, so
// PostgreSQL's compression of index entries cannot hide the size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, startTestSystem } from '../helpers/system.ts';

const STORES: [string, Record<string, string> | null][] = [
  ['PGlite', {}],
  ['PostgreSQL', process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: `longv_${process.pid}` } : null],
];

/** `n` random characters from a range of `width` code points starting at `base`. */
function randomText(n: number, base: number, width: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += String.fromCodePoint(base + Math.floor(Math.random() * width));
  return text;
}

for (const [name, env] of STORES) {
  describe(`long values never reach an index (${name})`, { skip: env === null && 'DATABASE_URL not set' }, () => {
    it('answers 422, never 500, and stores what fits', async () => {
      const sys = await startTestSystem(env!);
      try {
        const admin = await createTestUser(sys.app, { role: 'admin' });
        const post = (url: string, payload: object) => sys.app.inject({ method: 'POST', url, headers: admin.headers, payload });

        const list = await post('/v1/intel/lists', { name: 'long-values' });
        assert.equal(list.statusCode, 201, list.body);
        const cjk = randomText(2000, 0x4e00, 20_000);
        const longUrl = await post(`/v1/intel/lists/${list.json().id}/indicators`, { value: `https://example.com/${cjk}` });
        assert.equal(longUrl.statusCode, 422, longUrl.body);
        assert.match(longUrl.json().details[0].message, /once encoded/);
        const shortUrl = await post(`/v1/intel/lists/${list.json().id}/indicators`, { value: `https://example.com/${cjk.slice(0, 100)}` });
        assert.equal(shortUrl.statusCode, 201, shortUrl.body);

        const kase = await post('/v1/cases', { title: 'long values', severity: 'low' });
        assert.equal(kase.statusCode, 201, kase.body);
        const astral = randomText(512, 0x20000, 40_000);
        const fits = await post(`/v1/cases/${kase.json().id}/observables`, { type: 'other', value: astral });
        assert.equal(fits.statusCode, 201, fits.body);
        const over = await post(`/v1/cases/${kase.json().id}/observables`, { type: 'other', value: `${astral}x` });
        assert.equal(over.statusCode, 422, over.body);
      } finally {
        await sys.stop();
      }
    });
  });
}
