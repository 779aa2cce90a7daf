import { validateRegion, validateRegistryId } from '@ecrkit/core-types';
import { array, invalidAt, object, onlyKeys, optionalString, string, time, within } from './fileChecks.js';
import type { RegistryStore, ReplicationProgression, ScanProgression } from './RegistryStore.js';
import type { RegistrySettings } from './registrySettings.js';
import type {
  BlobInfo,
  ImageRecord,
  LifecyclePreviewState,
  PublicCatalogData,
  PullThroughCacheRuleRecord,
  ReplicationRuleRecord,
  RepositoryRecord,
  ScanningRuleRecord,
} from './state.js';
import { StateBuilder, accountFields, imageFields, regionFields, registryFields, repositorySettings, settingsFields } from './stateRecords.js';

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
  /** Blob bytes by digest, base64; empty when the bytes live in {@link blobDirectory}. */
  blobs: Record<string, string>;
  /**
   * The content-addressed folder holding the blob bytes (`<dir>/sha256/<hex>`) when the registry
   * keeps them on disk (absolute).
   */
  blobDirectory?: string;
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
  /** Restore time from the archive storage class. Optional (default 20 minutes). */
  restoreMs?: number;
}

/** Detached, JSON-safe copies (the snapshot must not share objects with the live state). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function repositorySnapshot(repo: RepositoryRecord): RepositorySnapshot {
  return copy({
    ...repositorySettings(repo),
    images: repo.images.map(imageFields),
    tagTimes: [...repo.tagTimes],
    blobs: [...repo.blobs],
  }) as unknown as RepositorySnapshot;
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
    const { alias, displayName } = accountFields(accountId, account) as { alias: string; displayName: string };
    accounts.push({
      accountId,
      publicRegistry: { alias, displayName, repositories: account.publicRegistry.repositoryList.map(collect) },
      regions: [...account.regions].map(([region, state]) => {
        const { accountId: _accountId, ...settings } = copy(regionFields(accountId, region, state));
        return {
          ...(settings as Omit<RegistrySnapshot['accounts'][number]['regions'][number], 'repositories'>),
          repositories: state.repositoryList.map(collect),
        };
      }),
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
  const blobDirectory = store.blobStore.directory;
  if (blobDirectory === undefined) {
    for (const digest of used) {
      const bytes = store.blobStore.read(digest);
      if (bytes) blobs[digest] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    }
  }
  const registrySettings = [...store.settings].map(([key, settings]) => {
    const [accountId, region] = key.split('\n') as [string, string];
    const { accountId: _a, region: _r, ...fields } = copy(settingsFields(accountId, region, settings));
    return { accountId, region, settings: fields as unknown as RegistrySettings };
  });
  return {
    format: snapshotFormat,
    version: snapshotVersion,
    savedAt: new Date(now).toISOString(),
    defaultAccountId: store.defaultAccountId,
    defaultRegion: store.defaultRegion,
    ...(copy(registryFields(store)) as Pick<RegistrySnapshot, 'seq' | 'randomState' | 'scanProgression' | 'replicationProgression' | 'restoreMs'>),
    blobs,
    ...(blobDirectory !== undefined ? { blobDirectory } : {}),
    accounts,
    ...(registrySettings.length > 0 ? { registrySettings } : {}),
    ...(upstreams.length > 0 ? { upstreams } : {}),
  };
}

/**
 * Replace the store's state with a version-1 snapshot's. Every record is checked first (with the
 * paths of the snapshot's own nesting in errors), so a bad snapshot leaves the state untouched.
 *
 * @throws EcrError kind `InvalidParameter` naming the path of the first bad value.
 */
export function restoreState(store: RegistryStore, snapshot: unknown, root = '(the whole snapshot)'): void {
  const s = object(snapshot, root);
  onlyKeys(
    s,
    [
      'format',
      'version',
      'savedAt',
      'defaultAccountId',
      'defaultRegion',
      'seq',
      'randomState',
      'scanProgression',
      'replicationProgression',
      'restoreMs',
      'blobs',
      'blobDirectory',
      'accounts',
      'registrySettings',
      'upstreams',
    ],
    root,
  );
  if (s.format !== snapshotFormat) throw invalidAt('format', `must be '${snapshotFormat}', got ${JSON.stringify(s.format)}`);
  if (s.version !== snapshotVersion) throw invalidAt('version', `${String(s.version)} is not supported (expected ${snapshotVersion})`);
  optionalString(s.savedAt, 'savedAt', 100);
  if (s.defaultAccountId !== undefined) within('defaultAccountId', () => validateRegistryId(s.defaultAccountId, 'defaultAccountId'));
  if (s.defaultRegion !== undefined) within('defaultRegion', () => validateRegion(s.defaultRegion, 'defaultRegion'));
  const builder = new StateBuilder();
  builder.registry(
    {
      seq: s.seq,
      randomState: s.randomState,
      scanProgression: s.scanProgression,
      replicationProgression: s.replicationProgression,
      ...(s.restoreMs !== undefined ? { restoreMs: s.restoreMs } : {}),
    },
    '(the whole snapshot)',
    [],
  );
  for (const [digest, data] of Object.entries(object(s.blobs, 'blobs'))) builder.blob(digest, data, `blobs[${JSON.stringify(digest)}]`);
  if (s.blobDirectory !== undefined) builder.blobDirectory = string(s.blobDirectory, 'blobDirectory', 4096);
  for (const [a, rawAccount] of array(s.accounts, 'accounts').entries()) {
    const path = `accounts[${a}]`;
    const account = object(rawAccount, path);
    onlyKeys(account, ['accountId', 'publicRegistry', 'regions'], path);
    const accountId = account.accountId;
    within(`${path}.accountId`, () => validateRegistryId(accountId, `${path}.accountId`));
    const pub = object(account.publicRegistry, `${path}.publicRegistry`);
    onlyKeys(pub, ['alias', 'displayName', 'repositories'], `${path}.publicRegistry`);
    builder.account({ accountId, alias: pub.alias, displayName: pub.displayName }, `${path}.publicRegistry`, []);
    for (const [r, rawRepo] of array(pub.repositories ?? [], `${path}.publicRegistry.repositories`).entries()) {
      restoreRepository(builder, rawRepo, { accountId, public: true }, `${path}.publicRegistry.repositories[${r}]`);
    }
    for (const [g, rawRegion] of array(account.regions, `${path}.regions`).entries()) {
      const regionPath = `${path}.regions[${g}]`;
      const region = object(rawRegion, regionPath);
      const { repositories, ...settings } = region;
      builder.region({ ...settings, accountId }, regionPath, ['repositories']);
      for (const [r, rawRepo] of array(repositories, `${regionPath}.repositories`).entries()) {
        restoreRepository(builder, rawRepo, { accountId, region: region.region }, `${regionPath}.repositories[${r}]`);
      }
    }
  }
  for (const [i, raw] of array(s.registrySettings ?? [], 'registrySettings').entries()) {
    const path = `registrySettings[${i}]`;
    const entry = object(raw, path);
    onlyKeys(entry, ['accountId', 'region', 'settings'], path);
    builder.registrySettings({ ...object(entry.settings, `${path}.settings`), accountId: entry.accountId, region: entry.region }, path, []);
  }
  for (const [i, raw] of array(s.upstreams ?? [], 'upstreams').entries()) {
    const path = `upstreams[${i}]`;
    const entry = object(raw, path);
    onlyKeys(entry, ['url', 'repositories'], path);
    for (const [r, rawRepo] of array(entry.repositories, `${path}.repositories`).entries()) {
      restoreRepository(builder, rawRepo, { upstream: entry.url }, `${path}.repositories[${r}]`);
    }
  }
  builder.install(store);
}

function restoreRepository(builder: StateBuilder, raw: unknown, key: Record<string, unknown>, path: string): void {
  const snap = object(raw, path);
  const { images, tagTimes, blobs, ...settings } = snap;
  const repo = builder.repository({ ...settings, ...key }, path, ['accountId', 'region', 'public', 'upstream']);
  for (const [i, pair] of array(blobs, `${path}.blobs`).entries()) {
    const [digest, info] = array(pair, `${path}.blobs[${i}]`);
    builder.repositoryBlob({ ...object(info, `${path}.blobs[${i}][1]`), digest }, `${path}.blobs[${i}]`, repo, []);
  }
  for (const [i, image] of array(images, `${path}.images`).entries()) builder.image(object(image, `${path}.images[${i}]`), `${path}.images[${i}]`, repo, []);
  for (const [i, pair] of array(tagTimes ?? [], `${path}.tagTimes`).entries()) {
    const [tag, at] = array(pair, `${path}.tagTimes[${i}]`);
    if (typeof tag === 'string' && repo.byTag.has(tag)) repo.tagTimes.set(tag, time(at, `${path}.tagTimes[${i}][1]`));
  }
}
