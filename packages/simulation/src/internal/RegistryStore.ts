import type { ScanFindingsCounts } from '@ecrkit/core-types';
import {
  isValidImageTag,
  parseManifest,
  partitionOf,
  registryHost,
  type ImageTagMutability,
  type ReplicationStatus,
  type ScanStatus,
} from '@ecrkit/core-types';
import type { BlobStore } from '../blobs/BlobStore.js';
import { digestPattern } from './validate.js';
import { imageAlreadyExists, imageDigestMismatch, imageTagAlreadyExists, layersNotFound, referencedImagesNotFound, repositoryNotFound } from './awsErrors.js';
import { sha256Digest } from './digest.js';
import type { ChangeSet } from './changes.js';
import { generateFindings } from './findings.js';
import { newRegistrySettings, type RegistrySettings } from './registrySettings.js';
import { SeededRandom } from './rng.js';
import {
  newAccountState,
  newRegionState,
  newRepositoryRecord,
  noChildren,
  type AccountState,
  type BlobInfo,
  type FindingSpec,
  type ImageRecord,
  type RegionState,
  type ReplicationTrack,
  type RepositoryRecord,
  type ScanScript,
  type ScanState,
  type UploadState,
} from './state.js';

/** How scans move through their states (see `configureScanProgression`). */
export interface ScanProgression {
  sequence: ScanStatus[];
  advanceOn: 'poll' | 'time';
  stepMs: number;
  findings?: ScanFindingsCounts | FindingSpec[];
}

/** How replications move through their states (see `configureReplication`). */
export interface ReplicationProgression {
  sequence: ReplicationStatus[];
  advanceOn: 'poll' | 'time';
  stepMs: number;
  failRegions: string[];
  /** Destinations in these regions stay IN_PROGRESS and are never written (absent in older snapshots). */
  lagRegions?: string[];
}

export interface IssuedToken {
  accountId: string;
  region: string;
  expiresAt: number;
  api: 'ecr' | 'ecr-public';
}

export type ImageLookup = { image: ImageRecord } | { failureCode: string; failureReason: string };

// Scans move on the clock, so every operation that observes one (DescribeImages,
// DescribeImageScanFindings, a waiter) sees the same state at the same time, as with ECR.
const defaultScanProgression = (): ScanProgression => ({ sequence: ['IN_PROGRESS', 'COMPLETE'], advanceOn: 'time', stepMs: 5000 });
// Moto reports a scan COMPLETE as soon as it is started, with one fixed finding.
const lenientScanProgression = (): ScanProgression => ({
  sequence: ['COMPLETE'],
  advanceOn: 'time',
  stepMs: 5000,
  findings: [
    {
      name: 'CVE-9999-9999',
      severity: 'HIGH',
      uri: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-9999-9999',
      packageName: 'moto_fake',
      packageVersion: '9.9.9',
      score: 7.5,
    },
  ],
});
/** How long a restore from the archive storage class takes by default (ECR: "up to 20 minutes"). */
export const defaultRestoreMs = 20 * 60_000;
/**
 * How long an upload may sit idle before it expires. The ECR reference is silent; docker's
 * distribution registry purges uploads a week old. A day is generous for any client that is
 * still pushing, and bounds what abandoned uploads hold on a long-running shared server.
 */
export const defaultUploadIdleMs = 24 * 3600_000;
const defaultReplicationProgression = (): ReplicationProgression => ({
  sequence: ['IN_PROGRESS', 'COMPLETE'],
  advanceOn: 'poll',
  stepMs: 5000,
  failRegions: [],
});

/**
 * All state of a simulated registry and the ECR rules that change it. Operation handlers and the
 * fluent API both go through here, so a tag move or a push obeys the same rules either way.
 */
export class RegistryStore {
  accounts = new Map<string, AccountState>();
  tokens = new Map<string, IssuedToken>();
  seq = 0;
  rng: SeededRandom;
  scanProgression: ScanProgression;
  replicationProgression: ReplicationProgression = defaultReplicationProgression();
  /** Images with time-driven replications not yet written to their destinations. */
  pendingReplications: { repo: RepositoryRecord; image: ImageRecord }[] = [];
  /** What changed since the state file last saved; `undefined` while no state file is attached. */
  changes: ChangeSet | undefined;
  /** Set while a snapshot is written: calls wait for it, so the snapshot is one moment of the state. */
  paused: Promise<void> | undefined;
  /** Registry-level settings (policy, account settings, templates, signing, exclusions, backfills) by account and region. */
  settings = new Map<string, RegistrySettings>();
  /** Upstream registries for pull-through cache rules, by upstream URL: repository name -> repository. */
  upstreams = new Map<string, Map<string, RepositoryRecord>>();
  /** Milliseconds a restore from the archive storage class stays ACTIVATING. */
  restoreMs = defaultRestoreMs;
  /** Replication backfills not yet finished or stopped, so a call can skip settling when there are none. */
  openBackfills = 0;
  /** How long an upload may sit idle before it expires and its bytes are freed. */
  uploadIdleMs = defaultUploadIdleMs;
  /** Every open upload and where it is, least recently touched first: expiry stops at the first fresh one. */
  readonly #openUploads = new Map<UploadState, { repo: RepositoryRecord; uploadId: string }>();

  constructor(
    readonly defaultAccountId: string,
    readonly defaultRegion: string,
    readonly lenient: boolean,
    readonly seed: number,
    /** Blob bytes by digest, shared by every repository that holds the blob. */
    readonly blobStore: BlobStore,
  ) {
    this.rng = new SeededRandom(seed);
    this.scanProgression = lenient ? lenientScanProgression() : defaultScanProgression();
    // New blob bytes go into the state file's next save (as records for a memory store; a folder keeps its own).
    blobStore.onAdded = (digest) => this.changes?.blob(digest);
  }

  clear(): void {
    for (const upload of this.#openUploads.keys()) upload.distribution?.blob.abort();
    this.#openUploads.clear();
    this.accounts.clear();
    this.blobStore.clear();
    this.tokens.clear();
    this.seq = 0;
    this.rng = new SeededRandom(this.seed);
    this.scanProgression = this.lenient ? lenientScanProgression() : defaultScanProgression();
    this.replicationProgression = defaultReplicationProgression();
    this.pendingReplications = [];
    this.settings.clear();
    this.upstreams.clear();
    this.restoreMs = defaultRestoreMs;
    this.openBackfills = 0;
    this.changes?.everything();
  }

  /** The registry-level settings of an account and region, created empty on first use. */
  registrySettings(accountId: string, region: string): RegistrySettings {
    const key = `${accountId}\n${region}`;
    let settings = this.settings.get(key);
    if (!settings) {
      settings = newRegistrySettings();
      this.settings.set(key, settings);
    }
    return settings;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  account(accountId: string): AccountState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = newAccountState(accountId);
      this.accounts.set(accountId, account);
      this.changes?.account(accountId);
    }
    return account;
  }

  region(accountId: string, region: string): RegionState {
    const account = this.account(accountId);
    let state = account.regions.get(region);
    if (!state) {
      state = newRegionState();
      account.regions.set(region, state);
      this.changes?.region(accountId, region);
    }
    return state;
  }

  /** Look a repository up without creating any state. */
  findRepository(accountId: string, region: string, name: string, isPublic = false): RepositoryRecord | undefined {
    const account = this.accounts.get(accountId);
    if (!account) return undefined;
    if (isPublic) return account.publicRegistry.repositories.get(name);
    return account.regions.get(region)?.repositories.get(name);
  }

  requireRepository(accountId: string, region: string, name: string, isPublic = false): RepositoryRecord {
    const repo = this.findRepository(accountId, region, name, isPublic);
    if (!repo) throw repositoryNotFound(name, accountId);
    return repo;
  }

  createRepository(accountId: string, region: string, name: string, now: number, isPublic = false): RepositoryRecord {
    const repo = newRepositoryRecord({ seq: this.nextSeq(), name, accountId, region, public: isPublic, createdAt: now });
    const holder = isPublic ? this.account(accountId).publicRegistry : this.region(accountId, region);
    holder.repositories.set(name, repo);
    holder.repositoryList.push(repo);
    this.changes?.repository(repo);
    return repo;
  }

  deleteRepository(repo: RepositoryRecord): void {
    const account = this.accounts.get(homeOf(repo));
    if (!account) return;
    const holder = repo.public ? account.publicRegistry : account.regions.get(repo.region);
    if (!holder) return;
    holder.repositories.delete(repo.name);
    const i = holder.repositoryList.indexOf(repo);
    if (i >= 0) holder.repositoryList.splice(i, 1);
    this.pendingReplications = this.pendingReplications.filter((p) => p.repo !== repo);
    for (const uploadId of [...repo.uploads.keys()]) this.dropUpload(repo, uploadId);
    this.changes?.repository(repo);
  }

  /** Start tracking a new upload (after expiring those idle too long): both faces' uploads come through here. */
  openUpload(repo: RepositoryRecord, uploadId: string, upload: UploadState): void {
    this.expireUploads(upload.touchedAt);
    repo.uploads.set(uploadId, upload);
    this.#openUploads.set(upload, { repo, uploadId });
  }

  /** The upload `uploadId` of `repo`, marked as in use at `now`; `undefined` when unknown or expired. */
  touchUpload(repo: RepositoryRecord, uploadId: string, now: number): UploadState | undefined {
    this.expireUploads(now);
    const upload = repo.uploads.get(uploadId);
    if (!upload) return undefined;
    upload.touchedAt = now;
    // To the end of the map: it is ordered least recently touched first.
    this.#openUploads.delete(upload);
    this.#openUploads.set(upload, { repo, uploadId });
    return upload;
  }

  /** Stop tracking an upload that completed or was cancelled; returns it (its bytes are the caller's to commit or drop). */
  closeUpload(repo: RepositoryRecord, uploadId: string): UploadState | undefined {
    const upload = repo.uploads.get(uploadId);
    if (!upload) return undefined;
    repo.uploads.delete(uploadId);
    this.#openUploads.delete(upload);
    return upload;
  }

  /** End an upload and free its bytes (cancelled, expired, or its repository deleted). */
  dropUpload(repo: RepositoryRecord, uploadId: string): void {
    this.closeUpload(repo, uploadId)?.distribution?.blob.abort();
  }

  /**
   * Drop uploads idle for `uploadIdleMs` or more, freeing their bytes; a client coming back to
   * one gets UploadNotFoundException (BLOB_UPLOAD_UNKNOWN on `/v2/`). Uploads a request is
   * streaming into are kept.
   */
  expireUploads(now: number): void {
    for (const [upload, { repo, uploadId }] of this.#openUploads) {
      if (now - upload.touchedAt < this.uploadIdleMs) break;
      if (upload.distribution?.busy) continue;
      this.dropUpload(repo, uploadId);
    }
  }

  repositoryArn(repo: RepositoryRecord): string {
    if (repo.public) return `arn:aws:ecr-public::${repo.accountId}:repository/${repo.name}`;
    return `arn:${partitionOf(repo.region).name}:ecr:${repo.region}:${repo.accountId}:repository/${repo.name}`;
  }

  /** The repository's URI: on the served registry's own host when `registryUrl` is given (private repositories only). */
  repositoryUri(repo: RepositoryRecord, registryUrl?: string): string {
    if (repo.public) return `public.ecr.aws/${this.account(repo.accountId).publicRegistry.alias}/${repo.name}`;
    if (registryUrl !== undefined) return `${new URL(registryUrl).host}/${repo.name}`;
    return `${registryHost({ registryId: repo.accountId, region: repo.region })}/${repo.name}`;
  }

  // ---- blobs ----

  /** Store bytes (whole or in chunks) as a blob of the repository (as CompleteLayerUpload does) and return the digest. */
  addBlob(repo: RepositoryRecord, bytes: Uint8Array | readonly Uint8Array[], mediaType?: string): string {
    const digest = this.blobStore.put(bytes);
    this.addRepositoryBlob(repo, digest, { size: this.blobStore.size(digest)!, ...(mediaType !== undefined ? { mediaType } : {}) });
    return digest;
  }

  /** Record that a repository holds a stored blob (an upload completed, a mount, a copy); a media type already known is kept. */
  addRepositoryBlob(repo: RepositoryRecord, digest: string, info: BlobInfo): void {
    const existing = repo.blobs.get(digest);
    repo.blobs.set(digest, { ...info, mediaType: info.mediaType ?? existing?.mediaType });
    this.changes?.repositoryBlob(repo, digest);
  }

  // ---- images ----

  isTagImmutable(repo: RepositoryRecord, tag: string): boolean {
    // Moto reads an exclusion filter as a regular expression matched at the start of the tag.
    const matches = () => (repo.exclusionFilters ?? []).some((f) => wildcardMatch(f.filter, tag) || (this.lenient && regexPrefixMatch(f.filter, tag)));
    const mode: ImageTagMutability = repo.tagMutability;
    if (mode === 'IMMUTABLE') return true;
    if (mode === 'IMMUTABLE_WITH_EXCLUSION') return !matches();
    if (mode === 'MUTABLE_WITH_EXCLUSION') return matches();
    return false;
  }

  /**
   * PutImage's rules. Strict mode (the default, like real ECR) checks the digest parameter
   * against the bytes, that every config and layer blob was uploaded to this repository, and
   * that an index's children exist; lenient mode (moto's behaviour) trusts the digest parameter
   * and skips the existence checks. Returns the image, new or re-tagged.
   */
  putImage(
    repo: RepositoryRecord,
    args: { manifest: string; mediaType?: string; tag?: string; digest?: string; now: number; strict: boolean },
  ): { image: ImageRecord; created: boolean } {
    const facts = parseManifest(args.manifest, args.mediaType);
    const computed = sha256Digest(args.manifest);
    let digest = computed;
    if (args.digest !== undefined && args.digest !== computed) {
      if (args.strict) throw imageDigestMismatch(args.digest, computed);
      digest = args.digest;
    }
    const existing = repo.byDigest.get(digest);
    if (existing) {
      // Moto answers a push of an image it holds, without a tag, with the image.
      if (args.tag === undefined && !args.strict) return { image: existing, created: false };
      if (args.tag === undefined || existing.tags.includes(args.tag)) throw imageAlreadyExists(digest, args.tag, repo.name, repo.accountId);
    } else if (args.strict) {
      if (facts.kind === 'manifest') {
        const missing = [facts.config, ...facts.layers].filter((d) => !d.urls && !repo.blobs.has(d.digest)).map((d) => d.digest);
        if (missing.length > 0) throw layersNotFound([...new Set(missing)], repo.name, repo.accountId);
      } else {
        const missing = facts.manifests.filter((d) => !repo.byDigest.has(d.digest)).map((d) => d.digest);
        if (missing.length > 0) throw referencedImagesNotFound(missing, repo.name, repo.accountId);
      }
    }
    if (args.tag !== undefined) {
      const holder = repo.byTag.get(args.tag);
      if (holder !== undefined && holder !== digest && this.isTagImmutable(repo, args.tag)) {
        // Moto answers an immutable tag held by another image with ImageAlreadyExistsException.
        if (!args.strict) throw imageAlreadyExists(holder, args.tag, repo.name, repo.accountId);
        throw imageTagAlreadyExists(args.tag, repo.name, repo.accountId);
      }
    }

    let image = existing;
    if (!image) {
      image = {
        seq: this.nextSeq(),
        digest,
        manifest: args.manifest,
        mediaType: facts.mediaType,
        kind: facts.kind,
        tags: [],
        size: 0,
        pushedAt: args.now,
        blobDigests: [],
        children: noChildren,
      };
      if (facts.kind === 'manifest') {
        const config = facts.config;
        image.artifactMediaType = config.mediaType || undefined;
        image.blobDigests = [config.digest, ...facts.layers.map((l) => l.digest)];
        image.size = config.size + facts.layers.reduce((sum, l) => sum + l.size, 0);
        for (const d of [config, ...facts.layers]) {
          const blob = repo.blobs.get(d.digest);
          if (blob && !blob.mediaType && d.mediaType) {
            blob.mediaType = d.mediaType;
            this.changes?.repositoryBlob(repo, d.digest);
          }
        }
        const platform = this.platformFromConfig(config.digest);
        if (platform) image.platform = platform;
      } else {
        image.children = facts.manifests.map((m) => m.digest);
        if (facts.artifactType) image.artifactMediaType = facts.artifactType;
        image.size = facts.manifests.reduce((sum, m) => sum + (repo.byDigest.get(m.digest)?.size ?? m.size), 0);
        for (const child of facts.manifests) {
          let set = repo.referencedBy.get(child.digest);
          if (!set) {
            set = new Set();
            repo.referencedBy.set(child.digest, set);
          }
          set.add(digest);
          const childImage = repo.byDigest.get(child.digest);
          const p = child.platform;
          if (childImage && !childImage.platform && p?.os && p.architecture) {
            childImage.platform = [p.os, p.architecture, p.variant].filter(Boolean).join('/');
            this.changes?.image(repo, childImage.digest);
          }
        }
      }
      if (facts.subject) image.subjectDigest = facts.subject.digest;
      repo.images.push(image);
      repo.byDigest.set(digest, image);
      this.changes?.image(repo, digest);
    }
    if (args.tag !== undefined) {
      const previous = repo.byTag.get(args.tag);
      this.setTag(repo, image, args.tag, args.now);
      // Moto deletes an image whose last tag a push takes away; ECR keeps it, untagged.
      const orphan = previous === undefined || previous === image.digest || args.strict ? undefined : repo.byDigest.get(previous);
      if (orphan && orphan.tags.length === 0 && (repo.referencedBy.get(orphan.digest)?.size ?? 0) === 0) this.deleteImage(repo, orphan);
    }
    return { image, created: existing === undefined };
  }

  private platformFromConfig(configDigest: string): string | undefined {
    const size = this.blobStore.size(configDigest);
    if (size === undefined || size > 1_000_000) return undefined;
    const bytes = this.blobStore.read(configDigest)!;
    try {
      const config = JSON.parse(Buffer.from(bytes).toString('utf8')) as { os?: unknown; architecture?: unknown; variant?: unknown };
      if (typeof config.os !== 'string' || typeof config.architecture !== 'string') return undefined;
      return [config.os, config.architecture, typeof config.variant === 'string' ? config.variant : undefined].filter(Boolean).join('/');
    } catch {
      return undefined;
    }
  }

  /** Point `tag` at `image`, taking it from whichever image held it. */
  setTag(repo: RepositoryRecord, image: ImageRecord, tag: string, now: number): void {
    const holder = repo.byTag.get(tag);
    if (holder === image.digest) return;
    if (holder !== undefined) {
      const previous = repo.byDigest.get(holder);
      if (previous) previous.tags = previous.tags.filter((t) => t !== tag);
      this.changes?.image(repo, holder);
    }
    repo.byTag.set(tag, image.digest);
    repo.tagTimes.set(tag, now);
    image.tags.push(tag);
    this.changes?.image(repo, image.digest);
  }

  untag(repo: RepositoryRecord, image: ImageRecord, tag: string): void {
    image.tags = image.tags.filter((t) => t !== tag);
    if (repo.byTag.get(tag) === image.digest) {
      repo.byTag.delete(tag);
      repo.tagTimes.delete(tag);
    }
    this.changes?.image(repo, image.digest);
  }

  deleteImage(repo: RepositoryRecord, image: ImageRecord): void {
    for (const tag of image.tags) {
      repo.byTag.delete(tag);
      repo.tagTimes.delete(tag);
    }
    image.tags = [];
    repo.byDigest.delete(image.digest);
    const i = indexBySeq(repo.images, image.seq);
    if (i >= 0) repo.images.splice(i, 1);
    for (const child of image.children) {
      const set = repo.referencedBy.get(child);
      set?.delete(image.digest);
      if (set && set.size === 0) repo.referencedBy.delete(child);
    }
    if (image.replications) this.pendingReplications = this.pendingReplications.filter((p) => p.image !== image);
    this.changes?.image(repo, image.digest);
  }

  /** Record a pull (BatchGetImage, a manifest GET): ECR's `lastRecordedPullTime`. */
  recordPull(repo: RepositoryRecord, image: ImageRecord, now: number): void {
    image.lastPulledAt = now;
    this.changes?.image(repo, image.digest);
  }

  /** Resolve an `ImageIdentifier` the way BatchGetImage and BatchDeleteImage do, as an image or a failure. */
  lookupImage(repo: RepositoryRecord, id: { imageDigest?: unknown; imageTag?: unknown }): ImageLookup {
    const digest = id.imageDigest;
    const tag = id.imageTag;
    if ((digest === undefined || digest === null) && (tag === undefined || tag === null)) {
      return { failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' };
    }
    // The model's digest pattern (any algorithm), in ECR's wording; a well-formed digest of another algorithm is simply not found.
    if (digest !== undefined && digest !== null && (typeof digest !== 'string' || !digestPattern.test(digest))) {
      return {
        failureCode: 'InvalidImageDigest',
        failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
      };
    }
    if (tag !== undefined && tag !== null && !isValidImageTag(tag)) {
      return {
        failureCode: 'InvalidImageTag',
        failureReason: "Invalid request parameters: image tag should satisfy the regex '[A-Za-z0-9_][A-Za-z0-9._-]{0,299}'",
      };
    }
    if (typeof digest === 'string') {
      const image = repo.byDigest.get(digest);
      if (!image) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
      if (typeof tag === 'string' && !image.tags.includes(tag)) {
        if (!repo.byTag.has(tag)) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
        return { failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid request parameters: image tag does not match digest' };
      }
      return { image };
    }
    const byTag = repo.byTag.get(tag as string);
    const image = byTag === undefined ? undefined : repo.byDigest.get(byTag);
    if (!image) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
    return { image };
  }

  // ---- scans ----

  /**
   * How a repository is scanned under the registry's scanning rules (BatchGetRepositoryScanningConfiguration's
   * view): the frequency of the matching rule that scans most (continuous over scan on push over
   * manual) with the filters of it that match; with no matching rule, the repository's own
   * scan-on-push setting.
   */
  repositoryScanning(repo: RepositoryRecord): {
    scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL';
    appliedScanFilters: { filter: string; filterType: 'WILDCARD' }[];
  } {
    const rank = { MANUAL: 0, SCAN_ON_PUSH: 1, CONTINUOUS_SCAN: 2 } as const;
    let best: { scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL'; appliedScanFilters: { filter: string; filterType: 'WILDCARD' }[] } | undefined;
    if (!repo.public) {
      for (const rule of this.region(homeOf(repo), repo.region).scanningRules) {
        const matching = rule.repositoryFilters.filter((f) => wildcardMatch(f.filter, repo.name));
        if (matching.length === 0) continue;
        if (best === undefined || rank[rule.scanFrequency] > rank[best.scanFrequency]) {
          best = { scanFrequency: rule.scanFrequency, appliedScanFilters: matching.map((f) => ({ ...f })) };
        }
      }
    }
    return best ?? { scanFrequency: repo.scanOnPush ? 'SCAN_ON_PUSH' : 'MANUAL', appliedScanFilters: [] };
  }

  /** Whether a push to this repository starts a scan (repository setting or a registry scanning rule). */
  scanOnPush(repo: RepositoryRecord): boolean {
    if (repo.public) return false;
    return repo.scanOnPush || this.repositoryScanning(repo).scanFrequency !== 'MANUAL';
  }

  startScan(repo: RepositoryRecord, image: ImageRecord, now: number, options: { fixture?: boolean; enhanced?: boolean } = {}): ScanState {
    const progression = this.scanProgression;
    const enhanced = options.enhanced ?? this.region(homeOf(repo), repo.region).scanType === 'ENHANCED';
    let scan: ScanState;
    if (options.fixture) {
      scan = {
        enhanced,
        startedAt: now,
        polls: 0,
        sequence: [enhanced ? 'ACTIVE' : 'COMPLETE'],
        advanceOn: 'poll',
        stepMs: progression.stepMs,
        completedAt: now,
        fixture: true,
      };
    } else if (image.scanScript) {
      scan = scriptedScan(image.scanScript, enhanced, now);
    } else {
      scan = { enhanced, startedAt: now, polls: 0, sequence: [...progression.sequence], advanceOn: progression.advanceOn, stepMs: progression.stepMs };
    }
    if (!options.fixture && image.findings === undefined && progression.findings !== undefined) {
      image.findings = Array.isArray(progression.findings)
        ? progression.findings.map((f) => ({ ...f }))
        : generateFindings(progression.findings as ScanFindingsCounts, this.rng);
    }
    image.scan = scan;
    this.changes?.image(repo, image.digest);
    return scan;
  }

  /**
   * Script how an image's scan ends: a scan under way (or finished) restarts its clock now and
   * ends `afterMs` later in `status`; an image not scanned yet keeps the script for its next scan.
   */
  scriptScan(repo: RepositoryRecord, image: ImageRecord, script: ScanScript, findings: FindingSpec[] | undefined, now: number): void {
    image.scanScript = { ...script };
    if (findings !== undefined) image.findings = findings;
    if (image.scan) image.scan = scriptedScan(script, image.scan.enhanced || this.region(homeOf(repo), repo.region).scanType === 'ENHANCED', now);
    this.changes?.image(repo, image.digest);
  }

  /**
   * The scan's current state. `advance` (DescribeImageScanFindings) counts a poll for
   * poll-driven progressions; reads elsewhere (DescribeImages) do not move the scan.
   */
  scanView(
    repo: RepositoryRecord,
    image: ImageRecord,
    now: number,
    advance: boolean,
  ): { status: ScanStatus; terminal: boolean; completedAt?: number } | undefined {
    const scan = image.scan;
    if (!scan) return undefined;
    const last = scan.sequence.length - 1;
    const raw = scan.advanceOn === 'poll' ? scan.polls : Math.floor((now - scan.startedAt) / Math.max(1, scan.stepMs));
    const index = Math.max(0, Math.min(raw, last));
    if (advance && scan.advanceOn === 'poll' && scan.polls < last) {
      scan.polls++;
      this.changes?.image(repo, image.digest);
    }
    const terminal = index === last;
    if (terminal && scan.completedAt === undefined) {
      scan.completedAt = scan.advanceOn === 'time' ? scan.startedAt + scan.stepMs * last : now;
      this.changes?.image(repo, image.digest);
    }
    const view: { status: ScanStatus; terminal: boolean; completedAt?: number } = { status: scan.sequence[index]!, terminal };
    if (terminal && scan.completedAt !== undefined) view.completedAt = scan.completedAt;
    return view;
  }

  // ---- replication ----

  replicationDestinations(repo: RepositoryRecord): { region: string; registryId: string }[] {
    if (repo.public) return [];
    const rules = this.region(homeOf(repo), repo.region).replicationRules;
    const out = new Map<string, { region: string; registryId: string }>();
    for (const rule of rules) {
      const applies = !rule.repositoryFilters || rule.repositoryFilters.length === 0 || rule.repositoryFilters.some((f) => repo.name.startsWith(f.filter));
      if (!applies) continue;
      for (const d of rule.destinations) {
        if (d.region === repo.region && d.registryId === repo.accountId) continue;
        out.set(`${d.registryId}/${d.region}`, { region: d.region, registryId: d.registryId });
      }
    }
    return [...out.values()];
  }

  scheduleReplication(repo: RepositoryRecord, image: ImageRecord, now: number): void {
    const destinations = this.replicationDestinations(repo);
    if (destinations.length === 0) return;
    const p = this.replicationProgression;
    image.replications = destinations.map((d) => {
      const sequence: ReplicationStatus[] = [...p.sequence];
      if (p.failRegions.includes(d.region)) sequence[sequence.length - 1] = 'FAILED';
      else if (p.lagRegions?.includes(d.region)) sequence.splice(0, sequence.length, 'IN_PROGRESS');
      return { ...d, startedAt: now, polls: 0, sequence, advanceOn: p.advanceOn, stepMs: p.stepMs, done: false };
    });
    this.changes?.image(repo, image.digest);
    if (p.advanceOn === 'time') this.pendingReplications.push({ repo, image });
  }

  replicationView(repo: RepositoryRecord, image: ImageRecord, track: ReplicationTrack, now: number, advance: boolean): ReplicationStatus {
    const last = track.sequence.length - 1;
    const raw = track.advanceOn === 'poll' ? track.polls : Math.floor((now - track.startedAt) / Math.max(1, track.stepMs));
    const index = Math.max(0, Math.min(raw, last));
    if (advance && track.advanceOn === 'poll' && track.polls < last) {
      track.polls++;
      this.changes?.image(repo, image.digest);
    }
    const status = track.sequence[index]!;
    if (status === 'COMPLETE' && !track.done) this.materializeReplica(repo, image, track, now);
    return status;
  }

  /** Write completed time-driven replications into their destinations. Cheap when none is pending. */
  settleReplications(now: number): void {
    if (this.pendingReplications.length === 0) return;
    const still: { repo: RepositoryRecord; image: ImageRecord }[] = [];
    for (const entry of this.pendingReplications) {
      let open = false;
      for (const track of entry.image.replications ?? []) {
        if (track.done) continue;
        const status = this.replicationView(entry.repo, entry.image, track, now, false);
        if (status !== 'COMPLETE' && status !== 'FAILED') open = true;
      }
      if (open) still.push(entry);
    }
    this.pendingReplications = still;
  }

  /**
   * A tag pushed for an image that already exists is a push too, and replicates: destinations
   * already written get the tag at once; the others copy the image's tags when they are written.
   */
  replicateTag(source: RepositoryRecord, image: ImageRecord, tag: string, now: number): void {
    for (const track of image.replications ?? []) {
      if (!track.done) continue;
      const dest = this.findRepository(track.registryId, track.region, source.name);
      const copy = dest?.byDigest.get(image.digest);
      if (dest && copy) this.setTag(dest, copy, tag, now);
    }
  }

  private materializeReplica(source: RepositoryRecord, image: ImageRecord, track: ReplicationTrack, now: number): void {
    track.done = true;
    this.changes?.image(source, image.digest);
    // An index replicates with the manifests it references, as ECR copies an image whole.
    for (const childDigest of image.children) {
      const child = source.byDigest.get(childDigest);
      if (!child) continue;
      const childTrack = child.replications?.find((t) => t.registryId === track.registryId && t.region === track.region);
      if (childTrack?.done) continue;
      this.materializeReplica(source, child, childTrack ?? { ...track, done: false }, now);
    }
    let dest = this.findRepository(track.registryId, track.region, source.name);
    if (!dest) {
      dest = this.createRepository(track.registryId, track.region, source.name, now);
      dest.tagMutability = source.tagMutability;
      if (source.exclusionFilters) dest.exclusionFilters = source.exclusionFilters.map((f) => ({ ...f }));
      dest.scanOnPush = source.scanOnPush;
      dest.encryption = { ...source.encryption };
      this.onReplicaRepository?.(dest, now);
    }
    this.copyImage(source, dest, image, image.tags, now);
  }

  /**
   * Called when replication creates a destination repository (after it took the source's
   * settings), so a repository creation template can apply; set by the operations layer.
   */
  onReplicaRepository?: (repo: RepositoryRecord, now: number) => void;

  /**
   * Copy an image (manifest, blob references, the given tags) into another repository, as
   * replication and pull through cache do; an index's children are copied first. Returns the copy.
   */
  copyImage(source: RepositoryRecord, dest: RepositoryRecord, image: ImageRecord, tags: readonly string[], now: number): ImageRecord {
    for (const child of image.children) {
      const childImage = source.byDigest.get(child);
      if (childImage && !dest.byDigest.has(child)) this.copyImage(source, dest, childImage, [], now);
    }
    for (const digest of image.blobDigests) {
      const info = source.blobs.get(digest);
      if (info) {
        dest.blobs.set(digest, { ...info });
        this.changes?.repositoryBlob(dest, digest);
      }
    }
    let copy = dest.byDigest.get(image.digest);
    if (!copy) {
      copy = {
        seq: this.nextSeq(),
        digest: image.digest,
        manifest: image.manifest,
        mediaType: image.mediaType,
        kind: image.kind,
        tags: [],
        size: image.size,
        pushedAt: now,
        blobDigests: [...image.blobDigests],
        children: [...image.children],
      };
      if (image.artifactMediaType) copy.artifactMediaType = image.artifactMediaType;
      if (image.subjectDigest) copy.subjectDigest = image.subjectDigest;
      if (image.platform) copy.platform = image.platform;
      dest.images.push(copy);
      dest.byDigest.set(copy.digest, copy);
      this.changes?.image(dest, copy.digest);
      for (const child of copy.children) {
        let set = dest.referencedBy.get(child);
        if (!set) {
          set = new Set();
          dest.referencedBy.set(child, set);
        }
        set.add(copy.digest);
      }
    }
    for (const tag of tags) this.setTag(dest, copy, tag, now);
    return copy;
  }

  /** An upstream registry's repository (pull through cache fixtures), created on first use when `create`. */
  upstreamRepository(url: string, name: string, create: boolean, now: number): RepositoryRecord | undefined {
    let registry = this.upstreams.get(url);
    if (!registry) {
      if (!create) return undefined;
      registry = new Map();
      this.upstreams.set(url, registry);
    }
    let repo = registry.get(name);
    if (!repo && create) {
      repo = newRepositoryRecord({ seq: this.nextSeq(), name, accountId: 'upstream', region: url, public: false, createdAt: now });
      registry.set(name, repo);
      this.changes?.repository(repo);
    }
    return repo;
  }

  // ---- authorization tokens ----

  issueToken(accountId: string, region: string, now: number, api: 'ecr' | 'ecr-public'): { token: string; expiresAt: number } {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let password = '';
    for (let i = 0; i < 256; i++) password += alphabet[Math.floor(this.rng.next() * 64)];
    const expiresAt = now + 12 * 3600_000;
    this.tokens.set(password, { accountId, region, expiresAt, api });
    return { token: Buffer.from(`AWS:${password}`, 'utf8').toString('base64'), expiresAt };
  }
}

function scriptedScan(script: ScanScript, enhanced: boolean, now: number): ScanState {
  const done: ScanStatus = script.status === 'COMPLETE' && enhanced ? 'ACTIVE' : script.status;
  return {
    enhanced,
    startedAt: now,
    polls: 0,
    sequence: script.afterMs > 0 ? ['IN_PROGRESS', done] : [done],
    advanceOn: 'time',
    stepMs: Math.max(1, script.afterMs),
  };
}

/** The account whose state holds a repository (its registry, except for lenient repositories created with another registryId). */
export function homeOf(repo: RepositoryRecord): string {
  return repo.namespaceId ?? repo.accountId;
}

function regexPrefixMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})`).test(value);
  } catch {
    return false;
  }
}

/** ECR's wildcard filters: `*` matches any run of characters, everything else literally. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

function indexBySeq(images: readonly ImageRecord[], seq: number): number {
  let lo = 0;
  let hi = images.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = images[mid]!.seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
