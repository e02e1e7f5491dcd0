// Handing a batch of framed lines to the intake. Stream inputs never drop what they have read:
// a full write queue (503) means wait for room and retry the same batch. Only a stop that
// outlasts its grace period, or an error that is not the queue's, gives a batch up (counted).
import type { Logger } from 'pino';
import type { Intake, IntakeContext } from '../../services/intake-types.ts';

export interface DeliverOptions {
  intake: Intake;
  log: Logger;
  /** Set once the input stops: retries end at this time (ms, performance.now()). */
  deadline(): number | null;
}

const isUnavailable = (err: unknown) => (err as { status?: unknown } | null)?.status === 503;

/** Resolves true once stored, false when the batch was given up (the caller counts it). */
export async function deliver(opts: DeliverOptions, lines: string[], ctx: IntakeContext): Promise<boolean> {
  for (;;) {
    // A batch refused by a full queue has been parsed for nothing: ask first, it is cheap.
    if (!opts.intake.hasRoom()) {
      const deadline = opts.deadline();
      if (deadline !== null && performance.now() >= deadline) return false;
      await waitForRoomUntil(opts, deadline);
      continue;
    }
    try {
      await opts.intake.lines(lines, ctx);
      return true;
    } catch (err) {
      if (!isUnavailable(err)) {
        opts.log.error({ err, input: ctx.input, lines: lines.length }, 'syslog batch refused by the intake');
        return false;
      }
      const deadline = opts.deadline();
      if (deadline !== null && performance.now() >= deadline) return false;
      await waitForRoomUntil(opts, deadline);
    }
  }
}

/** waitForRoom, but never past the stop deadline; also pauses a little so a dead store is not hammered. */
async function waitForRoomUntil(opts: DeliverOptions, deadline: number | null): Promise<void> {
  const pause = new Promise<void>((resolve) => setTimeout(resolve, 50).unref());
  const room = opts.intake.waitForRoom();
  if (deadline === null) {
    await Promise.all([room, pause]);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
    timer.unref();
  });
  await Promise.race([Promise.all([room, pause]), cut]);
  clearTimeout(timer);
}
