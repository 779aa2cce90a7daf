import { ArtifactStatusFilter, EcrError, invalidParameter, validateArtifactType, validateRepositoryName } from '@ecrkit/core-types';
import type { ImageReferrer, ListImageReferrersRequest, ListImageReferrersResponse } from '@ecrkit/core-types';
import { paginate, PaginatedList } from './Paginated.js';
import type { PageOptions, Paginated } from './Paginated.js';
import { describeImageId, toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** Filters and paging of {@link ReferrersService.list}. */
export interface ReferrersListFilter extends PageOptions {
  /** Only referrers of these artifact types (1–5), e.g. `application/vnd.cncf.notary.signature`, `application/spdx+json`. */
  artifactTypes?: readonly string[];
  /** `ACTIVE` (ECR's default), `ARCHIVED`, `ACTIVATING` or `ANY`. */
  artifactStatus?: ArtifactStatusFilter;
}

const artifactStatuses: readonly string[] = Object.values(ArtifactStatusFilter);

/**
 * The OCI referrers of an image: the signatures, SBOMs and attestations pushed with a `subject`
 * that names it (ListImageReferrers).
 */
export class ReferrersService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * The referrers of `subject` (a digest, or a tag looked up with DescribeImages when the first
   * page is asked for), every page, as an async iterable; `.pages()` gives the raw pages.
   *
   * @throws EcrError kind `InvalidParameter` before any request for a bad repository, reference,
   * artifact type, status or page size (at most 50); `ImageNotFound` for a tag that names no image.
   * @example
   * for await (const sbom of client.referrers.list('web-app', 'v1.2.3', { artifactTypes: ['application/spdx+json'] })) {
   *   console.log(sbom.digest, sbom.size);
   * }
   */
  list(repository: string, subject: ImageRef, filter: ReferrersListFilter = {}): Paginated<ImageReferrer, ListImageReferrersResponse> {
    validateRepositoryName(repository);
    const id = toImageIdentifier(subject, 'subject');
    const { artifactTypes, artifactStatus, ...page } = filter;
    if (artifactTypes !== undefined) {
      if (!Array.isArray(artifactTypes) || artifactTypes.length === 0 || artifactTypes.length > 5) {
        throw invalidParameter('artifactTypes', 'must be a list of 1–5 artifact types');
      }
      for (const [i, t] of artifactTypes.entries()) validateArtifactType(t, `artifactTypes[${i}]`);
    }
    if (artifactStatus !== undefined && !artifactStatuses.includes(artifactStatus)) {
      throw invalidParameter('artifactStatus', `must be one of ${artifactStatuses.join(', ')}`);
    }
    const request = (imageDigest: string): ListImageReferrersRequest => ({
      ...this.#ctx.registryField,
      repositoryName: repository,
      subjectId: { imageDigest },
      ...(artifactTypes || artifactStatus
        ? { filter: { ...(artifactTypes ? { artifactTypes: [...artifactTypes] } : {}), ...(artifactStatus ? { artifactStatus } : {}) } }
        : {}),
    });
    const send = this.#ctx.send;
    // Built now so the page options are checked before any request, tag or not.
    const direct = paginate(send, 'ecr', 'ListImageReferrers', request(id.imageDigest ?? ''), page, (p) => p.referrers ?? []);
    if (id.imageDigest !== undefined) return direct;
    const resolve = () => this.#digestOf(repository, id, page.signal);
    return new PaginatedList<ImageReferrer, ListImageReferrersResponse>(
      async function* () {
        yield* paginate(send, 'ecr', 'ListImageReferrers', request(await resolve()), page).pages();
      },
      (p) => p.referrers ?? [],
    );
  }

  async #digestOf(repository: string, imageId: { imageTag?: string }, signal: AbortSignal | undefined): Promise<string> {
    const out = await this.#ctx.send('ecr', 'DescribeImages', { ...this.#ctx.registryField, repositoryName: repository, imageIds: [{ ...imageId }] }, signal);
    const digest = out.imageDetails?.[0]?.imageDigest;
    if (!digest) {
      throw new EcrError({
        kind: 'InvalidResponse',
        operation: 'DescribeImages',
        message: `DescribeImages returned no digest for ${describeImageId(imageId)} in ${repository}`,
      });
    }
    return digest;
  }
}
