import { validateRepositoryName } from '@ecrkit/core-types';
import type { ImageIdentifier, ImageStatus, TargetStorageClass } from '@ecrkit/core-types';
import { toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import { callOptions } from './internal/options.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** What UpdateImageStorageClass answered: the image and its status now. */
export interface ImageStorageResult {
  registryId?: string;
  repositoryName: string;
  imageId: ImageIdentifier;
  /** `ARCHIVED` after `archive`; `ACTIVATING` after `restore` (then `ACTIVE` once restored), or `ACTIVE` at once when it already was. */
  imageStatus?: ImageStatus;
}

/**
 * Archive and restore images (UpdateImageStorageClass). An archived image is not pulled:
 * BatchGetImage reports it as a failure (`ImageNotFound`, "archived"; the OCI API answers
 * `ImageArchived`) until a restore completes.
 */
export class ImageStorageService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Move an image to the archive storage class.
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`, `ImageStorageClassUpdateNotSupported`; `InvalidParameter` before any request.
   */
  async archive(repository: string, image: ImageRef, options: { signal?: AbortSignal } = {}): Promise<ImageStorageResult> {
    return this.#update(repository, image, 'ARCHIVE', callOptions(options).signal);
  }

  /**
   * Restore an archived image to the standard storage class; it is `ACTIVATING` until the restore completes.
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`, `ImageStorageClassUpdateNotSupported`; `InvalidParameter` before any request.
   * @example
   * const { imageStatus } = await client.storage.restore('web-app', 'v1.0.0'); // 'ACTIVATING'
   */
  async restore(repository: string, image: ImageRef, options: { signal?: AbortSignal } = {}): Promise<ImageStorageResult> {
    return this.#update(repository, image, 'STANDARD', callOptions(options).signal);
  }

  async #update(repository: string, image: ImageRef, targetStorageClass: TargetStorageClass, signal: AbortSignal | undefined): Promise<ImageStorageResult> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(image);
    const out = await this.#ctx.send(
      'ecr',
      'UpdateImageStorageClass',
      { ...this.#ctx.registryField, repositoryName: repository, imageId, targetStorageClass },
      signal,
    );
    return {
      ...(out.registryId !== undefined ? { registryId: out.registryId } : {}),
      repositoryName: out.repositoryName ?? repository,
      imageId: { ...(out.imageId ?? imageId) },
      ...(out.imageStatus !== undefined ? { imageStatus: out.imageStatus } : {}),
    };
  }
}
