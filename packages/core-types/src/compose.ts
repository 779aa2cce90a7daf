import { invalidParameter } from './EcrError.js';
import type { Transport, TransportDecorator } from './Transport.js';

/**
 * A transport wrapped in decorators, listed from the inside out: each decorator wraps
 * everything before it, so the last one listed runs first (as in undici's `compose`). This is
 * the one way ecrkit assembles a pipeline; `resilient()` and the default client are calls to it.
 *
 * @throws EcrError kind `InvalidParameter` when `transport` has no `send`, or a decorator is not
 * a function or returns no transport.
 * @example
 * // The guard runs first, then retry, then the timeout, then the transport.
 * const pipeline = compose(transport, withTimeout({ timeoutMs: 5_000 }), withRetry(), withGuard({ readOnly: true }));
 */
export function compose(transport: Transport, ...decorators: TransportDecorator[]): Transport {
  if (!isTransport(transport)) throw invalidParameter('transport', 'must be a Transport (an object with a send method)');
  let stack = transport;
  for (const [i, decorate] of decorators.entries()) {
    if (typeof decorate !== 'function') throw invalidParameter(`decorators[${i}]`, 'must be a function from Transport to Transport');
    const next = decorate(stack);
    if (!isTransport(next)) throw invalidParameter(`decorators[${i}]`, 'returned something that is not a Transport');
    stack = next;
  }
  return stack;
}

/** Whether `value` has the port's `send` method. */
export function isTransport(value: unknown): value is Transport {
  try {
    return typeof value === 'object' && value !== null && typeof (value as { send?: unknown }).send === 'function';
  } catch {
    return false;
  }
}
