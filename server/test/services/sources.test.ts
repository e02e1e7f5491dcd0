// The Sources registry on an injected clock: events per second over the sliding window of
// completed seconds, counters and drops per input, bounded top lists and unparsed samples,
// and the same figures in /metrics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from '../../src/metrics.ts';
import { createSources } from '../../src/services/sources.ts';

function setup(startMs = Date.UTC(2026, 10, 30, 9, 0, 0)) {
  let now = startMs;
  const metrics = createMetrics();
  const sources = createSources({ metrics, clock: () => now });
  return { sources, metrics, advance: (ms: number) => (now += ms), now: () => now };
}

const input = (s: ReturnType<typeof setup>, name: string) => s.sources.snapshot().inputs.find((i) => i.name === name)!;

describe('sources registry', () => {
  it('reports state, address, bytes, drops by reason and open connections of a registered input', async () => {
    const s = setup();
    const h = s.sources.register('syslog_tcp', 'syslog-tcp');
    assert.equal(input(s, 'syslog_tcp').state, 'off');
    h.setState('listening', '127.0.0.1:5514');
    h.bytes(120);
    h.bytes(30);
    h.dropped('line_too_long');
    h.dropped('invalid_utf8', 3);
    h.connectionOpened();
    h.connectionOpened();
    h.connectionClosed();
    h.connectionClosed();
    h.connectionClosed(); // never below zero
    h.connectionOpened();
    const i = input(s, 'syslog_tcp');
    assert.deepEqual(
      { kind: i.kind, state: i.state, address: i.address, bytes: i.bytes_total, dropped: i.dropped, total: i.dropped_total, conns: i.connections, last: i.last_seen },
      { kind: 'syslog-tcp', state: 'listening', address: '127.0.0.1:5514', bytes: 150, dropped: { line_too_long: 1, invalid_utf8: 3 }, total: 4, conns: 1, last: null },
    );
    // Registering again gives the same entry.
    s.sources.register('syslog_tcp', 'syslog-tcp').bytes(1);
    assert.equal(input(s, 'syslog_tcp').bytes_total, 151);
    assert.equal(s.sources.snapshot().inputs.length, 1);

    const text = await s.metrics.registry.metrics();
    assert.match(text, /siem_input_up\{input="syslog_tcp"\} 1/);
    assert.match(text, /siem_input_bytes_total\{input="syslog_tcp"\} 151/);
    assert.match(text, /siem_input_dropped_total\{input="syslog_tcp",reason="invalid_utf8"\} 3/);
    assert.match(text, /siem_input_connections\{input="syslog_tcp"\} 1/);

    h.setState('error', null, 'EADDRINUSE');
    assert.equal(input(s, 'syslog_tcp').error, 'EADDRINUSE');
    assert.match(await s.metrics.registry.metrics(), /siem_input_up\{input="syslog_tcp"\} 0/);
  });

  it('computes events per second over the completed seconds of the window, and decays to zero', () => {
    const s = setup();
    s.sources.register('udp', 'syslog-udp');
    const rec = () => s.sources.recordEvent('udp', { host: 'web1', format: 'sshd', unparsed: false });
    // 9 full seconds at 20 events/s.
    for (let sec = 0; sec < 9; sec++) {
      for (let k = 0; k < 20; k++) rec();
      s.advance(1000);
    }
    // The current second is filling: it does not count yet.
    for (let k = 0; k < 500; k++) rec();
    assert.equal(input(s, 'udp').events_per_second, 20);
    assert.equal(input(s, 'udp').events_total, 9 * 20 + 500);
    assert.equal(input(s, 'udp').last_seen, new Date(s.now()).toISOString());
    // Once complete, the burst second counts: (8 * 20 + 500) / 9.
    s.advance(1000);
    assert.equal(input(s, 'udp').events_per_second, Math.round(((8 * 20 + 500) / 9) * 10) / 10);
    // Silence: the window empties, the rate drops to 0, the totals stay.
    s.advance(5_000);
    assert.ok(input(s, 'udp').events_per_second > 0);
    s.advance(10_000);
    assert.equal(input(s, 'udp').events_per_second, 0);
    assert.equal(input(s, 'udp').events_total, 680);
    // A long gap (hours) then new events: old buckets are cleared, not replayed.
    s.advance(3 * 3600_000);
    for (let k = 0; k < 9; k++) rec();
    s.advance(1000);
    assert.equal(input(s, 'udp').events_per_second, 1);
  });

  it('counts formats and hosts, ranks the top ten, and bounds the number of hosts tracked', () => {
    const s = setup();
    for (let n = 0; n < 1_500; n++) s.sources.recordEvent('http', { host: `host-${n}`, format: n % 3 === 0 ? 'nginx' : 'sshd', unparsed: false });
    for (let k = 0; k < 50; k++) s.sources.recordEvent('http', { host: 'host-7', format: 'sshd', unparsed: false });
    s.sources.recordEvent('http', { host: null, format: 'json', unparsed: false });
    const snap = s.sources.snapshot();
    assert.equal(snap.top_hosts.length, 10);
    assert.deepEqual(snap.top_hosts[0], { host: 'host-7', events: 51, last_seen: new Date(s.now()).toISOString() });
    // A host first seen after the bound is not tracked (memory stays bounded)...
    for (let k = 0; k < 100; k++) s.sources.recordEvent('http', { host: 'late-host', format: 'sshd', unparsed: false });
    assert.ok(!s.sources.snapshot().top_hosts.some((h) => h.host === 'late-host'));
    // ...until hosts quiet for 15 minutes make room; the ones still talking are kept.
    s.advance(10 * 60_000);
    for (let k = 0; k < 60; k++) s.sources.recordEvent('http', { host: 'host-7', format: 'sshd', unparsed: false });
    s.advance(6 * 60_000);
    for (let k = 0; k < 100; k++) s.sources.recordEvent('http', { host: 'late-host', format: 'sshd', unparsed: false });
    const later = s.sources.snapshot().top_hosts;
    assert.deepEqual(later.slice(0, 2).map((h) => [h.host, h.events]), [['host-7', 111], ['late-host', 100]]);
    assert.equal(later.length, 2);
    assert.deepEqual(snap.top_formats, [{ format: 'sshd', events: 1050 }, { format: 'nginx', events: 500 }, { format: 'json', events: 1 }]);
  });

  it('keeps the twenty most recent unparsed lines, newest first, each cut to 2,000 characters', async () => {
    const s = setup();
    for (let n = 0; n < 30; n++) {
      s.advance(10);
      s.sources.recordEvent('tcp', { host: null, format: 'generic', unparsed: true, line: `odd line ${n}`, peer: '10.0.0.9' });
    }
    s.sources.recordEvent('tcp', { host: null, format: 'generic', unparsed: true, line: 'x'.repeat(50_000) });
    // Unparsed without a line (a document) counts but leaves no sample.
    s.sources.recordEvent('tcp', { host: null, format: 'generic', unparsed: true });
    const snap = s.sources.snapshot();
    assert.equal(snap.unparsed_samples.length, 20);
    assert.equal(snap.unparsed_samples[0]!.line.length, 2_000);
    assert.equal(snap.unparsed_samples[0]!.peer, null);
    assert.deepEqual(snap.unparsed_samples[1], { input: 'tcp', peer: '10.0.0.9', line: 'odd line 29', at: new Date(s.now()).toISOString() });
    assert.equal(snap.unparsed_samples.at(-1)!.line, 'odd line 11');
    // An input that was never registered (an HTTP route) still shows, as up: it delivers.
    assert.equal(input(s, 'tcp').parse_failures_total, 32);
    assert.equal(input(s, 'tcp').state, 'listening');
    assert.equal(input(s, 'tcp').kind, 'tcp');
    assert.match(await s.metrics.registry.metrics(), /siem_input_parse_failures_total\{input="tcp"\} 32/);
  });
});
