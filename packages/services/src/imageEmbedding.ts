// Which images share base layers with this one? b-bit MinHash (Li and König, "b-Bit Minwise
// Hashing", WWW 2010) over layer digests: 64 MinHash values of the layer set, the low 2 bits of
// each one-hot in a block of 4. Each vector has 64 entries of 1/8, so it has unit length and the
// cosine of two is the share of blocks that agree: J + (1 − J) / 4 in expectation, for J the
// Jaccard similarity of the two layer sets. Cosine search (the VectorMemory port) thus ranks by
// Jaccard, and images built on the same base land together.

import { invalidParameter } from '@ecrkit/core-types';

/** How many MinHash values an embedding holds. */
const hashCount = 64;
/** Buckets per MinHash value (2 bits). */
const bucketCount = 4;
const weight = 1 / Math.sqrt(hashCount);

/** Length of the vectors {@link imageEmbedding} returns (64 MinHash values × 4 buckets). */
export const imageEmbeddingDimensions = hashCount * bucketCount;

/** FNV-1a, 32 bit: a stable, dependency-free string hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** MurmurHash3's 32-bit finaliser: a bijection that mixes every input bit into every output bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One seed per MinHash function; fixed, so embeddings made anywhere compare. */
const seeds = Array.from({ length: hashCount }, (_, i) => mix32(Math.imul(i + 1, 0x9e3779b9)));

/**
 * The embedding of an image's layer set, for cosine search in a `VectorMemory`: 256 numbers of
 * unit length whose cosine with another image's estimates how many layers they share (see the
 * file comment: J + (1 − J) / 4 for Jaccard similarity J). Order and repeats do not matter; an
 * image without layers embeds as zeros.
 *
 * @example
 * const near = await memory.searchSimilar(imageEmbedding(layers.map((l) => l.digest)), 10);
 */
export function imageEmbedding(layerDigests: readonly string[]): number[] {
  if (!Array.isArray(layerDigests) || !layerDigests.every((d) => typeof d === 'string')) {
    throw invalidParameter('layerDigests', 'must be an array of layer digests (strings)');
  }
  const vector = new Array<number>(imageEmbeddingDimensions).fill(0);
  const keys = [...new Set(layerDigests)].map(fnv1a);
  if (keys.length === 0) return vector;
  for (let i = 0; i < hashCount; i++) {
    const seed = seeds[i]!;
    let min = Number.POSITIVE_INFINITY;
    for (const key of keys) min = Math.min(min, mix32(key ^ seed));
    vector[i * bucketCount + (min & (bucketCount - 1))] = weight;
  }
  return vector;
}

/** What the services store beside each embedding: names, digests, tags and counts, never secrets. */
export interface ImageMemoryMetadata extends Record<string, unknown> {
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  /** The image's layer digests (for an index, those of all its platforms), sorted. */
  layerDigests: string[];
  imagePushedAt?: string;
  /** Findings per severity of the latest scan, when it finished. */
  severityCounts: Record<string, number>;
}
