import type { DistributionUpload } from '../operations/distribution.js';
import type { EcrPublic, FindingSeverity, ImageTagMutability, ReplicationStatus, ScanStatus, Tag } from '@ecrkit/core-types';

// The registry's state as plain records. Times are epoch milliseconds (outputs turn them into
// `Date`s); everything here is JSON-safe except the Maps, which the snapshot code flattens.

/** One vulnerability, rendered on output as a basic `ImageScanFinding` or an enhanced finding. */
export interface FindingSpec {
  name: string;
  severity: FindingSeverity;
  description?: string;
  uri?: string;
  packageName?: string;
  packageVersion?: string;
  fixedInVersion?: string;
  score?: number;
}

export interface ScanState {
  enhanced: boolean;
  startedAt: number;
  polls: number;
  sequence: ScanStatus[];
  advanceOn: 'poll' | 'time';
  stepMs: number;
  /** Set when the scan was first seen in its last state (poll mode) or computed (time mode). */
  completedAt?: number;
  /** Set by `withScanFindings`: not a real scan, does not count against the daily scan quota. */
  fixture?: boolean;
}

export interface ReplicationTrack {
  region: string;
  registryId: string;
  startedAt: number;
  polls: number;
  sequence: ReplicationStatus[];
  advanceOn: 'poll' | 'time';
  stepMs: number;
  /** The copy has been written to the destination. */
  done: boolean;
}

export interface ImageRecord {
  seq: number;
  digest: string;
  /** The manifest exactly as pushed. */
  manifest: string;
  mediaType: string;
  artifactMediaType?: string;
  kind: 'manifest' | 'index';
  tags: string[];
  size: number;
  pushedAt: number;
  lastPulledAt?: number;
  /** Config and layer digests (manifests) or child manifest digests (indexes). */
  blobDigests: string[];
  children: string[];
  subjectDigest?: string;
  /** `os/arch[/variant]` when known (from the config or the parent index). */
  platform?: string;
  scan?: ScanState;
  findings?: FindingSpec[];
  replications?: ReplicationTrack[];
  /** Set by `withScanOutcome`: how this image's current or next scan ends. */
  scanScript?: ScanScript;
  /** Storage class, when not plain ACTIVE standard storage (see internal/storageClass.ts). */
  storage?: StorageState;
  /** Managed signing started at push, one entry per signing profile whose rule matched. */
  signing?: { signingProfileArn: string; startedAt: number; stepMs: number }[];
}

/** A scripted scan result for one image: the scan reports IN_PROGRESS for `afterMs`, then `status`. */
export interface ScanScript {
  afterMs: number;
  status: ScanStatus;
}

/** An image in (or coming back from) the archive storage class. */
export interface StorageState {
  /** ACTIVE once restored (the record stays for `lastArchivedAt` and `lastActivatedAt`). */
  status: 'ARCHIVED' | 'ACTIVATING' | 'ACTIVE';
  lastArchivedAt: number;
  /** While ACTIVATING: when the restore completes. */
  activeAt?: number;
  lastActivatedAt?: number;
}

export interface BlobInfo {
  size: number;
  mediaType?: string;
}

export interface UploadState {
  parts: Uint8Array[];
  received: number;
  partSizes: number[];
  /** When a request last started, added to or checked this upload; idle uploads expire (`RegistryStore.expireUploads`). */
  touchedAt: number;
  /** Set for uploads of the registry's `/v2/` face, whose bytes stream into the blob store instead of `parts`. */
  distribution?: DistributionUpload;
}

export interface LifecyclePreviewState {
  policyText: string;
  startedAt: number;
  polls: number;
  results: { imageDigest: string; imageTags: string[]; imagePushedAt: number; appliedRulePriority: number }[];
}

/** Stored catalog data: the wire shape minus `marketplaceCertified`, which outputs always set to false. */
export type PublicCatalogData = Omit<EcrPublic.RepositoryCatalogData, 'marketplaceCertified'>;

export interface RepositoryRecord {
  seq: number;
  name: string;
  /** The registry the repository belongs to (its ARN, URI and `registryId`). */
  accountId: string;
  /**
   * Lenient (moto) mode only: the account whose state holds the repository, when it was created
   * with another `registryId` (moto keeps every repository in the caller's namespace).
   */
  namespaceId?: string;
  region: string;
  public: boolean;
  createdAt: number;
  tagMutability: ImageTagMutability;
  exclusionFilters?: { filterType: 'WILDCARD'; filter: string }[];
  scanOnPush: boolean;
  encryption: { encryptionType: 'AES256' | 'KMS' | 'KMS_DSSE'; kmsKey?: string };
  resourceTags: Tag[];
  policyText?: string;
  lifecyclePolicyText?: string;
  /** When the lifecycle policy was last evaluated (ECR evaluates a policy when it is set). */
  lifecycleEvaluatedAt?: number;
  lifecyclePreview?: LifecyclePreviewState;
  catalogData?: PublicCatalogData;
  /** Images in push order (by `seq`), for pagination. */
  images: ImageRecord[];
  byDigest: Map<string, ImageRecord>;
  byTag: Map<string, string>;
  /** When each tag was last set (ECR Public's DescribeImageTags `createdAt`). */
  tagTimes: Map<string, number>;
  blobs: Map<string, BlobInfo>;
  uploads: Map<string, UploadState>;
  /** child digest -> digests of the indexes in this repository that reference it. */
  referencedBy: Map<string, Set<string>>;
}

export interface PullThroughCacheRuleRecord {
  ecrRepositoryPrefix: string;
  upstreamRegistryUrl: string;
  upstreamRegistry?: string;
  credentialArn?: string;
  customRoleArn?: string;
  upstreamRepositoryPrefix?: string;
  createdAt: number;
  updatedAt: number;
}

export interface ReplicationRuleRecord {
  destinations: { region: string; registryId: string }[];
  repositoryFilters?: { filter: string; filterType: 'PREFIX_MATCH' }[];
}

export interface ScanningRuleRecord {
  scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL';
  repositoryFilters: { filter: string; filterType: 'WILDCARD' }[];
}

export interface RegionState {
  repositories: Map<string, RepositoryRecord>;
  /** Repositories in creation order (by `seq`), for pagination. */
  repositoryList: RepositoryRecord[];
  replicationRules: ReplicationRuleRecord[];
  scanType: 'BASIC' | 'ENHANCED';
  scanningRules: ScanningRuleRecord[];
  pullThroughCacheRules: PullThroughCacheRuleRecord[];
}

export interface PublicRegistryState {
  alias: string;
  displayName: string;
  repositories: Map<string, RepositoryRecord>;
  repositoryList: RepositoryRecord[];
}

export interface AccountState {
  regions: Map<string, RegionState>;
  publicRegistry: PublicRegistryState;
}

/** The `children` of every single-platform image: one shared, frozen empty list (never mutated; indexes get their own). */
export const noChildren: string[] = Object.freeze([]) as unknown as string[];

/** A new account: no regions yet, and its ECR Public registry under the alias `ecrkit-<last 6 digits>`. */
export function newAccountState(accountId: string): AccountState {
  return {
    regions: new Map(),
    publicRegistry: { alias: `ecrkit-${accountId.slice(-6)}`, displayName: '', repositories: new Map(), repositoryList: [] },
  };
}

export function newRegionState(): RegionState {
  return { repositories: new Map(), repositoryList: [], replicationRules: [], scanType: 'BASIC', scanningRules: [], pullThroughCacheRules: [] };
}

export function newRepositoryRecord(fields: Pick<RepositoryRecord, 'seq' | 'name' | 'accountId' | 'region' | 'public' | 'createdAt'>): RepositoryRecord {
  return {
    ...fields,
    tagMutability: 'MUTABLE',
    scanOnPush: false,
    encryption: { encryptionType: 'AES256' },
    resourceTags: [],
    images: [],
    byDigest: new Map(),
    byTag: new Map(),
    tagTimes: new Map(),
    blobs: new Map(),
    uploads: new Map(),
    referencedBy: new Map(),
  };
}
