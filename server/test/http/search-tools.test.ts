// The search tools over HTTP on the embedded store: export (CSV quoting and formula
// injection, NDJSON lines, the row and byte bounds, filters, keyset chunks, a client going
// away mid-export), the histogram's buckets and counts, and field statistics.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogEventSchema, exportQuery, histogramQuery } from '@siem/contracts';
import { createLogExportService } from '../../src/services/log-export.ts';
import { createLogStatsService } from '../../src/services/log-stats.ts';
import { createBoundedRead } from '../../src/services/search-bounded.ts';
import { createEventsToolsRepo } from '../../src/store/events-tools-repo.ts';
import { insertRows, insertSeries } from '../helpers/events.ts';
import { createTestUser, startTestSystem } from '../helpers/system.ts';
import type { TestSystem, TestUser } from '../helpers/system.ts';

/** Splits RFC 4180 text into rows of cells (quoted cells may hold commas, quotes, line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell, '', 'the text ends with CRLF');
  return rows;
}

const T = Date.parse('2026-03-01T12:00:00Z');
let sys: TestSystem;
let analyst: TestUser;
let exportLog: Record<string, unknown>[];

before(async () => {
  sys = await startTestSystem();
  analyst = await createTestUser(sys.app, { username: 'tools-analyst' });
  exportLog = [];
  const log = sys.deps.log;
  const info = log.info.bind(log);
  // The export's audit line, caught where the service writes it.
  log.info = ((obj: unknown, ...rest: unknown[]) => {
    if (obj && typeof obj === 'object' && (obj as { audit?: unknown }).audit === 'log_export') exportLog.push(obj as Record<string, unknown>);
    return (info as (...a: unknown[]) => void)(obj, ...rest);
  }) as typeof log.info;
  await insertRows(sys.deps.db, [
    { ts: T - 1000, severity: 'high', hostname: 'web-1', username: 'alice', event_type: 'login_failed', source_ip: '10.0.0.1', message: 'bad, "quoted"\nsecond line', fields: { 'source.port': 2222, 'process.name': 'sshd' } },
    { ts: T - 2000, severity: 'high', hostname: 'web-1', username: '=cmd|calc', event_type: 'login_failed', source_ip: '10.0.0.2', message: '+SUM(1)', fields: { 'process.name': 'sshd' } },
    { ts: T - 3000, severity: 'low', hostname: 'web-2', username: '@bob', event_type: 'login', message: '-1', fields: { 'process.name': 'sudo', 'user.roles': ['a', 'b'] } },
    { ts: T - 4000, severity: 'info', hostname: 'web-2', username: 'carol', event_type: 'login', message: '\tTabbed' },
    { ts: T - 7200_000, severity: 'critical', hostname: 'db-1', username: 'dave', event_type: 'login', message: 'older' },
  ]);
});
after(async () => sys.stop());

const get = (url: string, who: TestUser | null = analyst) => sys.app.inject({ method: 'GET', url, headers: who ? who.headers : {} });
const RANGE = `since=${new Date(T - 86_400_000).toISOString()}&until=${new Date(T).toISOString()}`;

describe('GET /v1/logs/export', () => {
  it('CSV: the fixed columns, newest first, RFC 4180 quoting, formula cells made inert, an attachment with a timestamp', async () => {
    const res = await get(`/v1/logs/export?format=csv&${RANGE}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="logs-\d{8}T\d{6}Z\.csv"$/);
    const rows = parseCsv(res.body);
    assert.deepEqual(rows[0], ['timestamp', 'severity', 'source_type', 'event_type', 'source_ip', 'dest_ip', 'hostname', 'username', 'message', 'id']);
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [T - 1000, T - 2000, T - 3000, T - 4000, T - 7200_000].map((t) => new Date(t).toISOString()));
    assert.equal(rows[1]![8], 'bad, "quoted"\nsecond line');
    assert.equal(rows[2]![7], "'=cmd|calc");
    assert.equal(rows[2]![8], "'+SUM(1)");
    assert.equal(rows[3]![7], "'@bob");
    assert.equal(rows[3]![8], "'-1");
    assert.equal(rows[4]![8], "'\tTabbed");
    assert.equal(rows[1]![5], '', 'null is an empty cell');
    assert.match(rows[1]![9]!, /^[0-9a-f]{24}$/);
  });

  it('CSV with fields=: parsed fields added as columns (JSON text for arrays)', async () => {
    const res = await get(`/v1/logs/export?format=csv&fields=source.port,process.name,user.roles&${RANGE}`);
    assert.equal(res.statusCode, 200, res.body);
    const rows = parseCsv(res.body);
    assert.deepEqual(rows[0]!.slice(10), ['source.port', 'process.name', 'user.roles']);
    assert.deepEqual(rows[1]!.slice(10), ['2222', 'sshd', '']);
    assert.deepEqual(rows[3]!.slice(10), ['', 'sudo', '["a","b"]']);
  });

  it('NDJSON: one LogEvent per line, filters applied', async () => {
    const res = await get(`/v1/logs/export?format=ndjson&severity=high&hostname=web-1&${RANGE}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    assert.match(String(res.headers['content-disposition']), /filename="logs-\d{8}T\d{6}Z\.ndjson"/);
    const lines = res.body.split('\n');
    assert.equal(lines.pop(), '', 'every line ends with LF');
    const events = lines.map((l) => LogEventSchema.parse(JSON.parse(l)));
    assert.deepEqual(events.map((e) => e.username), ['alice', '=cmd|calc'], 'raw values, newest first');
    assert.deepEqual(events[0]!.fields, { 'source.port': 2222, 'process.name': 'sshd' });
  });

  it('the time range and the limit bound the rows', async () => {
    const recent = await get(`/v1/logs/export?format=ndjson&since=${new Date(T - 3600_000).toISOString()}&until=${new Date(T).toISOString()}`);
    assert.equal(recent.body.trim().split('\n').length, 4);
    const two = await get(`/v1/logs/export?format=csv&limit=2&${RANGE}`);
    assert.equal(parseCsv(two.body).length, 3);
  });

  it('bad parameters are 422, no token is 401', async () => {
    for (const q of ['format=xml', 'format=csv&limit=100001', 'format=csv&limit=0', 'format=csv&fields=a;b', 'format=csv&since=yesterday', '']) {
      const res = await get(`/v1/logs/export?${q}`);
      assert.equal(res.statusCode, 422, `${q}: ${res.body}`);
      assert.equal(res.json().error, 'ValidationError');
    }
    const tooMany = Array.from({ length: 21 }, (_, i) => `f${i}`).join(',');
    assert.equal((await get(`/v1/logs/export?format=csv&fields=${tooMany}`)).statusCode, 422);
    assert.equal((await get('/v1/logs/export?format=csv', null)).statusCode, 401);
  });

  it('every export is logged with who asked for what', async () => {
    exportLog.length = 0;
    await get(`/v1/logs/export?format=csv&severity=low&${RANGE}`);
    const line = exportLog.at(-1)!;
    assert.equal(line.username, 'tools-analyst');
    assert.equal(line.format, 'csv');
    assert.equal(line.rows, 1);
    assert.equal(line.end, 'complete');
    assert.equal((line.filters as { severity?: string }).severity, 'low');
  });

  it('chunks walk the keyset on (ts, seq): rows sharing a timestamp are neither lost nor repeated across chunks', async () => {
    const tie = T - 10 * 86_400_000;
    await insertRows(sys.deps.db, Array.from({ length: 10 }, (_, i) => ({ ts: tie, hostname: 'tie-host', message: `tie ${i}` })));
    const service = createLogExportService({ repo: createEventsToolsRepo(), read: createBoundedRead(sys.deps.db, 5000, 'export'), log: sys.deps.log, chunkRows: 3 });
    const file = await service.open(exportQuery.parse({ format: 'ndjson', limit: 100, hostname: 'tie-host' }), analyst.user);
    let text = '';
    for await (const part of file.body) text += String(part);
    const ids = text.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    assert.equal(ids.length, 10);
    assert.equal(new Set(ids).size, 10);
    const seven = await service.open(exportQuery.parse({ format: 'csv', limit: 7, hostname: 'tie-host' }), analyst.user);
    let csv = '';
    for await (const part of seven.body) csv += String(part);
    assert.equal(parseCsv(csv).length, 8);
  });

  it('the byte bound stops the export on a whole line', async () => {
    exportLog.length = 0;
    const service = createLogExportService({ repo: createEventsToolsRepo(), read: createBoundedRead(sys.deps.db, 5000, 'export'), log: sys.deps.log, chunkRows: 2, maxBytes: 400 });
    const file = await service.open(exportQuery.parse({ format: 'csv', limit: 100 }), analyst.user);
    let csv = '';
    for await (const part of file.body) csv += String(part);
    assert.ok(Buffer.byteLength(csv) <= 400);
    assert.ok(parseCsv(csv).length >= 2);
    assert.equal(exportLog.at(-1)!.end, 'byte_limit');
  });
});

describe('an export whose client goes away', () => {
  it('stops reading, logs it, and the server answers the next request', async () => {
    await insertSeries(sys.deps.db, 40_000, T - 30 * 86_400_000, { messageBytes: 200 });
    exportLog.length = 0;
    await sys.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = sys.app.server.address() as AddressInfo;
    const received = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/v1/logs/export?format=csv&limit=100000', headers: analyst.headers }, (res) => {
        assert.equal(res.statusCode, 200);
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Gone after the first bytes, with tens of megabytes still to come.
          if (bytes > 10_000) {
            req.destroy();
            resolve(bytes);
          }
        });
        res.on('error', () => {});
      });
      req.on('error', (err) => (err.message.includes('aborted') || (err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
    });
    assert.ok(received > 10_000);
    for (let i = 0; i < 200 && exportLog.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const line = exportLog.at(-1);
    assert.ok(line, 'the export was logged');
    assert.equal(line.end, 'client_gone');
    assert.ok(Number(line.rows) < 40_000, `stopped early (${String(line.rows)} rows)`);
    const after = await get(`/v1/logs/export?format=csv&limit=3&${RANGE}`);
    assert.equal(after.statusCode, 200);
    assert.equal(parseCsv(after.body).length, 4);
  });
});

describe('GET /v1/logs/histogram', () => {
  it('buckets of a human width over the range, every bucket present, counts per bucket and severity', async () => {
    const since = new Date(T - 3 * 3600_000).toISOString();
    const until = new Date(T).toISOString();
    const res = await get(`/v1/logs/histogram?since=${since}&until=${until}&buckets=6&by_severity=true`);
    assert.equal(res.statusCode, 200, res.body);
    const h = res.json();
    assert.equal(h.interval, '30m');
    assert.equal(h.interval_ms, 1_800_000);
    assert.equal(h.buckets.length, 6);
    assert.equal(h.buckets[0].start, since);
    assert.equal(h.total, 5);
    assert.deepEqual(h.buckets.map((b: { count: number }) => b.count), [0, 0, 1, 0, 0, 4]);
    assert.deepEqual(h.buckets[5].by_severity, { high: 2, low: 1, info: 1 });
    assert.deepEqual(h.buckets[2].by_severity, { critical: 1 });
  });

  it('filters narrow the counts; without by_severity there is no split', async () => {
    const res = await get(`/v1/logs/histogram?${RANGE}&hostname=web-1`);
    const h = res.json();
    assert.equal(h.total, 2);
    assert.equal(h.interval, '30m');
    assert.equal(h.buckets.length, 48);
    assert.equal(h.buckets.at(-1).count, 2);
    assert.equal(h.buckets.at(-1).by_severity, undefined);
  });

  it('defaults to the last 24 hours in 60 buckets at most', async () => {
    const res = await get('/v1/logs/histogram');
    assert.equal(res.statusCode, 200);
    const h = res.json();
    assert.ok(h.buckets.length <= 60);
    assert.equal(Date.parse(h.until) - Date.parse(h.since), 86_400_000);
  });

  it('on the embedded store, a spent budget stops the count between slices: 503 SEARCH_TIMEOUT', async () => {
    const stats = createLogStatsService({ repo: createEventsToolsRepo(), read: createBoundedRead(sys.deps.db, 0, 'statistics query') });
    await assert.rejects(stats.histogram(histogramQuery.parse({})), (err: { code?: string; status?: number }) => err.code === 'SEARCH_TIMEOUT' && err.status === 503);
  });

  it('a range that ends before it starts, or too many buckets, is 422', async () => {
    const bad = await get(`/v1/logs/histogram?since=${new Date(T).toISOString()}&until=${new Date(T - 1000).toISOString()}`);
    assert.equal(bad.statusCode, 422);
    assert.equal((await get('/v1/logs/histogram?buckets=201')).statusCode, 422);
    assert.equal((await get('/v1/logs/histogram?buckets=0')).statusCode, 422);
  });
});

describe('GET /v1/logs/field-stats', () => {
  it('top values of columns and parsed fields over the newest matches, with shares of the sample', async () => {
    const res = await get(`/v1/logs/field-stats?${RANGE}&field=hostname,process.name,source.port,no.such`);
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    assert.equal(s.sampled, true);
    assert.equal(s.sample_size, 5);
    assert.equal(s.sample_limit, 10_000);
    const [host, proc, port, none] = s.stats;
    assert.equal(host.kind, 'column');
    assert.deepEqual(host.top.map((t: { value: string; count: number }) => [t.value, t.count]), [['web-1', 2], ['web-2', 2], ['db-1', 1]]);
    assert.equal(host.top[0].share, 0.4);
    assert.equal(host.distinct, 3);
    assert.equal(proc.kind, 'field');
    assert.deepEqual(proc.top.map((t: { value: string; count: number }) => [t.value, t.count]), [['sshd', 2], ['sudo', 1]]);
    assert.equal(proc.present, 3);
    assert.deepEqual(port.top, [{ value: '2222', count: 1, share: 0.2 }]);
    assert.deepEqual(none, { field: 'no.such', kind: 'field', present: 0, distinct: 0, top: [] });
  });

  it('sample and top bound the work and the answer', async () => {
    const res = await get(`/v1/logs/field-stats?${RANGE}&field=hostname&sample=3&top=1`);
    const s = res.json();
    assert.equal(s.sample_size, 3);
    assert.deepEqual(s.stats[0].top, [{ value: 'web-1', count: 2, share: 0.6667 }]);
  });

  it('without field: the fields present in the sample with their coverage', async () => {
    const res = await get(`/v1/logs/field-stats?${RANGE}`);
    const s = res.json();
    assert.equal(s.stats.length, 0);
    const byName = Object.fromEntries(s.fields.map((f: { field: string; coverage: number; kind: string }) => [f.field, f]));
    assert.equal(byName.hostname.coverage, 1);
    assert.equal(byName.hostname.kind, 'column');
    assert.equal(byName['process.name'].coverage, 0.6);
    assert.equal(byName['process.name'].kind, 'field');
    assert.equal(byName.dest_ip, undefined, 'a column never set is not listed');
  });

  it('bad field names and bounds are 422', async () => {
    for (const q of ['field=a%20b', 'field=x&sample=50001', 'field=x&top=51', `field=${Array.from({ length: 11 }, (_, i) => `f${i}`).join(',')}`]) {
      assert.equal((await get(`/v1/logs/field-stats?${q}`)).statusCode, 422, q);
    }
  });
});
