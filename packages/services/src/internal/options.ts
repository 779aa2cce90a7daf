import { invalidParameter, readOptions } from '@ecrkit/core-types';
import type { CallOptions, Clock, WaitOptions } from '@ecrkit/core-types';

/** An `AbortSignal`, or `undefined`; anything else is `InvalidParameter` (field `signal`). */
export function signalOf(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (value instanceof AbortSignal) return value;
  throw invalidParameter('signal', 'must be an AbortSignal');
}

/** The one `CallOptions` every public async method takes, read and checked. */
export function callOptions(options: unknown): CallOptions {
  const { signal } = readOptions(options, ['signal']);
  return { signal: signalOf(signal) };
}

/** A non-negative finite number of milliseconds, or `undefined`; anything else is `InvalidParameter` naming `field`. */
export function optionalMs(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidParameter(field, 'must be a non-negative number of milliseconds');
  return value;
}

/** A function, or `undefined`; anything else is `InvalidParameter` naming `field`. */
export function optionalFunction<F extends (...args: never[]) => unknown>(value: unknown, field: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalidParameter(field, 'must be a function');
  return value as F;
}

/** Waiter options (core-types `WaitOptions`, the one shape every waiter takes), read and checked. */
export function waitOptions<P>(options: unknown, extra: readonly string[] = []): WaitOptions<P> & Record<string, unknown> {
  const read = readOptions(options, ['timeoutMs', 'pollIntervalMs', 'maxPollIntervalMs', 'signal', 'onProgress', 'clock', ...extra]);
  const out: WaitOptions<P> & Record<string, unknown> = { ...read };
  out.signal = signalOf(read.signal);
  out.timeoutMs = optionalMs(read.timeoutMs, 'timeoutMs');
  out.pollIntervalMs = optionalMs(read.pollIntervalMs, 'pollIntervalMs');
  out.maxPollIntervalMs = optionalMs(read.maxPollIntervalMs, 'maxPollIntervalMs');
  out.onProgress = optionalFunction<(progress: P) => void>(read.onProgress, 'onProgress');
  const clock = read.clock as Partial<Clock> | undefined;
  if (clock !== undefined && (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function' || typeof clock.sleep !== 'function')) {
    throw invalidParameter('clock', 'must be a Clock with now() and sleep()');
  }
  for (const key of Object.keys(out) as (keyof typeof out)[]) if (out[key] === undefined) delete out[key];
  return out;
}
