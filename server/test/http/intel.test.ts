// Threat intel end to end through the API: an engineer creates a list and uploads a STIX
// bundle, an event carrying a listed address is ingested over HTTP, it is stored tagged
// with its matches and the shipped rule raises an alert naming the list and the indicator.
// Also: roles, located import errors, lookups, indicator CRUD, and a watched path re-imported
// when its file changes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { THREAT_MATCHES_FIELD, THREAT_TAG, TAGS_FIELD } from '@siem/contracts';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'intel-watch-'));
let sys: TestSystem;
let eng: Record<string, string>;
let ana: Record<string, string>;
before(async () => {
  sys = await startTestSystem({ INTEL_WATCH_ROOT: root, INTEL_WATCH_POLL_SECONDS: '1', CORRELATION_RULE_CACHE_SECONDS: '1' });
  eng = { authorization: `Bearer ${await registerUser(sys.app, { username: 'eng', role: 'engineer' })}` };
  ana = { authorization: `Bearer ${await registerUser(sys.app, { username: 'ana' })}` };
});
after(async () => {
  await sys.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = eng) =>
  sys.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const upload = (id: string, format: string, body: string, headers = eng) =>
  sys.app.inject({ method: 'POST', url: `/v1/intel/lists/${id}/import?format=${format}`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: body });

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bundle = {
  type: 'bundle',
  id: 'bundle--5d0f1c2e-0000-4000-8000-000000000001',
  objects: [
    { type: 'indicator', spec_version: '2.1', pattern_type: 'stix', pattern: "[ipv4-addr:value = '203.0.113.66'] OR [domain-name:value = 'c2.evil.example']", confidence: 90, valid_from: '2026-01-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', pattern_type: 'stix', pattern: "[ipv4-addr:value = '198.51.100.0/24']", valid_until: '2020-01-01T00:00:00Z' },
    { type: 'indicator', pattern: "[email-addr:value = 'x@evil.example']" },
  ],
};

describe('threat-intel lists over HTTP', () => {
  let listId: string;

  it('an analyst reads but cannot create; an engineer creates a manual list', async () => {
    assert.equal((await call('POST', '/v1/intel/lists', { name: 'c2 feed' }, ana)).statusCode, 403);
    const res = await call('POST', '/v1/intel/lists', { name: 'c2 feed', source: 'ACME CERT', default_confidence: 60 });
    assert.equal(res.statusCode, 201, res.body);
    listId = res.json().id;
    assert.equal(res.json().feed_kind, 'manual');
    assert.equal((await call('POST', '/v1/intel/lists', { name: 'c2 feed' })).statusCode, 409);
    assert.equal((await call('GET', '/v1/intel/lists', undefined, ana)).json().length, 1);
    assert.equal((await call('GET', '/v1/intel/lists/nope', undefined, ana)).statusCode, 404);
  });

  it('imports a STIX bundle: good objects stored, bad ones located, expired ones not matched', async () => {
    assert.equal((await upload(listId, 'stix', JSON.stringify(bundle), ana)).statusCode, 403);
    const res = await upload(listId, 'stix', JSON.stringify(bundle));
    assert.equal(res.statusCode, 200, res.body);
    const stats = res.json();
    assert.equal(stats.imported, 3);
    assert.equal(stats.rejected, 1);
    assert.match(stats.errors[0], /^objects\[2\]: pattern: 'email-addr:value'/);
    const list = (await call('GET', `/v1/intel/lists/${listId}`)).json();
    assert.equal(list.indicator_count, 3);
    assert.equal(list.last_import.format, 'stix');
    const page = (await call('GET', `/v1/intel/lists/${listId}/indicators?q=C2.`, undefined, ana)).json();
    assert.deepEqual(page.items.map((i: { value: string; confidence: number; source: string }) => [i.value, i.confidence, i.source]), [['c2.evil.example', 90, 'ACME CERT']]);
    const lookup = (await call('GET', '/v1/intel/match?value=203.0.113.66', undefined, ana)).json();
    assert.equal(lookup.type, 'ip');
    assert.deepEqual(lookup.matches.map((m: { list_name: string; indicator: string }) => `${m.list_name}|${m.indicator}`), ['c2 feed|203.0.113.66']);
    const expired = (await call('GET', '/v1/intel/match?value=198.51.100.9', undefined, ana)).json();
    assert.deepEqual(expired.matches, [], 'an expired indicator does not match');
    const sub = (await call('GET', '/v1/intel/match?value=https://x.c2.evil.example/a', undefined, ana)).json();
    assert.equal(sub.matches[0].indicator, 'c2.evil.example');
  });

  it('refuses a file that holds no indicator with located details, and an unknown format with 422', async () => {
    const bad = await upload(listId, 'stix', '{"type": "bundle", "objects": [{"type": "indicator", "pattern": "[x:y = 1]"}]}');
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'INTEL_FEED_INVALID');
    assert.match(bad.json().details[0].message, /^objects\[0\]: /);
    assert.equal((await upload(listId, 'stix', 'not json')).statusCode, 422);
    assert.equal((await upload(listId, 'xml', '1.2.3.4')).statusCode, 422);
    assert.equal((await upload(listId, 'csv', '')).statusCode, 200);
  });

  it('an ingested event with a listed destination is tagged and raises an alert naming list and indicator', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'firewall', event_type: 'connection_allowed', source_ip: '10.1.1.5', dest_ip: '203.0.113.66', message: 'allow tcp 10.1.1.5 -> 203.0.113.66:443' } });
    assert.equal(res.statusCode, 201, res.body);
    const stored = (await call('GET', `/v1/logs/${res.json().id}`, undefined, ana)).json();
    assert.ok(stored.fields[TAGS_FIELD].includes(THREAT_TAG));
    assert.deepEqual(stored.fields[THREAT_MATCHES_FIELD].map((m: { list_name: string; indicator: string; field: string; confidence: number }) => [m.list_name, m.indicator, m.field, m.confidence]), [['c2 feed', '203.0.113.66', 'dest_ip', 90]]);
    const alert = await until(async () => {
      const page = (await call('GET', '/v1/alerts?per_page=50', undefined, ana)).json();
      return page.items.find((a: { title: string }) => a.title.includes('Threat intel'));
    }, 'the indicator-match alert');
    assert.equal(alert.title, 'Threat intel indicator match [c2 feed: 203.0.113.66]');
    assert.deepEqual(alert.matched_event_ids, [res.json().id]);
    // An event matching nothing stays untagged.
    const clean = await sys.app.inject({ method: 'POST', url: '/v1/logs/ingest', payload: { source_type: 'firewall', source_ip: '10.1.1.5', dest_ip: '192.0.2.1' } });
    assert.equal((await call('GET', `/v1/logs/${clean.json().id}`)).json().fields[TAGS_FIELD], undefined);
  });

  it('adds and removes single indicators, and deletes the list', async () => {
    assert.equal((await call('POST', `/v1/intel/lists/${listId}/indicators`, { value: 'not valid' })).statusCode, 422);
    const add = await call('POST', `/v1/intel/lists/${listId}/indicators`, { value: 'EVIL.example', expires_at: '2099-01-01T00:00:00Z', confidence: '75' });
    assert.equal(add.statusCode, 201, add.body);
    assert.equal(add.json().type, 'domain');
    assert.equal(add.json().value, 'evil.example');
    assert.equal((await call('GET', '/v1/intel/match?value=a.evil.example')).json().matches.length, 1);
    assert.equal((await call('DELETE', `/v1/intel/lists/${listId}/indicators/${add.json().id}`)).statusCode, 200);
    assert.equal((await call('DELETE', `/v1/intel/lists/${listId}/indicators/${add.json().id}`)).statusCode, 404);
    assert.equal((await call('GET', '/v1/intel/match?value=a.evil.example')).json().matches.length, 0);
    // A disabled list stops matching; enabled again, it matches again.
    assert.equal((await call('PATCH', `/v1/intel/lists/${listId}`, { enabled: false })).json().enabled, false);
    assert.equal((await call('GET', '/v1/intel/match?value=203.0.113.66')).json().matches.length, 0);
    assert.equal((await call('PATCH', `/v1/intel/lists/${listId}`, {})).statusCode, 422);
    await call('PATCH', `/v1/intel/lists/${listId}`, { enabled: true });
    assert.equal((await call('GET', '/v1/intel/match?value=203.0.113.66')).json().matches.length, 1);
    assert.equal((await call('DELETE', `/v1/intel/lists/${listId}`)).statusCode, 200);
    assert.equal((await call('GET', '/v1/intel/match?value=203.0.113.66')).json().matches.length, 0);
  });

  it('refuses watched paths outside INTEL_WATCH_ROOT (also through a symbolic link) or missing', async () => {
    fs.symlinkSync('/etc', path.join(root, 'escape'));
    for (const p of ['/etc/passwd', '../../etc/passwd', 'escape/passwd', 'missing.csv']) {
      const res = await call('POST', '/v1/intel/lists', { name: `w ${p.length}`, feed_kind: 'watched', path: p, format: 'csv' });
      assert.equal(res.statusCode, 422, p);
      assert.equal(res.json().code, 'INTEL_PATH_REFUSED', p);
    }
    assert.equal((await call('POST', '/v1/intel/lists', { name: 'no format', feed_kind: 'watched', path: 'x' })).json().code, 'INTEL_PATH_REFUSED');
  });

  it('a watched file is imported, then re-imported (replacing) when it changes', async () => {
    const file = path.join(root, 'feed.csv');
    fs.writeFileSync(file, 'value,type\n192.0.2.77,ip\n');
    const res = await call('POST', '/v1/intel/lists', { name: 'watched feed', feed_kind: 'watched', path: 'feed.csv', format: 'csv' });
    assert.equal(res.statusCode, 201, res.body);
    const hit = (v: string) => call('GET', `/v1/intel/match?value=${v}`).then((r) => r.json().matches.length > 0);
    await until(() => hit('192.0.2.77'), 'the first import');
    fs.writeFileSync(file, 'value,type\n192.0.2.78,ip\nwatched.evil.example,domain\n');
    await until(async () => (await hit('192.0.2.78')) && !(await hit('192.0.2.77')), 'the re-import after the change');
    const list = (await call('GET', `/v1/intel/lists/${res.json().id}`)).json();
    assert.equal(list.indicator_count, 2);
    assert.equal(list.last_import.imported, 2);
  });
});
