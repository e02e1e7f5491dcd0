// The micro-batching writer on real PGlite and the memory bus: coalescing, backpressure,
// isolation of a bad submission, publish-after-persist, flush on close.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { STREAMS } from '../../src/bus/bus.ts';
import { isAppError } from '../../src/errors.ts';
import { newObjectId } from '../../src/lib/object-id.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createEventWriter } from '../../src/services/event-writer.ts';
import type { Db } from '../../src/store/db.ts';
import { createEventsRepo } from '../../src/store/events-repo.ts';
import type { NewEvent } from '../../src/store/events-repo.ts';
import { createRollupsRepo } from '../../src/store/rollups-repo.ts';
import { openTestDb } from '../helpers/store.ts';

const log = pino({ level: 'silent' });
let db: Db;
let drop: () => Promise<void>;
before(async () => ({ db, drop } = await openTestDb('pglite')));
after(async () => drop());

function event(over: Partial<NewEvent> = {}): NewEvent {
  const now = Date.now();
  return {
    id: newObjectId(now), timeMs: now, fields: null, source_type: 'generic', severity: 'info', event_type: null, source_ip: null,
    dest_ip: null, source_port: null, dest_port: null, hostname: null, username: null, mitre_tactic: null,
    mitre_technique: null, message: 'm', raw: {}, normalized: { message: 'm' }, metadata: {}, scenario_run_id: null,
    createdAtMs: now, ...over,
  };
}

function setup(opts: { batchMax?: number; delayMs?: number; queueMax?: number; queueMaxBytes?: number; concurrency?: number; batchTargetMs?: number } = {}) {
  const bus = createMemoryBus({ maxLen: 100_000 });
  const metrics = createMetrics();
  const events = createEventsRepo(db);
  const writer = createEventWriter({
    db, events, rollups: createRollupsRepo(db), bus, metrics, log,
    batchMax: opts.batchMax ?? 1000, delayMs: opts.delayMs ?? 10, queueMax: opts.queueMax ?? 10_000,
    concurrency: opts.concurrency ?? 1,
    ...(opts.queueMaxBytes ? { queueMaxBytes: opts.queueMaxBytes } : {}),
    ...(opts.batchTargetMs ? { batchTargetMs: opts.batchTargetMs } : {}),
  });
  return { bus, metrics, events, writer };
}

async function batchCount(metrics: ReturnType<typeof createMetrics>): Promise<number> {
  const data = await metrics.batchSize.get();
  return data.values.find((v) => v.metricName === 'siem_ingest_batch_size_count')?.value ?? 0;
}

describe('event writer', () => {
  it('coalesces concurrent submissions into few transactions and stores every event', async () => {
    const { writer, metrics, events } = setup({ delayMs: 20 });
    const batch = Array.from({ length: 50 }, () => event());
    await Promise.all(batch.map((e) => writer.submit([e])));
    assert.ok((await batchCount(metrics)) <= 3, 'fifty submissions in one delay window share a transaction');
    assert.equal((await events.findByIds(batch.map((e) => e.id))).length, 50);
  });

  it('with several writers, full batches are written side by side and nothing is lost or published twice', async () => {
    const { writer, events, bus } = setup({ batchMax: 100, delayMs: 5, concurrency: 3 });
    const before = (await bus.read(STREAMS.logs, '0-0', { count: 100_000 })).length;
    const submissions = Array.from({ length: 12 }, () => Array.from({ length: 60 }, () => event()));
    await Promise.all(submissions.map((batch) => writer.submit(batch)));
    const ids = submissions.flat().map((e) => e.id);
    assert.equal((await events.findByIds(ids)).length, ids.length);
    const published = (await bus.read(STREAMS.logs, '0-0', { count: 100_000 })).slice(before).map((m) => JSON.parse(m.payload).id);
    assert.equal(new Set(published).size, ids.length);
    assert.equal(writer.depth(), 0);
  });

  it('publishes events only after they are stored, before acknowledging', async () => {
    const { writer, bus, events } = setup();
    const e = event();
    await writer.submit([e]);
    const published = await bus.read(STREAMS.logs, '0-0', { count: 10 });
    assert.deepEqual(published.map((m) => JSON.parse(m.payload).id), [e.id]);
    assert.ok(await events.findById(e.id));
  });

  it('refuses work with 503 when the queue is full, and stores none of the refused request', async () => {
    const { writer, events } = setup({ delayMs: 50, queueMax: 10 });
    const first = Array.from({ length: 8 }, () => event());
    const second = Array.from({ length: 5 }, () => event());
    const accepted = writer.submit(first);
    await assert.rejects(writer.submit(second), (err) => isAppError(err) && err.status === 503 && err.retryAfter === 1);
    await accepted;
    assert.equal((await events.findByIds(first.map((e) => e.id))).length, 8);
    assert.equal((await events.findByIds(second.map((e) => e.id))).length, 0);
  });

  it('one failing submission does not fail the others it was coalesced with', async () => {
    const { writer, events } = setup({ delayMs: 20 });
    const existing = event();
    await writer.submit([existing]);
    const good = [event(), event()];
    const results = await Promise.allSettled([writer.submit([good[0]!]), writer.submit([{ ...existing }]), writer.submit([good[1]!])]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((await events.findByIds(good.map((e) => e.id))).length, 2);
  });

  it('close() stores what is still waiting for its batch timer', async () => {
    const { writer, events } = setup({ delayMs: 5000 });
    const e = event();
    const pending = writer.submit([e]);
    await writer.close();
    await pending;
    assert.ok(await events.findById(e.id));
    await assert.rejects(writer.submit([event()]), (err) => isAppError(err) && err.status === 503);
  });

  it('bounds the queue in bytes too: a submission that would pass the byte bound is refused, nothing of it stored', async () => {
    const { writer, events } = setup({ delayMs: 50, queueMaxBytes: 1000 });
    const first = [event(), event()];
    const second = [event()];
    const accepted = writer.submit(first, { bytes: 800 });
    assert.equal(writer.load().bytes, 800);
    await assert.rejects(writer.submit(second, { bytes: 300 }), (err) => isAppError(err) && err.code === 'INGEST_BACKPRESSURE' && (err.retryAfter ?? 0) >= 1);
    await accepted;
    assert.equal(writer.load().bytes, 0);
    assert.equal((await events.findByIds(first.map((e) => e.id))).length, 2);
    assert.equal((await events.findByIds(second.map((e) => e.id))).length, 0);
    // Without a size given, the events' raw JSON is measured.
    const measured = writer.submit([event({ raw: { message: 'x'.repeat(2000) } })]);
    assert.ok(writer.load().bytes > 2000);
    await measured;
  });

  it('an empty queue takes one submission larger than the bound, so a big request is never refused forever', async () => {
    const { writer } = setup({ queueMax: 5, queueMaxBytes: 100 });
    await writer.submit(Array.from({ length: 8 }, () => event()), { bytes: 5000 });
    assert.equal(writer.depth(), 0);
  });

  it('with time-bounded batches, a large submission is written in several transactions, all stored and published once, acknowledged at the end', async () => {
    const { writer, metrics, events, bus } = setup({ batchMax: 2000, delayMs: 0, batchTargetMs: 1 });
    const before = (await bus.read(STREAMS.logs, '0-0', { count: 100_000 })).length;
    const batchesBefore = await batchCount(metrics);
    const big = Array.from({ length: 1200 }, () => event());
    const small = [event()];
    await Promise.all([writer.submit(big), writer.submit(small)]);
    assert.ok((await batchCount(metrics)) - batchesBefore >= 3, 'the submission was split');
    const ids = [...big, ...small].map((e) => e.id);
    assert.equal((await events.findByIds(ids)).length, ids.length);
    const published = (await bus.read(STREAMS.logs, '0-0', { count: 100_000 })).slice(before).map((m) => JSON.parse(m.payload).id);
    assert.deepEqual(new Set(published), new Set(ids));
    assert.equal(published.length, ids.length);
    assert.equal(writer.load().bytes, 0);
  });

  it('a failing part of a split submission fails that request only, and its remaining parts are not written', async () => {
    const { writer, events } = setup({ batchMax: 100, delayMs: 0, batchTargetMs: 1 });
    const existing = event();
    await writer.submit([existing]);
    const doomed = [...Array.from({ length: 150 }, () => event()), { ...existing }, ...Array.from({ length: 150 }, () => event())];
    const other = Array.from({ length: 10 }, () => event());
    const results = await Promise.allSettled([writer.submit(doomed), writer.submit(other)]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled']);
    assert.equal((await events.findByIds(other.map((e) => e.id))).length, 10);
    assert.equal((await events.findByIds(doomed.slice(-100).map((e) => e.id))).length, 0, 'parts after the failure are skipped');
    assert.equal(writer.depth(), 0);
    assert.equal(writer.load().bytes, 0);
  });
});
