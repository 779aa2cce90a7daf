import type {
  CreatePullThroughCacheRuleResponse,
  DeletePullThroughCacheRuleResponse,
  EcrPublic,
  GetRegistryPolicyResponse,
  ImageReferrer,
  PullThroughCacheRule,
  ValidatePullThroughCacheRuleResponse,
  ImageDetail,
  ImageFailure,
  ImageIdentifier,
  ImageReplicationStatus,
  ImageScanFindings,
  ImageScanStatus,
  Layer,
  LayerFailure,
  LifecyclePolicyPreviewResult,
  LifecyclePolicyPreviewSummary,
  ReplicationDestination,
  ReplicationStatus,
  Repository,
  Tag,
} from '@ecrkit/core-types';
import type { CopyReport } from '@ecrkit/services';

// What each command prints with `--output json` (and, before `--query`, what `--output text`
// formats). Objects are the ECR API reference's shapes from core-types, with their field names;
// the few fields ecrkit adds are listed in the README ("Fields ecrkit adds"). The JSON Schema
// files in `schema/v1/` are generated from these types (`npm run schema`), and
// test/schema.test.ts checks both the files and real output against them.

/** The version of the output schemas; a rename or removal bumps it, a new optional field does not. */
export const outputSchemaVersion = 1;

/** `ecrkit repos`: DescribeRepositories' response, every page merged. */
export interface ReposOutput {
  repositories: Repository[];
}

/** `ecrkit repo <name>`: the repository with its policy, lifecycle policy and resource tags. */
export interface RepoOutput {
  /** The repository, as DescribeRepositories returns it. */
  repository: Repository;
  /** GetRepositoryPolicy's policy document; absent when the repository has none. */
  policyText?: string;
  /** GetLifecyclePolicy's policy document; absent when the repository has none. */
  lifecyclePolicyText?: string;
  /** When ECR last evaluated the lifecycle policy. */
  lastEvaluatedAt?: Date;
  /** ListTagsForResource's resource tags. */
  tags: Tag[];
}

/** `ecrkit lifecycle preview <repo>`: GetLifecyclePolicyPreview's response. */
export interface LifecyclePreviewOutput {
  registryId?: string;
  repositoryName: string;
  /** The images the policy would expire now, with the rule that expires each. */
  previewResults: LifecyclePolicyPreviewResult[];
  summary: LifecyclePolicyPreviewSummary;
}

/** `ecrkit images <repo>` and `ecrkit describe <repo> <ref>`: DescribeImages' response, newest first. */
export interface ImagesOutput {
  imageDetails: ImageDetail[];
}

/** A content descriptor as the OCI image spec writes it. */
export interface ManifestDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  artifactType?: string;
  /** In an index: the platform the entry is for. */
  platform?: {
    architecture: string;
    os: string;
    'os.version'?: string;
    'os.features'?: string[];
    variant?: string;
  };
}

/** A manifest or index document as stored (OCI image spec or Docker schema 2 field names). */
export interface ManifestDocument {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config?: ManifestDescriptor;
  layers?: ManifestDescriptor[];
  manifests?: ManifestDescriptor[];
  subject?: ManifestDescriptor;
  annotations?: Record<string, string>;
}

/** `ecrkit manifest <repo> <ref>`: BatchGetImage's image, with the manifest document parsed. */
export interface ManifestOutput {
  registryId?: string;
  repositoryName: string;
  imageId: ImageIdentifier;
  imageManifestMediaType: string;
  /** The manifest (or, for a multi-platform image without --platform, the index), parsed; `--raw` prints the exact bytes. */
  manifest: ManifestDocument;
}

/** `ecrkit config <repo> <ref>`: the image configuration document, OCI image spec field names. */
export interface ImageConfigOutput {
  created?: Date;
  author?: string;
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  /** The container defaults, keys as in the image spec (`Env`, `Cmd`, `Entrypoint`, ...). */
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    Volumes?: Record<string, object>;
    WorkingDir?: string;
    Labels?: Record<string, string>;
    StopSignal?: string;
    ArgsEscaped?: boolean;
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
    Shell?: string[];
    OnBuild?: string[];
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: { created?: Date; author?: string; created_by?: string; comment?: string; empty_layer?: boolean }[];
}

/** `ecrkit layers <repo> <ref>`: BatchCheckLayerAvailability's response for the image's layers, in manifest order. */
export interface LayersOutput {
  layers: Layer[];
  failures: LayerFailure[];
}

/** `ecrkit tag <repo> <ref> <new-tag>`: PutImage's image (without the manifest). */
export interface TagOutput {
  image: { registryId?: string; repositoryName: string; imageId: ImageIdentifier };
  /** False when the image already had the tag (ECR's ImageAlreadyExists; nothing changed). */
  changed: boolean;
}

/** `ecrkit untag <repo> <tag>`: BatchDeleteImage's response for the one tag. */
export interface UntagOutput {
  imageIds: ImageIdentifier[];
  failures: ImageFailure[];
  /** True when the tag was the image's last, so ECR deleted the image. */
  imageDeleted: boolean;
}

/** `ecrkit delete <repo> <ref>...`: BatchDeleteImage's response. */
export interface DeleteOutput {
  imageIds: ImageIdentifier[];
  failures: ImageFailure[];
}

/** The scan gate's thresholds, as given on the command line. */
export interface GateThresholds {
  maxCritical?: number;
  maxHigh?: number;
  maxMedium?: number;
  maxLow?: number;
  ignore?: string[];
}

/** The verdict of a scan gate (`--max-critical` and friends). */
export interface ScanGate {
  passed: boolean;
  thresholds: GateThresholds;
  /** Findings per severity after the ignore list. */
  counts: Record<string, number>;
  /** Why the gate failed; empty when it passed. */
  violations: string[];
}

/**
 * `ecrkit scan <repo> <ref>`: StartImageScan's response; with `--wait` (or a gate) the finished
 * scan as DescribeImageScanFindings reports it (severity counts, not the findings), and the gate.
 */
export interface ScanOutput {
  registryId?: string;
  repositoryName: string;
  imageId: ImageIdentifier;
  imageScanStatus: ImageScanStatus;
  imageScanFindings?: ImageScanFindings;
  /** With a gate option: its verdict. */
  gate?: ScanGate;
}

/** `ecrkit findings <repo> <ref>`: DescribeImageScanFindings' response, every page merged, `--severity` applied. */
export interface FindingsOutput {
  registryId?: string;
  repositoryName: string;
  imageId: ImageIdentifier;
  imageScanStatus: ImageScanStatus;
  imageScanFindings: ImageScanFindings;
}

/** `ecrkit login`: the `docker login` pipeline for the registry (never the password). */
export interface LoginOutput {
  /** The registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  registry: string;
  /** Always `AWS`. */
  username: string;
  /** The shell pipeline: `ecrkit ... get-login-password | docker login ...`. */
  command: string;
  /** When the token behind the pipeline expires. */
  expiresAt: Date;
  /** With `--helper`: the `credHelpers` entry for `~/.docker/config.json` or a containers `auth.json` (registry host → `ecrkit`). */
  credHelpers?: Record<string, string>;
}

/** `ecrkit pull-secret <namespace>`: a Kubernetes Secret of type kubernetes.io/dockerconfigjson. */
export interface PullSecretOutput {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string };
  type: 'kubernetes.io/dockerconfigjson';
  /** `.dockerconfigjson` is `[redacted]` unless `--reveal`. */
  data: { '.dockerconfigjson': string };
}

/** `ecrkit replication [status] <repo> <ref>`: DescribeImageReplicationStatus' response; with `--wait`, when it is complete or failed. */
export interface ReplicationOutput {
  repositoryName: string;
  imageId: ImageIdentifier;
  replicationStatuses: ImageReplicationStatus[];
  /** With --wait: every destination is COMPLETE. */
  complete?: boolean;
}

/** What `replication verify` found in one destination (a ReplicationDestination: `region`, `registryId`). */
export interface ReplicaVerificationOutput extends ReplicationDestination {
  /** `consistent`, `pending`, `missing`, `diverged`, or `not-applicable` when no replication rule sends the repository there. */
  state: 'consistent' | 'pending' | 'missing' | 'diverged' | 'not-applicable';
  /** The status the source reports for this destination (DescribeImageReplicationStatus), when it reports one. */
  status?: ReplicationStatus;
  /** The failure code the source reports for this destination. */
  failureCode?: string;
  /** `pending` only: milliseconds since the image was pushed at the source. */
  pendingForMs?: number;
  /** What is missing or differs, one line each; empty when consistent or not applicable. */
  problems: string[];
}

/** `ecrkit replication verify <repo> <ref>`: the source image (ImageDetail's fields) and every destination of the replication rules. */
export interface ReplicationVerifyOutput {
  repositoryName: string;
  imageDigest: string;
  /** The image's tags at the source. */
  imageTags: string[];
  imagePushedAt?: Date;
  /** The registry and region the image was verified from. */
  source: ReplicationDestination;
  /** `consistent` (exit 0), `inconsistent`: a destination is missing or diverged (exit 1), `pending` (exit 6). */
  outcome: 'consistent' | 'pending' | 'inconsistent';
  /** With --wait: the time ran out while a destination was still pending. */
  timedOut: boolean;
  /** Verification rounds made (1 without --wait). */
  attempts: number;
  elapsedMs: number;
  /** Every destination of the registry's replication rules, in their order. */
  destinations: ReplicaVerificationOutput[];
}

/** One image reference of a deploy file and what `pin` made of it. */
export interface PinReferenceOutput {
  /** 1-based line of the reference in the file. */
  line: number;
  /** Where it is, e.g. `Deployment shop/web, init container migrate` or `task definition api, container api`. */
  location: string;
  /** The reference as written in the file. */
  image: string;
  /** `pinned` (with --check: would be pinned), `already-pinned`, `refused` or `skipped` (not an ECR private image). */
  status: 'pinned' | 'already-pinned' | 'refused' | 'skipped';
  /** The digest-pinned reference, `<registry>/<repository>@sha256:...` (pinned and already pinned). */
  imageUri?: string;
  imageDigest?: string;
  /** Why it was refused or skipped, in one line. */
  reason?: string;
}

/** One deploy file `pin` read. */
export interface PinFileOutput {
  /** The path as given. */
  file: string;
  format: 'kubernetes' | 'ecs' | 'lambda';
  /** Whether pinning changes the file (with --check or a refusal: would change it). */
  changed: boolean;
  references: PinReferenceOutput[];
}

/** An image pull Secret a Kubernetes workload needs, because its image is outside the cluster's registry. */
export interface PinPullSecretOutput {
  namespace: string;
  /** The name the pod spec lists, else `ecr-<account>-<region>`. */
  name: string;
  /** The registry (account) the Secret is for. */
  registryId: string;
  region: string;
  /** Whether the pod spec already lists it in imagePullSecrets (otherwise the reference is refused). */
  listed: boolean;
  /** The references that need it, as `file: location`. */
  for: string[];
}

/** `ecrkit pin <files...>`: every image reference of every file, what became of it, and the pull Secrets needed. */
export interface PinOutput {
  /** Whether --check was given (nothing written). */
  check: boolean;
  /** The files written (none with --check or when a reference was refused). */
  written: string[];
  /** How many references were refused. */
  refused: number;
  files: PinFileOutput[];
  pullSecrets: PinPullSecretOutput[];
}

/** One image that shares layers with the one asked about (ImageDetail's field names). */
export interface SimilarImageOutput {
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  imagePushedAt?: Date;
  /** Findings per severity of its latest finished scan; empty when it has none or was never scanned. */
  imageScanFindingsSummary: { findingSeverityCounts: Record<string, number> };
  /** How many layers it shares with the image asked about. */
  sharedLayerCount: number;
  /** Its own layer count (for an index, of all its platforms). */
  layerCount: number;
  /** Jaccard similarity of the two layer sets, in (0, 1]. */
  similarity: number;
}

/** `ecrkit similar <repo> <ref>`: the image (ImageDetail's fields) and the images sharing layers with it, most shared first. */
export interface SimilarOutput {
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  /** The image's layer count (for an index, of all its platforms). */
  layerCount: number;
  similar: SimilarImageOutput[];
}

/** The gate of `deployable`. */
export interface DeployGate {
  passed: boolean;
  thresholds: GateThresholds;
  /** Why the image is not deployable; empty when it is. */
  reasons: string[];
}

/** `ecrkit deployable <repo> <tag>`: DescribeImages' image detail, its digest-pinned URI and the gate. */
export interface DeployableOutput extends ImageDetail {
  /** `<registry>/<repository>@sha256:...`. */
  imageUri: string;
  gate: DeployGate;
}

/** `ecrkit public repos`: ECR Public's DescribeRepositories response. */
export interface PublicReposOutput {
  repositories: EcrPublic.Repository[];
}

/** `ecrkit public repo <name>`: the public repository and its catalog data. */
export interface PublicRepoOutput {
  /** The repository, as DescribeRepositories returns it. */
  repository: EcrPublic.Repository;
  /** GetRepositoryCatalogData's catalog data; absent when there is none. */
  catalogData?: EcrPublic.RepositoryCatalogData;
}

/** `ecrkit public images <repo>`: ECR Public's DescribeImages response, newest first. */
export interface PublicImagesOutput {
  imageDetails: EcrPublic.ImageDetail[];
}

/** `ecrkit referrers <repo> <ref>`: ListImageReferrers' response, every page merged. */
export interface ReferrersOutput {
  referrers: ImageReferrer[];
}

/** `ecrkit pull-through list`: DescribePullThroughCacheRules' response, every page merged. */
export interface PullThroughListOutput {
  pullThroughCacheRules: PullThroughCacheRule[];
}

/** `ecrkit pull-through create`: CreatePullThroughCacheRule's response. */
export type PullThroughCreateOutput = CreatePullThroughCacheRuleResponse;

/** `ecrkit pull-through delete`: DeletePullThroughCacheRule's response (the rule deleted). */
export type PullThroughDeleteOutput = DeletePullThroughCacheRuleResponse;

/** `ecrkit pull-through validate`: ValidatePullThroughCacheRule's response (`isValid`, `failure`). */
export type PullThroughValidateOutput = ValidatePullThroughCacheRuleResponse;

/** `ecrkit registry-policy get|put|delete`: the registry policy (Get/Put/DeleteRegistryPolicy's response). */
export type RegistryPolicyOutput = GetRegistryPolicyResponse;

/** `ecrkit sim serve`: where the simulation listens (printed once it does). */
export interface SimServeOutput {
  url: string;
  port: number;
  region: string;
  accountId: string;
  /** The state file, when --state was given. */
  state?: string;
}

/** One step of the demo: the command it ran, its exit code and its JSON output. */
export interface DemoStep {
  command: string;
  exitCode: number;
  output: ReposOutput | ImagesOutput | ManifestOutput | ScanOutput | DeployableOutput | LoginOutput | PullSecretOutput | ReplicationOutput;
}

/** `ecrkit demo --output json`: every step's output. */
export interface DemoOutput {
  steps: DemoStep[];
  elapsedMs: number;
}

/** What a failure prints on stderr with `--output json`: one line, one object. */
export interface ErrorOutput {
  /** The EcrError kind (`RepositoryNotFound`, `Throttling`, ...), or `Usage`, `NotFound`, `Auth`, `Service` for the CLI's own failures. */
  kind: string;
  /** The AWS error code (`RepositoryNotFoundException`), when the service sent one. */
  awsCode: string | null;
  message: string;
  /** The AWS request id, when there was a request. */
  requestId: string | null;
  /** What to do about it. */
  hint: string | null;
  /** The process's exit code. */
  exitCode: number;
  /** With --debug: the stack and the chain of causes. */
  stack?: string;
}

/**
 * `ecrkit copy` and `ecrkit pull`: what the copy did (services' `CopyReport`), with the two
 * references as given.
 */
export interface CopyOutput extends CopyReport {
  /** The source reference as given. */
  source: string;
  /** The destination reference as given (`oci:<dir>[:<tag>]` for `pull`). */
  destination: string;
}

/** The JSON output of every command, by command path: what `out.result(name, ...)` accepts. */
export interface CliOutputs {
  repos: ReposOutput;
  repo: RepoOutput;
  'lifecycle preview': LifecyclePreviewOutput;
  images: ImagesOutput;
  describe: ImagesOutput;
  manifest: ManifestOutput;
  config: ImageConfigOutput;
  layers: LayersOutput;
  tag: TagOutput;
  untag: UntagOutput;
  delete: DeleteOutput;
  scan: ScanOutput;
  findings: FindingsOutput;
  login: LoginOutput;
  'pull-secret': PullSecretOutput;
  copy: CopyOutput;
  pull: CopyOutput;
  'replication status': ReplicationOutput;
  'replication verify': ReplicationVerifyOutput;
  deployable: DeployableOutput;
  pin: PinOutput;
  similar: SimilarOutput;
  'public repos': PublicReposOutput;
  'public repo': PublicRepoOutput;
  'public images': PublicImagesOutput;
  referrers: ReferrersOutput;
  'pull-through list': PullThroughListOutput;
  'pull-through create': PullThroughCreateOutput;
  'pull-through delete': PullThroughDeleteOutput;
  'pull-through validate': PullThroughValidateOutput;
  'registry-policy get': RegistryPolicyOutput;
  'registry-policy put': RegistryPolicyOutput;
  'registry-policy delete': RegistryPolicyOutput;
  'sim serve': SimServeOutput;
  demo: DemoOutput;
}

/** A command that prints JSON: a key of {@link CliOutputs}. */
export type OutputName = keyof CliOutputs;

/**
 * Which API response shapes each output mirrors, as `api:Shape` (ECR, ECR Public) or a
 * foreign spec (`oci:`, `k8s:`), or none for ecrkit's own. Top-level fields must be fields of
 * these shapes or listed in the README's "Fields ecrkit adds"; the schema test checks it.
 */
export const outputMirrors: Record<OutputName | 'error', readonly string[]> = {
  repos: ['ecr:DescribeRepositoriesResponse'],
  repo: ['ecr:GetRepositoryPolicyResponse', 'ecr:GetLifecyclePolicyResponse', 'ecr:ListTagsForResourceResponse'],
  'lifecycle preview': ['ecr:GetLifecyclePolicyPreviewResponse'],
  images: ['ecr:DescribeImagesResponse'],
  describe: ['ecr:DescribeImagesResponse'],
  manifest: ['ecr:Image'],
  config: ['oci:image-config'],
  layers: ['ecr:BatchCheckLayerAvailabilityResponse'],
  tag: ['ecr:PutImageResponse'],
  untag: ['ecr:BatchDeleteImageResponse'],
  delete: ['ecr:BatchDeleteImageResponse'],
  scan: ['ecr:StartImageScanResponse', 'ecr:DescribeImageScanFindingsResponse'],
  findings: ['ecr:DescribeImageScanFindingsResponse'],
  login: ['ecr:AuthorizationData'],
  'pull-secret': ['k8s:Secret'],
  copy: [],
  pull: [],
  'replication status': ['ecr:DescribeImageReplicationStatusResponse'],
  'replication verify': ['ecr:ImageDetail'],
  deployable: ['ecr:ImageDetail'],
  pin: [],
  similar: ['ecr:ImageDetail'],
  'public repos': ['ecr-public:DescribeRepositoriesResponse'],
  'public repo': ['ecr-public:GetRepositoryCatalogDataResponse'],
  'public images': ['ecr-public:DescribeImagesResponse'],
  referrers: ['ecr:ListImageReferrersResponse'],
  'pull-through list': ['ecr:DescribePullThroughCacheRulesResponse'],
  'pull-through create': ['ecr:CreatePullThroughCacheRuleResponse'],
  'pull-through delete': ['ecr:DeletePullThroughCacheRuleResponse'],
  'pull-through validate': ['ecr:ValidatePullThroughCacheRuleResponse'],
  'registry-policy get': ['ecr:GetRegistryPolicyResponse'],
  'registry-policy put': ['ecr:PutRegistryPolicyResponse'],
  'registry-policy delete': ['ecr:DeleteRegistryPolicyResponse'],
  'sim serve': [],
  demo: [],
  error: [],
};
