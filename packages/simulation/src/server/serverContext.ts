import type { Api, Clock } from '@ecrkit/core-types';
import type { BlobStore } from '../blobs/BlobStore.js';
import type { RegistryCall } from '../RegistryCall.js';
import type { BlobLocation } from '../SimulatedRegistry.js';
import type { SigningKeyCache, SigV4Credential } from './verifySigV4.js';

/**
 * What the server needs of a registry. `SimulatedRegistry` has all of it; the optional members
 * are read when present (its clock for SigV4 date checks, its default region and account).
 */
export interface ServedRegistry {
  execute(call: RegistryCall): Promise<unknown>;
  readBlob(location: BlobLocation): Uint8Array | undefined;
  reset(): void;
  readonly clock?: Clock;
  readonly region?: string;
  readonly accountId?: string;
  /** With these two, the server also serves the registry's OCI Distribution API under `/v2/`. */
  readonly blobStore?: BlobStore;
  authorizationTokenBinding?(token: string): { accountId: string; region: string; expiresAt: Date } | undefined;
}

/** Everything the built-in routes share, settled once per server. */
export interface ServerContext {
  readonly registry: ServedRegistry;
  readonly clock: Clock;
  /** Whether requests that change or reveal state must be signed. */
  readonly verify: boolean;
  readonly credentials: ReadonlyMap<string, SigV4Credential>;
  /** Built once: the verifier's lookup into `credentials`. */
  readonly credentialFor: (accessKeyId: string) => SigV4Credential | undefined;
  readonly keyCache: SigningKeyCache;
  readonly defaultRegion: string;
  readonly onMutation: ((event: { api: Api | 'moto-api'; operation: string }) => void) | undefined;
  /** A key only this server knows: it presigns blob download URLs. */
  readonly urlSigner: SigV4Credential;
  readonly downloadUrlTtlSeconds: number;
  /** The external origin; known once the server listens (the port may be picked then). */
  publicUrl: string;
}
