import { EcrError, scanStateOf, systemClock, validateRegion, validateRegistryId, validateRepositoryName } from '@ecrkit/core-types';
import type { Clock, EcrConfig, ImageDetail, RandomSource, Transport, VectorMemory } from '@ecrkit/core-types';
import { AuthService } from './AuthService.js';
import type { TokenCacheEntry } from './AuthService.js';
import { ImageService } from './ImageService.js';
import { ManifestService } from './ManifestService.js';
import { MetadataCache } from './MetadataCache.js';
import type { MetadataCacheOptions, MetadataCacheStats } from './MetadataCache.js';
import { PublicRegistryService } from './PublicRegistryService.js';
import { AccountSettingsService } from './AccountSettingsService.js';
import { CreationTemplateService } from './CreationTemplateService.js';
import { ImageSigningService } from './ImageSigningService.js';
import { ImageStorageService } from './ImageStorageService.js';
import { PullThroughCacheService } from './PullThroughCacheService.js';
import { ReferrersService } from './ReferrersService.js';
import { RegistryPolicyService } from './RegistryPolicyService.js';
import { ReplicationService } from './ReplicationService.js';
import { RepositoryService } from './RepositoryService.js';
import { ScanService, severities } from './ScanService.js';
import type { ScanFindings, ScanStatusResult, ScanThresholds, SeverityCounts } from './ScanService.js';
import { TokenCache } from './TokenCache.js';
import type { TokenCacheStats } from './TokenCache.js';
import { toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import { privateRegistryHost } from './internal/registryHost.js';
import { createSender } from './internal/ServiceContext.js';
import type { ClientTelemetry, FetchBlob, ServiceContext } from './internal/ServiceContext.js';

/** What `createClient` needs beside the config: the transport, and optional clock, caches and ports. */
export interface ClientOptions {
  /** Where requests go. The client never creates or destroys it: the caller owns it. */
  transport: Transport;
  /** Time for waiters, token expiry and caches (default: the system clock). */
  clock?: Clock;
  /** Jitter source for waiter backoff (default `Math.random`). */
  random?: RandomSource;
  /** Opt-in cache of repository and image details; off (`false`) by default. */
  metadataCache?: MetadataCacheOptions | false;
  /** When given, ImageService and ScanService store image embeddings in it, keyed by digest. */
  vectorMemory?: VectorMemory;
  /** Downloads a blob from a pre-signed URL (default: global `fetch`). */
  fetchBlob?: FetchBlob;
  /** Callbacks for token-cache behaviour. */
  telemetry?: ClientTelemetry;
}

/** The scan part of {@link DeploymentImage}. */
export interface DeploymentScan {
  status: ScanStatusResult['status'];
  /** Findings per severity (after the ignore list when findings were read). */
  counts: SeverityCounts;
  completedAt?: Date;
}

/** The result of {@link EcrClient.getImageForDeployment}. */
export interface DeploymentImage {
  image: ImageDetail;
  digest: string;
  /** Digest-pinned: `<registry>/<repository>@sha256:…`. */
  imageUri: string;
  /** `undefined` when the image was never scanned. */
  scan: DeploymentScan | undefined;
  gate: { passed: boolean; reasons: string[] };
}

/** Options of {@link EcrClient.getImageForDeployment}. */
export interface DeploymentOptions {
  /** The gate; without thresholds the gate passes. With them, an image without a finished scan fails. */
  thresholds?: ScanThresholds;
  signal?: AbortSignal;
}

async function defaultFetchBlob(url: string, options: { signal?: AbortSignal }): Promise<Uint8Array> {
  const response = await fetch(url, options.signal ? { signal: options.signal } : {});
  if (!response.ok) {
    throw new EcrError({
      kind: response.status >= 500 ? 'ServiceUnavailable' : 'LayersNotFound',
      statusCode: response.status,
      message: `Blob download failed with HTTP ${response.status}`,
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * One registry in one region: the seven services over one transport, with a token cache and
 * an optional metadata cache. Build it with {@link createClient}.
 */
export class EcrClient {
  readonly config: EcrConfig;
  readonly repositories: RepositoryService;
  readonly images: ImageService;
  readonly manifests: ManifestService;
  readonly scans: ScanService;
  readonly auth: AuthService;
  readonly replication: ReplicationService;
  /** Registry-level settings and artifacts (issue 14): registry policy, pull through cache, creation templates, referrers, signing, storage class, account settings. */
  readonly registryPolicy: RegistryPolicyService;
  readonly pullThroughCache: PullThroughCacheService;
  readonly creationTemplates: CreationTemplateService;
  readonly referrers: ReferrersService;
  readonly signing: ImageSigningService;
  readonly storage: ImageStorageService;
  readonly accountSettings: AccountSettingsService;
  readonly public: PublicRegistryService;
  readonly #ctx: ServiceContext;
  readonly #options: ClientOptions;
  #registryUri: string | undefined;
  #destroyed = false;

  /** @internal Use {@link createClient}. */
  constructor(config: EcrConfig, options: ClientOptions) {
    if (!options || typeof options.transport?.send !== 'function') {
      throw new EcrError({ kind: 'InvalidParameter', field: 'transport', message: `Invalid parameter 'transport': createClient needs { transport }` });
    }
    validateRegion(config.region, 'config.region');
    if (config.registryId !== undefined) validateRegistryId(config.registryId, 'config.registryId');
    this.config = config;
    this.#options = options;
    const clock = options.clock ?? systemClock;
    const telemetry = options.telemetry ?? {};
    const tokenCache = new TokenCache<TokenCacheEntry>(clock, config.tokenRefreshBufferSecs, telemetry.onTokenCache);
    const inner = createSender({ config, transport: options.transport, region: config.region, onCredentialError: () => tokenCache.clear() });
    this.#ctx = {
      config,
      transport: options.transport,
      clock,
      random: options.random ?? Math.random,
      region: config.region,
      metadataCache: options.metadataCache ? new MetadataCache(clock, options.metadataCache) : undefined,
      vectorMemory: options.vectorMemory,
      fetchBlob: options.fetchBlob ?? defaultFetchBlob,
      tokenCache,
      telemetry,
      registryField: config.registryId !== undefined ? { registryId: config.registryId } : {},
      send: (api, operation, input, signal) => {
        if (this.#destroyed) {
          return Promise.reject(new EcrError({ kind: 'Aborted', operation, message: 'The client was destroyed' }));
        }
        return inner(api, operation, input, signal);
      },
    };
    this.#registryUri = config.registryId !== undefined ? privateRegistryHost(config.registryId, config.region) : undefined;
    this.repositories = new RepositoryService(this.#ctx);
    this.images = new ImageService(this.#ctx);
    this.manifests = new ManifestService(this.#ctx, this.images);
    this.scans = new ScanService(this.#ctx);
    this.auth = new AuthService(this.#ctx);
    this.replication = new ReplicationService(this.#ctx, this);
    this.public = new PublicRegistryService(this.#ctx);
    this.registryPolicy = new RegistryPolicyService(this.#ctx);
    this.pullThroughCache = new PullThroughCacheService(this.#ctx);
    this.creationTemplates = new CreationTemplateService(this.#ctx);
    this.referrers = new ReferrersService(this.#ctx);
    this.signing = new ImageSigningService(this.#ctx);
    this.storage = new ImageStorageService(this.#ctx);
    this.accountSettings = new AccountSettingsService(this.#ctx);
  }

  /** The client's region. */
  get region(): string {
    return this.config.region;
  }

  /**
   * `<registryId>.dkr.ecr.<region>.amazonaws.com` when the registry id is known (from the config,
   * or after {@link EcrClient.resolveRegistryUri}); otherwise `undefined`.
   */
  get registryUri(): string | undefined {
    return this.#registryUri;
  }

  /**
   * A client for another region or registry (account) over the same transport and options, so
   * with the same credentials: another account's registry answers only where its policies let
   * them in. Give that account's own transport to `createClient` when they do not.
   *
   * @throws EcrError kind `InvalidParameter` for a malformed region or registry id.
   */
  forRegistry(target: { region?: string; registryId?: string }): EcrClient {
    const region = target.region ?? this.config.region;
    const registryId = target.registryId ?? this.config.registryId;
    if (region === this.config.region && registryId === this.config.registryId) return this;
    return new EcrClient(Object.freeze({ ...this.config, region, ...(registryId !== undefined ? { registryId } : {}) }), this.#options);
  }

  /** The registry host, asking GetAuthorizationToken (through the token cache) when the config has no registry id. */
  async resolveRegistryUri(options: { signal?: AbortSignal } = {}): Promise<string> {
    if (this.#registryUri) return this.#registryUri;
    this.#registryUri = (await this.auth.getDockerCredentials(options)).registry;
    return this.#registryUri;
  }

  /**
   * Everything a deployment needs about `repository:tag`: the image details, its digest, a
   * digest-pinned URI, the scan summary and the gate verdict against `thresholds` (findings are
   * read in full when thresholds are given, so the ignore list applies).
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`; `InvalidParameter` before any request.
   * @example
   * const { imageUri, gate } = await client.getImageForDeployment('web-app', 'v1.2.3', { thresholds: { maxCritical: 0 } });
   * if (!gate.passed) throw new Error(gate.reasons.join('; '));
   */
  async getImageForDeployment(repository: string, tag: ImageRef, options: DeploymentOptions = {}): Promise<DeploymentImage> {
    validateRepositoryName(repository);
    const id = toImageIdentifier(tag);
    const { thresholds, signal } = options;
    // Check the thresholds before any request.
    this.scans.evaluate([], thresholds ?? {});
    const [image] = await this.images.describe(repository, [id], signal ? { signal } : {}).toArray();
    if (!image?.imageDigest) {
      throw new EcrError({ kind: 'ImageNotFound', operation: 'DescribeImages', message: `Image ${id.imageTag ?? id.imageDigest} not found in ${repository}` });
    }
    const digest = image.imageDigest;
    const host = image.registryId ? privateRegistryHost(image.registryId, this.config.region) : await this.resolveRegistryUri(signal ? { signal } : {});
    const imageUri = `${host}/${repository}@${digest}`;
    const status = image.imageScanStatus?.status;
    let scan: DeploymentScan | undefined;
    let findings: ScanFindings | undefined;
    if (status !== undefined) {
      if (thresholds && scanStateOf(status) === 'complete') {
        findings = await this.scans.getFindings(repository, { imageDigest: digest }, signal ? { signal } : {});
      }
      const counts = findings
        ? this.scans.evaluate(findings, { ignore: thresholds?.ignore ?? [] }).counts
        : countsFrom(image.imageScanFindingsSummary?.findingSeverityCounts);
      scan = { status, counts };
      const completedAt = findings?.imageScanCompletedAt ?? image.imageScanFindingsSummary?.imageScanCompletedAt;
      if (completedAt) scan.completedAt = completedAt;
    }
    let gate: DeploymentImage['gate'] = { passed: true, reasons: [] };
    if (thresholds) {
      if (!scan) gate = { passed: false, reasons: ['the image has no scan results'] };
      else {
        const verdict = this.scans.evaluate(
          findings ?? {
            repositoryName: repository,
            imageId: { imageDigest: digest },
            ...(status ? { status } : {}),
            findingSeverityCounts: {},
            findings: [],
            enhancedFindings: [],
          },
          thresholds,
        );
        gate = { passed: verdict.passed, reasons: verdict.violations };
      }
    }
    return { image, digest, imageUri, scan, gate };
  }

  /** Hit and miss counts of the token cache. */
  tokenCacheStats(): TokenCacheStats {
    return this.#ctx.tokenCache.stats();
  }

  /** Hit and miss counts of the metadata cache, when enabled. */
  metadataCacheStats(): MetadataCacheStats | undefined {
    return this.#ctx.metadataCache?.stats();
  }

  /** Drop cached tokens and metadata and refuse further calls (kind `Aborted`). The transport is the caller's to destroy. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    this.#ctx.tokenCache.clear();
    this.#ctx.metadataCache?.clear();
  }
}

function countsFrom(summary: Record<string, number> | undefined): SeverityCounts {
  const counts = Object.fromEntries(severities.map((s) => [s, 0])) as SeverityCounts;
  for (const [severity, n] of Object.entries(summary ?? {})) {
    const key = (severities as readonly string[]).includes(severity) ? (severity as keyof SeverityCounts) : 'UNDEFINED';
    counts[key] += n;
  }
  return counts;
}

/**
 * Build an {@link EcrClient} for one registry and region over the given transport. Cheap and
 * synchronous: nothing is sent until the first call.
 *
 * @throws EcrError kind `InvalidParameter` for a config with a malformed region or registry id, or no transport.
 * @example
 * const client = createClient(ecrConfig().region('eu-west-1').build(), { transport });
 * for await (const repo of client.repositories.list()) console.log(repo.repositoryName);
 */
export function createClient(config: EcrConfig, options: ClientOptions): EcrClient {
  return new EcrClient(config, options);
}
