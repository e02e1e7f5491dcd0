// The bus contract against Redis Streams (REDIS_URL), under a per-run key prefix that is
// deleted afterwards; plus what only a networked bus can get wrong: an unreachable server.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createRedisBus } from '../../src/bus/redis-bus.ts';
import { REDIS_URL, skipWithoutRedis, uniqueName } from '../helpers/env.ts';
import { busContract, CONTRACT_MAX_LEN } from './bus-contract.ts';

const prefix = `${uniqueName('bustest')}:`;

busContract('redis', () => createRedisBus(REDIS_URL!, { maxLen: CONTRACT_MAX_LEN, prefix }), skipWithoutRedis);

describe('redis bus', { skip: skipWithoutRedis }, () => {
  after(async () => {
    await deleteKeys(REDIS_URL!, prefix);
  });

  it('ping rejects within 3 s when nothing listens at the URL', async () => {
    const bus = await createRedisBus('redis://127.0.0.1:1', { maxLen: CONTRACT_MAX_LEN, prefix });
    try {
      const started = Date.now();
      await assert.rejects(bus.ping(), /unreachable/);
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    } finally {
      await bus.close();
    }
  });

  it('a blocking read whose connection is killed rejects at once instead of hanging', async () => {
    const bus = await createRedisBus(REDIS_URL!, { maxLen: CONTRACT_MAX_LEN, prefix });
    const admin = new Redis(REDIS_URL!);
    try {
      const started = Date.now();
      // Settled at once: the rejection may come before the kill command's own answer.
      const reading = bus.read('killed', '0-0', { count: 1, blockMs: 5000 }).then(
        () => assert.fail('the read should have failed'),
        (err: unknown) => err as Error,
      );
      await waitFor(async () => killClient(admin, `${prefix}bus-blocking`));
      assert.match((await reading).message, /connection lost/);
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      const [id] = await bus.publish('killed', ['after']);
      assert.deepEqual(await bus.read('killed', '0-0', { count: 1, blockMs: 1000 }), [{ id, payload: 'after' }]);
    } finally {
      admin.disconnect();
      await bus.close();
    }
  });

  it('an event-loop stall longer than the read deadline is not taken for a dead Redis', async () => {
    const bus = await createRedisBus(REDIS_URL!, { maxLen: CONTRACT_MAX_LEN, prefix });
    try {
      const reading = bus.read('stalled', '$', { count: 1, blockMs: 100 });
      // Redis answers (nil) after 100 ms, but this process is busy for 2 s: past the
      // 100 ms + 1 s deadline before the reply can be read.
      await new Promise((r) => setTimeout(r, 20));
      const until = Date.now() + 2000;
      while (Date.now() < until) {
        // busy
      }
      assert.deepEqual(await reading, []);
      assert.equal(bus.isConnected(), true);
    } finally {
      await bus.close();
    }
  });

  it('keys are the prefix plus the stream name', async () => {
    const bus = await createRedisBus(REDIS_URL!, { maxLen: CONTRACT_MAX_LEN, prefix });
    const redis = new Redis(REDIS_URL!);
    try {
      const [id] = await bus.publish('prefixed', ['x']);
      const entries = await redis.xrange(`${prefix}prefixed`, '-', '+');
      assert.deepEqual(entries, [[id, ['p', 'x']]]);
    } finally {
      redis.disconnect();
      await bus.close();
    }
  });
});

async function deleteKeys(url: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Kills the connection named `name`; false while it does not exist yet. */
async function killClient(admin: Redis, name: string): Promise<boolean> {
  const list = String(await admin.client('LIST'));
  const id = list.split('\n').find((line) => line.includes(` name=${name} `))?.match(/^id=(\d+)/)?.[1];
  if (!id) return false;
  await admin.client('KILL', 'ID', id);
  return true;
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail('condition never met');
}
