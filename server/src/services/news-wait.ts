// How the idle correlation loop waits: a blocking read of the bus "logs" stream says a new
// event was stored (the loop then reads it from the store), a short sleep stands in for it
// while the bus is down, and wake() (a rule or list change) ends either wait at once.
import type { Bus } from '../bus/bus.ts';
import { STREAMS } from '../bus/bus.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createNewsWait(bus: Bus, idleMs: number) {
  let wake: (() => void) | null = null;
  // A wake-up that came while nobody waited (the loop was reading the store) ends the next wait.
  let woke = false;
  return {
    /** The newest position of the stream (taken before reading the store), null while the bus is down. */
    async position(): Promise<string | null> {
      if (!bus.isConnected()) return null;
      return bus.lastId(STREAMS.logs).catch(() => null);
    },

    /** Waits until an event is announced after `position`, idleMs passes, or wake() is called. */
    async wait(position: string | null): Promise<void> {
      if (woke) {
        woke = false;
        return;
      }
      const woken = new Promise<'woken'>((resolve) => (wake = () => resolve('woken')));
      try {
        if (position !== null && bus.isConnected()) {
          // A woken wait leaves the blocked read to finish on its own (within idleMs).
          const read = bus.read(STREAMS.logs, position, { count: 1, blockMs: idleMs }).then(() => 'news' as const, () => 'failed' as const);
          if ((await Promise.race([read, woken])) !== 'failed') return; // else poll
        }
        await Promise.race([sleep(Math.min(idleMs, 250)), woken]);
      } finally {
        wake = null;
        woke = false;
      }
    },

    wake(): void {
      woke = true;
      wake?.();
    },
  };
}
