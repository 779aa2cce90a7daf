import { abortError } from './Clock.js';
import { EcrError } from './EcrError.js';
import type { TransportRequest } from './Transport.js';
import type { OperationSpec } from './wire/OperationSpec.js';
import { operationSpec, type Api, type OperationName } from './wire/operations.js';

/**
 * The checks every transport makes before sending anything, in one place: a known operation,
 * no write through a read-only config, a live transport, a signal not yet aborted.
 * Returns the operation's table row.
 *
 * @throws EcrError kind `UnknownOperation`, `ReadOnly`, `Network` (destroyed) or `Aborted`.
 */
export function preflight(request: TransportRequest<OperationName, Api>, state: { readOnly: boolean; destroyed: boolean }): OperationSpec {
  const { api, operation, region, signal } = request;
  const spec = operationSpec(api, operation);
  if (spec === undefined) {
    throw new EcrError({ kind: 'UnknownOperation', message: `${api} has no operation ${String(operation).slice(0, 64)}`, operation, region });
  }
  if (state.readOnly && spec.mutating) {
    throw new EcrError({ kind: 'ReadOnly', message: `${operation} changes the registry and the client is read-only`, operation, region });
  }
  if (state.destroyed) throw new EcrError({ kind: 'Network', message: `${operation} was not sent: the transport is destroyed`, operation, region });
  if (signal?.aborted) throw abortError(signal, operation).withContext({ region });
  return spec;
}
