import type { Api } from '@ecrkit/core-types';

/**
 * What the decorators read of a request: any `TransportRequest<O, A>` fits. Used where a callback
 * or helper must accept requests of every operation (a generic `TransportRequest<O, A>` is not
 * assignable to `TransportRequest` with its defaults).
 */
export interface RequestLike {
  readonly api: Api;
  readonly operation: string;
  readonly region: string;
  readonly input: unknown;
  readonly signal?: AbortSignal | undefined;
}
