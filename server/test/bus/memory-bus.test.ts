// The bus contract against the in-process implementation (always runs), plus what only
// the memory bus controls itself: ids under a clock that goes backwards.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareIds } from '../../src/bus/bus.ts';
import { createMemoryBus } from '../../src/bus/memory-bus.ts';
import { busContract, CONTRACT_MAX_LEN } from './bus-contract.ts';

busContract('memory', async () => createMemoryBus({ maxLen: CONTRACT_MAX_LEN }), false);

describe('memory bus', () => {
  it('ids keep increasing when the clock goes backwards', async (t) => {
    const bus = createMemoryBus({ maxLen: CONTRACT_MAX_LEN });
    const clock = [5000, 5000, 4000, 6000];
    t.mock.method(Date, 'now', () => clock.shift() ?? 6000);
    try {
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push(...(await bus.publish('s', [`m${i}`])));
      assert.deepEqual(ids, ['5000-0', '5000-1', '5000-2', '6000-0']);
      assert.equal(compareIds(ids[2]!, ids[3]!), -1);
    } finally {
      await bus.close();
    }
  });
});
