import type { CallOptions } from '@ecrkit/core-types';
import { EcrError, TagStatus, invalidParameter, isEcrError, validateImageTag, validateRepositoryName, verifyDigest, readOptions } from '@ecrkit/core-types';
import type { BatchDeleteResult, DescribeImagesResponse, Image, ImageDetail, ImageFailure, ImageIdentifier, ListImagesResponse } from '@ecrkit/core-types';
import { paginate, PaginatedList } from './Paginated.js';
import type { PageOptions, Paginated } from './Paginated.js';
import { chunk, describeImageId, errorFromImageFailure, toImageIdentifier, toImageIdentifiers } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import { LayerIndex } from './findSimilarImages.js';
import type { FindSimilarOptions, SimilarImages } from './findSimilarImages.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import { callOptions } from './internal/options.js';

/** Filters and paging for {@link ImageService.list} and {@link ImageService.describe}. */
export interface ImageListFilter extends PageOptions {
  /** `TAGGED`, `UNTAGGED` or `ANY` (ECR's default). */
  tagStatus?: TagStatus;
}

/** One image's manifest as stored, with its digest verified. */
export interface ImageManifestResult {
  imageId: ImageIdentifier;
  /** The manifest text exactly as ECR returned it (never logged by ecrkit). */
  manifest: string;
  mediaType: string;
  digest: string;
}

/** The outcome of {@link ImageService.batchGet}: every image found and every failure, none dropped. */
export interface BatchGetResult {
  images: Image[];
  failures: ImageFailure[];
}

/** The outcome of {@link ImageService.putTag}. */
export interface PutTagResult {
  imageDigest: string;
  imageTag: string;
  /** `false` when the tag already pointed at this image (ECR's ImageAlreadyExists, a no-op). */
  changed: boolean;
}

function validateTagStatus(tagStatus: unknown): void {
  if (tagStatus !== undefined && !Object.values(TagStatus).includes(tagStatus as TagStatus)) {
    throw new EcrError({ kind: 'InvalidParameter', field: 'tagStatus', message: `Invalid parameter 'tagStatus': must be TAGGED, UNTAGGED or ANY` });
  }
}

function imageKey(repository: string, id: ImageIdentifier): string {
  return id.imageDigest ? `img|${repository}|${id.imageDigest}` : `img|${repository}|tag:${id.imageTag ?? ''}`;
}

/** List, describe, fetch, tag, untag and delete images. */
export class ImageService {
  readonly #ctx: ServiceContext;
  readonly #layerIndex: LayerIndex;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    if (typeof ctx !== 'object' || ctx === null) throw invalidParameter('ctx', 'must be the client context (use createClient)');
    this.#ctx = ctx;
    try {
      this.#layerIndex = new LayerIndex(ctx, this);
    } catch {
      throw invalidParameter('ctx', 'could not be read: it must be the client context (use createClient)');
    }
  }

  /**
   * Images, across the registry's repositories, that share layers with `repository:ref` — those
   * built on the same base first — with the number of layers shared. Every image's layer set
   * (an index: all its platforms') is embedded with {@link imageEmbedding} and kept in the
   * client's `vectorMemory` (default: an in-memory store); the store proposes candidates and
   * the shared layers rank them exactly. Lists every repository searched (DescribeRepositories,
   * DescribeImages) and fetches each manifest not seen before (BatchGetImage, 100 per request).
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`; `InvalidParameter` before any request.
   * @example
   * const { similar } = await client.images.findSimilar('web-app', 'v1.2.0', { limit: 5 });
   * for (const s of similar) console.log(s.repositoryName, s.imageTags.join(','), s.sharedLayers);
   */
  async findSimilar(repository: string, ref: ImageRef, options: FindSimilarOptions = {}): Promise<SimilarImages> {
    validateRepositoryName(repository);
    return this.#layerIndex.findSimilar(repository, toImageIdentifier(ref), options);
  }

  /**
   * The image identifiers of a repository (ListImages, all pages).
   *
   * @throws EcrError kind `RepositoryNotFound`; `InvalidParameter` before any request.
   */
  list(repository: string, filter: ImageListFilter = {}): Paginated<ImageIdentifier, ListImagesResponse> {
    validateRepositoryName(repository);
    const { tagStatus, ...page } = readOptions(filter, ['tagStatus', 'signal', 'pageSize', 'startingToken'], 'filter') as ImageListFilter;
    validateTagStatus(tagStatus);
    return paginate(
      this.#ctx.send,
      'ecr',
      'ListImages',
      { ...this.#ctx.registryField, repositoryName: repository, ...(tagStatus ? { filter: { tagStatus } } : {}) },
      page,
    );
  }

  /**
   * Image details (DescribeImages): every image of the repository, or those given (100 per
   * request; served from the metadata cache when enabled). Feeds the vector memory when configured.
   *
   * @throws EcrError kind `RepositoryNotFound`, `ImageNotFound`; `InvalidParameter` before any request.
   */
  describe(repository: string, ids?: readonly ImageRef[], options: ImageListFilter = {}): Paginated<ImageDetail, DescribeImagesResponse> {
    validateRepositoryName(repository);
    const { tagStatus, ...page } = readOptions(options, ['tagStatus', 'signal', 'pageSize', 'startingToken']) as ImageListFilter;
    validateTagStatus(tagStatus);
    const filter = tagStatus ? { filter: { tagStatus } } : {};
    const keep = async (p: DescribeImagesResponse): Promise<ImageDetail[]> => {
      const details = p.imageDetails ?? [];
      this.#ctx.observe.imagesDescribed(details.length);
      for (const detail of details) this.#remember(repository, detail);
      return details;
    };
    if (ids === undefined) {
      return paginate(this.#ctx.send, 'ecr', 'DescribeImages', { ...this.#ctx.registryField, repositoryName: repository, ...filter }, page, keep);
    }
    const identifiers = toImageIdentifiers(ids);
    if (page.pageSize !== undefined || page.startingToken !== undefined) {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'imageIds',
        message: `Invalid parameter 'imageIds': cannot be combined with pageSize or startingToken`,
      });
    }
    const ctx = this.#ctx;
    return new PaginatedList<ImageDetail, DescribeImagesResponse>(async function* () {
      for (const part of chunk(identifiers)) {
        const cached = ctx.metadataCache ? part.map((id) => ctx.metadataCache?.get<ImageDetail>(imageKey(repository, id))) : [];
        if (ctx.metadataCache && cached.every((d) => d !== undefined)) {
          yield { imageDetails: [...new Map(cached.map((d) => [d!.imageDigest, d!])).values()] };
          continue;
        }
        yield await ctx.send('ecr', 'DescribeImages', { ...ctx.registryField, repositoryName: repository, imageIds: part, ...filter }, page.signal);
      }
    }, keep);
  }

  /**
   * One image's manifest and media type (BatchGetImage), its content verified against the
   * digest ECR reports.
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`, `ImageDigestMismatch`; `InvalidParameter` before any request.
   */
  async get(repository: string, id: ImageRef, options: CallOptions = {}): Promise<ImageManifestResult> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const out = await this.#ctx.send('ecr', 'BatchGetImage', { ...this.#ctx.registryField, repositoryName: repository, imageIds: [imageId] }, signal);
    const image = out.images?.[0];
    if (!image) {
      const failure = out.failures?.[0] ?? { imageId, failureCode: 'ImageNotFound' as const };
      throw errorFromImageFailure(failure, repository, 'BatchGetImage');
    }
    return toManifestResult(image, imageId, repository);
  }

  /**
   * Several images' manifests (BatchGetImage, 100 per request); every failure is returned.
   *
   * @throws EcrError kind `RepositoryNotFound`; `InvalidParameter` before any request.
   */
  async batchGet(repository: string, ids: readonly ImageRef[], options: CallOptions = {}): Promise<BatchGetResult> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const identifiers = toImageIdentifiers(ids);
    const result: BatchGetResult = { images: [], failures: [] };
    for (const part of chunk(identifiers)) {
      const out = await this.#ctx.send('ecr', 'BatchGetImage', { ...this.#ctx.registryField, repositoryName: repository, imageIds: part }, signal);
      result.images.push(...(out.images ?? []));
      result.failures.push(...(out.failures ?? []));
    }
    return result;
  }

  /**
   * Tag an existing image the way ECR re-tags: fetch its manifest (BatchGetImage) and put it
   * back (PutImage) with the same media type under the new tag. Tagging an image with a tag it
   * already has is a no-op (`changed: false`).
   *
   * @throws EcrError kind `ImageNotFound`, `ImageTagAlreadyExists` (immutable tags), `InvalidParameter` before any request.
   */
  async putTag(repository: string, source: ImageRef, newTag: string, options: CallOptions = {}): Promise<PutTagResult> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const sourceId = toImageIdentifier(source, 'source');
    validateImageTag(newTag, 'newTag');
    // A write made of a read and a write: refused before the read, so a read-only client sends nothing.
    if (this.#ctx.config.readOnly)
      throw new EcrError({ kind: 'ReadOnly', operation: 'PutImage', message: 'PutImage changes the registry and the client is read-only' });
    try {
      const image = await this.get(repository, sourceId, { signal });
      try {
        await this.#ctx.send(
          'ecr',
          'PutImage',
          {
            ...this.#ctx.registryField,
            repositoryName: repository,
            imageManifest: image.manifest,
            imageManifestMediaType: image.mediaType,
            imageTag: newTag,
            imageDigest: image.digest,
          },
          signal,
        );
        return { imageDigest: image.digest, imageTag: newTag, changed: true };
      } catch (err) {
        if (isEcrError(err) && err.kind === 'ImageAlreadyExists') return { imageDigest: image.digest, imageTag: newTag, changed: false };
        throw err;
      }
    } finally {
      this.#ctx.metadataCache?.invalidateRepository(repository);
    }
  }

  /**
   * Remove one tag (BatchDeleteImage by tag). As in ECR, removing an image's last tag deletes the image.
   *
   * @returns the identifier ECR reports as deleted (tag and digest).
   * @throws EcrError kind `ImageNotFound` when the tag does not exist; `InvalidParameter` before any request.
   */
  async untag(repository: string, tag: string, options: CallOptions = {}): Promise<ImageIdentifier> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    validateImageTag(tag);
    const result = await this.batchDelete(repository, [{ imageTag: tag }], { signal });
    const failure = result.failures[0];
    if (failure) throw errorFromImageFailure(failure, repository, 'BatchDeleteImage');
    return result.deleted[0] ?? { imageTag: tag };
  }

  /**
   * Delete images by tag or digest (BatchDeleteImage, 100 per request); every failure is returned.
   *
   * @throws EcrError kind `RepositoryNotFound`; `InvalidParameter` before any request.
   */
  async batchDelete(repository: string, ids: readonly ImageRef[], options: CallOptions = {}): Promise<BatchDeleteResult> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const identifiers = toImageIdentifiers(ids);
    const result: BatchDeleteResult = { deleted: [], failures: [] };
    try {
      for (const part of chunk(identifiers)) {
        const out = await this.#ctx.send('ecr', 'BatchDeleteImage', { ...this.#ctx.registryField, repositoryName: repository, imageIds: part }, signal);
        result.deleted.push(...(out.imageIds ?? []));
        result.failures.push(...(out.failures ?? []));
      }
    } finally {
      this.#ctx.metadataCache?.invalidateRepository(repository);
    }
    return result;
  }

  #remember(repository: string, detail: ImageDetail): void {
    const cache = this.#ctx.metadataCache;
    if (!cache || !detail.imageDigest) return;
    cache.set(imageKey(repository, { imageDigest: detail.imageDigest }), repository, detail);
    for (const tag of detail.imageTags ?? []) cache.set(imageKey(repository, { imageTag: tag }), repository, detail);
  }
}

/** Check a BatchGetImage result and verify its manifest against the digest ECR reports. */
export async function toManifestResult(image: Image, asked: ImageIdentifier, repository: string): Promise<ImageManifestResult> {
  const manifest = image.imageManifest;
  const digest = image.imageId?.imageDigest;
  if (manifest === undefined || digest === undefined) {
    throw new EcrError({
      kind: 'InvalidResponse',
      operation: 'BatchGetImage',
      message: `BatchGetImage returned image ${describeImageId(asked)} of ${repository} without a manifest or digest`,
    });
  }
  if (asked.imageDigest !== undefined && asked.imageDigest !== digest) {
    throw new EcrError({
      kind: 'ImageDigestMismatch',
      operation: 'BatchGetImage',
      message: `BatchGetImage returned digest ${digest} for requested digest ${asked.imageDigest} in ${repository}`,
    });
  }
  await verifyDigest(manifest, digest);
  return {
    imageId: { ...image.imageId },
    manifest,
    mediaType: image.imageManifestMediaType ?? mediaTypeOf(manifest),
    digest,
  };
}

/** The `mediaType` field of a manifest document, when the registry did not report one. */
function mediaTypeOf(manifest: string): string {
  try {
    const doc = JSON.parse(manifest) as { mediaType?: unknown };
    if (typeof doc.mediaType === 'string') return doc.mediaType;
  } catch {
    // Unparseable manifests are reported by parseManifest where they are read.
  }
  return 'application/vnd.oci.image.manifest.v1+json';
}
