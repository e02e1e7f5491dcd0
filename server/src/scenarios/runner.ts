// Playback of one run: wait each event's delay (divided by the speed, jittered by up to
// +/-20 %), then emit it. Waits are interruptible: stop ends the run at once and nothing is
// emitted after it; pause freezes the countdown of the current delay and resumes it later.
// Time and randomness come in as functions so tests can drive them.

export type PlaybackState = 'running' | 'paused' | 'stopped';

export interface PlaybackEvent {
  delay_seconds: number;
  fields: Record<string, unknown>;
}

export interface PlaybackDeps {
  /** Sends one event through the ingest pipeline. */
  emit(fields: Record<string, unknown>, index: number): Promise<void>;
  /** Called after each emitted event with the number emitted so far. */
  progress(emitted: number): Promise<void>;
  clock?: () => number;
  random?: () => number;
}

export interface Playback {
  /** Resolves 'completed' after the last event, 'stopped' when stopped; rejects on an emit failure. */
  run(): Promise<'completed' | 'stopped'>;
  pause(): void;
  resume(): void;
  stop(): void;
  setSpeed(speed: number): void;
  state(): PlaybackState;
}

/** The pause before an event: delay / speed, jittered uniformly within +/-20 %, never negative. */
export function effectiveDelayMs(delaySeconds: number, speed: number, random: () => number): number {
  const base = (delaySeconds * 1000) / speed;
  return Math.max(0, base * (0.8 + 0.4 * random()));
}

export function createPlayback(events: PlaybackEvent[], initialSpeed: number, deps: PlaybackDeps): Playback {
  const clock = deps.clock ?? Date.now;
  const random = deps.random ?? Math.random;
  let state: PlaybackState = 'running';
  let speed = initialSpeed;
  let wake: (() => void) | null = null;

  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  /** Sleeps up to `ms`, returning early on any control change. */
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Waits `ms` of running time; false when stopped meanwhile. */
  async function wait(ms: number): Promise<boolean> {
    let remaining = ms;
    while (true) {
      if (state === 'stopped') return false;
      if (state === 'paused') {
        await nap(60_000);
        continue;
      }
      if (remaining <= 0) return true;
      const started = clock();
      await nap(remaining);
      remaining -= clock() - started;
    }
  }

  return {
    async run() {
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        if (!(await wait(effectiveDelayMs(event.delay_seconds, speed, random)))) return 'stopped';
        await deps.emit(event.fields, i);
        await deps.progress(i + 1);
      }
      return state === 'stopped' ? 'stopped' : 'completed';
    },
    pause() {
      if (state === 'running') state = 'paused';
      signal();
    },
    resume() {
      if (state === 'paused') state = 'running';
      signal();
    },
    stop() {
      state = 'stopped';
      signal();
    },
    setSpeed(value: number) {
      speed = value;
    },
    state: () => state,
  };
}
