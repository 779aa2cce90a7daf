import { EcrError } from '@ecrkit/core-types';
import type { EcrErrorOptions, ErrorKind, Transport, TransportDecorator } from '@ecrkit/core-types';
import type { RequestLike } from '../src/RequestLike.js';

/** A request as a scripted transport saw it. */
export interface SeenCall {
  request: RequestLike;
  /** The signal the transport received (a child of the caller's, for decorators that add one). */
  signal: AbortSignal | undefined;
}

/** A transport whose answers come from `handler` (call index from 0); records every call. */
export function scriptedTransport(handler: (request: RequestLike, index: number) => unknown): Transport & { calls: SeenCall[]; destroyed: number } {
  const calls: SeenCall[] = [];
  const transport = {
    calls,
    destroyed: 0,
    async send(request: RequestLike) {
      calls.push({ request, signal: request.signal });
      return handler(request, calls.length - 1);
    },
    async destroy() {
      transport.destroyed++;
    },
  };
  return transport as unknown as Transport & { calls: SeenCall[]; destroyed: number };
}

/** One call a {@link manualTransport} holds until the test settles it. */
export interface HeldCall {
  request: RequestLike;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A transport whose calls stay pending until the test resolves or rejects them; honours abort. */
export function manualTransport(): Transport & { held: HeldCall[]; started: number } {
  const held: HeldCall[] = [];
  const transport = {
    held,
    started: 0,
    send(request: RequestLike) {
      transport.started++;
      return new Promise((resolve, reject) => {
        held.push({ request, resolve, reject });
        request.signal?.addEventListener('abort', () => reject(new EcrError({ kind: 'Aborted', message: 'aborted' })), { once: true });
      });
    },
  };
  return transport as unknown as Transport & { held: HeldCall[]; started: number };
}

const statusOf: Partial<Record<ErrorKind, number>> = {
  Throttling: 400,
  ServiceUnavailable: 500,
  RepositoryNotFound: 400,
  ImageNotFound: 400,
  InvalidParameter: 400,
  AccessDenied: 400,
  ExpiredToken: 400,
  ImageAlreadyExists: 400,
  LimitExceeded: 400,
};

/** An `EcrError` of `kind` as a transport would raise it (with a plausible status code). */
export function ecrError(kind: ErrorKind, options: Partial<EcrErrorOptions> = {}): EcrError {
  return new EcrError({ kind, message: `${kind} (test)`, statusCode: statusOf[kind], ...options });
}

/** A typed request for tests. */
export function describeImages(repositoryName = 'web', region = 'us-east-1', signal?: AbortSignal) {
  return { api: 'ecr' as const, operation: 'DescribeImages' as const, region, input: { repositoryName }, signal };
}

/** `decorator(next)` with the decorator's handles (`breaker`, `limiter`, `metrics`) on the transport, for tests that read them. */
export function applied<D extends TransportDecorator>(next: Transport, decorator: D): Transport & { [K in keyof D]: D[K] } & { destroy(): Promise<void> } {
  const transport = decorator(next);
  return Object.assign({ destroy: () => Promise.resolve() }, transport, decorator) as Transport & { [K in keyof D]: D[K] } & { destroy(): Promise<void> };
}
