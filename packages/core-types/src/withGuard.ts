import { abortError } from './Clock.js';
import { EcrError, invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';
import type { Transport, TransportDecorator, TransportRequest } from './Transport.js';
import { type Api, type OperationName, type OutputOf, operationSpec } from './wire/operations.js';

/** Options of {@link withGuard}: the one slice of the config it reads. */
export interface GuardOptions {
  /** Refuse operations that change the registry (kind `ReadOnly`); an `EcrConfig` fits. Default false. */
  readOnly?: boolean;
}

/**
 * The first step of every pipeline, and the only one that decides whether a call may start:
 * a known operation of a known API (kind `UnknownOperation`), no write through a read-only
 * config (`ReadOnly`), a pipeline not yet destroyed (`Aborted`), a signal not yet aborted
 * (`Aborted`). Each is decided once per call, here, from one operation-table lookup; nothing
 * behind the guard checks them again. A request that is not an object is `InvalidParameter`.
 *
 * `destroy()` refuses every later call and destroys the transport below.
 *
 * @example
 * const pipeline = compose(createSigV4Transport(config), withRetry(), withGuard(config));
 */
export function withGuard(options: GuardOptions = {}): TransportDecorator {
  const readOnly = readOptions(options, ['readOnly']).readOnly === true;
  return (next) => {
    let destroyed = false;
    function send<O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>): Promise<OutputOf<O, A>> {
      const refusal = refusalOf(request, readOnly, destroyed);
      if (refusal !== undefined) return Promise.reject(refusal);
      try {
        return next.send(request);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return {
      send,
      destroy() {
        destroyed = true;
        return next.destroy?.() ?? Promise.resolve();
      },
    } satisfies Transport;
  };
}

/** Why a call may not start, or `undefined` when it may. */
function refusalOf(request: unknown, readOnly: boolean, destroyed: boolean): EcrError | undefined {
  if (typeof request !== 'object' || request === null) return invalidParameter('request', 'must be an object with api, operation, input and region');
  let api: unknown;
  let operation: unknown;
  let region: string | undefined;
  let signal: AbortSignal | undefined;
  try {
    ({ api, operation, signal } = request as TransportRequest);
    const named = (request as TransportRequest).region;
    region = typeof named === 'string' ? named : undefined;
    if (signal !== undefined && !isAbortSignal(signal)) return invalidParameter('signal', 'must be an AbortSignal');
  } catch {
    return invalidParameter('request', 'could not be read');
  }
  const spec = operationSpec(api as Api, operation as string);
  if (spec === undefined) {
    const named = typeof operation === 'string' ? operation.slice(0, 64) : typeof operation;
    return new EcrError({
      kind: 'UnknownOperation',
      message: `${typeof api === 'string' ? api.slice(0, 16) : describeValue(api)} has no operation ${named}`,
      operation: named,
      region,
    });
  }
  if (readOnly && spec.mutating) {
    return new EcrError({
      kind: 'ReadOnly',
      message: `${operation as string} changes the registry and the client is read-only`,
      operation: operation as string,
      region,
    });
  }
  if (destroyed)
    return new EcrError({ kind: 'Aborted', message: `${operation as string} was not sent: the client was destroyed`, operation: operation as string, region });
  if (signal?.aborted) return abortError(signal, operation as string).withContext({ region });
  return undefined;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof AbortSignal === 'function' ? value instanceof AbortSignal : typeof value === 'object' && value !== null && 'aborted' in value;
}
