import type { CallOptions } from '@ecrkit/core-types';
import { EcrError, InMemoryVectorMemory, MediaType, parseManifest, validateRepositoryName } from '@ecrkit/core-types';
import type { ImageDetail, ImageIdentifier, ParsedManifest, VectorMemory } from '@ecrkit/core-types';
import { paginate } from './Paginated.js';
import type { ImageService } from './ImageService.js';
import { imageEmbedding } from './imageEmbedding.js';
import type { ImageMemoryMetadata } from './imageEmbedding.js';
import { chunk } from './internal/imageIds.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** Options of {@link ImageService.findSimilar}. */
export interface FindSimilarOptions extends CallOptions {
  /** How many images to return, most similar first (default 10, at most 1000). */
  limit?: number;
  /** The repositories to search (default: every repository of the registry); the image's own is always included. */
  repositories?: readonly string[];
}

/** One image that shares layers with the one asked about. */
export interface SimilarImage {
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  /** How many layers it shares with the image asked about. */
  sharedLayers: number;
  /** Its own layer count (for an index, of all its platforms). */
  layers: number;
  /** Jaccard similarity of the two layer sets: shared / (layers of either), in (0, 1]. */
  similarity: number;
  /** Findings per severity of its latest finished scan (empty when never scanned). */
  severityCounts: Record<string, number>;
  imagePushedAt?: Date;
}

/** The result of {@link ImageService.findSimilar}. */
export interface SimilarImages {
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  /** The layer count of the image asked about. */
  layers: number;
  similar: SimilarImage[];
}

const imageConfigTypes: ReadonlySet<string> = new Set([MediaType.DockerConfig, MediaType.OciConfig]);

/** Layer digests of one parsed manifest, or `undefined` for an index or an artifact (a signature, an SBOM). */
function imageLayers(manifest: ParsedManifest): string[] | undefined {
  if (manifest.kind !== 'manifest' || manifest.subject || !imageConfigTypes.has(manifest.config.mediaType)) return undefined;
  return manifest.layers.map((l) => l.digest);
}

function isMemoryMetadata(value: unknown): value is ImageMemoryMetadata {
  const m = value as Partial<ImageMemoryMetadata> | undefined;
  return typeof m?.repositoryName === 'string' && typeof m.imageDigest === 'string' && Array.isArray(m.layerDigests);
}

/**
 * The layer sets of a registry's images, fed into a `VectorMemory` with {@link imageEmbedding}:
 * the index behind `images.findSimilar`. Manifests are content-addressed, so each digest's
 * layers are fetched once per client; listings run on every search to see new images and tags.
 * @internal
 */
export class LayerIndex {
  readonly #ctx: ServiceContext;
  readonly #images: ImageService;
  readonly #memory: VectorMemory;
  /** `registry/repository@digest` -> sorted layer digests ([] for what is not an image). */
  readonly #layers = new Map<string, string[]>();
  /** Platform manifests of an index, which the index stands for. */
  readonly #children = new Set<string>();
  /** What was last stored per key, to store again only when tags or counts change. */
  readonly #stored = new Map<string, string>();

  constructor(ctx: ServiceContext, images: ImageService) {
    this.#ctx = ctx;
    this.#images = images;
    this.#memory = ctx.vectorMemory ?? new InMemoryVectorMemory();
  }

  /** Images of `repository:ref` that share layers with it, across `repositories`, most shared first. */
  async findSimilar(repository: string, ref: ImageIdentifier, options: FindSimilarOptions): Promise<SimilarImages> {
    const limit = options.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'limit', message: `Invalid parameter 'limit': must be an integer from 1 to 1000` });
    }
    if (options.repositories !== undefined && !Array.isArray(options.repositories)) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'repositories', message: `Invalid parameter 'repositories': must be a list of repository names` });
    }
    for (const [i, name] of (options.repositories ?? []).entries()) validateRepositoryName(name, `repositories[${i}]`);
    const { signal } = options;
    const names = options.repositories ? [...new Set([repository, ...options.repositories])] : await this.#repositoryNames(signal);
    if (!names.includes(repository)) names.unshift(repository);
    let target: ImageDetail | undefined;
    for (const name of names) {
      const details = await this.#refresh(name, signal);
      if (name === repository) target = details.find((d) => (ref.imageDigest ? d.imageDigest === ref.imageDigest : d.imageTags?.includes(ref.imageTag ?? '')));
    }
    if (!target?.imageDigest) {
      throw new EcrError({
        kind: 'ImageNotFound',
        operation: 'DescribeImages',
        message: `Image ${ref.imageTag ?? ref.imageDigest} not found in ${repository}`,
      });
    }
    const key = this.#key(target, repository);
    const layers = this.#layers.get(key) ?? [];
    const result: SimilarImages = {
      repositoryName: repository,
      imageDigest: target.imageDigest,
      imageTags: [...(target.imageTags ?? [])],
      layers: layers.length,
      similar: [],
    };
    if (layers.length === 0) return result;
    const mine = new Set(layers);
    // The store only proposes candidates (a pluggable store may be approximate); the ranking is exact.
    const candidates = await this.#memory.searchSimilar(imageEmbedding(layers), Math.min(10_000, Math.max(50, limit * 4)));
    const similar: SimilarImage[] = [];
    for (const match of candidates) {
      const meta = match.metadata;
      if (match.key === key || !isMemoryMetadata(meta)) continue;
      const shared = meta.layerDigests.filter((d) => mine.has(d)).length;
      if (shared === 0) continue;
      const entry: SimilarImage = {
        registryId: meta.registryId,
        repositoryName: meta.repositoryName,
        imageDigest: meta.imageDigest,
        imageTags: [...meta.imageTags],
        sharedLayers: shared,
        layers: meta.layerDigests.length,
        similarity: shared / (mine.size + meta.layerDigests.length - shared),
        severityCounts: { ...meta.severityCounts },
      };
      if (meta.imagePushedAt) entry.imagePushedAt = new Date(meta.imagePushedAt);
      similar.push(entry);
    }
    similar.sort(
      (a, b) =>
        b.sharedLayers - a.sharedLayers ||
        b.similarity - a.similarity ||
        a.repositoryName.localeCompare(b.repositoryName) ||
        (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0) ||
        a.imageDigest.localeCompare(b.imageDigest),
    );
    result.similar = similar.slice(0, limit);
    return result;
  }

  #key(detail: ImageDetail, repository: string): string {
    return `${this.#registryOf(detail)}/${repository}@${detail.imageDigest}`;
  }

  #registryOf(detail: ImageDetail | undefined): string {
    return detail?.registryId ?? this.#ctx.config.registryId ?? '';
  }

  async #repositoryNames(signal: AbortSignal | undefined): Promise<string[]> {
    const names: string[] = [];
    const repos = paginate(
      this.#ctx.send,
      'ecr',
      'DescribeRepositories',
      { ...this.#ctx.registryField },
      signal ? { signal } : {},
      (p) => p.repositories ?? [],
    );
    for await (const repo of repos) if (repo.repositoryName) names.push(repo.repositoryName);
    return names;
  }

  /** List a repository, fetch the manifests of digests not seen before, and store what changed. */
  async #refresh(repository: string, signal: AbortSignal | undefined): Promise<ImageDetail[]> {
    const opts = signal ? { signal } : {};
    const details = (await this.#images.describe(repository, undefined, opts).toArray()).filter((d) => d.imageDigest);
    const unseen = details.filter((d) => !this.#layers.has(this.#key(d, repository)));
    const parsed = new Map<string, ParsedManifest>();
    for (const part of chunk(unseen.map((d) => ({ imageDigest: d.imageDigest! })))) {
      const { images } = await this.#images.batchGet(repository, part, opts);
      for (const image of images) {
        if (!image.imageId?.imageDigest || image.imageManifest === undefined) continue;
        try {
          parsed.set(image.imageId.imageDigest, parseManifest(image.imageManifest, image.imageManifestMediaType));
        } catch {
          // A manifest ecrkit cannot read (schema 1, foreign formats) is not indexed.
        }
      }
    }
    const registry = this.#registryOf(details[0]);
    const keyOf = (digest: string) => `${registry}/${repository}@${digest}`;
    for (const d of unseen) {
      const manifest = parsed.get(d.imageDigest!);
      if (manifest?.kind === 'manifest') this.#layers.set(keyOf(d.imageDigest!), [...new Set(imageLayers(manifest) ?? [])].sort());
    }
    for (const d of unseen) {
      const manifest = parsed.get(d.imageDigest!);
      if (manifest?.kind !== 'index') {
        if (!manifest) this.#layers.set(keyOf(d.imageDigest!), []);
        continue;
      }
      const union = new Set<string>();
      for (const entry of manifest.manifests) {
        this.#children.add(keyOf(entry.digest));
        for (const layer of this.#layers.get(keyOf(entry.digest)) ?? []) union.add(layer);
      }
      this.#layers.set(keyOf(d.imageDigest!), [...union].sort());
    }
    for (const d of details) {
      const key = this.#key(d, repository);
      const layerDigests = this.#layers.get(key) ?? [];
      if (layerDigests.length === 0 || this.#children.has(key)) continue;
      const metadata: ImageMemoryMetadata = {
        registryId: this.#registryOf(d),
        repositoryName: repository,
        imageDigest: d.imageDigest!,
        imageTags: [...(d.imageTags ?? [])],
        layerDigests,
        severityCounts: { ...(d.imageScanFindingsSummary?.findingSeverityCounts ?? {}) },
      };
      if (d.imagePushedAt) metadata.imagePushedAt = d.imagePushedAt.toISOString();
      const signature = JSON.stringify([metadata.imageTags, metadata.severityCounts]);
      if (this.#stored.get(key) === signature) continue;
      try {
        await this.#memory.store(key, imageEmbedding(layerDigests), metadata);
        this.#stored.set(key, signature);
      } catch (err) {
        // An entry the store refused is left out of the results; the search itself carries on.
        this.#ctx.telemetry.onVectorMemoryError?.(err);
      }
    }
    return details;
  }
}
