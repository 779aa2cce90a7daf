import type { ClientConfig, Clock, RandomSource, VectorMemory } from '@ecrkit/core-types';
import type { MetadataCache } from '../MetadataCache.js';
import type { TokenCache } from '../TokenCache.js';
import type { TokenCacheEntry } from '../AuthService.js';
import type { PageSender } from '../Paginated.js';
import type { ServiceTelemetry } from './ServiceTelemetry.js';

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
  /** The client's slice of the config: region, registry id, token refresh buffer, read-only. */
  readonly config: ClientConfig;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly region: string;
  readonly metadataCache: MetadataCache | undefined;
  readonly vectorMemory: VectorMemory | undefined;
  readonly fetchBlob: FetchBlob;
  readonly tokenCache: TokenCache<TokenCacheEntry>;
  readonly telemetry: ClientTelemetry;
  /** Business metrics and structured logs. */
  readonly observe: ServiceTelemetry;
  /** `{ registryId }` when the config names one, else `{}`: spread into inputs that take it. */
  readonly registryField: { registryId?: string };
  /** Send one request through the client's pipeline (guard, hooks, the transport). */
  readonly send: PageSender;
}

/** ECR Public is a us-east-1 service wherever the client lives. */
export const publicRegion = 'us-east-1';
