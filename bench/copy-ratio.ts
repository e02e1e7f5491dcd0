// How close the write path comes to the PostgreSQL server's own bulk-load limit, in a
// scratch schema of DATABASE_URL: (a) one plain COPY of N pre-built rows into log_events,
// (b) the event writer for the same events (micro-batches, dedup keys claimed, COPY,
// rollups, bus publish), (c) the full HTTP bulk path against a running server (validation,
// normalization, writer). Prints events/s, the ratios (b)/(a) and (c)/(a), and memory;
// asserts nothing. Also times the two batch writes PGlite could use (INSERT over
// jsonb_to_recordset, COPY from a blob).
//   node --import tsx bench/copy-ratio.ts [--quick]
import http from 'node:http';
import os from 'node:os';
import pino from 'pino';
import { createMemoryBus } from '../server/src/bus/memory-bus.ts';
import { loadConfig } from '../server/src/config.ts';
import { newObjectId } from '../server/src/lib/object-id.ts';
import { createMetrics } from '../server/src/metrics.ts';
import { createEventWriter } from '../server/src/services/event-writer.ts';
import { writerConcurrency } from '../server/src/system.ts';
import { openDb } from '../server/src/store/db.ts';
import type { Db, Queryable } from '../server/src/store/db.ts';
import { createDedupRepo } from '../server/src/store/dedup-repo.ts';
import { COPY_EVENTS_SQL, eventsCopyData } from '../server/src/store/event-copy.ts';
import { createEventsRepo } from '../server/src/store/events-repo.ts';
import type { NewEvent } from '../server/src/store/events-repo.ts';
import { loadMigrations, migrate } from '../server/src/store/migrate.ts';
import { createRollupsRepo } from '../server/src/store/rollups-repo.ts';
import { makeEvent, mb, peakRss, pgSchema, rng, startServer } from './lib.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 50_000 : 200_000;
/** Events per submission / HTTP bulk request, like a shipper's batch. */
const REQUEST = 1000;
const HTTP_CONCURRENCY = 2;
/** Submissions waiting at once in the writer path (the write queue holds INGEST_QUEUE_MAX events). */
const WRITER_CLIENTS = 16;
const log = pino({ level: 'silent' });

const heap = () => mb(process.memoryUsage().heapUsed);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

/** N events as the ingest service prepares them (validation, normalization, severity). */
async function prepareEvents(prepare: (raw: unknown) => NewEvent | null, withIds: boolean): Promise<NewEvent[]> {
  const rand = rng(11);
  const out: NewEvent[] = [];
  const tag = newObjectId();
  for (let i = 0; i < N; i++) {
    const e = prepare(makeEvent(i, rand));
    if (!e) throw new Error('bench event refused');
    out.push(withIds ? { ...e, clientId: `${tag}-${i}` } : e);
  }
  return out;
}

async function truncate(db: Db) {
  await db.exec('TRUNCATE log_events, event_dedup, event_counts_minute, event_counts_hour, event_counts_total, event_counts_source_ip');
}

/** COPY of pre-built rows, split over `streams` sessions at once (one transaction each). */
async function plainCopy(db: Db, events: NewEvent[], streams: number): Promise<number> {
  const per = Math.ceil(events.length / streams);
  const parts = Array.from({ length: streams }, (_, i) => eventsCopyData(events.slice(i * per, (i + 1) * per)));
  const started = performance.now();
  await Promise.all(parts.map((data) => db.transaction(async (tx) => {
    await tx.copyFrom!(COPY_EVENTS_SQL, data);
  })));
  return performance.now() - started;
}

async function writerPath(db: Db, events: NewEvent[], dedup = true): Promise<number> {
  const config = loadConfig({});
  const writer = createEventWriter({
    db, events: createEventsRepo(db), rollups: createRollupsRepo(db), bus: createMemoryBus({ maxLen: 10_000 }), metrics: createMetrics(), log,
    batchMax: config.INGEST_BATCH_MAX, delayMs: config.INGEST_BATCH_DELAY_MS, queueMax: config.INGEST_QUEUE_MAX,
    concurrency: writerConcurrency(config, db.kind),
    ...(dedup ? { dedup: { repo: createDedupRepo(db), settings: { idHorizonMs: config.DEDUP_ID_HORIZON_SECONDS * 1000, hashHorizonMs: 0 } } } : {}),
  });
  // Like WRITER_CLIENTS shippers each waiting for its answer before sending the next batch.
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < events.length) {
      const from = next;
      next += REQUEST;
      await writer.submit(events.slice(from, from + REQUEST));
    }
  };
  await Promise.all(Array.from({ length: WRITER_CLIENTS }, client));
  const ms = performance.now() - started;
  await writer.close();
  return ms;
}

function postJson(port: number, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/logs/bulk', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`bulk answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });

async function httpPath(env: Record<string, string>): Promise<number> {
  const { system, base } = await startServer({ ...env, BULK_BODY_LIMIT_BYTES: String(64 * 1024 * 1024) });
  const port = Number(new URL(base).port);
  const rand = rng(11);
  const tag = newObjectId();
  const bodies: string[] = [];
  for (let i = 0; i < N; i += REQUEST) {
    bodies.push(JSON.stringify(Array.from({ length: Math.min(REQUEST, N - i) }, (_, j) => ({ ...makeEvent(i + j, rand), idempotency_key: `${tag}-${i + j}` }))));
  }
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) await postJson(port, bodies[next++]!);
  };
  await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, worker));
  const ms = performance.now() - started;
  await system.stop();
  return ms;
}

/**
 * PGlite: the INSERT over jsonb_to_recordset against COPY from a blob, same batches, on a
 * bare PGlite (the blob option is PGlite's own). The writer uses the faster one.
 */
async function pgliteMethods(events: NewEvent[]) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  await db.waitReady;
  for (const m of loadMigrations()) await db.exec(m.sql);
  const sample = events.slice(0, Math.min(events.length, 20_000));
  const batch = 500;
  const insert = (part: NewEvent[]) =>
    db.transaction(async (tx) => {
      const q: Queryable = { query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await tx.query<T>(sql, params)).rows, rowCount: 0 }), exec: async (sql) => void (await tx.exec(sql)) };
      await createEventsRepo(q).insertMany(q, part, { method: 'insert' });
    });
  const blob = (part: NewEvent[]) =>
    db.transaction(async (tx) => {
      await tx.query(COPY_EVENTS_SQL.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob: new Blob(eventsCopyData(part) as unknown as BlobPart[]) });
    });
  for (const [label, write] of [['INSERT ... jsonb_to_recordset', insert], ["COPY FROM '/dev/blob'", blob]] as const) {
    await db.exec('TRUNCATE log_events');
    const started = performance.now();
    for (let i = 0; i < sample.length; i += batch) await write(sample.slice(i, i + batch));
    console.log(`PGlite, ${label}, ${sample.length.toLocaleString()} events in batches of ${batch}: ${rate(sample.length, performance.now() - started).toLocaleString()} events/s`);
  }
  await db.close();
}

const scratch = await pgSchema('bench_copy');
const config = loadConfig({});
// The ingest service's own preparation (validation, normalization, severity), through a system-free path.
const { createIngestService } = await import('../server/src/services/ingest.ts');
const { createIntakeService } = await import('../server/src/services/intake.ts');
const { createSources } = await import('../server/src/services/sources.ts');
const metrics = createMetrics();
const noWriter = { submit: async () => ({ duplicates: new Map() }), load: () => ({ events: 0, bytes: 0, maxEvents: 1, maxBytes: 1, bytesPerEvent: 1 }) } as never;
const intake = createIntakeService({ writer: noWriter, metrics, sources: createSources({ metrics }), timeZone: 'UTC', maxLineLength: 65_536 });
const ingest = createIngestService({ writer: noWriter, intake, metrics, bulkMax: config.BULK_MAX_EVENTS });
const prepare = (raw: unknown) => {
  const p = ingest.prepare(raw);
  return p.ok ? p.event : null;
};

console.log(`COPY ratio bench: ${N.toLocaleString()} events, ${os.cpus().length} cores (load average ${os.loadavg()[0]!.toFixed(1)}), submissions of ${REQUEST}`);
// One set of prepared events for every case; the tables are emptied in between.
const events = await prepareEvents(prepare, true);
await pgliteMethods(events);
if (!scratch) {
  console.log('PostgreSQL: DATABASE_URL not set, ratios skipped');
} else {
  const db = await openDb({ databaseUrl: scratch.env.DATABASE_URL, dataDir: ':memory:', schema: scratch.env.DATABASE_SCHEMA, poolSize: config.DATABASE_POOL_SIZE });
  await migrate(db);
  // The limit: the better of one COPY stream and as many streams as the writer runs.
  let copyRate = 0;
  for (const streams of [1, writerConcurrency(config, 'postgres')]) {
    await truncate(db);
    const streamRate = rate(N, await plainCopy(db, events, streams));
    copyRate = Math.max(copyRate, streamRate);
    console.log(`(a) plain COPY of ${N.toLocaleString()} pre-built rows, ${streams} stream(s): ${streamRate.toLocaleString()} events/s (heap ${heap()}, peak RSS ${peakRss()})`);
  }
  await truncate(db);
  const plainRate = rate(N, await writerPath(db, events, false));
  console.log(`(b0) event writer without dedup: ${plainRate.toLocaleString()} events/s; (b0)/(a) = ${(plainRate / copyRate).toFixed(2)}`);
  await truncate(db);
  const writerMs = await writerPath(db, events);
  const writerRate = rate(N, writerMs);
  console.log(`(b) event writer (${WRITER_CLIENTS} submitters, batches, dedup on, COPY, rollups, publish): ${writerRate.toLocaleString()} events/s; (b)/(a) = ${(writerRate / copyRate).toFixed(2)} (heap ${heap()}, peak RSS ${peakRss()})`);
  await db.close();
  await scratch.drop();
  const httpMs = await httpPath(scratch.env);
  const httpRate = rate(N, httpMs);
  console.log(`(c) HTTP bulk (${HTTP_CONCURRENCY} concurrent requests of ${REQUEST}, idempotency_key on every event): ${httpRate.toLocaleString()} events/s; (c)/(a) = ${(httpRate / copyRate).toFixed(2)} (peak RSS ${peakRss()})`);
  await scratch.drop();
}
agent.destroy();
