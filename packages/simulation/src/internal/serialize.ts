import { EcrError } from '@ecrkit/core-types';
import { defaultRestoreMs, type RegistryStore, type ReplicationProgression, type ScanProgression } from './RegistryStore.js';
import { newRegistrySettings, type RegistrySettings } from './registrySettings.js';
import {
  newRegionState,
  newRepositoryRecord,
  type AccountState,
  type BlobInfo,
  type ImageRecord,
  type LifecyclePreviewState,
  type PublicCatalogData,
  type PullThroughCacheRuleRecord,
  type ReplicationRuleRecord,
  type RepositoryRecord,
  type ScanningRuleRecord,
} from './state.js';

/** The snapshot format's name and version; `restore` refuses anything else. */
export const snapshotFormat = 'ecrkit-simulation-snapshot';
export const snapshotVersion = 1;

/** A repository in a snapshot. */
export interface RepositorySnapshot {
  name: string;
  /** Lenient repositories created with another registryId than the account holding them. Optional. */
  registryId?: string;
  seq: number;
  createdAt: number;
  tagMutability: RepositoryRecord['tagMutability'];
  exclusionFilters?: RepositoryRecord['exclusionFilters'];
  scanOnPush: boolean;
  encryption: RepositoryRecord['encryption'];
  resourceTags: { Key: string; Value: string }[];
  policyText?: string;
  lifecyclePolicyText?: string;
  lifecycleEvaluatedAt?: number;
  lifecyclePreview?: LifecyclePreviewState;
  catalogData?: PublicCatalogData;
  /** Images in push order, each with its tags. */
  images: ImageRecord[];
  /** When each tag was last set: `[tag, epoch ms]`. */
  tagTimes: [string, number][];
  /** Blobs the repository holds: `[digest, info]` (bytes are in the snapshot's `blobs`). */
  blobs: [string, BlobInfo][];
}

/**
 * The whole registry state as JSON-safe data: times are epoch milliseconds, blob bytes base64.
 * In-flight layer uploads and issued authorization tokens are not included.
 */
export interface RegistrySnapshot {
  format: typeof snapshotFormat;
  version: typeof snapshotVersion;
  savedAt: string;
  defaultAccountId: string;
  defaultRegion: string;
  seq: number;
  randomState: number;
  scanProgression: ScanProgression;
  replicationProgression: ReplicationProgression;
  /** Blob bytes by digest, base64. */
  blobs: Record<string, string>;
  accounts: {
    accountId: string;
    publicRegistry: { alias: string; displayName: string; repositories: RepositorySnapshot[] };
    regions: {
      region: string;
      replicationRules: ReplicationRuleRecord[];
      scanType: 'BASIC' | 'ENHANCED';
      scanningRules: ScanningRuleRecord[];
      pullThroughCacheRules: PullThroughCacheRuleRecord[];
      repositories: RepositorySnapshot[];
    }[];
  }[];
  /**
   * Registry-level settings by account and region (registry policy, account settings, creation
   * templates, signing configuration, pull-time update exclusions, replication backfills).
   * Optional: snapshots written before these existed have none.
   */
  registrySettings?: { accountId: string; region: string; settings: RegistrySettings }[];
  /** Upstream registries' repositories (pull through cache fixtures), by upstream URL. Optional. */
  upstreams?: { url: string; repositories: RepositorySnapshot[] }[];
  /** Restore time from the archive storage class, when not the default. Optional. */
  restoreMs?: number;
}

const clone = <T>(value: T): T => structuredClone(value);

function repositorySnapshot(repo: RepositoryRecord): RepositorySnapshot {
  const out: RepositorySnapshot = {
    name: repo.name,
    seq: repo.seq,
    createdAt: repo.createdAt,
    tagMutability: repo.tagMutability,
    scanOnPush: repo.scanOnPush,
    encryption: { ...repo.encryption },
    resourceTags: repo.resourceTags.map((t) => ({ ...t })),
    images: repo.images.map((i) => clone(i)),
    tagTimes: [...repo.tagTimes],
    blobs: [...repo.blobs].map(([d, info]) => [d, { ...info }]),
  };
  if (repo.namespaceId !== undefined) out.registryId = repo.accountId;
  if (repo.exclusionFilters) out.exclusionFilters = clone(repo.exclusionFilters);
  if (repo.policyText !== undefined) out.policyText = repo.policyText;
  if (repo.lifecyclePolicyText !== undefined) out.lifecyclePolicyText = repo.lifecyclePolicyText;
  if (repo.lifecycleEvaluatedAt !== undefined) out.lifecycleEvaluatedAt = repo.lifecycleEvaluatedAt;
  if (repo.lifecyclePreview) out.lifecyclePreview = clone(repo.lifecyclePreview);
  if (repo.catalogData) out.catalogData = clone(repo.catalogData);
  return JSON.parse(JSON.stringify(out)) as RepositorySnapshot;
}

export function snapshotState(store: RegistryStore, now: number): RegistrySnapshot {
  const blobs: Record<string, string> = {};
  const used = new Set<string>();
  const accounts: RegistrySnapshot['accounts'] = [];
  for (const [accountId, account] of store.accounts) {
    const collect = (repo: RepositoryRecord) => {
      for (const d of repo.blobs.keys()) used.add(d);
      return repositorySnapshot(repo);
    };
    accounts.push({
      accountId,
      publicRegistry: {
        alias: account.publicRegistry.alias,
        displayName: account.publicRegistry.displayName,
        repositories: account.publicRegistry.repositoryList.map(collect),
      },
      regions: [...account.regions].map(([region, state]) => ({
        region,
        replicationRules: clone(state.replicationRules),
        scanType: state.scanType,
        scanningRules: clone(state.scanningRules),
        pullThroughCacheRules: clone(state.pullThroughCacheRules),
        repositories: state.repositoryList.map(collect),
      })),
    });
  }
  const upstreams: NonNullable<RegistrySnapshot['upstreams']> = [];
  for (const [url, repos] of store.upstreams) {
    upstreams.push({
      url,
      repositories: [...repos.values()].map((repo) => {
        for (const d of repo.blobs.keys()) used.add(d);
        return repositorySnapshot(repo);
      }),
    });
  }
  for (const digest of used) {
    const bytes = store.blobContent.get(digest);
    if (bytes) blobs[digest] = Buffer.from(bytes).toString('base64');
  }
  const registrySettings = [...store.settings].map(([key, settings]) => {
    const [accountId, region] = key.split('\n') as [string, string];
    return { accountId, region, settings: clone(settings) };
  });
  return {
    format: snapshotFormat,
    version: snapshotVersion,
    savedAt: new Date(now).toISOString(),
    defaultAccountId: store.defaultAccountId,
    defaultRegion: store.defaultRegion,
    seq: store.seq,
    randomState: store.rng.state,
    scanProgression: clone(store.scanProgression),
    replicationProgression: clone(store.replicationProgression),
    blobs,
    accounts,
    ...(registrySettings.length > 0 ? { registrySettings } : {}),
    ...(upstreams.length > 0 ? { upstreams } : {}),
    ...(store.restoreMs !== defaultRestoreMs ? { restoreMs: store.restoreMs } : {}),
  };
}

function invalid(problem: string): EcrError {
  return new EcrError({ kind: 'InvalidParameter', field: 'snapshot', message: `Invalid snapshot: ${problem}` });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${what} must be an array`);
  return value;
}

function restoreRepository(snap: unknown, accountId: string, region: string, isPublic: boolean, where: string): RepositoryRecord {
  if (!isRecord(snap) || typeof snap.name !== 'string' || typeof snap.seq !== 'number' || typeof snap.createdAt !== 'number') {
    throw invalid(`${where} is not a repository`);
  }
  const s = snap as unknown as RepositorySnapshot;
  const repo = newRepositoryRecord({ seq: s.seq, name: s.name, accountId, region, public: isPublic, createdAt: s.createdAt });
  if (typeof s.registryId === 'string' && s.registryId !== accountId) {
    repo.accountId = s.registryId;
    repo.namespaceId = accountId;
  }
  repo.tagMutability = s.tagMutability;
  if (s.exclusionFilters) repo.exclusionFilters = clone(s.exclusionFilters);
  repo.scanOnPush = s.scanOnPush === true;
  repo.encryption = isRecord(s.encryption) ? clone(s.encryption) : { encryptionType: 'AES256' };
  repo.resourceTags = requireArray(s.resourceTags ?? [], `${where}.resourceTags`).map((t) => clone(t as { Key: string; Value: string }));
  if (s.policyText !== undefined) repo.policyText = s.policyText;
  if (s.lifecyclePolicyText !== undefined) repo.lifecyclePolicyText = s.lifecyclePolicyText;
  if (typeof s.lifecycleEvaluatedAt === 'number') repo.lifecycleEvaluatedAt = s.lifecycleEvaluatedAt;
  if (s.lifecyclePreview) repo.lifecyclePreview = clone(s.lifecyclePreview);
  if (s.catalogData) repo.catalogData = clone(s.catalogData);
  for (const [digest, info] of requireArray(s.blobs, `${where}.blobs`) as [string, BlobInfo][]) repo.blobs.set(digest, { ...info });
  let lastSeq = -Infinity;
  for (const [i, raw] of requireArray(s.images, `${where}.images`).entries()) {
    if (!isRecord(raw) || typeof raw.digest !== 'string' || typeof raw.manifest !== 'string' || typeof raw.seq !== 'number' || !Array.isArray(raw.tags)) {
      throw invalid(`${where}.images[${i}] is not an image`);
    }
    const image = clone(raw) as unknown as ImageRecord;
    if (image.seq <= lastSeq) throw invalid(`${where}.images are not in push order`);
    lastSeq = image.seq;
    if (repo.byDigest.has(image.digest)) throw invalid(`${where}.images[${i}] repeats digest ${image.digest}`);
    repo.images.push(image);
    repo.byDigest.set(image.digest, image);
    for (const tag of image.tags) {
      if (repo.byTag.has(tag)) throw invalid(`${where}: tag '${tag}' is on two images`);
      repo.byTag.set(tag, image.digest);
    }
    for (const child of image.children ?? []) {
      let set = repo.referencedBy.get(child);
      if (!set) {
        set = new Set();
        repo.referencedBy.set(child, set);
      }
      set.add(image.digest);
    }
  }
  for (const [tag, time] of requireArray(s.tagTimes ?? [], `${where}.tagTimes`) as [string, number][]) {
    if (repo.byTag.has(tag)) repo.tagTimes.set(tag, time);
  }
  return repo;
}

/** Replace the store's state with a snapshot's. Everything is checked and built first, so a bad snapshot leaves the state untouched. */
export function restoreState(store: RegistryStore, snapshot: unknown): void {
  if (!isRecord(snapshot)) throw invalid('not an object');
  if (snapshot.format !== snapshotFormat) throw invalid(`format must be '${snapshotFormat}'`);
  if (snapshot.version !== snapshotVersion) throw invalid(`version ${String(snapshot.version)} is not supported (expected ${snapshotVersion})`);
  if (!isRecord(snapshot.blobs)) throw invalid('blobs must be an object');
  const blobContent = new Map<string, Uint8Array>();
  for (const [digest, b64] of Object.entries(snapshot.blobs)) {
    if (typeof b64 !== 'string') throw invalid(`blob ${digest} is not base64`);
    blobContent.set(digest, new Uint8Array(Buffer.from(b64, 'base64')));
  }
  const accounts = new Map<string, AccountState>();
  const pending: { repo: RepositoryRecord; image: ImageRecord }[] = [];
  for (const [a, rawAccount] of requireArray(snapshot.accounts, 'accounts').entries()) {
    if (!isRecord(rawAccount) || typeof rawAccount.accountId !== 'string' || !isRecord(rawAccount.publicRegistry))
      throw invalid(`accounts[${a}] is not an account`);
    const accountId = rawAccount.accountId;
    const pub = rawAccount.publicRegistry;
    const account: AccountState = {
      regions: new Map(),
      publicRegistry: {
        alias: typeof pub.alias === 'string' ? pub.alias : `ecrkit-${accountId.slice(-6)}`,
        displayName: typeof pub.displayName === 'string' ? pub.displayName : '',
        repositories: new Map(),
        repositoryList: [],
      },
    };
    for (const [r, rawRepo] of requireArray(pub.repositories ?? [], `accounts[${a}].publicRegistry.repositories`).entries()) {
      const repo = restoreRepository(rawRepo, accountId, 'us-east-1', true, `accounts[${a}].publicRegistry.repositories[${r}]`);
      account.publicRegistry.repositories.set(repo.name, repo);
      account.publicRegistry.repositoryList.push(repo);
    }
    for (const [g, rawRegion] of requireArray(rawAccount.regions, `accounts[${a}].regions`).entries()) {
      if (!isRecord(rawRegion) || typeof rawRegion.region !== 'string') throw invalid(`accounts[${a}].regions[${g}] is not a region`);
      const state = newRegionState();
      state.replicationRules = clone(requireArray(rawRegion.replicationRules ?? [], 'replicationRules') as ReplicationRuleRecord[]);
      state.scanType = rawRegion.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC';
      state.scanningRules = clone(requireArray(rawRegion.scanningRules ?? [], 'scanningRules') as ScanningRuleRecord[]);
      state.pullThroughCacheRules = clone(requireArray(rawRegion.pullThroughCacheRules ?? [], 'pullThroughCacheRules') as PullThroughCacheRuleRecord[]);
      for (const [r, rawRepo] of requireArray(rawRegion.repositories, `accounts[${a}].regions[${g}].repositories`).entries()) {
        const repo = restoreRepository(rawRepo, accountId, rawRegion.region, false, `accounts[${a}].regions[${g}].repositories[${r}]`);
        state.repositories.set(repo.name, repo);
        state.repositoryList.push(repo);
        for (const image of repo.images) {
          if (image.replications?.some((t) => !t.done && t.advanceOn === 'time')) pending.push({ repo, image });
        }
      }
      state.repositoryList.sort((x, y) => x.seq - y.seq);
      account.regions.set(rawRegion.region, state);
    }
    accounts.set(accountId, account);
  }
  if (typeof snapshot.seq !== 'number' || typeof snapshot.randomState !== 'number') throw invalid('seq and randomState must be numbers');
  const settings = new Map<string, RegistrySettings>();
  let openBackfills = 0;
  for (const [i, raw] of requireArray(snapshot.registrySettings ?? [], 'registrySettings').entries()) {
    if (!isRecord(raw) || typeof raw.accountId !== 'string' || typeof raw.region !== 'string' || !isRecord(raw.settings)) {
      throw invalid(`registrySettings[${i}] is not a registry's settings`);
    }
    const restored = { ...newRegistrySettings(), ...clone(raw.settings as unknown as RegistrySettings) };
    for (const field of ['creationTemplates', 'pullTimeExclusions', 'backfills'] as const)
      requireArray(restored[field], `registrySettings[${i}].settings.${field}`);
    if (!isRecord(restored.accountSettings)) throw invalid(`registrySettings[${i}].settings.accountSettings must be an object`);
    openBackfills += restored.backfills.filter((b) => b.stoppedAt === undefined).length;
    settings.set(`${raw.accountId}\n${raw.region}`, restored);
  }
  const upstreams = new Map<string, Map<string, RepositoryRecord>>();
  for (const [i, raw] of requireArray(snapshot.upstreams ?? [], 'upstreams').entries()) {
    if (!isRecord(raw) || typeof raw.url !== 'string') throw invalid(`upstreams[${i}] is not an upstream registry`);
    const repos = new Map<string, RepositoryRecord>();
    for (const [r, rawRepo] of requireArray(raw.repositories, `upstreams[${i}].repositories`).entries()) {
      const repo = restoreRepository(rawRepo, 'upstream', raw.url, false, `upstreams[${i}].repositories[${r}]`);
      repos.set(repo.name, repo);
    }
    upstreams.set(raw.url, repos);
  }
  if (snapshot.restoreMs !== undefined && (typeof snapshot.restoreMs !== 'number' || !(snapshot.restoreMs >= 0)))
    throw invalid('restoreMs must be a non-negative number');

  store.accounts = accounts;
  store.blobContent = blobContent;
  store.tokens.clear();
  store.seq = snapshot.seq;
  store.rng.state = snapshot.randomState;
  if (isRecord(snapshot.scanProgression)) store.scanProgression = clone(snapshot.scanProgression) as unknown as ScanProgression;
  if (isRecord(snapshot.replicationProgression)) store.replicationProgression = clone(snapshot.replicationProgression) as unknown as ReplicationProgression;
  store.pendingReplications = pending;
  store.settings = settings;
  store.upstreams = upstreams;
  store.openBackfills = openBackfills;
  store.restoreMs = typeof snapshot.restoreMs === 'number' ? snapshot.restoreMs : defaultRestoreMs;
}
