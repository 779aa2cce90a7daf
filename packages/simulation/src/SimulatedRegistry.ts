import type { ScanFindingsCounts } from '@ecrkit/core-types';
import {
  EcrError,
  abortError,
  invalidParameter,
  isEcrError,
  operationSpec,
  systemClock,
  validateLifecyclePolicy,
  type Clock,
  type ImageTagMutability,
  type ImageScanFinding,
  type ScanStatus,
  type Tag,
} from '@ecrkit/core-types';
import {
  ActiveErrorRule,
  errorFromSpec,
  matchesCall,
  redactInput,
  type ErrorInjectionRule,
  type LatencyInjectionRule,
  type OperationHistoryEntry,
  type OperationHistoryFilter,
  type ReplicationOptions,
  type ScanProgressionOptions,
} from './behaviour.js';
import type { BlobStore } from './blobs/BlobStore.js';
import { createMemoryBlobStore } from './blobs/createMemoryBlobStore.js';
import { SimulatedFault, type RegistryCall } from './RegistryCall.js';
import { awsError, imageNotFound, invalidParamMessage } from './internal/awsErrors.js';
import { findingsFromList, generateFindings } from './internal/findings.js';
import { checkBaseNames, generateImage, generateIndex, type GeneratedImage } from './internal/imageFactory.js';
import { RegistryStore } from './internal/RegistryStore.js';
import { sha256Digest } from './internal/digest.js';
import { restoreState, snapshotState, type RegistrySnapshot } from './internal/serialize.js';
import type { FindingSpec, ImageRecord, RepositoryRecord } from './internal/state.js';
import { asInput, registryIdPattern, type Input } from './internal/validate.js';
import { checkReadable, objectArgument, optionsArgument, stringArgument } from './internal/arguments.js';
import { applyTemplate, templateFor } from './operations/creationTemplates.js';
import { distributionHandlerFor } from './operations/distribution.js';
import { handlerFor } from './operations/handlers.js';
import { afterPush } from './operations/images.js';
import { checkRepositoryName } from './operations/names.js';
import type { OpContext } from './operations/OpContext.js';
import { settleBackfills } from './operations/replicationBackfill.js';
import { checkRepositoryPolicy } from './operations/policies.js';
import { mergeResourceTags } from './operations/repositories.js';
import { applySeed, type SeedFile } from './seed.js';

/** Options of {@link SimulatedRegistry}. */
export interface SimulatedRegistryOptions {
  /** Moto-compatible mode: PutImage accepts never-uploaded blobs and trusts `imageDigest`. Default false (strict, like ECR). */
  lenient?: boolean;
  /** The clock for timestamps, token expiry, progressions and injected latency. Default: the system clock. */
  clock?: Clock;
  /** Seed of the random source (passwords, upload ids, generated images, injected failures). Default 1. */
  seed?: number;
  /** Default account for callers that do not name one. Default `123456789012`. */
  accountId?: string;
  /** Default region for the fluent API and seeds. Default `us-east-1`. */
  region?: string;
  /** How many calls the operation history keeps (oldest dropped first). Default 10,000. */
  historyLimit?: number;
  /**
   * Where blob bytes live. Default: memory (`createMemoryBlobStore()`), and snapshots carry them;
   * `createDirectoryBlobStore(dir)` keeps them as files, and snapshots carry only the folder's path.
   */
  blobStore?: BlobStore;
  /**
   * How long a layer upload (InitiateLayerUpload, or a `/v2/` blob upload) may sit idle before it
   * expires and its bytes are freed; a client coming back to it then gets UploadNotFoundException
   * (`BLOB_UPLOAD_UNKNOWN` on `/v2/`). Checked whenever an upload starts or is used. Default 24 hours.
   */
  uploadIdleMs?: number;
}

/** Options of {@link SimulatedRegistry.withRepository}. */
export interface WithRepositoryOptions {
  region?: string;
  accountId?: string;
  /** An ECR Public repository instead of a private one. */
  public?: boolean;
  tagMutability?: ImageTagMutability;
  scanOnPush?: boolean;
  /** Resource tags, as a record or as ECR `Tag`s. */
  tags?: Record<string, string> | readonly Tag[];
  /** Lifecycle policy JSON (text, or an object that is serialised). */
  lifecyclePolicy?: string | object;
  /** Repository policy JSON (text, or an object that is serialised). */
  repositoryPolicy?: string | object;
  /** ECR Public catalog data. */
  catalogData?: { description?: string; architectures?: string[]; operatingSystems?: string[]; aboutText?: string; usageText?: string };
}

/** Options of {@link SimulatedRegistry.withImage} and {@link SimulatedRegistry.addImage}. */
export interface WithImageOptions {
  /** Tags to give the image; `[]` pushes it untagged. Default `['latest']`. */
  tags?: readonly string[];
  /** Several platforms (e.g. `['linux/amd64', 'linux/arm64/v8']`) make an index over one child image each. */
  platforms?: readonly string[];
  /** The single platform of a non-index image. Default `linux/amd64`. */
  platform?: string;
  /** Layers per image. Default 2. */
  layers?: number;
  /** Uncompressed bytes per layer. Default: seeded, 256–2048. */
  layerSize?: number;
  /** Docker v2 schema 2 (default) or OCI media types. */
  mediaType?: 'docker' | 'oci';
  /**
   * Build on a named base image, or a chain of them outermost first (`['debian:12', 'node:20']`):
   * three layers per base, the same bytes for every image on that base and platform (with the
   * registry's seed), come before the image's own `layers`, so images on one base share them.
   */
  base?: string | readonly string[];
  /** Backdate the push (for lifecycle and age tests). Default: now on the registry's clock. */
  pushedAt?: Date;
  region?: string;
  accountId?: string;
  /** Push to an ECR Public repository. */
  public?: boolean;
}

/** What {@link SimulatedRegistry.addImage} pushed. */
export interface AddedImage {
  registryId: string;
  region: string;
  repositoryName: string;
  imageDigest: string;
  /** The manifest (or index) exactly as stored. */
  manifest: string;
  mediaType: string;
  tags: string[];
  imageSizeInBytes: number;
  /** For multi-platform images: the child images, in `platforms` order. */
  children?: { platform: string; imageDigest: string; manifest: string; mediaType: string; imageSizeInBytes: number }[];
}

/** Options of {@link SimulatedRegistry.withScanFindings}. */
export interface ScanFindingsOptions {
  /** Report the findings as Amazon Inspector enhanced findings. Default false (basic). */
  enhanced?: boolean;
  region?: string;
  accountId?: string;
}

/** Where a blob lives, for {@link SimulatedRegistry.readBlob}. */
export interface BlobLocation {
  accountId: string;
  /** The repository's region; `public` for ECR Public repositories. */
  region: string;
  repositoryName: string;
  digest: string;
}

/** The store behind a registry, for the package's own file code (the state file); not exported from the package. */
export let storeOf: (registry: SimulatedRegistry) => RegistryStore;

const defaultAccountId = '123456789012';
const defaultRegion = 'us-east-1';
const repositoryOptionFields = [
  'region',
  'accountId',
  'public',
  'tagMutability',
  'scanOnPush',
  'tags',
  'lifecyclePolicy',
  'repositoryPolicy',
  'catalogData',
] as const satisfies readonly (keyof WithRepositoryOptions)[];
const imageOptionFields = [
  'tags',
  'platforms',
  'platform',
  'layers',
  'layerSize',
  'mediaType',
  'base',
  'pushedAt',
  'region',
  'accountId',
  'public',
] as const satisfies readonly (keyof WithImageOptions)[];
const placeFields = ['region', 'accountId'] as const;

/**
 * A stateful, in-memory Amazon ECR (private and Public) that behaves like the real service:
 * the one source of truth behind the in-process transport, the HTTP server and the snapshot and
 * seed files. Strict like ECR by default; `{ lenient: true }` accepts what moto accepts.
 *
 * @example
 * const registry = new SimulatedRegistry({ clock: new ManualClock() })
 *   .withRepository('web-app', { tagMutability: 'IMMUTABLE' })
 *   .withImage('web-app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8'] });
 * const transport = createSimulatedTransport(registry);
 */
export class SimulatedRegistry {
  readonly #store: RegistryStore;
  readonly #clock: Clock;
  readonly #historyLimit: number;
  #history: OperationHistoryEntry[] = [];
  #historyStart = 0;
  #errorRules: ActiveErrorRule[] = [];
  #latencyRules: LatencyInjectionRule[] = [];

  static {
    storeOf = (registry) => registry.#store;
  }

  constructor(options: SimulatedRegistryOptions = {}) {
    options = optionsArgument<SimulatedRegistryOptions>(options, [
      'lenient',
      'clock',
      'seed',
      'accountId',
      'region',
      'historyLimit',
      'blobStore',
      'uploadIdleMs',
    ]);
    if (options.accountId !== undefined) stringArgument(options.accountId, 'accountId');
    const accountId = options.accountId ?? defaultAccountId;
    if (!registryIdPattern.test(accountId)) throw invalidParamMessage(`Invalid account id '${accountId}': expected 12 digits`, 'accountId');
    this.#clock = options.clock ?? systemClock;
    this.#store = new RegistryStore(
      accountId,
      options.region ?? defaultRegion,
      options.lenient ?? false,
      options.seed ?? 1,
      options.blobStore ?? createMemoryBlobStore(),
    );
    this.#historyLimit = Math.max(0, options.historyLimit ?? 10_000);
    if (options.uploadIdleMs !== undefined) {
      if (!(typeof options.uploadIdleMs === 'number' && options.uploadIdleMs > 0 && Number.isFinite(options.uploadIdleMs)))
        throw invalidParamMessage('uploadIdleMs must be a positive number of milliseconds', 'uploadIdleMs');
      this.#store.uploadIdleMs = options.uploadIdleMs;
    }
    // A repository replication creates takes the REPLICATION creation template, where one applies.
    this.#store.onReplicaRepository = (repo, now) => {
      const template = templateFor(this.#store.registrySettings(repo.accountId, repo.region).creationTemplates, repo.name, 'REPLICATION');
      if (template) applyTemplate(repo, template, now);
    };
  }

  /** The account used when a call names none. */
  get defaultAccountId(): string {
    return this.#store.defaultAccountId;
  }

  /** The region the fluent API and seeds use when none is given. */
  get defaultRegion(): string {
    return this.#store.defaultRegion;
  }

  /** Same as {@link defaultAccountId} (the server reads this name). */
  get accountId(): string {
    return this.#store.defaultAccountId;
  }

  /** Same as {@link defaultRegion} (the server reads this name). */
  get region(): string {
    return this.#store.defaultRegion;
  }

  /** Whether the registry runs in lenient (moto-compatible) mode. */
  get lenient(): boolean {
    return this.#store.lenient;
  }

  /** The registry's clock. */
  get clock(): Clock {
    return this.#clock;
  }

  /** Where blob bytes live (shared by the AWS layer API and the registry's `/v2/` face). */
  get blobStore(): BlobStore {
    return this.#store.blobStore;
  }

  /**
   * The one entry point of every face: validate, apply injected latency, errors and faults, run
   * the operation, record it in the history. Resolves with the output in ecrkit shapes
   * (`Date` timestamps); rejects with an `EcrError` carrying `awsCode` and `statusCode`, or with
   * a {@link SimulatedFault} for the face to act out.
   */
  async execute(call: RegistryCall): Promise<unknown> {
    call = objectArgument<RegistryCall>(call, ['api', 'operation', 'input', 'region', 'accountId', 'face', 'blobUrl', 'registryUrl', 'signal'], 'call');
    stringArgument(call.operation, 'operation');
    if (call.accountId !== undefined) stringArgument(call.accountId, 'accountId');
    const accountId = call.accountId ?? this.#store.defaultAccountId;
    const meta = { api: call.api, operation: call.operation, region: call.region, accountId };
    try {
      if (call.signal?.aborted) throw abortError(call.signal, call.operation);
      const handler = call.face === 'distribution' ? distributionHandlerFor(call.operation) : handlerFor(call.api, call.operation);
      if (!handler) throw awsError('UnknownOperationException', `Unknown operation ${call.operation}`);
      if (typeof call.region !== 'string' || call.region.length === 0) throw invalidParamMessage('A region is required', 'region');
      if (this.#latencyRules.length > 0) {
        const delay = this.#latencyFor(meta);
        if (delay > 0) await this.#clock.sleep(delay, call.signal);
        if (call.signal?.aborted) throw abortError(call.signal, call.operation);
      }
      if (this.#errorRules.length > 0) this.#inject(meta);
      // A state file is writing a snapshot: wait, so the snapshot is one moment of the state.
      if (this.#store.paused) await this.#store.paused;
      const now = this.#clock.now();
      this.#store.settleReplications(now);
      const ctx: OpContext = {
        store: this.#store,
        api: call.api,
        accountId,
        region: call.region,
        now,
        strict: !this.#store.lenient,
        ...(call.blobUrl !== undefined ? { blobUrl: call.blobUrl } : {}),
        // Lenient mode is a moto drop-in: moto's suites expect AWS-style repository URIs and proxy endpoints.
        ...(call.registryUrl !== undefined && !this.#store.lenient ? { registryUrl: call.registryUrl } : {}),
      };
      settleBackfills(ctx);
      const input = asInput(call.input);
      try {
        const output = handler(ctx, input);
        this.#record(call, accountId, 'success');
        return output;
      } finally {
        // A handler may change state and still fail (a batch that half succeeds): note the call either way.
        this.#noteCall(call.api, call.operation, accountId, call.region, input);
      }
    } catch (err) {
      const failure = toFailure(err, call);
      this.#record(
        call,
        accountId,
        failure instanceof SimulatedFault
          ? { kind: failure.fault === 'drop-connection' ? 'Network' : 'InvalidResponse', awsCode: undefined, fault: failure.fault }
          : { kind: failure.kind, awsCode: failure.awsCode },
      );
      throw failure;
    }
  }

  /** The bytes of a blob held by a repository, or `undefined`; the HTTP face serves download URLs with it. Do not mutate the result. */
  readBlob(location: BlobLocation): Uint8Array | undefined {
    location = objectArgument<BlobLocation>(location, ['accountId', 'region', 'repositoryName', 'digest'], 'location');
    const isPublic = location.region === 'public';
    const repo = this.#store.findRepository(location.accountId, location.region, location.repositoryName, isPublic);
    if (!repo?.blobs.has(location.digest)) return undefined;
    return this.#store.blobStore.read(location.digest);
  }

  /** Whether an authorization token (the base64 `AWS:<password>` or the password) was issued here and has not expired. */
  isAuthorizationTokenValid(token: string): boolean {
    stringArgument(token, 'token');
    let password = token;
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    if (decoded.startsWith('AWS:')) password = decoded.slice(4);
    const issued = this.#store.tokens.get(password);
    return issued !== undefined && issued.expiresAt > this.#clock.now();
  }

  /**
   * What an authorization token (the base64 `AWS:<password>` or the password) was issued for,
   * expired or not, or `undefined` for a token this registry never issued. The registry's `/v2/`
   * face reads the account and region a request acts on from it.
   */
  authorizationTokenBinding(token: string): { accountId: string; region: string; expiresAt: Date } | undefined {
    stringArgument(token, 'token');
    let password = token;
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    if (decoded.startsWith('AWS:')) password = decoded.slice(4);
    const issued = this.#store.tokens.get(password);
    if (issued === undefined || issued.api !== 'ecr') return undefined;
    return { accountId: issued.accountId, region: issued.region, expiresAt: new Date(issued.expiresAt) };
  }

  // ---- behaviour controls ----

  /** Add an error-injection rule (rules are checked in the order added). */
  withErrorInjection(rule: ErrorInjectionRule): this {
    rule = objectArgument<ErrorInjectionRule>(
      rule,
      ['operation', 'api', 'region', 'accountId', 'onCalls', 'probability', 'sequence', 'throttlingBurst', 'times', 'error', 'fault'],
      'rule',
    );
    this.#errorRules.push(new ActiveErrorRule(rule));
    return this;
  }

  /** Remove every error-injection rule. */
  clearErrorInjection(): this {
    this.#errorRules = [];
    return this;
  }

  /** Add a latency rule; the delays of all matching rules add up. */
  withLatencyInjection(rule: LatencyInjectionRule): this {
    rule = objectArgument<LatencyInjectionRule>(rule, ['operation', 'api', 'region', 'accountId', 'ms', 'jitterMs'], 'rule');
    if (!(rule.ms >= 0) || (rule.jitterMs !== undefined && !(rule.jitterMs >= 0))) {
      throw invalidParamMessage('Latency must be a non-negative number of milliseconds', 'ms');
    }
    this.#latencyRules.push({ ...rule });
    return this;
  }

  /** Remove every latency rule. */
  clearLatencyInjection(): this {
    this.#latencyRules = [];
    return this;
  }

  /** Set how scans started from now on progress and what they find. */
  configureScanProgression(options: ScanProgressionOptions = {}): this {
    options = optionsArgument<ScanProgressionOptions>(options, ['sequence', 'advanceOn', 'stepMs', 'findings']);
    const sequence = options.sequence ? [...options.sequence] : ['IN_PROGRESS' as const, 'COMPLETE' as const];
    if (sequence.length === 0) throw invalidParamMessage('A scan progression needs at least one state', 'sequence');
    this.#store.scanProgression = {
      sequence,
      advanceOn: options.advanceOn ?? 'time',
      stepMs: options.stepMs ?? 5000,
      ...(options.findings !== undefined
        ? { findings: Array.isArray(options.findings) ? findingsFromList(options.findings) : { ...(options.findings as ScanFindingsCounts) } }
        : {}),
    };
    this.#store.changes?.settings();
    return this;
  }

  /** Set the source registry's replication destinations and how replications progress. */
  configureReplication(options: ReplicationOptions): this {
    options = objectArgument<ReplicationOptions>(
      options,
      ['destinations', 'accountId', 'region', 'repositoryPrefixes', 'sequence', 'advanceOn', 'stepMs', 'failRegions', 'lagRegions'],
      'options',
    );
    if (!Array.isArray(options.destinations)) throw invalidParameter('destinations', 'must be an array of { region, registryId? }');
    const sequence = options.sequence ? [...options.sequence] : ['IN_PROGRESS' as const, 'COMPLETE' as const];
    if (sequence.length === 0) throw invalidParamMessage('A replication progression needs at least one state', 'sequence');
    const accountId = options.accountId ?? this.#store.defaultAccountId;
    const region = options.region ?? this.#store.defaultRegion;
    this.#store.replicationProgression = {
      sequence,
      advanceOn: options.advanceOn ?? 'poll',
      stepMs: options.stepMs ?? 5000,
      failRegions: [...(options.failRegions ?? [])],
      lagRegions: [...(options.lagRegions ?? [])],
    };
    const destinations = options.destinations.map((d) => ({ region: d.region, registryId: d.registryId ?? accountId }));
    const rule = options.repositoryPrefixes?.length
      ? { destinations, repositoryFilters: options.repositoryPrefixes.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' as const })) }
      : { destinations };
    this.#store.region(accountId, region).replicationRules = destinations.length > 0 ? [rule] : [];
    this.#store.changes?.region(accountId, region);
    this.#store.changes?.settings();
    return this;
  }

  /** The calls made so far (oldest first), optionally filtered. */
  getOperationHistory(filter: OperationHistoryFilter = {}): OperationHistoryEntry[] {
    filter = optionsArgument<OperationHistoryFilter>(filter, ['operation', 'api', 'region', 'accountId', 'face', 'outcome'], 'filter');
    const ordered = [...this.#history.slice(this.#historyStart), ...this.#history.slice(0, this.#historyStart)];
    return ordered.filter((e) => {
      if (!matchesCall(filter, e)) return false;
      if (filter.face !== undefined && filter.face !== e.face) return false;
      if (filter.outcome === 'success' && e.outcome !== 'success') return false;
      if (filter.outcome === 'failure' && e.outcome === 'success') return false;
      return true;
    });
  }

  /** Forget the operation history. */
  clearOperationHistory(): this {
    this.#history = [];
    this.#historyStart = 0;
    return this;
  }

  /** Drop all state, behaviour rules and history; the random source restarts from the seed. */
  reset(): this {
    this.#store.clear();
    this.#errorRules = [];
    this.#latencyRules = [];
    return this.clearOperationHistory();
  }

  // ---- fluent state building ----

  /** Create a repository (or update the settings given, if it exists). Synchronous; throws `EcrError` for invalid settings. */
  withRepository(name: string, options: WithRepositoryOptions = {}): this {
    stringArgument(name, 'repositoryName');
    options = optionsArgument<WithRepositoryOptions>(options, repositoryOptionFields);
    const isPublic = options.public ?? false;
    checkRepositoryName(name, isPublic);
    const accountId = options.accountId ?? this.#store.defaultAccountId;
    const region = isPublic ? 'us-east-1' : (options.region ?? this.#store.defaultRegion);
    const now = this.#clock.now();
    const repo = this.#store.findRepository(accountId, region, name, isPublic) ?? this.#store.createRepository(accountId, region, name, now, isPublic);
    if (options.tagMutability !== undefined) repo.tagMutability = options.tagMutability;
    if (options.scanOnPush !== undefined) repo.scanOnPush = options.scanOnPush;
    if (options.tags !== undefined) {
      const tags = Array.isArray(options.tags)
        ? (options.tags as readonly Tag[]).map((t) => ({ Key: t.Key, Value: t.Value }))
        : Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value }));
      repo.resourceTags = mergeResourceTags(repo.resourceTags, tags);
    }
    if (options.lifecyclePolicy !== undefined) {
      const text = typeof options.lifecyclePolicy === 'string' ? options.lifecyclePolicy : JSON.stringify(options.lifecyclePolicy);
      validateLifecyclePolicy(text);
      repo.lifecyclePolicyText = text;
      repo.lifecycleEvaluatedAt = now;
    }
    if (options.repositoryPolicy !== undefined) {
      const text = typeof options.repositoryPolicy === 'string' ? options.repositoryPolicy : JSON.stringify(options.repositoryPolicy);
      checkRepositoryPolicy(text);
      repo.policyText = text;
    }
    if (options.catalogData !== undefined) repo.catalogData = { ...(repo.catalogData ?? {}), ...structuredClone(options.catalogData) };
    this.#store.changes?.repository(repo);
    return this;
  }

  /** Push a generated image (creating the repository if needed). Synchronous and chainable; see {@link addImage}. */
  withImage(repositoryName: string, options: WithImageOptions = {}): this {
    stringArgument(repositoryName, 'repositoryName');
    options = optionsArgument<WithImageOptions>(options, imageOptionFields);
    this.addImage(repositoryName, options);
    return this;
  }

  /**
   * Generate a valid image (seeded random layers, config and manifest; an index over one child
   * per platform when `platforms` is given), upload its blobs and push it with its tags, exactly
   * as a client would. Creates the repository if it does not exist. Scan on push and
   * replication apply as to any push.
   *
   * @throws EcrError as PutImage would (e.g. ImageTagAlreadyExistsException on an immutable tag).
   */
  addImage(repositoryName: string, options: WithImageOptions = {}): AddedImage {
    stringArgument(repositoryName, 'repositoryName');
    options = optionsArgument<WithImageOptions>(options, imageOptionFields);
    const isPublic = options.public ?? false;
    const accountId = options.accountId ?? this.#store.defaultAccountId;
    const region = isPublic ? 'us-east-1' : (options.region ?? this.#store.defaultRegion);
    if (!this.#store.findRepository(accountId, region, repositoryName, isPublic)) {
      this.withRepository(repositoryName, { accountId, region, public: isPublic });
    }
    const repo = this.#store.requireRepository(accountId, region, repositoryName, isPublic);
    return this.#pushGenerated(repo, this.#fluentContext(accountId, region, isPublic, this.#clock.now()), options, true);
  }

  /**
   * Put a generated image into an upstream registry, for pull through cache rules to pull from:
   * a rule whose `upstreamRegistryUrl` is `upstreamRegistryUrl` caches it on the first
   * BatchGetImage of `<ecrRepositoryPrefix>/<repositoryName>` (see the README). Options as for
   * {@link addImage} (account, region and `public` do not apply).
   *
   * @example
   * registry.withUpstreamImage('public.ecr.aws', 'docker/library/alpine', { tags: ['3.19'] });
   * // BatchGetImage of ecr-public/docker/library/alpine:3.19 under a rule for 'ecr-public' creates the repository.
   */
  withUpstreamImage(upstreamRegistryUrl: string, repositoryName: string, options: Omit<WithImageOptions, 'region' | 'accountId' | 'public'> = {}): AddedImage {
    stringArgument(upstreamRegistryUrl, 'upstreamRegistryUrl');
    stringArgument(repositoryName, 'repositoryName');
    options = optionsArgument<WithImageOptions>(options, imageOptionFields);
    checkRepositoryName(repositoryName, false);
    const now = this.#clock.now();
    const repo = this.#store.upstreamRepository(upstreamRegistryUrl, repositoryName, true, now)!;
    return this.#pushGenerated(repo, this.#fluentContext(this.#store.defaultAccountId, this.#store.defaultRegion, false, now), options, false);
  }

  /**
   * Push an OCI artifact that refers to an image (a signature, an SBOM, an attestation): a
   * manifest with `artifactType`, the empty config, one layer holding `content` and a `subject`
   * naming the image found by tag or digest, so ListImageReferrers returns it. Untagged unless
   * `tags` are given.
   *
   * @throws EcrError RepositoryNotFound, or ImageNotFound for the subject.
   * @example
   * registry.withImage('web-app', { tags: ['v1'] }).withReferrer('web-app', 'v1', { artifactType: 'application/spdx+json' });
   */
  withReferrer(
    repositoryName: string,
    subject: string,
    options: { artifactType: string; content?: string; annotations?: Record<string, string>; tags?: readonly string[]; region?: string; accountId?: string },
  ): this {
    stringArgument(repositoryName, 'repositoryName');
    stringArgument(subject, 'subject');
    options = objectArgument<typeof options>(options, ['artifactType', 'content', 'annotations', 'tags', ...placeFields], 'options');
    stringArgument(options.artifactType, 'artifactType');
    const accountId = options.accountId ?? this.#store.defaultAccountId;
    const region = options.region ?? this.#store.defaultRegion;
    const repo = this.#store.requireRepository(accountId, region, repositoryName);
    const id = /^sha(256|512):/.test(subject) ? { imageDigest: subject } : { imageTag: subject };
    const found = this.#store.lookupImage(repo, id);
    if (!('image' in found)) throw imageNotFound(id, repo.name, repo.accountId);
    const target = found.image;
    const empty = new TextEncoder().encode('{}');
    const content = new TextEncoder().encode(options.content ?? JSON.stringify({ artifactType: options.artifactType, subject: target.digest }));
    const emptyType = 'application/vnd.oci.empty.v1+json';
    const manifestType = 'application/vnd.oci.image.manifest.v1+json';
    this.#store.addBlob(repo, empty, emptyType);
    this.#store.addBlob(repo, content, options.artifactType);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      artifactType: options.artifactType,
      config: { mediaType: emptyType, digest: sha256Digest(empty), size: empty.byteLength },
      layers: [{ mediaType: options.artifactType, digest: sha256Digest(content), size: content.byteLength }],
      subject: { mediaType: target.mediaType, digest: target.digest, size: Buffer.byteLength(target.manifest) },
      ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
    });
    const now = this.#clock.now();
    this.#push(this.#fluentContext(accountId, region, false, now), repo, manifest, manifestType, options.tags ?? [], now);
    return this;
  }

  #pushGenerated(repo: RepositoryRecord, ctx: OpContext, options: WithImageOptions, runAfterPush: boolean): AddedImage {
    const now = ctx.now;
    const pushedAt = options.pushedAt?.getTime() ?? now;
    const tags = [...(options.tags ?? ['latest'])];
    const format = options.mediaType ?? 'docker';
    const rng = this.#store.rng;
    const created = new Date(pushedAt);
    const common = {
      ...(options.layers !== undefined ? { layers: options.layers } : {}),
      ...(options.layerSize !== undefined ? { layerSize: options.layerSize } : {}),
      format,
      created,
      ...(options.base !== undefined ? { base: { names: checkBaseNames(options.base), seed: this.#store.seed } } : {}),
    } as const;

    const pushOne = (generated: GeneratedImage, imageTags: readonly string[]): ImageRecord => {
      for (const blob of [generated.config, ...generated.layers]) this.#store.addBlob(repo, blob.bytes, blob.mediaType);
      return this.#push(ctx, repo, generated.manifest, generated.mediaType, imageTags, pushedAt, runAfterPush);
    };

    if (options.platforms && options.platforms.length > 0) {
      const index = generateIndex(rng, { ...common, platforms: options.platforms });
      const children = index.children.map((child) => {
        const image = pushOne(child, []);
        return {
          platform: [child.platform.os, child.platform.architecture, child.platform.variant].filter(Boolean).join('/'),
          imageDigest: image.digest,
          manifest: image.manifest,
          mediaType: image.mediaType,
          imageSizeInBytes: image.size,
        };
      });
      const image = this.#push(ctx, repo, index.manifest, index.mediaType, tags, pushedAt, runAfterPush);
      return { ...this.#added(repo, image), children };
    }
    const single = generateImage(rng, { ...common, ...(options.platform !== undefined ? { platform: options.platform } : {}) });
    return this.#added(repo, pushOne(single, tags));
  }

  /**
   * Give an image a completed scan with these findings: counts by severity (plausible CVEs are
   * generated) or explicit findings. The image is found by tag or digest.
   *
   * @throws EcrError RepositoryNotFound or ImageNotFound.
   */
  withScanFindings(
    repositoryName: string,
    imageTagOrDigest: string,
    findings: ScanFindingsCounts | readonly Partial<ImageScanFinding & FindingSpec>[],
    options: ScanFindingsOptions = {},
  ): this {
    stringArgument(repositoryName, 'repositoryName');
    stringArgument(imageTagOrDigest, 'imageTagOrDigest');
    if (typeof findings !== 'object' || findings === null) throw invalidParameter('findings', 'must be counts by severity or a list of findings');
    options = optionsArgument<ScanFindingsOptions>(options, ['enhanced', ...placeFields]);
    const accountId = options.accountId ?? this.#store.defaultAccountId;
    const region = options.region ?? this.#store.defaultRegion;
    const repo = this.#store.requireRepository(accountId, region, repositoryName);
    const id = imageTagOrDigest.includes(':') ? { imageDigest: imageTagOrDigest } : { imageTag: imageTagOrDigest };
    const found = this.#store.lookupImage(repo, id);
    if (!('image' in found)) throw imageNotFound(id, repo.name, repo.accountId);
    const image = found.image;
    image.findings = Array.isArray(findings) ? findingsFromList(findings) : generateFindings(findings as ScanFindingsCounts, this.#store.rng);
    this.#store.startScan(repo, image, this.#clock.now(), { fixture: true, enhanced: options.enhanced ?? false });
    return this;
  }

  /**
   * Script how an image's scan ends: it reports IN_PROGRESS until `after` ms from now (or from
   * the start of its next scan, for an image not scanned yet), then `status` (default COMPLETE;
   * ACTIVE under enhanced scanning) with `findings` (counts by severity or explicit findings;
   * default: the image's own, else the progression's). Every operation that observes the scan
   * sees the same state at the same time.
   *
   * @example
   * registry.withImage('web-app', { tags: ['v1'] }).withScanOutcome('web-app', 'v1', { after: 30_000, findings: { high: 2 } });
   * @throws EcrError RepositoryNotFound or ImageNotFound.
   */
  withScanOutcome(
    repositoryName: string,
    imageTagOrDigest: string,
    outcome: { after?: number; status?: ScanStatus; findings?: ScanFindingsCounts | readonly Partial<ImageScanFinding & FindingSpec>[] },
    options: { region?: string; accountId?: string } = {},
  ): this {
    stringArgument(repositoryName, 'repositoryName');
    stringArgument(imageTagOrDigest, 'imageTagOrDigest');
    outcome = objectArgument<typeof outcome>(outcome, ['after', 'status', 'findings'], 'outcome');
    options = optionsArgument<typeof options>(options, placeFields);
    const accountId = options.accountId ?? this.#store.defaultAccountId;
    const region = options.region ?? this.#store.defaultRegion;
    const repo = this.#store.requireRepository(accountId, region, repositoryName);
    const id = imageTagOrDigest.includes(':') ? { imageDigest: imageTagOrDigest } : { imageTag: imageTagOrDigest };
    const found = this.#store.lookupImage(repo, id);
    if (!('image' in found)) throw imageNotFound(id, repo.name, repo.accountId);
    const after = outcome.after ?? 0;
    if (!(after >= 0)) throw invalidParamMessage('A scan outcome needs a non-negative `after` in milliseconds', 'after');
    const findings =
      outcome.findings === undefined
        ? undefined
        : Array.isArray(outcome.findings)
          ? findingsFromList(outcome.findings)
          : generateFindings(outcome.findings as ScanFindingsCounts, this.#store.rng);
    this.#store.scriptScan(repo, found.image, { afterMs: after, status: outcome.status ?? 'COMPLETE' }, findings, this.#clock.now());
    return this;
  }

  /** How long a restore from the archive storage class (UpdateImageStorageClass to STANDARD) stays ACTIVATING. Default 20 minutes. */
  configureStorageClass(options: { restoreMs?: number }): this {
    options = objectArgument<typeof options>(options, ['restoreMs'], 'options');
    if (options.restoreMs !== undefined) {
      if (!(options.restoreMs >= 0)) throw invalidParamMessage('restoreMs must be a non-negative number of milliseconds', 'restoreMs');
      this.#store.restoreMs = options.restoreMs;
      this.#store.changes?.settings();
    }
    return this;
  }

  /**
   * Make the written replica of an image in one destination diverge from its source, as a direct
   * push into the destination repository would: `tag` moves there to a newly generated image
   * (created with `options`, like {@link addImage}). The source is left alone. Use it after the
   * replica was written; replication writing the source image later would move the tag back.
   *
   * @example registry.withDivergedReplica('web-app', 'v1', { region: 'eu-west-1' })
   */
  withDivergedReplica(
    repositoryName: string,
    tag: string,
    destination: { region: string; accountId?: string } & Omit<WithImageOptions, 'tags' | 'region' | 'accountId' | 'public'>,
  ): this {
    stringArgument(repositoryName, 'repositoryName');
    stringArgument(tag, 'tag');
    destination = objectArgument<typeof destination>(destination, imageOptionFields.filter((f) => f !== 'tags' && f !== 'public') as never, 'destination');
    // Replicas the clock has made due are written first, or one would land on top of the divergence.
    this.#store.settleReplications(this.#clock.now());
    this.addImage(repositoryName, { ...destination, tags: [tag] });
    return this;
  }

  /**
   * Run one operation synchronously, with no injected behaviour and no history entry: the seed
   * loader and tools use it to build state with the operations' own validation.
   *
   * @throws EcrError as the operation would.
   */
  applySync(call: { api: RegistryCall['api']; operation: string; input: unknown; region?: string; accountId?: string }): unknown {
    call = objectArgument<typeof call>(call, ['api', 'operation', 'input', ...placeFields], 'call');
    stringArgument(call.operation, 'operation');
    if (call.region !== undefined) stringArgument(call.region, 'region');
    if (call.accountId !== undefined) stringArgument(call.accountId, 'accountId');
    const handler = handlerFor(call.api, call.operation);
    if (!handler) throw awsError('UnknownOperationException', `Unknown operation ${call.operation}`);
    const ctx: OpContext = {
      store: this.#store,
      api: call.api,
      accountId: call.accountId ?? this.#store.defaultAccountId,
      region: call.region ?? this.#store.defaultRegion,
      now: this.#clock.now(),
      strict: !this.#store.lenient,
    };
    const input = asInput(call.input);
    try {
      return handler(ctx, input);
    } finally {
      this.#noteCall(call.api, call.operation, ctx.accountId, ctx.region, input);
    }
  }

  /** Set an account's ECR Public registry alias and display name. */
  setPublicRegistry(options: { accountId?: string; alias?: string; displayName?: string }): this {
    options = objectArgument<typeof options>(options, ['accountId', 'alias', 'displayName'], 'options');
    if (options.alias !== undefined) stringArgument(options.alias, 'alias');
    const registry = this.#store.account(options.accountId ?? this.#store.defaultAccountId).publicRegistry;
    if (options.alias !== undefined) {
      if (!/^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(options.alias) || options.alias.length > 50) {
        throw invalidParamMessage(`Invalid registry alias '${options.alias}'`, 'alias');
      }
      registry.alias = options.alias;
    }
    if (options.displayName !== undefined) registry.displayName = options.displayName;
    this.#store.changes?.account(options.accountId ?? this.#store.defaultAccountId);
    return this;
  }

  /** Add accounts, repositories, images, findings, policies and replication from a seed (see `SeedFile`). */
  loadSeed(seed: SeedFile): this {
    applySeed(this, seed);
    return this;
  }

  /** The whole state as a JSON-safe, versioned object (authorization tokens are not included). */
  snapshot(): RegistrySnapshot {
    return snapshotState(this.#store, this.#clock.now());
  }

  /** Replace the whole state with a snapshot's. Behaviour rules and history are kept. */
  restore(snapshot: RegistrySnapshot): this {
    checkReadable('snapshot', () => restoreState(this.#store, snapshot));
    return this;
  }

  // ---- internals ----

  /**
   * Note what a call may have changed, for the state file: the caller's region and account (their
   * records are small and compared at save time), the repository it names and, for a mutating
   * operation, the images it names. The store notes the rest (pushes, tag moves, scans, pulls).
   */
  #noteCall(api: RegistryCall['api'], operation: string, accountId: string, region: string, input: Input): void {
    const changes = this.#store.changes;
    if (!changes) return;
    const isPublic = api === 'ecr-public';
    const target = typeof input.registryId === 'string' ? input.registryId : accountId;
    if (isPublic) changes.account(target);
    else changes.region(target, region);
    // The repository: by name, or by ARN (TagResource, UntagResource).
    const arn = typeof input.resourceArn === 'string' ? /^arn:[^:]+:ecr(?:-public)?:([^:]*):(\d{12}):repository\/(.+)$/.exec(input.resourceArn) : null;
    const repo = arn
      ? this.#store.findRepository(arn[2]!, arn[1] || region, arn[3]!, isPublic)
      : typeof input.repositoryName === 'string'
        ? this.#store.findRepository(target, region, input.repositoryName, isPublic)
        : undefined;
    if (!repo) return;
    changes.repository(repo);
    if (!operationSpec(api, operation)?.mutating) return;
    const ids = [...(Array.isArray(input.imageIds) ? input.imageIds : []), input.imageId, { imageDigest: input.imageDigest, imageTag: input.imageTag }];
    for (const id of ids) {
      if (typeof id !== 'object' || id === null) continue;
      const found = this.#store.lookupImage(repo, id as Input);
      if ('image' in found) changes.image(repo, found.image.digest);
    }
  }

  #fluentContext(accountId: string, region: string, isPublic: boolean, now: number): OpContext {
    return { store: this.#store, api: isPublic ? 'ecr-public' : 'ecr', accountId, region, now, strict: true };
  }

  #push(
    ctx: OpContext,
    repo: RepositoryRecord,
    manifest: string,
    mediaType: string,
    tags: readonly string[],
    pushedAt: number,
    runAfterPush = true,
  ): ImageRecord {
    const first = this.#store.putImage(repo, { manifest, mediaType, ...(tags[0] !== undefined ? { tag: tags[0] } : {}), now: ctx.now, strict: true });
    for (const tag of tags.slice(1)) this.#store.putImage(repo, { manifest, mediaType, tag, now: ctx.now, strict: true });
    const image = first.image;
    if (first.created) {
      image.pushedAt = pushedAt;
      for (const tag of tags) repo.tagTimes.set(tag, pushedAt);
      if (runAfterPush) afterPush({ ...ctx, now: Math.max(pushedAt, ctx.now) }, repo, image);
    } else if (runAfterPush) {
      for (const tag of tags) this.#store.replicateTag(repo, image, tag, ctx.now);
    }
    return image;
  }

  #added(repo: RepositoryRecord, image: ImageRecord): AddedImage {
    return {
      registryId: repo.accountId,
      region: repo.region,
      repositoryName: repo.name,
      imageDigest: image.digest,
      manifest: image.manifest,
      mediaType: image.mediaType,
      tags: [...image.tags],
      imageSizeInBytes: image.size,
    };
  }

  #latencyFor(call: { api: RegistryCall['api']; operation: string; region: string; accountId: string }): number {
    let total = 0;
    for (const rule of this.#latencyRules) {
      if (!matchesCall(rule, call)) continue;
      total += rule.ms + (rule.jitterMs ? this.#store.rng.next() * rule.jitterMs : 0);
    }
    return total;
  }

  #inject(call: { api: RegistryCall['api']; operation: string; region: string; accountId: string }): void {
    let chosen: ReturnType<ActiveErrorRule['next']>;
    for (const rule of this.#errorRules) {
      if (!matchesCall(rule.rule, call)) continue;
      const spec = rule.next(this.#store.rng);
      if (chosen === undefined && spec !== undefined) chosen = spec;
    }
    if (chosen !== undefined) throw errorFromSpec(chosen, call.operation, call.region);
  }

  #record(call: RegistryCall, accountId: string, outcome: OperationHistoryEntry['outcome']): void {
    if (this.#historyLimit === 0) return;
    const entry: OperationHistoryEntry = {
      time: new Date(this.#clock.now()),
      api: call.api,
      operation: call.operation,
      region: call.region,
      accountId,
      face: call.face,
      input: redactInput(call.input),
      outcome,
    };
    if (this.#history.length < this.#historyLimit) {
      this.#history.push(entry);
      return;
    }
    this.#history[this.#historyStart] = entry;
    this.#historyStart = (this.#historyStart + 1) % this.#historyLimit;
  }
}

function toFailure(err: unknown, call: RegistryCall): EcrError | SimulatedFault {
  if (err instanceof SimulatedFault) return err;
  if (isEcrError(err)) return err.withContext({ operation: call.operation, region: call.region });
  return new EcrError({
    kind: 'ServiceUnavailable',
    awsCode: 'ServerException',
    statusCode: 500,
    message: 'Internal Server Error',
    operation: call.operation,
    region: call.region,
    cause: err,
  });
}
