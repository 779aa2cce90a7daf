import { validateRepositoryName } from '@ecrkit/core-types';
import type { DescribeImageSigningStatusResponse, ImageIdentifier, ImageSigningStatus } from '@ecrkit/core-types';
import { toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import { callOptions } from './internal/options.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** The signing status of one image: one entry per signing profile of the registry's signing rules that apply to it. */
export interface ImageSigningStatusResult {
  registryId?: string;
  repositoryName: string;
  imageId: ImageIdentifier;
  /** `IN_PROGRESS`, `COMPLETE` or `FAILED` per signing profile (with `failureCode` and `failureReason`); empty when no rule applies. */
  signingStatuses: ImageSigningStatus[];
}

/** Managed image signing (AWS Signer): whether an image has been signed under the registry's signing configuration. */
export class ImageSigningService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * The signing status of an image (DescribeImageSigningStatus).
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`; `InvalidParameter` before any request.
   */
  async getStatus(repository: string, image: ImageRef, options: { signal?: AbortSignal } = {}): Promise<ImageSigningStatusResult> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(image);
    const out: DescribeImageSigningStatusResponse = await this.#ctx.send(
      'ecr',
      'DescribeImageSigningStatus',
      { ...this.#ctx.registryField, repositoryName: repository, imageId },
      callOptions(options).signal,
    );
    return {
      ...(out.registryId !== undefined ? { registryId: out.registryId } : {}),
      repositoryName: out.repositoryName ?? repository,
      imageId: { ...(out.imageId ?? imageId) },
      signingStatuses: (out.signingStatuses ?? []).map((s) => ({ ...s })),
    };
  }
}
