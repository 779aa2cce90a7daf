import type { EcrError, Transport } from '@ecrkit/core-types';

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
