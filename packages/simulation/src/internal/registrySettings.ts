import type { ImageTagMutability, Tag } from '@ecrkit/core-types';

// Registry-level records of one account and region that are not about a single repository:
// registry policy, account settings, repository creation templates, signing configuration,
// pull-time update exclusions and replication backfills. Kept apart from RegionState so the
// repository and image records stay as they are; like them, times are epoch milliseconds and
// everything is JSON-safe (snapshots store a RegistrySettings as it is).

/** Where a repository creation template applies (the model's `RCTAppliedFor`). */
export type TemplateAppliedFor = 'REPLICATION' | 'PULL_THROUGH_CACHE' | 'CREATE_ON_PUSH';

export interface CreationTemplateRecord {
  /** A repository namespace (`prod`, `team/app`) or `ROOT` for every repository. */
  prefix: string;
  description?: string;
  encryption?: { encryptionType: 'AES256' | 'KMS' | 'KMS_DSSE'; kmsKey?: string };
  resourceTags: Tag[];
  tagMutability?: ImageTagMutability;
  exclusionFilters?: { filterType: 'WILDCARD'; filter: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor: TemplateAppliedFor[];
  customRoleArn?: string;
  createdAt: number;
  updatedAt: number;
}

export interface SigningRuleRecord {
  signingProfileArn: string;
  repositoryFilters?: { filter: string; filterType: 'WILDCARD_MATCH' }[];
}

export interface PullTimeExclusionRecord {
  principalArn: string;
  createdAt: number;
}

/** One image a backfill replicates; `status` is set once its replication ended. */
export interface BackfillImage {
  repositoryName: string;
  imageDigest: string;
  status?: 'COMPLETE' | 'FAILED';
  failureCode?: string;
}

export interface ReplicationBackfillRecord {
  id: string;
  destination: { region: string; registryId: string };
  startedAt: number;
  /** Each phase (preparing, replicating) lasts this long on the registry's clock. */
  stepMs: number;
  /** Set by StopReplicationBackfill: the backfill reports STOPPED from then on. */
  stoppedAt?: number;
  /** The images to replicate, in repository and push order, as found when the backfill started. */
  images: BackfillImage[];
  /** Every replication of this backfill fails (the destination region is in `failRegions`). */
  failing: boolean;
  /** How many of `images` have been replicated (or failed) so far. */
  settled: number;
}

export interface RegistrySettings {
  policyText?: string;
  /** Account settings set with PutAccountSetting, by name; unset names have their defaults. */
  accountSettings: Record<string, string>;
  creationTemplates: CreationTemplateRecord[];
  /** Set by PutSigningConfiguration; absent means no signing configuration. */
  signingRules?: SigningRuleRecord[];
  pullTimeExclusions: PullTimeExclusionRecord[];
  backfills: ReplicationBackfillRecord[];
}

export function newRegistrySettings(): RegistrySettings {
  return { accountSettings: {}, creationTemplates: [], pullTimeExclusions: [], backfills: [] };
}

/** The account settings PutAccountSetting accepts, their values and the default of each. */
export const accountSettingValues: Readonly<Record<string, { values: readonly string[]; strict: string; lenient: string }>> = {
  // AWS_NATIVE replaced Clair as the default basic scanner in 2025.
  BASIC_SCAN_TYPE_VERSION: { values: ['AWS_NATIVE', 'CLAIR'], strict: 'AWS_NATIVE', lenient: 'AWS_NATIVE' },
  // New accounts use V2 (every ECR action allowed in a registry policy); moto behaves like V1.
  REGISTRY_POLICY_SCOPE: { values: ['V1', 'V2'], strict: 'V2', lenient: 'V1' },
  BLOB_MOUNTING: { values: ['ENABLED', 'DISABLED'], strict: 'DISABLED', lenient: 'DISABLED' },
};
