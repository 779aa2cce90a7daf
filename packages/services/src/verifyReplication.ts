import { EcrError, MediaType, formatPlatform, invalidParameter, isEcrError, readOptions, replicationStateOf } from '@ecrkit/core-types';
import type { Clock, ImageDetail, ImageReplicationStatus, ReplicationConfiguration, ReplicationStatus, Repository, WaitOptions } from '@ecrkit/core-types';
import type { EcrClient } from './createClient.js';
import type { ImageRef } from './internal/imageIds.js';
import { waitFor } from './waitFor.js';

/** Where an image's replica stands in one destination, as {@link ReplicationService.verify} finds it. */
export const ReplicaState = {
  /** The same digest is there, with the same tags, every platform manifest and referrer, and the copied repository settings. */
  Consistent: 'consistent',
  /** Not (all) there yet, and the source still reports the replication in progress. */
  Pending: 'pending',
  /** Not (all) there, and replication is not going to bring it: failed, complete but absent, or never started. */
  Missing: 'missing',
  /** Something there differs from the source: a tag on another digest, missing or extra tags, or repository settings. */
  Diverged: 'diverged',
  /** No replication rule sends this repository to the destination (filtered out). */
  NotApplicable: 'not-applicable',
} as const;
/** One of the states in {@link ReplicaState}. */
export type ReplicaState = (typeof ReplicaState)[keyof typeof ReplicaState];

/** One registry in one region: a replication source or destination. */
export interface ReplicationTarget {
  region: string;
  registryId: string;
}

/**
 * Makes the client that reads one destination. The default reuses the source client's transport
 * and credentials (`client.forRegistry`); pass your own for destinations in accounts those
 * credentials cannot read, e.g. a client over a transport with that account's role.
 */
export type ReplicaClientFactory = (destination: ReplicationTarget) => EcrClient;

/** What {@link ReplicationService.verify} found in one destination. */
export interface ReplicaReport extends ReplicationTarget {
  state: ReplicaState;
  /** The status the source reports for this destination (DescribeImageReplicationStatus), when it reports one. */
  replicationStatus?: ReplicationStatus;
  failureCode?: string;
  /** `pending` only: milliseconds since the image was pushed at the source. */
  pendingForMs?: number;
  /** What is missing or differs, one line each; empty when consistent or not applicable. */
  problems: string[];
}

/** The result of {@link ReplicationService.verify}. */
export interface ReplicationVerification {
  repositoryName: string;
  imageDigest: string;
  /** The image's tags at the source. */
  imageTags: string[];
  source: ReplicationTarget;
  pushedAt?: Date;
  /**
   * `consistent` when every destination that applies is consistent (or none applies),
   * `inconsistent` when any is missing or diverged, otherwise `pending`.
   */
  outcome: 'consistent' | 'pending' | 'inconsistent';
  /** Every destination of the registry's replication rules, in their order. */
  destinations: ReplicaReport[];
  /** Verification rounds made (1 without `wait`). */
  attempts: number;
  /** With `wait`: the time ran out while a destination was still pending. */
  timedOut: boolean;
  elapsedMs: number;
}

/** Progress of a waiting {@link ReplicationService.verify}, after each round that left a destination pending. */
export interface ReplicationVerifyProgress {
  attempt: number;
  elapsedMs: number;
  nextDelayMs: number;
  destinations: ReplicaReport[];
}

/** Options of {@link ReplicationService.verify}: waiter options (used with `wait`) and the destination clients. */
export interface ReplicationVerifyOptions extends WaitOptions<ReplicationVerifyProgress> {
  /** Verify again, with backoff, until no destination is pending or `timeoutMs` (default 5 minutes) passes. */
  wait?: boolean;
  /** The client of each destination (default: the source client's transport, `forRegistry`). */
  clientFor?: ReplicaClientFactory;
}

/**
 * Where a repository's images must be replicated to, by the registry's rules: a rule applies
 * when it has no repository filter or one of its `PREFIX_MATCH` filters is a prefix of the name.
 * Destinations equal to the source are left out, as ECR refuses them.
 */
export function replicationDestinationsFor(
  configuration: ReplicationConfiguration,
  repositoryName: string,
  source: ReplicationTarget,
): { applicable: ReplicationTarget[]; notApplicable: ReplicationTarget[] } {
  if (typeof repositoryName !== 'string') throw invalidParameter('repositoryName', 'must be a string');
  const from = readOptions(source ?? null, ['region', 'registryId'], 'source');
  const all = new Map<string, { target: ReplicationTarget; applies: boolean }>();
  for (const [i, rule] of listOf(readOptions(configuration ?? null, ['rules'], 'configuration').rules, 'configuration.rules').entries()) {
    const field = `configuration.rules[${i}]`;
    const { repositoryFilters, destinations } = readOptions(rule ?? null, ['repositoryFilters', 'destinations'], field);
    const filters = listOf(repositoryFilters, `${field}.repositoryFilters`).map((f, j) =>
      readOptions(f ?? null, ['filterType', 'filter'], `${field}.repositoryFilters[${j}]`),
    );
    const applies =
      filters.length === 0 || filters.some((f) => f.filterType === 'PREFIX_MATCH' && typeof f.filter === 'string' && repositoryName.startsWith(f.filter));
    for (const [j, destination] of listOf(destinations, `${field}.destinations`).entries()) {
      const d = readOptions(destination ?? null, ['region', 'registryId'], `${field}.destinations[${j}]`);
      if (typeof d.region !== 'string' || typeof d.registryId !== 'string')
        throw invalidParameter(`${field}.destinations[${j}]`, 'must have string region and registryId');
      if (d.region === from.region && d.registryId === from.registryId) continue;
      const key = `${d.registryId}/${d.region}`;
      const seen = all.get(key);
      all.set(key, { target: seen?.target ?? { region: d.region, registryId: d.registryId }, applies: (seen?.applies ?? false) || applies });
    }
  }
  const entries = [...all.values()];
  return { applicable: entries.filter((e) => e.applies).map((e) => e.target), notApplicable: entries.filter((e) => !e.applies).map((e) => e.target) };
}

/** An optional list of a configuration: absent is empty; anything but an array is `InvalidParameter`. */
function listOf(value: unknown, field: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidParameter(field, 'must be an array');
  return value;
}

/** A part of an image that must be replicated along with it. */
interface ImagePart {
  digest: string;
  /** `platform manifest linux/arm64/v8` or `referrer (application/vnd.cncf.notary.signature)`. */
  what: string;
}

/** What one round learns at the source, shared by every destination check. */
interface SourceFacts {
  repository: string;
  detail: ImageDetail & { imageDigest: string };
  tags: string[];
  settings: RepositorySettings;
  statuses: ImageReplicationStatus[];
  parts: ImagePart[];
  /** The source's replication status of a part for a destination (DescribeImageReplicationStatus, asked once per part). */
  partStatus(digest: string, target: ReplicationTarget): Promise<ImageReplicationStatus | undefined>;
  now: number;
}

/** The repository settings replication copies when it creates a destination repository. */
interface RepositorySettings {
  tagMutability: string;
  scanOnPush: boolean;
  encryptionType: string;
}

function settingsOf(repo: Repository): RepositorySettings {
  return {
    tagMutability: repo.imageTagMutability ?? 'MUTABLE',
    scanOnPush: repo.imageScanningConfiguration?.scanOnPush ?? false,
    encryptionType: repo.encryptionConfiguration?.encryptionType ?? 'AES256',
  };
}

const indexTypes: ReadonlySet<string> = new Set([MediaType.DockerManifestList, MediaType.OciIndex]);

function isNotFound(err: unknown): boolean {
  return isEcrError(err) && (err.kind === 'ImageNotFound' || err.kind === 'RepositoryNotFound');
}

/** One image's details, or `undefined` when the repository or image is not there. */
async function describeOne(client: EcrClient, repository: string, id: ImageRef, signal: AbortSignal | undefined): Promise<ImageDetail | undefined> {
  try {
    const [detail] = await client.images.describe(repository, [id], signal ? { signal } : {}).toArray();
    return detail;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function statusFor(statuses: readonly ImageReplicationStatus[], target: ReplicationTarget): ImageReplicationStatus | undefined {
  return statuses.find((s) => s.region === target.region && (s.registryId === undefined || s.registryId === target.registryId));
}

function statusText(status: ImageReplicationStatus | undefined): string {
  if (!status) return 'the source reports no replication there';
  return `replication ${status.status ?? 'status unknown'}${status.failureCode ? ` (${status.failureCode})` : ''}`;
}

/** Read at the source what every destination is compared with. */
async function sourceFacts(
  source: EcrClient,
  repository: string,
  detail: ImageDetail & { imageDigest: string },
  now: number,
  signal?: AbortSignal,
): Promise<SourceFacts> {
  const opts = signal ? { signal } : {};
  const digest = detail.imageDigest;
  const [repo, status] = await Promise.all([
    source.repositories.get(repository, opts),
    source.replication.getStatus(repository, { imageDigest: digest }, opts),
  ]);
  const parts: ImagePart[] = [];
  if (detail.imageManifestMediaType && indexTypes.has(detail.imageManifestMediaType)) {
    const list = await source.manifests.getManifestList(repository, { imageDigest: digest }, opts);
    for (const entry of list.manifest.manifests) {
      parts.push({ digest: entry.digest, what: `platform manifest ${entry.platform ? formatPlatform(entry.platform) : '(no platform)'}` });
    }
  }
  // Referrers (signatures, SBOMs, attestations) name the image as their subject.
  for await (const image of source.images.describe(repository, undefined, opts)) {
    if (image.subjectManifestDigest === digest && image.imageDigest) {
      parts.push({ digest: image.imageDigest, what: `referrer${image.artifactMediaType ? ` (${image.artifactMediaType})` : ''}` });
    }
  }
  const partStatuses = new Map<string, Promise<ImageReplicationStatus[]>>();
  return {
    repository,
    detail,
    tags: [...(detail.imageTags ?? [])].sort(),
    settings: settingsOf(repo),
    statuses: status.destinations,
    parts,
    partStatus: async (partDigest, target) => {
      let statuses = partStatuses.get(partDigest);
      if (!statuses) {
        statuses = source.replication.getStatus(repository, { imageDigest: partDigest }, opts).then(
          (s) => s.destinations,
          (err: unknown) => (isNotFound(err) ? [] : Promise.reject(err)),
        );
        partStatuses.set(partDigest, statuses);
      }
      return statusFor(await statuses, target);
    },
    now,
  };
}

/** Compare one destination with the source. */
async function checkDestination(dest: EcrClient, target: ReplicationTarget, facts: SourceFacts, signal?: AbortSignal): Promise<ReplicaReport> {
  const { repository, detail } = facts;
  const digest = detail.imageDigest;
  const status = statusFor(facts.statuses, target);
  const inProgress = status !== undefined && replicationStateOf(status.status) === 'inProgress';
  const diverged: string[] = [];
  const outstanding: string[] = [];
  let pending = false;

  let destRepo: Repository | undefined;
  try {
    destRepo = await dest.repositories.get(repository, signal ? { signal } : {});
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!destRepo) {
    outstanding.push(`repository ${repository} is not there (${statusText(status)})`);
    pending = inProgress;
  } else {
    const here = settingsOf(destRepo);
    const there = facts.settings;
    if (here.tagMutability !== there.tagMutability) diverged.push(`tag mutability is ${here.tagMutability}, ${there.tagMutability} at the source`);
    if (here.scanOnPush !== there.scanOnPush)
      diverged.push(`scan on push is ${here.scanOnPush ? 'on' : 'off'}, ${there.scanOnPush ? 'on' : 'off'} at the source`);
    if (here.encryptionType !== there.encryptionType) diverged.push(`encryption is ${here.encryptionType}, ${there.encryptionType} at the source`);

    const replica = await describeOne(dest, repository, { imageDigest: digest }, signal);
    const replicaTags = new Set(replica?.imageTags ?? []);
    if (!replica) {
      outstanding.push(`image ${digest} is not there (${statusText(status)})`);
      pending ||= inProgress;
    }
    for (const tag of facts.tags) {
      if (replicaTags.has(tag)) continue;
      const holder = await describeOne(dest, repository, { imageTag: tag }, signal);
      if (!replica && !holder) continue;
      const problem = holder?.imageDigest ? `tag ${tag} is on ${holder.imageDigest} there` : `tag ${tag} is missing there`;
      // Tags differ for good unless the replication under way is about to write or move them.
      if (inProgress) {
        outstanding.push(problem);
        pending = true;
      } else diverged.push(problem);
    }
    // Deletions are not replicated: a tag the source took off stays on the replica.
    for (const tag of [...replicaTags].sort()) if (!facts.tags.includes(tag)) diverged.push(`tag ${tag} is on the replica but not on the source image`);

    for (const part of facts.parts) {
      // The status first: it is what a missing part is judged by, and reading it may be what moves a replication on.
      const partStatus = await facts.partStatus(part.digest, target);
      if (await describeOne(dest, repository, { imageDigest: part.digest }, signal)) continue;
      const partInProgress = (partStatus !== undefined && replicationStateOf(partStatus.status) === 'inProgress') || (partStatus === undefined && inProgress);
      outstanding.push(`${part.what} ${part.digest} is not there (${statusText(partStatus)})`);
      pending ||= partInProgress;
    }
  }

  const report: ReplicaReport = { ...target, state: ReplicaState.Consistent, problems: [...diverged, ...outstanding] };
  if (status?.status !== undefined) report.replicationStatus = status.status;
  if (status?.failureCode !== undefined) report.failureCode = status.failureCode;
  if (diverged.length > 0) report.state = ReplicaState.Diverged;
  else if (outstanding.length > 0 && pending) {
    report.state = ReplicaState.Pending;
    if (detail.imagePushedAt) report.pendingForMs = Math.max(0, facts.now - detail.imagePushedAt.getTime());
  } else if (outstanding.length > 0) report.state = ReplicaState.Missing;
  return report;
}

function outcomeOf(destinations: readonly ReplicaReport[]): ReplicationVerification['outcome'] {
  if (destinations.some((d) => d.state === ReplicaState.Missing || d.state === ReplicaState.Diverged)) return 'inconsistent';
  if (destinations.some((d) => d.state === ReplicaState.Pending)) return 'pending';
  return 'consistent';
}

/** One verification round. */
async function verifyOnce(
  source: EcrClient,
  repository: string,
  image: ImageRef,
  clientFor: ReplicaClientFactory,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Omit<ReplicationVerification, 'attempts' | 'timedOut' | 'elapsedMs'>> {
  const opts = signal ? { signal } : {};
  const detail = await describeOne(source, repository, image, signal);
  if (!detail?.imageDigest) {
    // Not finding the source image is the caller's error, not a replication state.
    await source.repositories.get(repository, opts);
    const shown = typeof image === 'string' ? image : (image.imageTag ?? image.imageDigest);
    throw new EcrError({ kind: 'ImageNotFound', operation: 'DescribeImages', message: `Image ${shown} not found in ${repository}` });
  }
  const config = await source.replication.getConfiguration(opts);
  const registryId = config.registryId ?? detail.registryId ?? source.config.registryId ?? '';
  const sourceTarget = { region: source.region, registryId };
  const { applicable, notApplicable } = replicationDestinationsFor(config.replicationConfiguration, repository, sourceTarget);
  const withDigest = detail as ImageDetail & { imageDigest: string };
  const base = {
    repositoryName: repository,
    imageDigest: withDigest.imageDigest,
    imageTags: [...(detail.imageTags ?? [])],
    source: sourceTarget,
    ...(detail.imagePushedAt ? { pushedAt: detail.imagePushedAt } : {}),
  };
  const skipped: ReplicaReport[] = notApplicable.map((t) => ({ ...t, state: ReplicaState.NotApplicable, problems: [] }));
  if (applicable.length === 0) return { ...base, outcome: 'consistent', destinations: skipped };
  const facts = await sourceFacts(source, repository, withDigest, clock.now(), signal);
  const checked = await Promise.all(applicable.map((target) => checkDestination(clientFor(target), target, facts, signal)));
  // Report in the order of the rules.
  const order = [...applicable, ...notApplicable].map((t) => `${t.registryId}/${t.region}`);
  const destinations = [...checked, ...skipped].sort((a, b) => order.indexOf(`${a.registryId}/${a.region}`) - order.indexOf(`${b.registryId}/${b.region}`));
  return { ...base, outcome: outcomeOf(destinations), destinations };
}

/**
 * Verify an image's replicas: the work behind {@link ReplicationService.verify}.
 * @internal
 */
export async function verifyReplication(
  source: EcrClient,
  clock: Clock,
  repository: string,
  image: ImageRef,
  options: ReplicationVerifyOptions,
): Promise<ReplicationVerification> {
  const clientFor = options.clientFor ?? ((target: ReplicationTarget) => source.forRegistry(target));
  if (typeof clientFor !== 'function') {
    throw new EcrError({
      kind: 'InvalidParameter',
      field: 'clientFor',
      message: `Invalid parameter 'clientFor': must be a function from destination to EcrClient`,
    });
  }
  const waitClock = options.clock ?? clock;
  const start = waitClock.now();
  if (!options.wait) {
    const once = await verifyOnce(source, repository, image, clientFor, clock, options.signal);
    return { ...once, attempts: 1, timedOut: false, elapsedMs: waitClock.now() - start };
  }
  type Round = Awaited<ReturnType<typeof verifyOnce>>;
  let last: Round | undefined;
  let attempts = 0;
  const { onProgress } = options;
  try {
    const done = await waitFor<Round>({
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.maxPollIntervalMs !== undefined ? { maxPollIntervalMs: options.maxPollIntervalMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onProgress
        ? { onProgress: (p) => onProgress({ attempt: p.attempt, elapsedMs: p.elapsedMs, nextDelayMs: p.nextDelayMs, destinations: p.result.destinations }) }
        : {}),
      clock: waitClock,
      timeoutKind: 'ReplicationTimeout',
      description: `consistent replicas of ${repository}`,
      poll: async (signal) => {
        attempts++;
        last = await verifyOnce(source, repository, image, clientFor, clock, signal);
        return last;
      },
      acceptor: (r) => (r.outcome === 'pending' ? 'RETRY' : 'SUCCESS'),
    });
    return { ...done.result, attempts: done.attempts, timedOut: false, elapsedMs: done.elapsedMs };
  } catch (err) {
    // Running out of time is an answer here (still pending, with ages), not a failure.
    if (isEcrError(err) && err.kind === 'ReplicationTimeout' && last) return { ...last, attempts, timedOut: true, elapsedMs: waitClock.now() - start };
    throw err;
  }
}
