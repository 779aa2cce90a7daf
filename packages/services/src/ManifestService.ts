import type { CallOptions } from '@ecrkit/core-types';
import {
  EcrError,
  formatPlatform,
  parseImageConfig,
  parseManifest,
  parsePlatform,
  selectPlatform,
  validateRepositoryName,
  verifyDigest,
} from '@ecrkit/core-types';
import type { ImageConfig, ImageManifest, LayerAvailability, ManifestList, Platform } from '@ecrkit/core-types';
import type { ImageService } from './ImageService.js';
import { chunk, toImageIdentifier } from './internal/imageIds.js';
import type { ImageRef } from './internal/imageIds.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import { callOptions } from './internal/options.js';

/** A parsed manifest with its verified digest and media type. */
export interface FetchedManifest<M> {
  digest: string;
  mediaType: string;
  manifest: M;
}

/** Options of the manifest reads that may meet a multi-platform index. */
export interface PlatformOptions extends CallOptions {
  /** For an index: the platform to resolve, `linux/arm64/v8` or a `Platform`. */
  platform?: string | Platform;
}

/** One layer of an image with its size and whether the registry holds it. */
export interface LayerInfo {
  digest: string;
  mediaType: string;
  /** Size from the manifest. */
  size: number;
  /** From BatchCheckLayerAvailability; `undefined` when the registry reported a failure. */
  availability?: LayerAvailability;
  /** Size as the registry reports it. */
  registrySize?: number;
  /** The registry's failure code for this layer, if any. */
  failureCode?: string;
}

/** Read manifests, indexes, platform children, image configs and layers; every manifest digest-verified. */
export class ManifestService {
  readonly #ctx: ServiceContext;
  readonly #images: ImageService;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext, images: ImageService) {
    this.#ctx = ctx;
    this.#images = images;
  }

  /**
   * The single-image manifest of a tag or digest. For a multi-platform index, pass `{ platform }`
   * to get that platform's manifest.
   *
   * @throws EcrError kind `InvalidParameter` (field `platform`) for an index without a platform;
   * `ImageNotFound`; `ImageDigestMismatch`.
   */
  async getManifest(repository: string, id: ImageRef, options: PlatformOptions = {}): Promise<FetchedManifest<ImageManifest>> {
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const platform = options.platform === undefined ? undefined : normalisePlatform(options.platform);
    const fetched = await this.#fetch(repository, imageId, options.signal);
    if (fetched.manifest.kind === 'manifest') return fetched as FetchedManifest<ImageManifest>;
    if (!platform) {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'platform',
        message: `Invalid parameter 'platform': ${repository} ${fetched.digest} is a multi-platform index (${platformsOf(fetched.manifest)}); pass { platform }`,
      });
    }
    return this.#child(repository, fetched as FetchedManifest<ManifestList>, platform, options.signal);
  }

  /**
   * The multi-platform index (Docker manifest list or OCI index) of a tag or digest.
   *
   * @throws EcrError kind `InvalidParameter` when the image is a single-platform manifest.
   */
  async getManifestList(repository: string, id: ImageRef, options: CallOptions = {}): Promise<FetchedManifest<ManifestList>> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const fetched = await this.#fetch(repository, toImageIdentifier(id), signal);
    if (fetched.manifest.kind !== 'index') {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'imageId',
        message: `Invalid parameter 'imageId': ${repository} ${fetched.digest} is a single-platform manifest, not an index`,
      });
    }
    return fetched as FetchedManifest<ManifestList>;
  }

  /**
   * The manifest of one platform of an index: `selectPlatform`, then the child by digest.
   *
   * @throws EcrError kind `ImageNotFound` when the index has no such platform; `InvalidParameter`
   * when the image is a single-platform manifest (read it with `getManifest`).
   */
  async getPlatformManifest(repository: string, id: ImageRef, platform: string | Platform, options: CallOptions = {}): Promise<FetchedManifest<ImageManifest>> {
    const { signal } = callOptions(options);
    validateRepositoryName(repository);
    const imageId = toImageIdentifier(id);
    const wanted = normalisePlatform(platform);
    const list = await this.getManifestList(repository, imageId, { signal });
    return this.#child(repository, list, wanted, signal);
  }

  /**
   * The image configuration blob (GetDownloadUrlForLayer, then `fetchBlob`), verified against
   * the config digest of the manifest and parsed.
   *
   * @throws EcrError kind `LayersNotFound`, `ImageDigestMismatch`, `Network` (blob download), `InvalidParameter`.
   */
  async getImageConfig(repository: string, id: ImageRef, options: PlatformOptions = {}): Promise<ImageConfig> {
    const { manifest } = await this.getManifest(repository, id, options);
    const digest = manifest.config.digest;
    const out = await this.#ctx.send(
      'ecr',
      'GetDownloadUrlForLayer',
      { ...this.#ctx.registryField, repositoryName: repository, layerDigest: digest },
      options.signal,
    );
    if (!out.downloadUrl) {
      throw new EcrError({ kind: 'InvalidResponse', operation: 'GetDownloadUrlForLayer', message: `GetDownloadUrlForLayer returned no URL for ${digest}` });
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.#ctx.fetchBlob(out.downloadUrl, { signal: options.signal });
    } catch (err) {
      if (err instanceof EcrError) throw err;
      // The URL is pre-signed: keep it out of the message.
      throw new EcrError({ kind: options.signal?.aborted ? 'Aborted' : 'Network', message: `Downloading the config blob ${digest} failed`, cause: err });
    }
    await verifyDigest(bytes, digest);
    return parseImageConfig(new TextDecoder().decode(bytes));
  }

  /**
   * The layers of an image with their sizes and availability (BatchCheckLayerAvailability, 100
   * digests per request). For an index, pass `{ platform }`.
   */
  async getLayers(repository: string, id: ImageRef, options: PlatformOptions = {}): Promise<LayerInfo[]> {
    const { manifest } = await this.getManifest(repository, id, options);
    const layers: LayerInfo[] = manifest.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size }));
    const byDigest = new Map<string, LayerInfo[]>();
    for (const layer of layers) byDigest.set(layer.digest, [...(byDigest.get(layer.digest) ?? []), layer]);
    for (const part of chunk([...byDigest.keys()])) {
      const out = await this.#ctx.send(
        'ecr',
        'BatchCheckLayerAvailability',
        { ...this.#ctx.registryField, repositoryName: repository, layerDigests: part },
        options.signal,
      );
      for (const found of out.layers ?? []) {
        for (const layer of byDigest.get(found.layerDigest ?? '') ?? []) {
          if (found.layerAvailability !== undefined) layer.availability = found.layerAvailability;
          if (found.layerSize !== undefined) layer.registrySize = found.layerSize;
        }
      }
      for (const failure of out.failures ?? []) {
        for (const layer of byDigest.get(failure.layerDigest ?? '') ?? []) {
          if (failure.failureCode !== undefined) layer.failureCode = failure.failureCode;
        }
      }
    }
    return layers;
  }

  async #fetch(
    repository: string,
    imageId: ReturnType<typeof toImageIdentifier>,
    signal?: AbortSignal,
  ): Promise<FetchedManifest<ImageManifest | ManifestList>> {
    const image = await this.#images.get(repository, imageId, { signal });
    return { digest: image.digest, mediaType: image.mediaType, manifest: parseManifest(image.manifest, image.mediaType) };
  }

  async #child(repository: string, list: FetchedManifest<ManifestList>, platform: Platform, signal?: AbortSignal): Promise<FetchedManifest<ImageManifest>> {
    const entry = selectPlatform(list.manifest, platform);
    if (!entry) {
      throw new EcrError({
        kind: 'ImageNotFound',
        message: `Index ${list.digest} in ${repository} has no manifest for ${formatPlatform(platform)}; it has ${platformsOf(list.manifest)}`,
      });
    }
    const child = await this.#fetch(repository, { imageDigest: entry.digest }, signal);
    if (child.manifest.kind !== 'manifest') {
      throw new EcrError({ kind: 'InvalidResponse', message: `The ${formatPlatform(platform)} entry of index ${list.digest} is itself an index` });
    }
    return child as FetchedManifest<ImageManifest>;
  }
}

function normalisePlatform(platform: string | Platform): Platform {
  if (typeof platform === 'string') return parsePlatform(platform);
  if (typeof platform !== 'object' || platform === null || typeof platform.os !== 'string' || typeof platform.architecture !== 'string') {
    throw new EcrError({
      kind: 'InvalidParameter',
      field: 'platform',
      message: `Invalid parameter 'platform': expected 'os/arch[/variant]' or { os, architecture }`,
    });
  }
  return platform;
}

function platformsOf(list: ManifestList): string {
  const names = list.manifests.map((m) => (m.platform ? formatPlatform(m.platform) : m.digest));
  return names.length ? names.join(', ') : 'no entries';
}
