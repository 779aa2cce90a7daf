import { invalidParameter } from '@ecrkit/core-types';
import type { CallOptions, Clock, WaitOptions } from '@ecrkit/core-types';

/**
 * A method's trailing options object, read once into a plain record of the fields asked for:
 * `undefined` is `{}`; `null`, a string or any other non-object is `InvalidParameter` naming
 * `name`; a getter that throws is `InvalidParameter` naming its field. Reading once also means a
 * getter cannot answer differently the second time.
 */
export function readOptions<K extends string>(options: unknown, fields: readonly K[], name = 'options'): Partial<Record<K, unknown>> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalidParameter(name, 'must be an object');
  const out: Partial<Record<K, unknown>> = {};
  for (const field of fields) {
    let value: unknown;
    try {
      value = (options as Record<string, unknown>)[field];
    } catch {
      throw invalidParameter(field, 'could not be read');
    }
    if (value !== undefined) out[field] = value;
  }
  return out;
}

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
