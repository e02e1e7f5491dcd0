// The idle correlation loop's wait: a new event on the bus ends it, and so does a rule
// change, also one that came while the loop was not waiting yet (it was reading the store).
// The waits here are an hour long: each test only finishes if the wait was ended early.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STREAMS } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { createNewsWait } from '../../src/services/news-wait.ts';

const HOUR = 3_600_000;

describe('waiting for news', () => {
  it('ends on an event published after the position, on wake(), and at once after an earlier wake()', async () => {
    const bus = createMemoryBus({ maxLen: 100 });
    try {
      const news = createNewsWait(bus, HOUR);
      const position = await news.position();
      assert.equal(typeof position, 'string');
      const waiting = news.wait(position);
      await bus.publish(STREAMS.logs, ['an event id']);
      await waiting;

      const again = news.wait(await news.position());
      news.wake();
      await again;

      news.wake(); // while the loop reads the store: nobody waits yet
      await news.wait(await news.position());
    } finally {
      await bus.close();
    }
  });
});
