import {
  EncryptionType,
  FindingSeverity,
  ImageTagMutability,
  MediaType,
  ReplicationStatus,
  ScanFrequency,
  ScanStatus,
  ScanType,
  isValidDigest,
  validateDigest,
  validateImageTag,
  validatePublicRepositoryName,
  validateRegion,
  validateRegistryId,
  validateRepositoryName,
} from '@ecrkit/core-types';
import { readBlobFile } from '../blobs/createDirectoryBlobStore.js';
import { sha256Digest } from './digest.js';
import {
  array,
  boolean,
  finite,
  integer,
  invalidAt,
  object,
  oneOf,
  onlyKeys,
  optionalArray,
  optionalBoolean,
  optionalString,
  optionalTime,
  string,
  time,
  within,
  type Json,
} from './fileChecks.js';
import type { FindingSpec } from './state.js';
import { homeOf, type RegistryStore, type ReplicationProgression, type ScanProgression } from './RegistryStore.js';
import { accountSettingValues, type RegistrySettings } from './registrySettings.js';
import {
  newAccountState,
  newRegionState,
  newRepositoryRecord,
  noChildren,
  type AccountState,
  type BlobInfo,
  type ImageRecord,
  type LifecyclePreviewState,
  type PullThroughCacheRuleRecord,
  type RegionState,
  type ReplicationRuleRecord,
  type ReplicationTrack,
  type RepositoryRecord,
  type ScanScript,
  type ScanState,
  type ScanningRuleRecord,
  type StorageState,
} from './state.js';
import { digestPattern } from './validate.js';

// The state as records: one per registry, account, region, repository, repository blob, image and
// blob. The state file (format 2) writes one record per line, and its journal appends records;
// the version-1 snapshot nests the same records. Both load through one StateBuilder, which checks
// every record with core-types' validators before anything is replaced.
//
// To add state (a new registry-level setting, a new per-image field): add it to the record's
// writer below, to its reader in StateBuilder (with the checks its API input gets), and to the
// allowed keys there; a round-trip test then covers it.

/**
 * Where a repository lives: private repositories by the account holding them and region, ECR
 * Public ones by account, an upstream registry's (pull through cache fixtures) by its URL.
 */
export interface RepositoryKey {
  accountId?: string;
  /** Absent for ECR Public. */
  region?: string;
  public?: true;
  upstream?: string;
}

/** The account of upstream registries' repositories (`store.upstreams`); their `region` is the upstream URL. */
export const upstreamAccount = 'upstream';

export function keyOf(repo: RepositoryRecord): RepositoryKey {
  if (repo.accountId === upstreamAccount) return { upstream: repo.region };
  return repo.public ? { accountId: homeOf(repo), public: true } : { accountId: homeOf(repo), region: repo.region };
}

// ---- writers ----

export function registryFields(store: RegistryStore): Json {
  return {
    seq: store.seq,
    randomState: store.rng.state,
    scanProgression: store.scanProgression,
    replicationProgression: store.replicationProgression,
    restoreMs: store.restoreMs,
  };
}

/** An account and region's registry-level settings (policy, account settings, templates, signing, exclusions, backfills). */
export function settingsFields(accountId: string, region: string, settings: RegistrySettings): Json {
  return { accountId, region, ...settings };
}

export function accountFields(accountId: string, account: AccountState): Json {
  return { accountId, alias: account.publicRegistry.alias, displayName: account.publicRegistry.displayName };
}

export function regionFields(accountId: string, region: string, state: RegionState): Json {
  return {
    accountId,
    region,
    replicationRules: state.replicationRules,
    scanType: state.scanType,
    scanningRules: state.scanningRules,
    pullThroughCacheRules: state.pullThroughCacheRules,
  };
}

/** A repository's own settings (its images, blobs and tag times are records of their own). */
export function repositorySettings(repo: RepositoryRecord): Json {
  const out: Json = {
    name: repo.name,
    seq: repo.seq,
    createdAt: repo.createdAt,
    tagMutability: repo.tagMutability,
    scanOnPush: repo.scanOnPush,
    encryption: repo.encryption,
    resourceTags: repo.resourceTags,
  };
  // A lenient repository created with another registryId: held by one account, named for another.
  if (repo.namespaceId !== undefined) out.registryId = repo.accountId;
  if (repo.exclusionFilters) out.exclusionFilters = repo.exclusionFilters;
  if (repo.policyText !== undefined) out.policyText = repo.policyText;
  if (repo.lifecyclePolicyText !== undefined) out.lifecyclePolicyText = repo.lifecyclePolicyText;
  if (repo.lifecycleEvaluatedAt !== undefined) out.lifecycleEvaluatedAt = repo.lifecycleEvaluatedAt;
  if (repo.lifecyclePreview) out.lifecyclePreview = repo.lifecyclePreview;
  if (repo.catalogData) out.catalogData = repo.catalogData;
  return out;
}

export function repositoryRecord(repo: RepositoryRecord): Json {
  return { t: 'repository', ...keyOf(repo), ...repositorySettings(repo) };
}

export function repositoryBlobRecord(repo: RepositoryRecord, digest: string, info: BlobInfo): Json {
  const out: Json = { t: 'repository-blob', ...keyOf(repo), repository: repo.name, digest, size: info.size };
  if (info.mediaType !== undefined) out.mediaType = info.mediaType;
  return out;
}

/** An image as the version-1 snapshot nests it (tag times are the repository's). */
export function imageFields(image: ImageRecord): Json {
  const out: Json = {
    seq: image.seq,
    digest: image.digest,
    manifest: image.manifest,
    mediaType: image.mediaType,
    tags: image.tags,
    size: image.size,
    pushedAt: image.pushedAt,
    blobDigests: image.blobDigests,
    kind: image.kind,
    children: image.children,
  };
  if (image.artifactMediaType !== undefined) out.artifactMediaType = image.artifactMediaType;
  if (image.lastPulledAt !== undefined) out.lastPulledAt = image.lastPulledAt;
  if (image.subjectDigest !== undefined) out.subjectDigest = image.subjectDigest;
  if (image.platform !== undefined) out.platform = image.platform;
  if (image.scan) out.scan = image.scan;
  if (image.findings) out.findings = image.findings;
  if (image.replications) out.replications = image.replications;
  if (image.scanScript) out.scanScript = image.scanScript;
  if (image.storage) out.storage = image.storage;
  if (image.signing) out.signing = image.signing;
  return out;
}

/** An image line: its fields, its repository, and when each of its tags was set. */
export function imageRecord(repo: RepositoryRecord, image: ImageRecord): Json {
  const tagTimes = image.tags.map((tag) => [tag, repo.tagTimes.get(tag) ?? image.pushedAt]);
  const out: Json = { t: 'image', ...keyOf(repo), repository: repo.name, ...imageFields(image), tagTimes };
  // Left out at their defaults (most images): a single-platform image, without children.
  if (image.kind === 'manifest') delete out.kind;
  if (image.children.length === 0) delete out.children;
  return out;
}

export function blobRecord(digest: string, bytes: Uint8Array): Json {
  return { t: 'blob', digest, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

export function deleteRepositoryRecord(repo: RepositoryRecord): Json {
  return { t: 'delete-repository', ...keyOf(repo), name: repo.name, seq: repo.seq };
}

export function deleteImageRecord(repo: RepositoryRecord, digest: string): Json {
  return { t: 'delete-image', ...keyOf(repo), repository: repo.name, digest };
}

// ---- the builder: checks records and assembles a state ----

const manifestMediaTypes: readonly string[] = [MediaType.DockerManifest, MediaType.DockerManifestList, MediaType.OciManifest, MediaType.OciIndex];
const aliasPattern = /^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const advanceModes = ['poll', 'time'] as const;
const maxText = 4 * 1024 * 1024;

/** A digest of content (blobs, layers, children): core-types' rule. */
function contentDigest(value: unknown, path: string): string {
  within(path, () => validateDigest(value, path));
  return value as string;
}

/** An image digest: core-types' rule, or in lenient registries any `algorithm:hex` (the ECR model's pattern), as PutImage accepts. */
function imageDigest(value: unknown, path: string): string {
  if (isValidDigest(value)) return value;
  if (typeof value === 'string' && value.length <= 1000 && digestPattern.test(value)) return value;
  return contentDigest(value, path);
}

function region(value: unknown, path: string): string {
  within(path, () => validateRegion(value, path));
  return value as string;
}

function registryId(value: unknown, path: string): string {
  within(path, () => validateRegistryId(value, path));
  return value as string;
}

/**
 * A progression's states: ECR's status names, or any upper-case name (`configureScanProgression`
 * accepts one to stand in for a status AWS may add).
 */
function progressionSequence<T extends string>(value: unknown, values: Readonly<Record<string, T>>, path: string): T[] {
  const list = array(value, path);
  if (list.length === 0) throw invalidAt(path, 'must list at least one state');
  const known: readonly string[] = Object.values(values);
  return list.map((s, i) => {
    if (typeof s === 'string' && (known.includes(s) || /^[A-Z][A-Z_]{0,63}$/.test(s))) return s as T;
    return oneOf(s, values, `${path}[${i}]`);
  });
}

function findings(value: unknown, path: string): FindingSpec[] {
  return array(value, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const f = object(raw, p);
    onlyKeys(f, ['name', 'severity', 'description', 'uri', 'packageName', 'packageVersion', 'fixedInVersion', 'score'], p);
    const out: FindingSpec = { name: string(f.name, `${p}.name`, 1000), severity: oneOf(f.severity, FindingSeverity, `${p}.severity`) };
    for (const key of ['description', 'uri', 'packageName', 'packageVersion', 'fixedInVersion'] as const) {
      const v = optionalString(f[key], `${p}.${key}`, 100_000);
      if (v !== undefined) out[key] = v;
    }
    if (f.score !== undefined) out.score = finite(f.score, `${p}.score`);
    return out;
  });
}

function scanState(value: unknown, path: string): ScanState {
  const s = object(value, path);
  onlyKeys(s, ['enhanced', 'startedAt', 'polls', 'sequence', 'advanceOn', 'stepMs', 'completedAt', 'fixture'], path);
  const out: ScanState = {
    enhanced: boolean(s.enhanced, `${path}.enhanced`),
    startedAt: time(s.startedAt, `${path}.startedAt`),
    polls: integer(s.polls, `${path}.polls`),
    sequence: progressionSequence(s.sequence, ScanStatus, `${path}.sequence`),
    advanceOn: oneOf(s.advanceOn, advanceModes, `${path}.advanceOn`),
    stepMs: integer(s.stepMs, `${path}.stepMs`),
  };
  const completedAt = optionalTime(s.completedAt, `${path}.completedAt`);
  if (completedAt !== undefined) out.completedAt = completedAt;
  if (optionalBoolean(s.fixture, `${path}.fixture`)) out.fixture = true;
  return out;
}

function replicationTrack(value: unknown, path: string): ReplicationTrack {
  const t = object(value, path);
  onlyKeys(t, ['region', 'registryId', 'startedAt', 'polls', 'sequence', 'advanceOn', 'stepMs', 'done'], path);
  return {
    region: region(t.region, `${path}.region`),
    registryId: registryId(t.registryId, `${path}.registryId`),
    startedAt: time(t.startedAt, `${path}.startedAt`),
    polls: integer(t.polls, `${path}.polls`),
    sequence: progressionSequence(t.sequence, ReplicationStatus, `${path}.sequence`),
    advanceOn: oneOf(t.advanceOn, advanceModes, `${path}.advanceOn`),
    stepMs: integer(t.stepMs, `${path}.stepMs`),
    done: boolean(t.done, `${path}.done`),
  };
}

function severityCounts(value: unknown, path: string): Record<string, number> {
  const c = object(value, path);
  const keys = ['critical', 'high', 'medium', 'low', 'informational', 'undefined'];
  onlyKeys(c, keys, path);
  const out: Record<string, number> = {};
  for (const key of keys) if (c[key] !== undefined) out[key] = integer(c[key], `${path}.${key}`, 0, 100_000);
  return out;
}

function scanProgression(value: unknown, path: string): ScanProgression {
  const p = object(value, path);
  onlyKeys(p, ['sequence', 'advanceOn', 'stepMs', 'findings'], path);
  const out: ScanProgression = {
    sequence: progressionSequence(p.sequence, ScanStatus, `${path}.sequence`),
    advanceOn: oneOf(p.advanceOn, advanceModes, `${path}.advanceOn`),
    stepMs: integer(p.stepMs, `${path}.stepMs`),
  };
  if (p.findings !== undefined)
    out.findings = Array.isArray(p.findings) ? findings(p.findings, `${path}.findings`) : severityCounts(p.findings, `${path}.findings`);
  return out;
}

function replicationProgression(value: unknown, path: string): ReplicationProgression {
  const p = object(value, path);
  onlyKeys(p, ['sequence', 'advanceOn', 'stepMs', 'failRegions', 'lagRegions'], path);
  const out: ReplicationProgression = {
    sequence: progressionSequence(p.sequence, ReplicationStatus, `${path}.sequence`),
    advanceOn: oneOf(p.advanceOn, advanceModes, `${path}.advanceOn`),
    stepMs: integer(p.stepMs, `${path}.stepMs`),
    failRegions: array(p.failRegions, `${path}.failRegions`).map((r, i) => region(r, `${path}.failRegions[${i}]`)),
  };
  const lag = optionalArray(p.lagRegions, `${path}.lagRegions`);
  if (lag) out.lagRegions = lag.map((r, i) => region(r, `${path}.lagRegions[${i}]`));
  return out;
}

function filters<T extends string>(value: unknown, filterType: T, path: string): { filter: string; filterType: T }[] {
  return array(value, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const f = object(raw, p);
    onlyKeys(f, ['filter', 'filterType'], p);
    return { filter: string(f.filter, `${p}.filter`, 256), filterType: oneOf(f.filterType, [filterType], `${p}.filterType`) };
  });
}

function replicationRules(value: unknown, path: string): ReplicationRuleRecord[] {
  return array(value, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const r = object(raw, p);
    onlyKeys(r, ['destinations', 'repositoryFilters'], p);
    const out: ReplicationRuleRecord = {
      destinations: array(r.destinations, `${p}.destinations`).map((d, j) => {
        const q = `${p}.destinations[${j}]`;
        const dest = object(d, q);
        onlyKeys(dest, ['region', 'registryId'], q);
        return { region: region(dest.region, `${q}.region`), registryId: registryId(dest.registryId, `${q}.registryId`) };
      }),
    };
    if (r.repositoryFilters !== undefined) out.repositoryFilters = filters(r.repositoryFilters, 'PREFIX_MATCH', `${p}.repositoryFilters`);
    return out;
  });
}

function scanningRules(value: unknown, path: string): ScanningRuleRecord[] {
  return array(value, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const r = object(raw, p);
    onlyKeys(r, ['scanFrequency', 'repositoryFilters'], p);
    return {
      scanFrequency: oneOf(r.scanFrequency, ScanFrequency, `${p}.scanFrequency`),
      repositoryFilters: filters(r.repositoryFilters, 'WILDCARD', `${p}.repositoryFilters`),
    };
  });
}

function pullThroughCacheRules(value: unknown, path: string): PullThroughCacheRuleRecord[] {
  return array(value, path).map((raw, i) => {
    const p = `${path}[${i}]`;
    const r = object(raw, p);
    const optional = ['upstreamRegistry', 'credentialArn', 'customRoleArn', 'upstreamRepositoryPrefix'] as const;
    onlyKeys(r, ['ecrRepositoryPrefix', 'upstreamRegistryUrl', 'createdAt', 'updatedAt', ...optional], p);
    const out: PullThroughCacheRuleRecord = {
      ecrRepositoryPrefix: string(r.ecrRepositoryPrefix, `${p}.ecrRepositoryPrefix`, 256),
      upstreamRegistryUrl: string(r.upstreamRegistryUrl, `${p}.upstreamRegistryUrl`, 2048),
      createdAt: time(r.createdAt, `${p}.createdAt`),
      updatedAt: time(r.updatedAt, `${p}.updatedAt`),
    };
    for (const key of optional) {
      const v = optionalString(r[key], `${p}.${key}`, 2048);
      if (v !== undefined) out[key] = v;
    }
    return out;
  });
}

function lifecyclePreview(value: unknown, path: string): LifecyclePreviewState {
  const p = object(value, path);
  onlyKeys(p, ['policyText', 'startedAt', 'polls', 'results'], path);
  return {
    policyText: string(p.policyText, `${path}.policyText`, maxText),
    startedAt: time(p.startedAt, `${path}.startedAt`),
    polls: integer(p.polls, `${path}.polls`),
    results: array(p.results, `${path}.results`).map((raw, i) => {
      const q = `${path}.results[${i}]`;
      const r = object(raw, q);
      onlyKeys(r, ['imageDigest', 'imageTags', 'imagePushedAt', 'appliedRulePriority'], q);
      return {
        imageDigest: imageDigest(r.imageDigest, `${q}.imageDigest`),
        imageTags: array(r.imageTags, `${q}.imageTags`).map((t, j) => tag(t, `${q}.imageTags[${j}]`)),
        imagePushedAt: time(r.imagePushedAt, `${q}.imagePushedAt`),
        appliedRulePriority: integer(r.appliedRulePriority, `${q}.appliedRulePriority`, 1, 999),
      };
    }),
  };
}

function tag(value: unknown, path: string): string {
  within(path, () => validateImageTag(value, path));
  return value as string;
}

function catalogData(value: unknown, path: string): RepositoryRecord['catalogData'] {
  const c = object(value, path);
  onlyKeys(c, ['description', 'architectures', 'operatingSystems', 'logoUrl', 'aboutText', 'usageText'], path);
  const out: NonNullable<RepositoryRecord['catalogData']> = {};
  for (const key of ['description', 'logoUrl', 'aboutText', 'usageText'] as const) {
    const v = optionalString(c[key], `${path}.${key}`, 25_600);
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['architectures', 'operatingSystems'] as const) {
    const list = optionalArray(c[key], `${path}.${key}`);
    if (list) out[key] = list.map((v, i) => string(v, `${path}.${key}[${i}]`, 50));
  }
  return out;
}

const repositoryKeys = [
  'name',
  'registryId',
  'lifecycleEvaluatedAt',
  'seq',
  'createdAt',
  'tagMutability',
  'exclusionFilters',
  'scanOnPush',
  'encryption',
  'resourceTags',
  'policyText',
  'lifecyclePolicyText',
  'lifecyclePreview',
  'catalogData',
];
const imageKeys = [
  'seq',
  'digest',
  'manifest',
  'mediaType',
  'artifactMediaType',
  'kind',
  'tags',
  'size',
  'pushedAt',
  'lastPulledAt',
  'blobDigests',
  'children',
  'subjectDigest',
  'platform',
  'scan',
  'findings',
  'replications',
  'scanScript',
  'storage',
  'signing',
];
const keyKeys = ['t', 'accountId', 'region', 'public', 'upstream'];

/**
 * Assembles a state from records, checking each. `strict` (a whole snapshot) refuses repeated
 * repositories, images and tags; later batches of the journal replace records instead.
 */
export class StateBuilder {
  readonly accounts = new Map<string, AccountState>();
  /**
   * One string per distinct digest, media type and platform while loading: a layer digest shared
   * by 10,000 images is held once, not 10,000 times (the registry's main memory cost at scale).
   */
  readonly #strings = new Map<string, string>();
  /** Manifests by image digest while loading: replicas of an image share one string, as they do in memory. */
  readonly #manifests = new Map<string, string>();
  readonly blobContent = new Map<string, Uint8Array>();
  /** The folder (absolute) the state's blob bytes live in when it names one instead of holding them. */
  blobDirectory: string | undefined;
  seq = 0;
  randomState: number | undefined;
  restoreMs: number | undefined;
  /** Registry-level settings by `account\nregion`, as the store keys them. */
  readonly settings = new Map<string, RegistrySettings>();
  /** Upstream registries' repositories by URL (pull through cache fixtures). */
  readonly upstreams = new Map<string, { repositories: Map<string, RepositoryRecord>; repositoryList: RepositoryRecord[] }>();
  scanProgression: ScanProgression | undefined;
  replicationProgression: ReplicationProgression | undefined;
  strict = true;

  #intern(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  #sharedManifest(digest: string, text: string): string {
    const known = this.#manifests.get(digest);
    if (known === text) return known;
    if (known === undefined) this.#manifests.set(digest, text);
    return text;
  }

  #account(accountId: string): AccountState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = newAccountState(accountId);
      this.accounts.set(accountId, account);
    }
    return account;
  }

  #region(accountId: string, name: string): RegionState {
    const account = this.#account(accountId);
    let state = account.regions.get(name);
    if (!state) {
      state = newRegionState();
      account.regions.set(name, state);
    }
    return state;
  }

  /** The holder of a repository's key (account and region, or the account's public registry), checking the key. */
  #holder(
    raw: Json,
    path: string,
  ): { accountId: string; region: string; isPublic: boolean; holder: { repositories: Map<string, RepositoryRecord>; repositoryList: RepositoryRecord[] } } {
    if (raw.upstream !== undefined) {
      const url = string(raw.upstream, `${path}.upstream`, 2048);
      if (url.length === 0) throw invalidAt(`${path}.upstream`, 'must not be empty');
      if (raw.accountId !== undefined || raw.region !== undefined || raw.public !== undefined) {
        throw invalidAt(path, "an upstream registry's repository has no accountId, region or public");
      }
      let holder = this.upstreams.get(url);
      if (!holder) {
        holder = { repositories: new Map(), repositoryList: [] };
        this.upstreams.set(url, holder);
      }
      return { accountId: upstreamAccount, region: url, isPublic: false, holder };
    }
    const accountId = registryId(raw.accountId, `${path}.accountId`);
    if (raw.public !== undefined) {
      if (raw.public !== true) throw invalidAt(`${path}.public`, `must be true when present, got ${String(raw.public)}`);
      if (raw.region !== undefined) throw invalidAt(`${path}.region`, 'an ECR Public repository has no region');
      return { accountId, region: 'us-east-1', isPublic: true, holder: this.#account(accountId).publicRegistry };
    }
    const name = region(raw.region, `${path}.region`);
    return { accountId, region: name, isPublic: false, holder: this.#region(accountId, name) };
  }

  #repositoryOf(raw: Json, path: string): RepositoryRecord {
    const { holder } = this.#holder(raw, path);
    const name = string(raw.repository, `${path}.repository`, 256);
    const repo = holder.repositories.get(name);
    if (!repo) throw invalidAt(`${path}.repository`, `no repository '${name}' precedes this record`);
    return repo;
  }

  registry(raw: Json, path: string, extraKeys: readonly string[] = ['t']): void {
    onlyKeys(raw, [...extraKeys, 'seq', 'randomState', 'scanProgression', 'replicationProgression', 'restoreMs'], path);
    if (raw.restoreMs !== undefined) this.restoreMs = integer(raw.restoreMs, `${path}.restoreMs`);
    this.seq = integer(raw.seq, `${path}.seq`);
    this.randomState = integer(raw.randomState, `${path}.randomState`, 0, 0xffffffff);
    this.scanProgression = scanProgression(raw.scanProgression, `${path}.scanProgression`);
    this.replicationProgression = replicationProgression(raw.replicationProgression, `${path}.replicationProgression`);
  }

  account(raw: Json, path: string, extraKeys: readonly string[] = ['t']): AccountState {
    onlyKeys(raw, [...extraKeys, 'accountId', 'alias', 'displayName'], path);
    const account = this.#account(registryId(raw.accountId, `${path}.accountId`));
    const alias = string(raw.alias, `${path}.alias`, 50);
    if (!aliasPattern.test(alias))
      throw invalidAt(`${path}.alias`, `must be a registry alias (lowercase letters and digits, '.', '_' or '-' between them), got ${JSON.stringify(alias)}`);
    account.publicRegistry.alias = alias;
    account.publicRegistry.displayName = string(raw.displayName, `${path}.displayName`, 100);
    return account;
  }

  region(raw: Json, path: string, extraKeys: readonly string[] = ['t']): RegionState {
    onlyKeys(raw, [...extraKeys, 'accountId', 'region', 'replicationRules', 'scanType', 'scanningRules', 'pullThroughCacheRules'], path);
    const state = this.#region(registryId(raw.accountId, `${path}.accountId`), region(raw.region, `${path}.region`));
    state.replicationRules = replicationRules(raw.replicationRules ?? [], `${path}.replicationRules`);
    state.scanType = oneOf(raw.scanType ?? 'BASIC', ScanType, `${path}.scanType`);
    state.scanningRules = scanningRules(raw.scanningRules ?? [], `${path}.scanningRules`);
    state.pullThroughCacheRules = pullThroughCacheRules(raw.pullThroughCacheRules ?? [], `${path}.pullThroughCacheRules`);
    return state;
  }

  /** A repository's settings; one with a new `seq` replaces an older one of the same name (deleted and created again). */
  repository(raw: Json, path: string, extraKeys: readonly string[] = keyKeys): RepositoryRecord {
    onlyKeys(raw, [...extraKeys, ...repositoryKeys], path);
    const { accountId, region: regionName, isPublic, holder } = this.#holder(raw, path);
    const name = raw.name;
    within(`${path}.name`, () => (isPublic ? validatePublicRepositoryName(name, `${path}.name`) : validateRepositoryName(name, `${path}.name`)));
    const seq = integer(raw.seq, `${path}.seq`);
    const existing = holder.repositories.get(name as string);
    if (existing && this.strict) throw invalidAt(`${path}.name`, `repeats the repository ${JSON.stringify(name)} (names are unique per account and region)`);
    const repo =
      existing && existing.seq === seq
        ? existing
        : newRepositoryRecord({ seq, name: name as string, accountId, region: regionName, public: isPublic, createdAt: 0 });
    repo.createdAt = time(raw.createdAt, `${path}.createdAt`);
    if (raw.registryId !== undefined && raw.registryId !== accountId) {
      repo.accountId = registryId(raw.registryId, `${path}.registryId`);
      repo.namespaceId = accountId;
    } else {
      repo.accountId = accountId;
      delete repo.namespaceId;
    }
    const evaluatedAt = optionalTime(raw.lifecycleEvaluatedAt, `${path}.lifecycleEvaluatedAt`);
    if (evaluatedAt === undefined) delete repo.lifecycleEvaluatedAt;
    else repo.lifecycleEvaluatedAt = evaluatedAt;
    repo.tagMutability = oneOf(raw.tagMutability, ImageTagMutability, `${path}.tagMutability`);
    if (raw.exclusionFilters !== undefined) repo.exclusionFilters = filters(raw.exclusionFilters, 'WILDCARD', `${path}.exclusionFilters`);
    else delete repo.exclusionFilters;
    repo.scanOnPush = boolean(raw.scanOnPush, `${path}.scanOnPush`);
    const encryption = object(raw.encryption, `${path}.encryption`);
    onlyKeys(encryption, ['encryptionType', 'kmsKey'], `${path}.encryption`);
    repo.encryption = { encryptionType: oneOf(encryption.encryptionType, EncryptionType, `${path}.encryption.encryptionType`) };
    const kmsKey = optionalString(encryption.kmsKey, `${path}.encryption.kmsKey`, 2048);
    if (kmsKey !== undefined) repo.encryption.kmsKey = kmsKey;
    repo.resourceTags = array(raw.resourceTags, `${path}.resourceTags`).map((t, i) => {
      const p = `${path}.resourceTags[${i}]`;
      const rt = object(t, p);
      onlyKeys(rt, ['Key', 'Value'], p);
      return { Key: string(rt.Key, `${p}.Key`, 128), Value: string(rt.Value, `${p}.Value`, 256) };
    });
    for (const key of ['policyText', 'lifecyclePolicyText'] as const) {
      const text = optionalString(raw[key], `${path}.${key}`, maxText);
      if (text === undefined) delete repo[key];
      else repo[key] = text;
    }
    if (raw.lifecyclePreview !== undefined) repo.lifecyclePreview = lifecyclePreview(raw.lifecyclePreview, `${path}.lifecyclePreview`);
    else delete repo.lifecyclePreview;
    if (raw.catalogData !== undefined) repo.catalogData = catalogData(raw.catalogData, `${path}.catalogData`);
    else delete repo.catalogData;
    if (repo !== existing) {
      if (existing) {
        holder.repositoryList.splice(holder.repositoryList.indexOf(existing), 1);
      }
      holder.repositories.set(repo.name, repo);
      insertBySeq(holder.repositoryList, repo);
    }
    return repo;
  }

  deleteRepository(raw: Json, path: string): void {
    onlyKeys(raw, [...keyKeys, 'name', 'seq'], path);
    const { holder } = this.#holder(raw, path);
    const name = string(raw.name, `${path}.name`, 256);
    const seq = integer(raw.seq, `${path}.seq`);
    const repo = holder.repositories.get(name);
    if (!repo || repo.seq !== seq) return;
    holder.repositories.delete(name);
    holder.repositoryList.splice(holder.repositoryList.indexOf(repo), 1);
  }

  /** That a repository holds a blob (uploaded to it or copied with a replica), with its size and media type. */
  repositoryBlob(raw: Json, path: string, repo?: RepositoryRecord, extraKeys: readonly string[] = [...keyKeys, 'repository']): void {
    onlyKeys(raw, [...extraKeys, 'digest', 'size', 'mediaType'], path);
    const target = repo ?? this.#repositoryOf(raw, path);
    const digest = this.#intern(contentDigest(raw.digest, `${path}.digest`));
    const info: BlobInfo = { size: integer(raw.size, `${path}.size`) };
    const mediaType = optionalString(raw.mediaType, `${path}.mediaType`, 255);
    if (mediaType !== undefined) info.mediaType = this.#intern(mediaType);
    target.blobs.set(digest, info);
  }

  /** An image, with its tags (a tag another image holds moves, except in strict mode, where it is an error). */
  image(raw: Json, path: string, repo?: RepositoryRecord, extraKeys: readonly string[] = [...keyKeys, 'repository', 'tagTimes']): ImageRecord {
    onlyKeys(raw, [...extraKeys, ...imageKeys], path);
    const target = repo ?? this.#repositoryOf(raw, path);
    const digest = this.#intern(imageDigest(raw.digest, `${path}.digest`));
    const kind = oneOf(raw.kind ?? 'manifest', ['manifest', 'index'] as const, `${path}.kind`);
    const children = array(raw.children ?? [], `${path}.children`).map((d, i) => this.#intern(imageDigest(d, `${path}.children[${i}]`)));
    const image: ImageRecord = {
      seq: integer(raw.seq, `${path}.seq`),
      digest,
      manifest: this.#sharedManifest(digest, string(raw.manifest, `${path}.manifest`, maxText)),
      mediaType: this.#intern(oneOf(raw.mediaType, manifestMediaTypes, `${path}.mediaType`)),
      kind,
      tags: [],
      size: integer(raw.size, `${path}.size`),
      pushedAt: time(raw.pushedAt, `${path}.pushedAt`),
      blobDigests: array(raw.blobDigests ?? [], `${path}.blobDigests`).map((d, i) => this.#intern(contentDigest(d, `${path}.blobDigests[${i}]`))),
      children: children.length === 0 ? noChildren : children,
    };
    if (image.manifest.length === 0) throw invalidAt(`${path}.manifest`, 'must not be empty');
    const artifactMediaType = optionalString(raw.artifactMediaType, `${path}.artifactMediaType`, 255);
    if (artifactMediaType !== undefined) image.artifactMediaType = this.#intern(artifactMediaType);
    const lastPulledAt = optionalTime(raw.lastPulledAt, `${path}.lastPulledAt`);
    if (lastPulledAt !== undefined) image.lastPulledAt = lastPulledAt;
    if (raw.subjectDigest !== undefined) image.subjectDigest = this.#intern(contentDigest(raw.subjectDigest, `${path}.subjectDigest`));
    const platform = optionalString(raw.platform, `${path}.platform`, 255);
    if (platform !== undefined) image.platform = this.#intern(platform);
    if (raw.scan !== undefined) image.scan = scanState(raw.scan, `${path}.scan`);
    if (raw.findings !== undefined) image.findings = findings(raw.findings, `${path}.findings`);
    if (raw.scanScript !== undefined) image.scanScript = scanScript(raw.scanScript, `${path}.scanScript`);
    if (raw.storage !== undefined) image.storage = storageState(raw.storage, `${path}.storage`);
    if (raw.signing !== undefined) {
      image.signing = array(raw.signing, `${path}.signing`).map((v, i) => {
        const p = `${path}.signing[${i}]`;
        const entry = object(v, p);
        onlyKeys(entry, ['signingProfileArn', 'startedAt', 'stepMs'], p);
        return {
          signingProfileArn: string(entry.signingProfileArn, `${p}.signingProfileArn`, 2048),
          startedAt: time(entry.startedAt, `${p}.startedAt`),
          stepMs: integer(entry.stepMs, `${p}.stepMs`),
        };
      });
    }
    if (raw.replications !== undefined)
      image.replications = array(raw.replications, `${path}.replications`).map((t, i) => replicationTrack(t, `${path}.replications[${i}]`));
    const tags = array(raw.tags, `${path}.tags`).map((t, i) => tag(t, `${path}.tags[${i}]`));
    const times = raw.tagTimes === undefined ? undefined : array(raw.tagTimes, `${path}.tagTimes`);

    const existing = target.byDigest.get(digest);
    if (existing) {
      if (this.strict) throw invalidAt(`${path}.digest`, `repeats the image ${digest} of repository '${target.name}'`);
      for (const t of existing.tags) {
        if (target.byTag.get(t) === digest) {
          target.byTag.delete(t);
          target.tagTimes.delete(t);
        }
      }
      for (const child of existing.children) target.referencedBy.get(child)?.delete(digest);
      const i = target.images.indexOf(existing);
      target.images.splice(i, 1);
    } else if (this.strict && target.images.length > 0 && target.images[target.images.length - 1]!.seq >= image.seq) {
      throw invalidAt(`${path}.seq`, `images must be in push order (seq ${image.seq} after ${target.images[target.images.length - 1]!.seq})`);
    }
    for (const [i, t] of tags.entries()) {
      if (image.tags.includes(t)) throw invalidAt(`${path}.tags[${i}]`, `repeats the tag '${t}'`);
      const holder = target.byTag.get(t);
      if (holder !== undefined && holder !== digest) {
        if (this.strict) throw invalidAt(`${path}.tags[${i}]`, `the tag '${t}' is already on image ${holder}`);
        // A later batch moved the tag here; the record of its previous image follows in the same batch.
        const previous = target.byDigest.get(holder);
        if (previous) previous.tags = previous.tags.filter((x) => x !== t);
      }
      image.tags.push(t);
      target.byTag.set(t, digest);
    }
    if (times) {
      for (const [i, pair] of times.entries()) {
        const p = `${path}.tagTimes[${i}]`;
        const [t, at] = array(pair, p);
        if (typeof t !== 'string' || !image.tags.includes(t)) throw invalidAt(p, `must name one of the image's tags, got ${JSON.stringify(t)}`);
        target.tagTimes.set(t, time(at, `${p}[1]`));
      }
    }
    insertBySeq(target.images, image);
    target.byDigest.set(digest, image);
    for (const child of image.children) {
      let set = target.referencedBy.get(child);
      if (!set) {
        set = new Set();
        target.referencedBy.set(child, set);
      }
      set.add(digest);
    }
    return image;
  }

  deleteImage(raw: Json, path: string): void {
    onlyKeys(raw, [...keyKeys, 'repository', 'digest'], path);
    const repo = this.#repositoryOf(raw, path);
    const digest = imageDigest(raw.digest, `${path}.digest`);
    const image = repo.byDigest.get(digest);
    if (!image) return;
    for (const t of image.tags) {
      if (repo.byTag.get(t) === digest) {
        repo.byTag.delete(t);
        repo.tagTimes.delete(t);
      }
    }
    for (const child of image.children) {
      const set = repo.referencedBy.get(child);
      set?.delete(digest);
      if (set && set.size === 0) repo.referencedBy.delete(child);
    }
    repo.byDigest.delete(digest);
    repo.images.splice(repo.images.indexOf(image), 1);
  }

  /** An account and region's registry-level settings (registry policy, account settings, creation templates, signing, exclusions, backfills). */
  registrySettings(raw: Json, path: string, extraKeys: readonly string[] = ['t']): void {
    const keys = ['policyText', 'accountSettings', 'creationTemplates', 'signingRules', 'pullTimeExclusions', 'backfills'];
    onlyKeys(raw, [...extraKeys, 'accountId', 'region', ...keys], path);
    const accountId = registryId(raw.accountId, `${path}.accountId`);
    const regionName = region(raw.region, `${path}.region`);
    this.settings.set(`${accountId}\n${regionName}`, registrySettings(raw, path));
  }

  /** Blob bytes: base64 that decodes (core-types' decoder, as for API input) to bytes with exactly this digest. */
  blob(digestValue: unknown, data: unknown, path: string): void {
    const digest = this.#intern(contentDigest(digestValue, `${path}.digest`));
    const text = string(data, `${path}.data`, 2 ** 29);
    // Node's decoder for the bytes (fast, but it skips what is not base64); then core-types' rule, checked
    // quickly when the text is what the encoder writes, by the pattern otherwise.
    const bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text && !isBase64(text)) throw invalidAt(`${path}.data`, 'must be base64 (A–Z, a–z, 0–9, +, / and = padding)');
    const actual = digest.startsWith('sha256:') ? sha256Digest(bytes) : digest;
    if (actual !== digest) throw invalidAt(`${path}.data`, `holds bytes whose digest is ${actual}, not ${digest}`);
    this.blobContent.set(digest, bytes);
  }

  /** Put the built state into `store`, replacing all of its state. */
  install(store: RegistryStore): void {
    const pending: RegistryStore['pendingReplications'] = [];
    for (const account of this.accounts.values()) {
      for (const state of account.regions.values()) {
        for (const repo of state.repositoryList) {
          for (const image of repo.images) {
            if (image.replications?.some((t) => !t.done && t.advanceOn === 'time')) pending.push({ repo, image });
          }
        }
      }
    }
    store.accounts = this.accounts;
    installBlobs(store, this.blobContent, this.blobDirectory, this.accounts, this.upstreams.values());
    store.tokens.clear();
    store.seq = this.seq;
    if (this.randomState !== undefined) store.rng.state = this.randomState;
    if (this.scanProgression) store.scanProgression = this.scanProgression;
    if (this.replicationProgression) store.replicationProgression = this.replicationProgression;
    store.pendingReplications = pending;
    store.settings = this.settings;
    store.openBackfills = [...this.settings.values()].reduce((n, s) => n + s.backfills.filter((b) => b.stoppedAt === undefined).length, 0);
    store.upstreams = new Map([...this.upstreams].map(([url, holder]) => [url, holder.repositories]));
    if (this.restoreMs !== undefined) store.restoreMs = this.restoreMs;
    store.changes?.everything();
  }
}

/**
 * Put the state's blob bytes into the store's blob store: bytes the state holds, and, when it
 * names a folder the store does not use (a state on disk loaded into memory, or moved between
 * stores), the referenced blobs of that folder. A directory store is content-addressed and is
 * what a state naming it points at, so its files are kept; a memory store starts empty.
 */
function installBlobs(
  store: RegistryStore,
  inline: ReadonlyMap<string, Uint8Array>,
  folder: string | undefined,
  accounts: ReadonlyMap<string, AccountState>,
  upstreams: Iterable<{ repositoryList: RepositoryRecord[] }>,
): void {
  const blobs = store.blobStore;
  if (blobs.directory === undefined) blobs.clear();
  for (const bytes of inline.values()) blobs.put(bytes);
  if (folder === undefined || folder === blobs.directory) return;
  const repos = [
    ...[...accounts.values()].flatMap((account) => [
      ...account.publicRegistry.repositoryList,
      ...[...account.regions.values()].flatMap((r) => r.repositoryList),
    ]),
    ...[...upstreams].flatMap((u) => u.repositoryList),
  ];
  for (const repo of repos) {
    for (const digest of repo.blobs.keys()) {
      if (blobs.has(digest)) continue;
      const bytes = readBlobFile(folder, digest);
      if (bytes) blobs.put(bytes);
    }
  }
}

function scanScript(value: unknown, path: string): ScanScript {
  const s = object(value, path);
  onlyKeys(s, ['afterMs', 'status'], path);
  return { afterMs: integer(s.afterMs, `${path}.afterMs`), status: progressionSequence([s.status], ScanStatus, `${path}.status`)[0]! };
}

function storageState(value: unknown, path: string): StorageState {
  const s = object(value, path);
  onlyKeys(s, ['status', 'lastArchivedAt', 'activeAt', 'lastActivatedAt'], path);
  const out: StorageState = {
    status: oneOf(s.status, ['ARCHIVED', 'ACTIVATING', 'ACTIVE'] as const, `${path}.status`),
    lastArchivedAt: time(s.lastArchivedAt, `${path}.lastArchivedAt`),
  };
  const activeAt = optionalTime(s.activeAt, `${path}.activeAt`);
  if (activeAt !== undefined) out.activeAt = activeAt;
  const lastActivatedAt = optionalTime(s.lastActivatedAt, `${path}.lastActivatedAt`);
  if (lastActivatedAt !== undefined) out.lastActivatedAt = lastActivatedAt;
  return out;
}

function registrySettings(raw: Json, path: string): RegistrySettings {
  const out: RegistrySettings = { accountSettings: {}, creationTemplates: [], pullTimeExclusions: [], backfills: [] };
  const policyText = optionalString(raw.policyText, `${path}.policyText`, maxText);
  if (policyText !== undefined) out.policyText = policyText;
  for (const [name, value] of Object.entries(object(raw.accountSettings ?? {}, `${path}.accountSettings`))) {
    const rule = accountSettingValues[name];
    if (!rule) throw invalidAt(`${path}.accountSettings`, `unknown account setting '${name}' (expected ${Object.keys(accountSettingValues).join(', ')})`);
    out.accountSettings[name] = oneOf(value, rule.values, `${path}.accountSettings.${name}`);
  }
  out.creationTemplates = array(raw.creationTemplates ?? [], `${path}.creationTemplates`).map((v, i) => {
    const p = `${path}.creationTemplates[${i}]`;
    const t = object(v, p);
    const optional = ['description', 'repositoryPolicy', 'lifecyclePolicy', 'customRoleArn'] as const;
    onlyKeys(t, ['prefix', 'encryption', 'resourceTags', 'tagMutability', 'exclusionFilters', 'appliedFor', 'createdAt', 'updatedAt', ...optional], p);
    const template: RegistrySettings['creationTemplates'][number] = {
      prefix: string(t.prefix, `${p}.prefix`, 256),
      resourceTags: array(t.resourceTags ?? [], `${p}.resourceTags`).map((tag, j) => {
        const q = `${p}.resourceTags[${j}]`;
        const rt = object(tag, q);
        onlyKeys(rt, ['Key', 'Value'], q);
        return { Key: string(rt.Key, `${q}.Key`, 128), Value: string(rt.Value, `${q}.Value`, 256) };
      }),
      appliedFor: array(t.appliedFor, `${p}.appliedFor`).map((a, j) =>
        oneOf(a, ['REPLICATION', 'PULL_THROUGH_CACHE', 'CREATE_ON_PUSH'] as const, `${p}.appliedFor[${j}]`),
      ),
      createdAt: time(t.createdAt, `${p}.createdAt`),
      updatedAt: time(t.updatedAt, `${p}.updatedAt`),
    };
    for (const key of optional) {
      const text = optionalString(t[key], `${p}.${key}`, maxText);
      if (text !== undefined) template[key] = text;
    }
    if (t.encryption !== undefined) {
      const e = object(t.encryption, `${p}.encryption`);
      onlyKeys(e, ['encryptionType', 'kmsKey'], `${p}.encryption`);
      template.encryption = { encryptionType: oneOf(e.encryptionType, EncryptionType, `${p}.encryption.encryptionType`) };
      const kmsKey = optionalString(e.kmsKey, `${p}.encryption.kmsKey`, 2048);
      if (kmsKey !== undefined) template.encryption.kmsKey = kmsKey;
    }
    if (t.tagMutability !== undefined) template.tagMutability = oneOf(t.tagMutability, ImageTagMutability, `${p}.tagMutability`);
    if (t.exclusionFilters !== undefined) template.exclusionFilters = filters(t.exclusionFilters, 'WILDCARD', `${p}.exclusionFilters`);
    return template;
  });
  if (raw.signingRules !== undefined) {
    out.signingRules = array(raw.signingRules, `${path}.signingRules`).map((v, i) => {
      const p = `${path}.signingRules[${i}]`;
      const r = object(v, p);
      onlyKeys(r, ['signingProfileArn', 'repositoryFilters'], p);
      const rule: NonNullable<RegistrySettings['signingRules']>[number] = { signingProfileArn: string(r.signingProfileArn, `${p}.signingProfileArn`, 2048) };
      if (r.repositoryFilters !== undefined) rule.repositoryFilters = filters(r.repositoryFilters, 'WILDCARD_MATCH', `${p}.repositoryFilters`);
      return rule;
    });
  }
  out.pullTimeExclusions = array(raw.pullTimeExclusions ?? [], `${path}.pullTimeExclusions`).map((v, i) => {
    const p = `${path}.pullTimeExclusions[${i}]`;
    const e = object(v, p);
    onlyKeys(e, ['principalArn', 'createdAt'], p);
    return { principalArn: string(e.principalArn, `${p}.principalArn`, 2048), createdAt: time(e.createdAt, `${p}.createdAt`) };
  });
  out.backfills = array(raw.backfills ?? [], `${path}.backfills`).map((v, i) => {
    const p = `${path}.backfills[${i}]`;
    const b = object(v, p);
    onlyKeys(b, ['id', 'destination', 'startedAt', 'stepMs', 'stoppedAt', 'images', 'failing', 'settled'], p);
    const destination = object(b.destination, `${p}.destination`);
    onlyKeys(destination, ['region', 'registryId'], `${p}.destination`);
    const images = array(b.images, `${p}.images`).map((im, j) => {
      const q = `${p}.images[${j}]`;
      const image = object(im, q);
      onlyKeys(image, ['repositoryName', 'imageDigest', 'status', 'failureCode'], q);
      const entry: RegistrySettings['backfills'][number]['images'][number] = {
        repositoryName: string(image.repositoryName, `${q}.repositoryName`, 256),
        imageDigest: imageDigest(image.imageDigest, `${q}.imageDigest`),
      };
      if (image.status !== undefined) entry.status = oneOf(image.status, ['COMPLETE', 'FAILED'] as const, `${q}.status`);
      const failureCode = optionalString(image.failureCode, `${q}.failureCode`, 256);
      if (failureCode !== undefined) entry.failureCode = failureCode;
      return entry;
    });
    const backfill: RegistrySettings['backfills'][number] = {
      id: string(b.id, `${p}.id`, 256),
      destination: {
        region: region(destination.region, `${p}.destination.region`),
        registryId: registryId(destination.registryId, `${p}.destination.registryId`),
      },
      startedAt: time(b.startedAt, `${p}.startedAt`),
      stepMs: integer(b.stepMs, `${p}.stepMs`),
      images,
      failing: boolean(b.failing, `${p}.failing`),
      settled: integer(b.settled, `${p}.settled`, 0, images.length),
    };
    const stoppedAt = optionalTime(b.stoppedAt, `${p}.stoppedAt`);
    if (stoppedAt !== undefined) backfill.stoppedAt = stoppedAt;
    return backfill;
  });
  return out;
}

/** Base64 as core-types' `fromBase64` accepts it (API input's rule): the alphabet, `=` only at the end, not one character too many. */
function isBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  const unpadded = text.length - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  return unpadded % 4 !== 1;
}

/** Insert keeping `seq` order (appending in the usual case). */
function insertBySeq<T extends { seq: number }>(list: T[], item: T): void {
  if (list.length === 0 || list[list.length - 1]!.seq < item.seq) {
    list.push(item);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.seq < item.seq) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/** Describe a record for an error's path: `line 12 (image)`. */
export function linePath(line: number, raw: unknown): string {
  const t = typeof raw === 'object' && raw !== null && typeof (raw as Json).t === 'string' ? ` (${(raw as Json).t as string})` : '';
  return `line ${line}${t}`;
}
