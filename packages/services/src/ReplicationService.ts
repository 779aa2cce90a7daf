import type { CallOptions } from '@ecrkit/core-types';
import { EcrError, replicationStateOf, validateRegion, validateRepositoryName } from '@ecrkit/core-types';
import type {
  DescribeRegistryResponse,
  ImageIdentifier,
  ImageReplicationStatus,
  ReplicationConfiguration,
  ReplicationDestination,
  WaitOptions,
} from '@ecrkit/core-types';
import { singlePage } from './Paginated.js';
import type { Paginated } from './Paginated.js';
import { toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import type { EcrClient } from './createClient.js';
import { verifyReplication } from './verifyReplication.js';
import type { ReplicationVerification, ReplicationVerifyOptions } from './verifyReplication.js';
import { waitFor } from './waitFor.js';
import { callOptions, waitOptions } from './internal/options.js';

/** Replication of one image, per destination. */
export interface ReplicationStatusResult {
  repositoryName: string;
  imageId: ImageIdentifier;
  destinations: ImageReplicationStatus[];
}

/** The registry's replication configuration (DescribeRegistry). */
export interface RegistryReplicationConfiguration {
  registryId?: string;
  replicationConfiguration: ReplicationConfiguration;
}

/** Where replication stands in one region: `MISSING` until the region shows up in the status. */
export type RegionReplicationState = 'COMPLETE' | 'FAILED' | 'IN_PROGRESS' | 'MISSING';

/** The outcome for one region of {@link ReplicationService.waitForReplication}. */
export interface RegionReplicationOutcome {
  region: string;
  status: RegionReplicationState;
  registryIds: string[];
  failureCode?: string;
}

/** The result of {@link ReplicationService.waitForReplication}. */
export interface ReplicationWaitResult {
  /** Every region asked for is `COMPLETE`. */
  complete: boolean;
  regions: RegionReplicationOutcome[];
  attempts: number;
  elapsedMs: number;
}

/** Progress of {@link ReplicationService.waitForReplication}, after each poll that was not final. */
export interface ReplicationWaitProgress {
  attempt: number;
  elapsedMs: number;
  nextDelayMs: number;
  regions: RegionReplicationOutcome[];
}

/**
 * Options of {@link ReplicationService.waitForReplication} (core-types `WaitOptions`): `timeoutMs`
 * default 5 minutes, `pollIntervalMs` 1000 doubling up to `maxPollIntervalMs` 30 000, `clock` the client's.
 */
export type ReplicationWaitOptions = WaitOptions<ReplicationWaitProgress>;

/**
 * Per-region state of one status response, for the regions asked for (or every region reported).
 * Each entry is classified by core-types `replicationStateOf`, so an unknown status is IN_PROGRESS.
 */
function outcomes(statuses: readonly ImageReplicationStatus[], regions: readonly string[]): RegionReplicationOutcome[] {
  const wanted = regions.length ? regions : [...new Set(statuses.map((s) => s.region ?? ''))].filter(Boolean).sort();
  return wanted.map((region) => {
    const entries = statuses.filter((s) => s.region === region);
    const failed = entries.find((s) => replicationStateOf(s.status) === 'failed');
    const status: RegionReplicationState =
      entries.length === 0 ? 'MISSING' : failed ? 'FAILED' : entries.every((s) => replicationStateOf(s.status) === 'complete') ? 'COMPLETE' : 'IN_PROGRESS';
    const outcome: RegionReplicationOutcome = { region, status, registryIds: entries.map((s) => s.registryId ?? '').filter(Boolean) };
    if (failed?.failureCode) outcome.failureCode = failed.failureCode;
    return outcome;
  });
}

/** Cross-region replication: per-image status, the registry's configuration, and a waiter. */
export class ReplicationService {
  readonly #ctx: ServiceContext;
  readonly #client: EcrClient;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext, client: EcrClient) {
    this.#ctx = ctx;
    this.#client = client;
  }

  /**
   * Check that an image really is the same in every destination the registry's replication rules
   * send it to: the same digest, the same tags, every platform manifest of an index and every
   * referrer, and the repository settings replication copies (tag mutability, scan on push,
   * encryption type). Each destination comes back `consistent`, `pending` (with its age),
   * `missing`, `diverged` or `not-applicable` (filtered out by the rules), with one line per
   * problem. With `wait`, verifies again with backoff until nothing is pending or `timeoutMs`
   * passes (then `timedOut`, still pending). Destinations are read with `clientFor` (default:
   * this client's transport and credentials, `forRegistry`).
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound` (at the source); `Aborted`;
   * `InvalidParameter` before any request; whatever a destination read fails with (e.g. `AccessDenied`).
   * @example
   * const { outcome, destinations } = await client.replication.verify('web-app', 'v1.2.3', { wait: true, timeoutMs: 600_000 });
   * for (const d of destinations) console.log(d.region, d.state, d.problems.join('; '));
   */
  async verify(repository: string, image: ImageRef, options: ReplicationVerifyOptions = {}): Promise<ReplicationVerification> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(image);
    return verifyReplication(this.#client, this.#ctx.clock, repository, imageId, options);
  }

  /**
   * Replication status of one image per destination (DescribeImageReplicationStatus).
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`; `InvalidParameter` before any request.
   */
  async getStatus(repository: string, image: ImageRef, options: CallOptions = {}): Promise<ReplicationStatusResult> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(image);
    const out = await this.#ctx.send('ecr', 'DescribeImageReplicationStatus', { ...this.#ctx.registryField, repositoryName: repository, imageId }, signal);
    return {
      repositoryName: out.repositoryName ?? repository,
      imageId: { ...(out.imageId ?? imageId) },
      destinations: (out.replicationStatuses ?? []).map((s) => ({ ...s })),
    };
  }

  /** The registry's replication rules (DescribeRegistry). */
  async getConfiguration(options: CallOptions = {}): Promise<RegistryReplicationConfiguration> {
    const { signal } = callOptions(options);
    const out = await this.#ctx.send('ecr', 'DescribeRegistry', {}, signal);
    return {
      ...(out.registryId !== undefined ? { registryId: out.registryId } : {}),
      replicationConfiguration: out.replicationConfiguration ?? { rules: [] },
    };
  }

  /** Every distinct replication destination of the registry's rules (DescribeRegistry, one page). */
  listDestinations(options: CallOptions = {}): Paginated<ReplicationDestination, DescribeRegistryResponse> {
    const { signal } = callOptions(options);
    return singlePage(
      () => this.#ctx.send('ecr', 'DescribeRegistry', {}, signal),
      (page) => {
        const seen = new Map<string, ReplicationDestination>();
        for (const rule of page.replicationConfiguration?.rules ?? []) {
          for (const d of rule.destinations) seen.set(`${d.region}|${d.registryId}`, { region: d.region, registryId: d.registryId });
        }
        return [...seen.values()];
      },
    );
  }

  /**
   * Poll replication status until every region given is `COMPLETE` or any is `FAILED`, with
   * backoff (1 s, 2 s, 4 s … at most 30 s, with jitter) on the client's clock. A status ecrkit
   * does not know counts as `IN_PROGRESS` and keeps polling. With no regions, waits for every
   * destination the status reports. A failure is returned per region, not thrown.
   *
   * @throws EcrError kind `ReplicationTimeout` after `timeoutMs` (default 5 minutes), naming each
   * region's state; `Aborted` on abort; `InvalidParameter` before any request.
   */
  async waitForReplication(
    repository: string,
    image: ImageRef,
    regions: readonly string[],
    options: ReplicationWaitOptions = {},
  ): Promise<ReplicationWaitResult> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(image);
    if (!Array.isArray(regions)) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'regions', message: `Invalid parameter 'regions': must be a list of regions` });
    }
    for (const [i, r] of regions.entries()) validateRegion(r, `regions[${i}]`);
    const wanted = [...new Set(regions)];
    const { onProgress, clock, ...timing } = waitOptions<ReplicationWaitProgress>(options);
    const done = await waitFor<RegionReplicationOutcome[]>({
      ...timing,
      ...(onProgress ? { onProgress: (p) => onProgress({ attempt: p.attempt, elapsedMs: p.elapsedMs, nextDelayMs: p.nextDelayMs, regions: p.result }) } : {}),
      clock: clock ?? this.#ctx.clock,
      random: this.#ctx.random,
      timeoutKind: 'ReplicationTimeout',
      description: `replication of ${repository}:${imageId.imageDigest ?? imageId.imageTag}${wanted.length ? ` to ${wanted.join(', ')}` : ''}`,
      describeLast: (r) => (r.length ? r.map((o) => `${o.region} ${o.status}`).join(', ') : 'no destinations reported'),
      poll: async (signal) => outcomes((await this.getStatus(repository, imageId, { ...(signal ? { signal } : {}) })).destinations, wanted),
      acceptor: (r) => {
        if (r.some((o) => o.status === 'FAILED')) return 'FAILURE';
        if (r.length > 0 && r.every((o) => o.status === 'COMPLETE')) return 'SUCCESS';
        return 'RETRY';
      },
    });
    return { complete: done.state === 'SUCCESS', regions: done.result, attempts: done.attempts, elapsedMs: done.elapsedMs };
  }
}
