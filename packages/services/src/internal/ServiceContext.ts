import { EcrError, abortError, isEcrError, operationSpec } from '@ecrkit/core-types';
import type { Clock, EcrConfig, RandomSource, Transport, VectorMemory } from '@ecrkit/core-types';
import type { MetadataCache } from '../MetadataCache.js';
import type { TokenCache } from '../TokenCache.js';
import type { TokenCacheEntry } from '../AuthService.js';
import type { PageSender } from '../Paginated.js';

/** Fetches a blob from a pre-signed download URL. */
export type FetchBlob = (url: string, options: { signal?: AbortSignal }) => Promise<Uint8Array>;

/** Optional callbacks for cache behaviour; never handed a secret. */
export interface ClientTelemetry {
  /** Called for every token lookup: `true` when served from the cache or a fetch in flight. */
  onTokenCache?(hit: boolean): void;
  /** Called whenever a GetAuthorizationToken request is about to be sent. */
  onTokenRefresh?(): void;
  /** Called when the optional vector memory rejects a store; the listing itself carries on. */
  onVectorMemoryError?(error: unknown): void;
}

/** What every service of one client shares. Internal: built by `createClient`. */
export interface ServiceContext {
  readonly config: EcrConfig;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly region: string;
  readonly metadataCache: MetadataCache | undefined;
  readonly vectorMemory: VectorMemory | undefined;
  readonly fetchBlob: FetchBlob;
  readonly tokenCache: TokenCache<TokenCacheEntry>;
  readonly telemetry: ClientTelemetry;
  /** `{ registryId }` when the config names one, else `{}`: spread into inputs that take it. */
  readonly registryField: { registryId?: string };
  /** Send one request through the transport. */
  readonly send: PageSender;
}

/** ECR Public is a us-east-1 service wherever the client lives. */
export const publicRegion = 'us-east-1';

/** Refuse a write on a read-only config (before anything is sent). */
export function assertWritable(config: EcrConfig, operation: string): void {
  if (config.readOnly) {
    throw new EcrError({ kind: 'ReadOnly', operation, message: `${operation} writes to the registry and the client is configured read-only` });
  }
}

/**
 * The single place requests leave the services: refuses writes on a read-only config before
 * anything is sent, drops cached tokens on credential errors, and makes sure only `EcrError`
 * escapes even from a transport that breaks the port's contract.
 */
export function createSender(options: { config: EcrConfig; transport: Transport; region: string; onCredentialError: () => void }): PageSender {
  const { config, transport, region, onCredentialError } = options;
  return async (api, operation, input, signal) => {
    const spec = operationSpec(api, operation);
    if (!spec) {
      throw new EcrError({ kind: 'UnknownOperation', operation, message: `Unknown ${api} operation ${operation}` });
    }
    if (spec.mutating) assertWritable(config, operation);
    if (signal?.aborted) throw abortError(signal, operation);
    const callRegion = api === 'ecr-public' ? publicRegion : region;
    try {
      return await transport.send({ api, operation, input, region: callRegion, signal });
    } catch (err) {
      if (isEcrError(err)) {
        if (err.category === 'credential') onCredentialError();
        throw err;
      }
      if (signal?.aborted) throw abortError(signal, operation);
      throw new EcrError({
        kind: 'Unknown',
        operation,
        region: callRegion,
        message: `${operation} failed with a non-EcrError from the transport`,
        cause: err,
      });
    }
  };
}
