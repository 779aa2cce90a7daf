import { systemClock } from '@ecrkit/core-types';
import type { Clock } from '@ecrkit/core-types';

let now: number | undefined;
const forget = () => {
  now = undefined;
};

/**
 * The system clock, read at most once per synchronous turn: the default clock of every layer.
 * One call passes through breaker, rate limiter and timeout in one turn, and each wants the time;
 * on the shared CI machine a clock read costs 100–200 ns (a system call), so three reads cost
 * more than the microtask that forgets the cached value. Within one turn time does not move
 * (as on a manual clock); across an `await` it is read afresh.
 */
export const turnClock: Clock = {
  now() {
    if (now === undefined) {
      now = systemClock.now();
      queueMicrotask(forget);
    }
    return now;
  },
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
};

/** Whether `clock` runs on real time, so timers can be plain `setTimeout`s. */
export function isRealTime(clock: Clock): boolean {
  return clock === systemClock || clock === turnClock;
}
