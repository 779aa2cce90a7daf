import { EcrError, invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import type { TransportRequest } from './Transport.js';
import type { Api, OperationName } from './wire/operations.js';

/**
 * A transport request read once and checked for shape: an object whose `api` is `ecr` or
 * `ecr-public` (else `UnknownOperation`), whose `operation` and `region` are strings and whose
 * `signal`, if any, is an `AbortSignal` (else `InvalidParameter` naming the field). Whether the
 * operation exists is the caller's lookup. Transports call it first, so a request sent to them
 * directly, past the guard, fails as an `EcrError` too.
 *
 * @example const { api, operation, region } = readTransportRequest(request);
 */
export function readTransportRequest(request: unknown): TransportRequest<OperationName, Api> {
  if (typeof request !== 'object' || request === null) throw invalidParameter('request', 'must be an object with api, operation, input and region');
  let api: unknown;
  let operation: unknown;
  let region: unknown;
  let input: unknown;
  let signal: unknown;
  try {
    ({ api, operation, region, input, signal } = request as Record<string, unknown>);
  } catch {
    throw invalidParameter('request', 'could not be read');
  }
  if (typeof operation !== 'string') throw invalidParameter('operation', `must be an operation name, got ${describeValue(operation)}`);
  if (api !== 'ecr' && api !== 'ecr-public') {
    throw new EcrError({
      kind: 'UnknownOperation',
      message: `${describeValue(api)} is not an API: use 'ecr' or 'ecr-public'`,
      operation: operation.slice(0, 64),
    });
  }
  if (typeof region !== 'string') throw invalidParameter('region', `must be a region name, got ${describeValue(region)}`);
  if (signal !== undefined && !(typeof AbortSignal === 'function' && signal instanceof AbortSignal)) throw invalidParameter('signal', 'must be an AbortSignal');
  return { api, operation: operation as OperationName, region, input: input as never, ...(signal !== undefined ? { signal: signal as AbortSignal } : {}) };
}
