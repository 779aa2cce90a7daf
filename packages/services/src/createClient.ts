import {
  EcrError,
  compose,
  ecrConfig,
  invalidParameter,
  isTransport,
  scanStateOf,
  severityCountsOf,
  systemClock,
  toEcrConfig,
  validateRepositoryName,
  withGuard,
  readOptions,
} from '@ecrkit/core-types';
import type { CallOptions, Clock, EcrConfig, ImageDetail, Logger, RandomSource, SeverityCounts, Transport, VectorMemory } from '@ecrkit/core-types';
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
import { ScanService } from './ScanService.js';
import type { ScanFindings, ScanStatusResult, ScanThresholds } from './ScanService.js';
import { TokenCache } from './TokenCache.js';
import type { TokenCacheStats } from './TokenCache.js';
import { toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import { callOptions, optionalFunction } from './internal/options.js';
import { privateRegistryHost } from './internal/registryHost.js';
import { publicRegion } from './internal/ServiceContext.js';
import type { ClientTelemetry, FetchBlob, ServiceContext } from './internal/ServiceContext.js';
import { ServiceTelemetry } from './internal/ServiceTelemetry.js';
import type { MeterLike, ScanFindingsLogLevel } from './internal/ServiceTelemetry.js';
import { withClientHooks } from './internal/withClientHooks.js';

/** What `createClient` needs beside the config: the transport, and optional clock, caches, ports and telemetry. */
export interface ClientOptions {
  /**
   * Where requests go: any Transport, or a pipeline such as `resilient(transport)` (give it
   * `guard: false`: the client guards itself). `@ecrkit/client`'s `createClient(config)`
   * builds the default one (the SigV4 transport behind the default pipeline) when you have none.
   */
  transport: Transport;
  /** Destroy the transport with the client (default false: the caller owns it). */
  ownsTransport?: boolean;
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
  /** Where the business metrics go (any OpenTelemetry `Meter`); none by default. */
  meter?: MeterLike;
  /** Structured logs (pino-compatible): security events and scan findings; none by default. */
  logger?: Logger;
  /** How much of each completed scan to log: `off`, `counts` per severity (default) or `full` (every finding's name, severity and package). */
  scanFindingsLog?: ScanFindingsLogLevel;
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
export interface DeploymentOptions extends CallOptions {
  /** The gate; without thresholds the gate passes. With them, an image without a finished scan fails. */
  thresholds?: ScanThresholds;
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
  readonly #pipeline: Transport;
  readonly #options: ClientOptions;
  #registryUri: string | undefined;

  /** @internal Use {@link createClient}. */
  constructor(config: EcrConfig, options: ClientOptions) {
    const o = readOptions(
      options,
      ['transport', 'ownsTransport', 'clock', 'random', 'metadataCache', 'vectorMemory', 'fetchBlob', 'telemetry', 'meter', 'logger', 'scanFindingsLog'],
      'options',
    );
    if (!isTransport(o.transport)) {
      throw invalidParameter(
        'transport',
        'createClient from @ecrkit/services needs { transport }; createClient(config) from @ecrkit/client builds the default one (SigV4 behind the default pipeline)',
      );
    }
    const built = toEcrConfig(config);
    this.config = built;
    this.#options = o as unknown as ClientOptions;
    const clock = (o.clock as Clock | undefined) ?? systemClock;
    const telemetry = (o.telemetry as ClientTelemetry | undefined) ?? {};
    const scanFindingsLog = (o.scanFindingsLog as ScanFindingsLogLevel | undefined) ?? 'counts';
    if (!['off', 'counts', 'full'].includes(scanFindingsLog)) throw invalidParameter('scanFindingsLog', "must be 'off', 'counts' or 'full'");
    const observe = new ServiceTelemetry({
      meter: o.meter as MeterLike | undefined,
      logger: o.logger as Logger | undefined,
      scanFindingsLog,
      region: built.region,
    });
    const onTokenCache = optionalFunction<(hit: boolean) => void>(telemetry.onTokenCache, 'telemetry.onTokenCache');
    const tokenCache = new TokenCache<TokenCacheEntry>(clock, built.tokenRefreshBufferSecs, (hit) => {
      observe.tokenCache(hit);
      onTokenCache?.(hit);
    });
    // The client's own pipeline over whatever it was given: its guard decides, once per call,
    // whether the call may start (this client's read-only setting and lifetime); its hooks feed
    // the token cache and the security log.
    this.#pipeline = compose(
      o.transport,
      withClientHooks({ onCredentialError: () => tokenCache.clear(), telemetry: observe, ownsTransport: o.ownsTransport === true }),
      withGuard({ readOnly: built.readOnly }),
    );
    const pipeline = this.#pipeline;
    const region = built.region;
    const metadataCache = o.metadataCache as MetadataCacheOptions | false | undefined;
    this.#ctx = {
      config: built,
      clock,
      random: (o.random as RandomSource | undefined) ?? Math.random,
      region,
      metadataCache: metadataCache ? new MetadataCache(clock, metadataCache) : undefined,
      vectorMemory: o.vectorMemory as VectorMemory | undefined,
      fetchBlob: (o.fetchBlob as FetchBlob | undefined) ?? defaultFetchBlob,
      tokenCache,
      telemetry,
      observe,
      registryField: built.registryId !== undefined ? { registryId: built.registryId } : {},
      send: (api, operation, input, signal) => pipeline.send({ api, operation, input, region: api === 'ecr-public' ? publicRegion : region, signal }),
    };
    this.#registryUri = built.registryId !== undefined ? privateRegistryHost(built.registryId, region) : undefined;
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
    const read = readOptions(target, ['region', 'registryId'], 'target');
    if (target === undefined) throw invalidParameter('target', 'must be an object with region and/or registryId');
    const region = (read.region ?? this.config.region) as string;
    const registryId = (read.registryId ?? this.config.registryId) as string | undefined;
    if (region === this.config.region && registryId === this.config.registryId) return this;
    let derived = ecrConfig().from(this.config).region(region);
    if (registryId !== undefined) derived = derived.registryId(registryId);
    // The transport stays this client's (or its caller's): the derived client never destroys it.
    return new EcrClient(derived.build(), { ...this.#options, ownsTransport: false });
  }

  /** The registry host, asking GetAuthorizationToken (through the token cache) when the config has no registry id. */
  async resolveRegistryUri(options: CallOptions = {}): Promise<string> {
    const { signal } = callOptions(options);
    if (this.#registryUri) return this.#registryUri;
    this.#registryUri = (await this.auth.getDockerCredentials({ signal })).registry;
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
    const read = readOptions(options, ['thresholds', 'signal']);
    const { signal } = callOptions({ signal: read.signal });
    const thresholds = read.thresholds as ScanThresholds | undefined;
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
        : severityCountsOf(image.imageScanFindingsSummary?.findingSeverityCounts);
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

  /**
   * Drop cached tokens and metadata and refuse further calls (kind `Aborted`). The transport is
   * destroyed too when the client owns it (`ownsTransport`, as `@ecrkit/client` sets it);
   * otherwise it is the caller's to destroy.
   */
  async destroy(): Promise<void> {
    this.#ctx.tokenCache.clear();
    this.#ctx.metadataCache?.clear();
    await this.#pipeline.destroy?.();
  }
}

/**
 * Build an {@link EcrClient} for one registry and region over the given transport. Cheap and
 * synchronous: nothing is sent until the first call. The client puts its own guard and hooks in
 * front of the transport; retries, breakers and timeouts are the transport pipeline's. Without
 * a transport of your own, use `createClient(config)` from `@ecrkit/client`, which builds the
 * default (SigV4 behind the default pipeline) from the config alone.
 *
 * @throws EcrError kind `InvalidParameter` for a config that does not validate, or no transport.
 * @example
 * const client = createClient(ecrConfig().region('eu-west-1').build(), { transport });
 * for await (const repo of client.repositories.list()) console.log(repo.repositoryName);
 */
export function createClient(config: EcrConfig, options: ClientOptions): EcrClient {
  return new EcrClient(config, options);
}
