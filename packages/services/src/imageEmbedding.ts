import { severities } from '@ecrkit/core-types';
import type { EnhancedImageScanFinding, ImageDetail, ImageScanFinding } from '@ecrkit/core-types';

/** Length of the vectors {@link imageEmbedding} returns. */
export const imageEmbeddingDimensions = 16;

const hashedDimensions = 8;

/** What the services store beside each embedding: digests, tags, counts and finding names, never secrets. */
export interface ImageMemoryMetadata extends Record<string, unknown> {
  source: 'image' | 'scan';
  repositoryName?: string;
  imageDigest: string;
  imageTags: string[];
  imageSizeInBytes?: number;
  imagePushedAt?: string;
  severityCounts: Record<string, number>;
  /** Up to 50 vulnerability names (CVE ids), sorted. */
  findingNames: string[];
}

/** The inputs of an embedding: an image's details and, when known, its findings. */
export interface ImageEmbeddingInput {
  detail?: Pick<ImageDetail, 'repositoryName' | 'imageDigest' | 'imageTags' | 'imageSizeInBytes' | 'imagePushedAt' | 'imageScanFindingsSummary'>;
  severityCounts?: Record<string, number>;
  findings?: readonly ImageScanFinding[];
  enhancedFindings?: readonly EnhancedImageScanFinding[];
}

/** FNV-1a, 32 bit: a stable, dependency-free string hash for feature hashing. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The vulnerability names of a set of findings (basic `name`, enhanced `vulnerabilityId` or `title`). */
export function findingNames(input: Pick<ImageEmbeddingInput, 'findings' | 'enhancedFindings'>): string[] {
  const names = new Set<string>();
  for (const f of input.findings ?? []) if (f.name) names.add(f.name);
  for (const f of input.enhancedFindings ?? []) {
    const name = f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title;
    if (name) names.add(name);
  }
  return [...names].sort();
}

/**
 * A small deterministic embedding (16 numbers, unit length) of an image: log-scaled counts per
 * severity, log size, tag count, and feature-hashed repository name, tag families and finding
 * names. Similar images (same repository line, similar vulnerabilities) land close together.
 * Use it to query a `VectorMemory` the services fed.
 *
 * @example
 * const similar = await memory.searchSimilar(imageEmbedding({ findings }), 5);
 */
export function imageEmbedding(input: ImageEmbeddingInput): number[] {
  const v = new Array<number>(imageEmbeddingDimensions).fill(0);
  const counts = input.severityCounts ?? input.detail?.imageScanFindingsSummary?.findingSeverityCounts ?? {};
  for (const [i, s] of severities.entries()) v[i] = Math.log1p(counts[s] ?? 0);
  const size = input.detail?.imageSizeInBytes;
  v[6] = size ? Math.log1p(size) / 8 : 0;
  v[7] = Math.log1p(input.detail?.imageTags?.length ?? 0);
  const features: string[] = [];
  if (input.detail?.repositoryName) features.push(`repo:${input.detail.repositoryName}`);
  // Tag families (`v1.2.3` -> `v1`) rather than exact tags, so successive releases stay near.
  for (const tag of input.detail?.imageTags ?? []) features.push(`tag:${tag.split(/[.-]/)[0] ?? tag}`);
  for (const name of findingNames(input)) features.push(`cve:${name}`);
  for (const f of features) {
    const i = 8 + (fnv1a(f) % hashedDimensions);
    v[i] = (v[i] ?? 0) + 1;
  }
  for (let i = 8; i < imageEmbeddingDimensions; i++) v[i] = Math.log1p(v[i] ?? 0);
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

/** The metadata stored beside an embedding. */
export function imageMemoryMetadata(source: 'image' | 'scan', imageDigest: string, input: ImageEmbeddingInput): ImageMemoryMetadata {
  const d = input.detail;
  const meta: ImageMemoryMetadata = {
    source,
    imageDigest,
    imageTags: [...(d?.imageTags ?? [])],
    severityCounts: { ...(input.severityCounts ?? d?.imageScanFindingsSummary?.findingSeverityCounts ?? {}) },
    findingNames: findingNames(input).slice(0, 50),
  };
  if (d?.repositoryName) meta.repositoryName = d.repositoryName;
  if (d?.imageSizeInBytes !== undefined) meta.imageSizeInBytes = d.imageSizeInBytes;
  if (d?.imagePushedAt) meta.imagePushedAt = d.imagePushedAt.toISOString();
  return meta;
}
