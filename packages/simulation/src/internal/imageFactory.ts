import { gzipSync } from 'node:zlib';
import { MediaType, parsePlatform, type Platform } from '@ecrkit/core-types';
import { invalidParamMessage } from './awsErrors.js';
import { sha256Digest } from './digest.js';
import { SeededRandom } from './rng.js';

// Generated images are real ones in miniature: each layer is a gzipped tar holding one file of
// seeded random bytes, the config lists the layers' diff_ids, and the manifest's digests and
// sizes are those of the bytes. A client that pulls and unpacks them finds nothing wrong.

export interface GeneratedBlob {
  digest: string;
  bytes: Uint8Array;
  mediaType: string;
}

export interface GeneratedImage {
  manifest: string;
  mediaType: string;
  digest: string;
  config: GeneratedBlob;
  layers: GeneratedBlob[];
  platform: Platform;
}

export interface GeneratedIndex {
  manifest: string;
  mediaType: string;
  digest: string;
  children: GeneratedImage[];
}

function tarOf(name: string, content: Uint8Array): Uint8Array {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text.slice(0, length), offset, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padded = Math.ceil(content.length / 512) * 512;
  const out = Buffer.alloc(512 + padded + 1024);
  header.copy(out, 0);
  out.set(content, 512);
  return out;
}

function layerBlob(rng: SeededRandom, size: number, mediaType: string, index: number, folder = 'app'): { blob: GeneratedBlob; diffId: string } {
  const tar = tarOf(`${folder}/layer-${index}.bin`, rng.bytes(size));
  const bytes = new Uint8Array(gzipSync(tar, { level: 1 }));
  return { blob: { digest: sha256Digest(bytes), bytes, mediaType }, diffId: sha256Digest(tar) };
}

/**
 * A base image, or a chain of them outermost first (`['debian:12', 'node:20']`), as a list of
 * names of 1–128 printable characters without whitespace.
 */
export function checkBaseNames(base: unknown): string[] {
  const names = Array.isArray(base) ? base : [base];
  if (names.length === 0 || names.length > 10) throw invalidParamMessage('A base is one name or a chain of 1-10 names', 'base');
  for (const name of names) {
    if (typeof name !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(name)) {
      throw invalidParamMessage(`Invalid base image name ${JSON.stringify(name)}: 1-128 printable characters without spaces`, 'base');
    }
  }
  return names as string[];
}

/** How many layers each named base image has. */
export const baseImageLayers = 3;

/**
 * The layers of a named base image for one platform: the same bytes for the same name, platform
 * and registry seed, from a random source of their own (so adding a base leaves every other
 * generated image as it was). Images built on the same base share these layer digests.
 */
function baseLayers(base: { name: string; seed: number }, platform: Platform, mediaType: string): { blob: GeneratedBlob; diffId: string }[] {
  let hash = 0x811c9dc5;
  for (const ch of `${base.name}|${platform.os}/${platform.architecture}/${platform.variant ?? ''}`)
    hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const rng = new SeededRandom((hash ^ base.seed) >>> 0);
  return Array.from({ length: baseImageLayers }, (_, i) => layerBlob(rng, rng.int(512, 2048), mediaType, i, `base/${base.name}`));
}

/** A complete single-platform image: config, layers (its bases' first, when given) and the manifest that binds them. */
export function generateImage(
  rng: SeededRandom,
  options: { platform?: string; layers?: number; layerSize?: number; format?: 'docker' | 'oci'; created: Date; base?: { names: string[]; seed: number } },
): GeneratedImage {
  const platform = parsePlatform(options.platform ?? 'linux/amd64');
  const oci = options.format === 'oci';
  const layerType = oci ? MediaType.OciLayer : MediaType.DockerLayer;
  const count = Math.max(1, options.layers ?? 2);
  const layers: GeneratedBlob[] = [];
  const diffIds: string[] = [];
  const history: { created: string; created_by: string }[] = [];
  const created = options.created.toISOString();
  for (const name of options.base?.names ?? []) {
    for (const { blob, diffId } of baseLayers({ name, seed: options.base!.seed }, platform, layerType)) {
      layers.push(blob);
      diffIds.push(diffId);
      history.push({ created, created_by: `FROM ${name} # layer ${history.length}` });
    }
  }
  for (let i = 0; i < count; i++) {
    const size = options.layerSize ?? rng.int(256, 2048);
    const { blob, diffId } = layerBlob(rng, size, layerType, i);
    layers.push(blob);
    diffIds.push(diffId);
    history.push({ created, created_by: `COPY layer-${i}.bin /app/ # buildkit` });
  }
  const configDoc: Record<string, unknown> = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created,
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/app/start'],
      WorkingDir: '/app',
      Labels: {
        'org.opencontainers.image.revision': rng.hex(40),
        ...(options.base ? { 'org.opencontainers.image.base.name': options.base.names.at(-1) } : {}),
      },
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  };
  const configBytes = new TextEncoder().encode(JSON.stringify(configDoc));
  const config: GeneratedBlob = { digest: sha256Digest(configBytes), bytes: configBytes, mediaType: oci ? MediaType.OciConfig : MediaType.DockerConfig };
  const mediaType = oci ? MediaType.OciManifest : MediaType.DockerManifest;
  const manifest = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType,
      config: { mediaType: config.mediaType, size: configBytes.length, digest: config.digest },
      layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.bytes.length, digest: l.digest })),
    },
    null,
    3,
  );
  return { manifest, mediaType, digest: sha256Digest(manifest), config, layers, platform };
}

/** A multi-platform image: one child image per platform and the index (or manifest list) over them. */
export function generateIndex(
  rng: SeededRandom,
  options: {
    platforms: readonly string[];
    layers?: number;
    layerSize?: number;
    format?: 'docker' | 'oci';
    created: Date;
    base?: { names: string[]; seed: number };
  },
): GeneratedIndex {
  const children = options.platforms.map((platform) => generateImage(rng, { ...options, platform }));
  const oci = options.format === 'oci';
  const mediaType = oci ? MediaType.OciIndex : MediaType.DockerManifestList;
  const manifest = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType,
      manifests: children.map((c) => ({
        mediaType: c.mediaType,
        size: Buffer.byteLength(c.manifest, 'utf8'),
        digest: c.digest,
        platform: { architecture: c.platform.architecture, os: c.platform.os, ...(c.platform.variant ? { variant: c.platform.variant } : {}) },
      })),
    },
    null,
    3,
  );
  return { manifest, mediaType, digest: sha256Digest(manifest), children };
}
