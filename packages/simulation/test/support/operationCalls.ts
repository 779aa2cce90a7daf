import { ManualClock, type EcrError, type Transport } from '@ecrkit/core-types';
import { createSimulatedTransport } from '../../src/createSimulatedTransport.js';
import { SimulatedRegistry } from '../../src/SimulatedRegistry.js';

// Shared by the operation tests: call a transport by operation name, or get the error a call fails with.

/** A decoded output, read loosely by the tests. */
export type Output = Record<string, any>;

/** `send(operation, input, region?)` through `transport` for one API. */
export function sender(transport: Transport, api: 'ecr' | 'ecr-public' = 'ecr', defaultRegion = 'us-east-1') {
  return (operation: string, input: unknown, region = defaultRegion): Promise<Output> =>
    transport.send({ api, operation, input, region } as never) as Promise<Output>;
}

/** Wrap `send` so it resolves with the error the call rejects with, and throws if it succeeds. */
export function failing<A extends unknown[]>(send: (operation: string, ...rest: A) => Promise<unknown>) {
  return async (operation: string, ...rest: A): Promise<EcrError> => {
    try {
      await send(operation, ...rest);
    } catch (err) {
      return err as EcrError;
    }
    throw new Error(`${operation} did not fail`);
  };
}

/** A registry on a manual clock (default 2026-01-01) with `send` and `fail` through its in-process transport. */
export function operationSetup(options: { api?: 'ecr' | 'ecr-public'; now?: number } = {}) {
  const clock = new ManualClock(options.now ?? Date.UTC(2026, 0, 1));
  const registry = new SimulatedRegistry({ clock });
  const send = sender(createSimulatedTransport(registry), options.api);
  return { clock, registry, send, fail: failing(send) };
}
