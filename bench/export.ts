// Log export throughput: fills a store with N synthetic events in SQL (parsed fields
// included), then streams the whole store as NDJSON and as CSV through the export service
// (keyset chunks, bounded reads, the stream pulled by a sink) and prints rows/s, MB/s and
// peak RSS. Embedded PGlite always; the PostgreSQL server too when DATABASE_URL is set
// (a scratch schema, dropped at the end). Prints numbers, asserts nothing.
//   node --import tsx bench/export.ts [--n 1000000] [--fields]
// The HTTP route caps one export at 100,000 rows; the service is driven directly here so
// one run reads the whole store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pino from 'pino';
import { exportQuery, type ExportFormat } from '@siem/contracts';
import { createLogExportService } from '../server/src/services/log-export.ts';
import { createBoundedRead } from '../server/src/services/search-bounded.ts';
import { openDb, type Db } from '../server/src/store/db.ts';
import { createEventsToolsRepo } from '../server/src/store/events-tools-repo.ts';
import { migrate } from '../server/src/store/migrate.ts';
import { mb, peakRss, pgSchema } from './lib.ts';

const args = process.argv.slice(2);
const argValue = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const N = argValue('--n', 1_000_000);
const WITH_FIELDS = args.includes('--fields');
const FILL_CHUNK = 100_000;

const fillSql = `
INSERT INTO log_events (id, ts, source_type, severity, event_type, source_ip, dest_ip, source_port, dest_port,
  hostname, username, message, raw, normalized, fields)
SELECT lpad(to_hex(i), 24, '0'), $3::timestamptz - i * interval '50 milliseconds', 'auth',
  (ARRAY['info','low','medium','high','critical'])[1 + i % 5], CASE WHEN i % 10 < 7 THEN 'login_failure' ELSE 'login_success' END,
  '203.0.' || (i >> 4) % 4 || '.' || 1 + (i >> 6) % 250, '10.0.0.' || 1 + i % 250, 1024 + i % 60000, 22,
  'ws-' || i % 2000 || '.corp.example', 'user' || lpad((i % 5000)::text, 4, '0'),
  'Failed password for user' || (i % 5000) || ' from 203.0.' || (i >> 4) % 4 || '.' || 1 + (i >> 6) % 250 || ' port ' || 1024 + i % 60000 || ' ssh2',
  jsonb_build_object('message', 'Failed password for user' || (i % 5000), 'program', 'sshd', 'pid', i % 30000),
  jsonb_build_object('event_type', 'login_failure'),
  jsonb_build_object('process.name', 'sshd', 'process.pid', i % 30000, 'source.port', 1024 + i % 60000, 'user.name', 'user' || (i % 5000))
FROM generate_series($1::int, $2::int) AS i`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function fill(db: Db): Promise<void> {
  const started = performance.now();
  const end = new Date().toISOString();
  for (let from = 1; from <= N; from += FILL_CHUNK) {
    const to = Math.min(N, from + FILL_CHUNK - 1);
    await db.query(fillSql, [from, to, end]);
    process.stdout.write(`  filled ${to.toLocaleString()} rows (${seconds(performance.now() - started)})\r`);
  }
  await db.exec('ANALYZE log_events');
  console.log(`fill: ${N.toLocaleString()} events in ${seconds(performance.now() - started)}                `);
}

/** Streams the whole store in `format` into a sink that counts bytes. */
async function exportAll(db: Db, format: ExportFormat): Promise<void> {
  const service = createLogExportService({
    repo: createEventsToolsRepo(),
    read: createBoundedRead(db, 60_000, 'export'),
    log: pino({ level: 'silent' }),
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  const rssBefore = process.memoryUsage().rss;
  let maxRss = rssBefore;
  let bytes = 0;
  const started = performance.now();
  // Parsed like a request, then past the route's 100,000-row cap: one run reads the whole store.
  const query = { ...exportQuery.parse({ format, fields: WITH_FIELDS && format === 'csv' ? 'process.name,source.port' : undefined }), limit: N };
  const file = await service.open(query, { id: 'bench', username: 'bench' });
  const sink = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      // Sampled: memoryUsage() is not free.
      if ((bytes & 0xfffff) < chunk.length) maxRss = Math.max(maxRss, process.memoryUsage().rss);
      done();
    },
  });
  await pipeline(file.body, sink);
  const s = (performance.now() - started) / 1000;
  console.log(
    `  ${format.padEnd(6)} ${N.toLocaleString()} rows, ${mb(bytes)} in ${s.toFixed(1)} s: ` +
      `${Math.round(N / s).toLocaleString()} rows/s, ${(bytes / 1024 / 1024 / s).toFixed(1)} MB/s, RSS ${mb(rssBefore)} -> max ${mb(maxRss)}`,
  );
}

async function run(label: string, db: Db): Promise<void> {
  console.log(`\n== ${label} ==`);
  await migrate(db);
  await fill(db);
  for (const format of ['ndjson', 'csv'] as const) await exportAll(db, format);
}

async function main(): Promise<void> {
  console.log(`export bench: ${N.toLocaleString()} events, node ${process.version}, ${os.cpus().length} cores${WITH_FIELDS ? ', CSV with 2 parsed fields' : ''}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-export-bench-'));
  const lite = await openDb({ dataDir: dir });
  try {
    await run('PGlite (embedded)', lite);
  } finally {
    await lite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pgs = await pgSchema('bench_export');
  if (pgs) {
    const db = await openDb({ databaseUrl: pgs.env.DATABASE_URL, dataDir: '', schema: pgs.env.DATABASE_SCHEMA });
    try {
      await run('PostgreSQL server', db);
    } finally {
      await db.close();
      await pgs.drop();
    }
  } else {
    console.log('\nDATABASE_URL not set: PostgreSQL server run skipped');
  }
  console.log(`\npeak RSS of the process: ${peakRss()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
