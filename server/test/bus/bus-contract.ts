// The one behaviour suite every Bus implementation must pass (memory and Redis alike).
// Each test works on its own stream names, so tests share a bus but not state; buses made
// here are closed in after().
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { compareIds, isStreamId, type Bus, type BusMessage } from '../../src/bus/bus.ts';

/** The maxLen the factories must pass: small enough that trimming shows within a test. */
export const CONTRACT_MAX_LEN = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
const fresh = (what: string): string => `${what}-${Date.now().toString(36)}-${++counter}`;

function assertIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) {
    assert.equal(compareIds(ids[i - 1]!, ids[i]!), -1, `id ${ids[i]} should follow ${ids[i - 1]}`);
  }
}

const payloads = (msgs: BusMessage[]): string[] => msgs.map((m) => m.payload);

/** Drains a group with one consumer; returns everything it got, in order. */
async function drain(bus: Bus, stream: string, group: string, consumer: string): Promise<BusMessage[]> {
  const all: BusMessage[] = [];
  // Bounded: a bus that redelivers the same entries must fail the test, not hang it.
  for (let round = 0; round < 20; round++) {
    const got = await bus.readGroup(stream, group, consumer, { count: 50 });
    if (got.length === 0) return all;
    all.push(...got);
  }
  assert.fail('the group never ran dry');
}

export function busContract(name: string, makeBus: () => Promise<Bus>, skip: string | false): void {
  describe(`bus contract: ${name}`, { skip }, () => {
    const made: Bus[] = [];
    let shared: Bus | undefined;

    async function bus(): Promise<Bus> {
      shared ??= await own();
      return shared;
    }
    async function own(): Promise<Bus> {
      const b = await makeBus();
      made.push(b);
      return b;
    }

    after(async () => {
      await Promise.all(made.map((b) => b.close()));
    });

    describe('append and tail', () => {
      it('publish returns increasing ids and read returns the payloads intact, in order', async () => {
        const b = await bus();
        const s = fresh('order');
        const sent = ['{"a":1}', '', 'multi\nline', 'ünïcødé ✓', 'x'.repeat(10_000)];
        const ids = [...(await b.publish(s, sent.slice(0, 2))), ...(await b.publish(s, sent.slice(2)))];
        assert.equal(ids.length, sent.length);
        assert.ok(ids.every(isStreamId), `ids should look like "ms-seq": ${ids.join(', ')}`);
        assertIncreasing(ids);
        const got = await b.read(s, '0-0', { count: 100 });
        assert.deepEqual(got.map((m) => m.id), ids);
        assert.deepEqual(payloads(got), sent);
      });

      it('read after an id returns only the later messages, at most count', async () => {
        const b = await bus();
        const s = fresh('after');
        const ids = await b.publish(s, ['a', 'b', 'c', 'd', 'e']);
        assert.deepEqual(payloads(await b.read(s, ids[1]!, { count: 100 })), ['c', 'd', 'e']);
        assert.deepEqual(payloads(await b.read(s, ids[1]!, { count: 2 })), ['c', 'd']);
        assert.deepEqual(await b.read(s, ids[4]!, { count: 100 }), []);
      });

      it('a missing stream reads empty, has length 0 and last id 0-0', async () => {
        const b = await bus();
        const s = fresh('missing');
        assert.deepEqual(await b.read(s, '0-0', { count: 10 }), []);
        assert.equal(await b.length(s), 0);
        assert.equal(await b.lastId(s), '0-0');
      });

      it('a malformed id is rejected', async () => {
        const b = await bus();
        await assert.rejects(b.read(fresh('badid'), 'not-an-id', { count: 1 }), /invalid stream id/i);
      });

      it('lastId is the newest id and length counts the entries', async () => {
        const b = await bus();
        const s = fresh('last');
        await b.publish(s, ['a', 'b']);
        const ids = await b.publish(s, ['c']);
        assert.equal(await b.lastId(s), ids[0]);
        assert.equal(await b.length(s), 3);
      });

      it('a blocking read waits for a later publish and returns it', async () => {
        const b = await bus();
        const s = fresh('block');
        await b.publish(s, ['old']);
        const from = await b.lastId(s);
        const started = Date.now();
        const reading = b.read(s, from, { count: 10, blockMs: 3000 });
        await sleep(50);
        // Goes through while the read is blocked: a shared blocked connection would stall it.
        await b.publish(s, ['new']);
        const got = await reading;
        assert.deepEqual(payloads(got), ['new']);
        assert.ok(Date.now() - started < 2500, 'the read should end at the publish, not at its timeout');
      });

      it('a blocking read returns [] after blockMs when nothing comes', async () => {
        const b = await bus();
        const s = fresh('timeout');
        const blockMs = 150;
        const started = Date.now();
        assert.deepEqual(await b.read(s, '0-0', { count: 10, blockMs }), []);
        assert.ok(Date.now() - started >= blockMs * 0.8, `returned after ${Date.now() - started} ms`);
      });

      it('concurrent blocking reads on different streams are each woken by their publish', async () => {
        const b = await bus();
        const [s1, s2] = [fresh('conc'), fresh('conc')];
        const r1 = b.read(s1, '0-0', { count: 10, blockMs: 3000 });
        const r2 = b.read(s2, '0-0', { count: 10, blockMs: 3000 });
        await sleep(50);
        await b.publish(s2, ['two']);
        await b.publish(s1, ['one']);
        assert.deepEqual(payloads(await r1), ['one']);
        assert.deepEqual(payloads(await r2), ['two']);
      });

      it(`trimming keeps about maxLen (${CONTRACT_MAX_LEN}) entries, the newest ones`, async () => {
        const b = await bus();
        const s = fresh('trim');
        const total = 3 * CONTRACT_MAX_LEN;
        let ids: string[] = [];
        for (let i = 0; i < total; i += 50) {
          ids = await b.publish(s, Array.from({ length: 50 }, (_, j) => `m${i + j}`));
        }
        const length = await b.length(s);
        assert.ok(length >= CONTRACT_MAX_LEN && length <= CONTRACT_MAX_LEN + 200, `length ${length}`);
        assert.ok(length < total, 'nothing was trimmed');
        const kept = await b.read(s, '0-0', { count: total });
        assert.equal(kept.length, length);
        assert.equal(kept.at(-1)?.id, ids.at(-1));
        assert.equal(kept[0]?.payload, `m${total - length}`);
      });
    });

    describe('consumer groups', () => {
      it('two consumers of one group split the messages without duplicates', async () => {
        const b = await bus();
        const s = fresh('split');
        await b.ensureGroup(s, 'g', '0');
        const sent = Array.from({ length: 20 }, (_, i) => `m${i}`);
        await b.publish(s, sent);
        const got: Record<string, string[]> = { c1: [], c2: [] };
        for (let turn = 0; turn < 10; turn++) {
          for (const c of ['c1', 'c2'] as const) {
            got[c]!.push(...payloads(await b.readGroup(s, 'g', c, { count: 3 })));
          }
        }
        assert.ok(got.c1!.length > 0 && got.c2!.length > 0, 'both consumers should get some');
        assert.deepEqual([...got.c1!, ...got.c2!].sort(), [...sent].sort());
      });

      it('a group created at "$" sees only later messages, at "0" everything kept', async () => {
        const b = await bus();
        const s = fresh('start');
        await b.publish(s, ['before']);
        await b.ensureGroup(s, 'new', '$');
        await b.ensureGroup(s, 'all', '0');
        await b.publish(s, ['after']);
        assert.deepEqual(payloads(await drain(b, s, 'new', 'c')), ['after']);
        assert.deepEqual(payloads(await drain(b, s, 'all', 'c')), ['before', 'after']);
      });

      it('ensureGroup creates a missing stream and is harmless when the group exists', async () => {
        const b = await bus();
        const s = fresh('ensure');
        await b.ensureGroup(s, 'g');
        await b.publish(s, ['a', 'b']);
        assert.deepEqual(payloads(await b.readGroup(s, 'g', 'c', { count: 1 })), ['a']);
        await b.ensureGroup(s, 'g', '0');
        assert.deepEqual(payloads(await b.readGroup(s, 'g', 'c', { count: 10 })), ['b']);
      });

      it('a blocked group read is woken by a publish', async () => {
        const b = await bus();
        const s = fresh('gblock');
        await b.ensureGroup(s, 'g', '$');
        const reading = b.readGroup(s, 'g', 'c', { count: 10, blockMs: 3000 });
        await sleep(50);
        await b.publish(s, ['woke']);
        assert.deepEqual(payloads(await reading), ['woke']);
      });

      it('pending counts delivered, unacknowledged entries; ack returns how many were pending', async () => {
        const b = await bus();
        const s = fresh('pending');
        await b.ensureGroup(s, 'g', '0');
        await b.publish(s, ['a', 'b', 'c']);
        assert.equal(await b.pending(s, 'g'), 0, 'published but not delivered is not pending');
        const got = await b.readGroup(s, 'g', 'c', { count: 10 });
        assert.equal(await b.pending(s, 'g'), 3);
        assert.equal(await b.ack(s, 'g', [got[0]!.id, got[1]!.id]), 2);
        assert.equal(await b.pending(s, 'g'), 1);
        assert.equal(await b.ack(s, 'g', [got[0]!.id, got[2]!.id]), 1, 'an acked id counts once');
        assert.equal(await b.pending(s, 'g'), 0);
        assert.equal(await b.ack(s, 'g', []), 0);
      });

      it('a group that was never created: group reads, pending and claims reject, ack returns 0', async () => {
        const b = await bus();
        const s = fresh('nogroup');
        await b.publish(s, ['a']);
        await assert.rejects(b.readGroup(s, 'nope', 'c', { count: 1 }), /NOGROUP/);
        await assert.rejects(b.pending(s, 'nope'), /NOGROUP/);
        await assert.rejects(b.claimStale(s, 'nope', 'c', 0, 10), /NOGROUP/);
        assert.equal(await b.ack(s, 'nope', ['1-0']), 0);
      });
    });

    describe('claiming stale entries', () => {
      it("after a consumer crashes, another claims its unacked entries but not the acked ones", async () => {
        const b = await bus();
        const s = fresh('crash');
        await b.ensureGroup(s, 'g', '0');
        await b.publish(s, ['a', 'b', 'c', 'd', 'e']);
        const byA = await b.readGroup(s, 'g', 'A', { count: 10 });
        await b.ack(s, 'g', [byA[0]!.id, byA[3]!.id]);
        assert.deepEqual(await b.claimStale(s, 'g', 'B', 60, 10), [], 'not idle long enough yet');
        await sleep(80);
        const claimed = await b.claimStale(s, 'g', 'B', 60, 10);
        assert.deepEqual(payloads(claimed), ['b', 'c', 'e']);
        assert.equal(await b.pending(s, 'g'), 3, 'claimed entries stay pending until acked');
        assert.deepEqual(await b.claimStale(s, 'g', 'C', 60, 10), [], 'a claim resets the idle time');
        assert.equal(await b.ack(s, 'g', claimed.map((m) => m.id)), 3);
        assert.equal(await b.pending(s, 'g'), 0);
      });

      it('claimStale returns at most count entries, oldest first', async () => {
        const b = await bus();
        const s = fresh('count');
        await b.ensureGroup(s, 'g', '0');
        await b.publish(s, ['a', 'b', 'c', 'd']);
        await b.readGroup(s, 'g', 'A', { count: 10 });
        assert.deepEqual(payloads(await b.claimStale(s, 'g', 'B', 0, 2)), ['a', 'b']);
      });

      it('entries trimmed away while pending are dropped by claimStale, not returned', async () => {
        const b = await bus();
        const s = fresh('trimmed');
        await b.ensureGroup(s, 'g', '0');
        await b.publish(s, ['lost1', 'lost2']);
        await b.readGroup(s, 'g', 'A', { count: 10 });
        for (let i = 0; i < 4; i++) {
          await b.publish(s, Array.from({ length: CONTRACT_MAX_LEN }, () => 'filler'));
        }
        const first = await b.read(s, '0-0', { count: 1 });
        assert.equal(first[0]?.payload, 'filler', 'the first entries should have been trimmed');
        assert.deepEqual(await b.claimStale(s, 'g', 'B', 0, 10), []);
        assert.equal(await b.pending(s, 'g'), 0);
      });
    });

    describe('health and shutdown', () => {
      it('ping resolves while the bus is up', async () => {
        await (await bus()).ping();
      });

      it('close ends a blocked read promptly with [], and later calls reject', async () => {
        const b = await own();
        const s = fresh('close');
        await b.ensureGroup(s, 'g', '$');
        const started = Date.now();
        const reading = b.read(s, '0-0', { count: 10, blockMs: 5000 });
        const groupReading = b.readGroup(s, 'g', 'c', { count: 10, blockMs: 5000 });
        await sleep(50);
        await b.close();
        assert.deepEqual(await reading, []);
        assert.deepEqual(await groupReading, []);
        assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
        await assert.rejects(b.publish(s, ['late']), /closed/);
        await assert.rejects(b.read(s, '0-0', { count: 1 }), /closed/);
        await b.close();
      });
    });
  });
}
