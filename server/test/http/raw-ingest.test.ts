// POST /v1/logs/raw end to end: real OpenSSH/sudo/PAM lines as text, parsed into events whose
// parsed fields stay reachable, unknown lines kept as generic events, and the shipped rules
// raising an SSH brute force from the lines alone (the new-user experience).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registerUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem } from '../helpers/system.ts';

let sys: TestSystem;
let auth: Record<string, string> = {};

before(async () => {
  sys = await startTestSystem();
  auth = { authorization: `Bearer ${await registerUser(sys.app)}` };
});
after(async () => sys.stop());

const raw = (payload: string, query = '', headers: Record<string, string> = {}) =>
  sys.app.inject({ method: 'POST', url: `/v1/logs/raw${query}`, payload, headers: { 'content-type': 'text/plain', ...headers } });
const get = (url: string) => sys.app.inject({ method: 'GET', url, headers: auth });

async function waitFor<T>(probe: () => Promise<T | null>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('POST /v1/logs/raw', () => {
  it('parses syslog lines into columns, fields and metadata; raw is the line', async () => {
    const line = 'Mar  1 12:00:01 bastion sshd[4242]: Failed password for invalid user admin from 203.0.113.77 port 50122 ssh2';
    const res = await raw(`${line}\n`);
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { accepted: 1, rejected: 0, errors: [], duplicates: 0 });
    const page = (await get('/v1/logs?source_ip=203.0.113.77')).json();
    assert.equal(page.total, 1);
    const e = page.items[0];
    assert.equal(e.source_type, 'auth');
    assert.equal(e.hostname, 'bastion');
    assert.equal(e.username, 'admin');
    assert.deepEqual(e.raw, { message: line });
    assert.equal(e.fields['source.port'], 50122);
    assert.equal(e.fields['log.syslog.appname'], 'sshd');
    assert.equal(e.metadata.input, 'http-raw');
    assert.equal(e.metadata.format, 'sshd');
    assert.ok(e.event_type, 'an sshd failure has an event type');
  });

  it('keeps a host name where an address belongs as a field, and stores unknown lines as generic', async () => {
    const pam = 'Mar  1 12:00:02 web-3 sshd[77]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=attacker.example  user=root';
    const odd = 'this is not a log format anyone knows \u00e9';
    const res = await raw(`${pam}\r\n\r\n${odd}\n`);
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().accepted, 2, 'the blank line is framing, not an event');
    const pamEvent = (await get('/v1/logs?hostname=web-3')).json().items[0];
    assert.equal(pamEvent.source_ip, null);
    assert.equal(pamEvent.fields['source.domain'], 'attacker.example');
    const generic = (await get(`/v1/logs/search?q=${encodeURIComponent('not a log')}`)).json();
    // search reads the indexed columns; the generic event is found through its message instead
    assert.ok(generic.total >= 0);
    const all = (await get('/v1/logs?source_type=generic&per_page=100')).json().items as { raw: { message?: string }; metadata: { format?: string } }[];
    const stored = all.find((x) => x.raw.message === odd);
    assert.ok(stored, 'the unknown line is stored');
    assert.equal(stored.metadata.format, 'unparsed');
  });

  it('stores lines PostgreSQL cannot keep verbatim (NUL, unpaired surrogates) with the characters replaced and flagged', async () => {
    const res = await raw('nul\u0000inside marker-7f3a\nlone \ud800 surrogate marker-7f3b\n');
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().accepted, 2);
    const items = (await get('/v1/logs?source_type=generic&per_page=100')).json().items as { raw: { message: string }; metadata: Record<string, unknown> }[];
    const nul = items.find((x) => x.raw.message.includes('marker-7f3a'));
    assert.equal(nul?.raw.message, 'nul\ufffdinside marker-7f3a');
    assert.equal(nul?.metadata.replaced_characters, true);
    assert.ok(items.some((x) => x.raw.message === 'lone \ufffd surrogate marker-7f3b'));
  });

  it('takes a parser hint and a host for bare messages', async () => {
    const res = await raw('Accepted publickey for deploy from 198.51.100.20 port 40000 ssh2: ED25519 SHA256:abc\n', '?source=sshd&host=ci-runner');
    assert.equal(res.statusCode, 201);
    const e = (await get('/v1/logs?source_ip=198.51.100.20')).json().items[0];
    assert.equal(e.source_type, 'auth');
    assert.equal(e.hostname, 'ci-runner');
    assert.equal(e.username, 'deploy');
  });

  it('answers 422 for an empty body, 413 past the line bound, and checks the hint', async () => {
    const empty = await raw('\n\n');
    assert.equal(empty.statusCode, 422);
    assert.equal(empty.json().error, 'ValidationError');
    const many = await raw('x\n'.repeat(sys.deps.config.BULK_MAX_EVENTS + 1));
    assert.equal(many.statusCode, 413);
    const badHint = await raw('x\n', `?source=${'a'.repeat(100)}`);
    assert.equal(badHint.statusCode, 422);
  });

  it('raises an SSH brute force from the lines alone, counting "message repeated" lines as attempts', async () => {
    const base = Date.now() - 60_000;
    const stamp = (offset: number) => {
      const d = new Date(base + offset * 1000);
      const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    };
    const ip = '192.0.2.199';
    const lines = [
      `${stamp(0)} gw sshd[900]: Failed password for root from ${ip} port 40001 ssh2`,
      `${stamp(1)} gw sshd[900]: message repeated 4 times: [ Failed password for root from ${ip} port 40001 ssh2]`,
    ];
    assert.equal((await raw(lines.join('\n'))).statusCode, 201);
    const alert = await waitFor(async () => {
      const items = (await get('/v1/alerts?per_page=100')).json().items as { title: string; rule_id: string }[];
      return items.find((a) => a.title.includes(ip)) ?? null;
    }, 'an alert for the brute-forcing address');
    assert.ok(alert.rule_id);
  });
});
