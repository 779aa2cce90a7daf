import type { Clock } from '@ecrkit/core-types';
import { isRealTime } from './turnClock.js';

/**
 * Call `onFire` after `ms` on `clock`; returns a cancel function. On the system clock this is a
 * bare `setTimeout`: cancelling through `Clock.sleep`'s signal would build an abort error (two
 * stack traces) on every call that finishes in time, which is most of them. `unref` lets the
 * process exit while only this timer is pending (where timers have `unref`).
 */
export function startTimer(clock: Clock, ms: number, onFire: () => void, options: { unref?: boolean } = {}): () => void {
  if (isRealTime(clock)) {
    const handle = setTimeout(onFire, ms) as unknown as { unref?: () => void };
    if (options.unref) handle.unref?.();
    return () => clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  }
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(onFire, () => undefined);
  return () => cancel.abort();
}

interface NodeEvents {
  setMaxListeners?: (n: number, ...targets: EventTarget[]) => void;
}

/**
 * Lift Node's listener warning for a signal shared by many concurrent calls (each transport call
 * may listen on it). Reached through `process.getBuiltinModule` so that nothing here imports a
 * Node module; elsewhere this does nothing.
 */
export function allowManyListeners(signal: AbortSignal): void {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  (getBuiltin?.('node:events') as NodeEvents | undefined)?.setMaxListeners?.(0, signal);
}
