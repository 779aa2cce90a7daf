import { EcrError, abortError, isEcrError, type Transport } from '@ecrkit/core-types';
import { SimulatedFault } from './RegistryCall.js';
import type { SimulatedRegistry } from './SimulatedRegistry.js';

/** Options of {@link createSimulatedTransport}. */
export interface SimulatedTransportOptions {
  /** The caller's account (as if from its credentials). Default: the registry's default account. */
  accountId?: string;
}

let requestCounter = 0;

function requestId(): string {
  requestCounter = (requestCounter + 1) % 0xffffffff;
  return `00000000-0000-4000-8000-${requestCounter.toString(16).padStart(12, '0')}`;
}

/**
 * A core-types `Transport` that calls the registry in process. Inputs and outputs are deep
 * copies (`structuredClone`), so callers cannot reach into the registry's state. Injected faults
 * become the errors a network transport would raise: a dropped connection is kind `Network`,
 * a malformed, truncated or HTML answer kind `InvalidResponse`. An aborted signal rejects with
 * kind `Aborted`.
 *
 * @example
 * const transport = createSimulatedTransport(new SimulatedRegistry().withRepository('web-app'));
 * const { repositories } = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' });
 */
export function createSimulatedTransport(registry: SimulatedRegistry, options: SimulatedTransportOptions = {}): Transport {
  return {
    async send(request) {
      const { api, operation, region, signal } = request;
      const id = requestId();
      if (signal?.aborted) throw abortError(signal, operation);
      let input: unknown;
      try {
        input = structuredClone(request.input);
      } catch (cause) {
        throw new EcrError({
          kind: 'Serialization',
          awsCode: 'SerializationException',
          statusCode: 400,
          message: 'The request input could not be serialized',
          operation,
          region,
          cause,
        });
      }
      try {
        const output = await registry.execute({
          api,
          operation,
          input,
          region,
          face: 'in-process',
          ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
          ...(signal !== undefined ? { signal } : {}),
        });
        if (signal?.aborted) throw abortError(signal, operation);
        return structuredClone(output) as never;
      } catch (err) {
        if (err instanceof SimulatedFault) {
          const network = err.fault === 'drop-connection';
          throw new EcrError({
            kind: network ? 'Network' : 'InvalidResponse',
            message: network ? 'The connection was closed before a response was received' : `The response could not be read (${err.fault})`,
            operation,
            region,
            requestId: network ? undefined : id,
            ...(err.fault === 'html-502' ? { statusCode: 502 } : {}),
            cause: err,
          });
        }
        if (isEcrError(err)) throw err.withContext({ operation, region, requestId: id });
        throw new EcrError({ kind: 'Unknown', message: 'The simulated registry failed unexpectedly', operation, region, requestId: id, cause: err });
      }
    },
    destroy: () => Promise.resolve(),
  };
}
