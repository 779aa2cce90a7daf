import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MediaType } from '@ecrkit/core-types';
import { SimulatedRegistry } from '../src/index.js';

/** Repository names of the benchmark and their sizes. */
export const repositorySizes = { small: 20, medium: 1_000, large: 10_000 } as const;

/** A registry with the given repositories, each filled with single-arch tagged images. */
export function buildRegistry(sizes: Partial<Record<keyof typeof repositorySizes, number>>): SimulatedRegistry {
  const registry = new SimulatedRegistry();
  for (const [name, count] of Object.entries(sizes)) {
    registry.withRepository(name);
    for (let i = 0; i < count; i++) registry.withImage(name, { tags: [`v${i}`] });
  }
  return registry;
}

/** The large registry of the benchmark: 20 repositories of 10,000 images, and a repository of 20. */
export const largeRegistrySize = { repositories: 20, imagesPerRepository: 10_000, small: 20 } as const;

/**
 * A registry of `repositories` × `imagesPerRepository` images built as clients build one, through
 * the operations (layer upload, PutImage), quickly: the images of a repository share their two
 * layers (as images built from one base do) and each has its own small config, so each is a
 * distinct image with its own digest, tag and manifest. Plus a repository `small` of `small` such images.
 */
export function buildLargeRegistry(size: { repositories: number; imagesPerRepository: number; small: number } = largeRegistrySize): SimulatedRegistry {
  const registry = new SimulatedRegistry();
  const call = (operation: string, input: Record<string, unknown>) => registry.applySync({ api: 'ecr', operation, input }) as Record<string, unknown>;
  const upload = (repositoryName: string, bytes: Uint8Array): string => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const { uploadId } = call('InitiateLayerUpload', { repositoryName });
    call('UploadLayerPart', { repositoryName, uploadId, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes });
    call('CompleteLayerUpload', { repositoryName, uploadId, layerDigests: [digest] });
    return digest;
  };
  const fill = (repositoryName: string, count: number) => {
    call('CreateRepository', { repositoryName });
    const layers = [0, 1].map((i) => {
      const bytes = gzipSync(Buffer.from(`${repositoryName} layer ${i} `.repeat(64)));
      return { mediaType: MediaType.DockerLayer, size: bytes.length, digest: upload(repositoryName, bytes) };
    });
    for (let i = 0; i < count; i++) {
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          created: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
          config: { Cmd: ['/app/start'], Labels: { 'org.opencontainers.image.version': `v${i}` } },
          rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        }),
      );
      const manifest = JSON.stringify(
        {
          schemaVersion: 2,
          mediaType: MediaType.DockerManifest,
          config: { mediaType: MediaType.DockerConfig, size: config.length, digest: upload(repositoryName, config) },
          layers,
        },
        null,
        3,
      );
      call('PutImage', { repositoryName, imageManifest: manifest, imageTag: `v${i}` });
    }
  };
  for (let r = 0; r < size.repositories; r++) fill(`large-${r}`, size.imagesPerRepository);
  fill('small', size.small);
  return registry;
}
