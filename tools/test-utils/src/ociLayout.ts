import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

/** What {@link writeOciLayout} builds: one image, or an index over one image per platform. */
export interface LayoutImageSpec {
  /** The `org.opencontainers.image.ref.name` of the top manifest in `index.json` (the tag skopeo copies with `oci:dir:<ref>`). */
  refName: string;
  /** Several platforms (`linux/amd64`, `linux/arm64/v8`) make an index; default one `linux/amd64` image. */
  platforms?: readonly string[];
  /** Layers per image (default 2). */
  layers?: number;
  /** Random (incompressible) bytes per layer, before tar and gzip (default 1 KiB). */
  layerSize?: number;
  /** OCI media types (default) or Docker schema 2 / manifest list. */
  format?: 'oci' | 'docker';
}

/** A manifest written to a layout. */
export interface LayoutManifest {
  digest: string;
  mediaType: string;
  size: number;
  platform?: string;
  /** The config and layer digests (manifests only). */
  blobs: string[];
}

/** What {@link writeOciLayout} wrote. */
export interface WrittenLayout {
  /** The top manifest (or index). */
  top: LayoutManifest;
  /** The platform manifests of an index (empty for one image). */
  children: LayoutManifest[];
  /** Bytes of all blobs (configs and layers). */
  blobBytes: number;
}

const types = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    index: 'application/vnd.oci.image.index.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

const sha256 = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * Write a real image (or a multi-platform index) as an OCI image layout in `dir`, adding to an
 * existing layout: layers are gzipped tars of random bytes written as streams (large images never
 * sit in memory), the config lists their `diff_id`s, and every digest and size is that of the
 * bytes. Built in Node, so tests need no container daemon; skopeo reads it as `oci:<dir>:<refName>`.
 */
export async function writeOciLayout(dir: string, spec: LayoutImageSpec): Promise<WrittenLayout> {
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const t = types[spec.format ?? 'oci'];
  let blobBytes = 0;
  const putJson = async (value: unknown): Promise<{ digest: string; size: number }> => {
    const text = JSON.stringify(value);
    const digest = sha256(text);
    await writeFile(join(blobDir, digest.slice(7)), text);
    return { digest, size: Buffer.byteLength(text) };
  };

  const image = async (platform: string): Promise<LayoutManifest> => {
    const [os = 'linux', architecture = 'amd64', variant] = platform.split('/');
    const layers: { digest: string; size: number; diffId: string }[] = [];
    for (let i = 0; i < (spec.layers ?? 2); i++) {
      const layer = await writeLayer(blobDir, `layer-${i}.bin`, spec.layerSize ?? 1024);
      blobBytes += layer.size;
      layers.push(layer);
    }
    const config = await putJson({
      architecture,
      os,
      ...(variant ? { variant } : {}),
      created: '2026-01-01T00:00:00Z',
      config: { Cmd: ['/app/start'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `COPY layer-${i}.bin /app/` })),
    });
    blobBytes += config.size;
    const manifest = await putJson({
      schemaVersion: 2,
      mediaType: t.manifest,
      config: { mediaType: t.config, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: t.layer, digest: l.digest, size: l.size })),
    });
    return { ...manifest, mediaType: t.manifest, platform, blobs: [config.digest, ...layers.map((l) => l.digest)] };
  };

  let top: LayoutManifest;
  const children: LayoutManifest[] = [];
  if (spec.platforms && spec.platforms.length > 1) {
    for (const platform of spec.platforms) children.push(await image(platform));
    const index = await putJson({
      schemaVersion: 2,
      mediaType: t.index,
      manifests: children.map((c) => {
        const [os, architecture, variant] = c.platform!.split('/');
        return { mediaType: c.mediaType, digest: c.digest, size: c.size, platform: { architecture, os, ...(variant ? { variant } : {}) } };
      }),
    });
    top = { ...index, mediaType: t.index, blobs: [] };
  } else {
    top = await image(spec.platforms?.[0] ?? 'linux/amd64');
  }

  const indexPath = join(dir, 'index.json');
  const existing = await readFile(indexPath, 'utf8').then(
    (text) => JSON.parse(text) as { manifests: { annotations?: Record<string, string> }[] },
    () => ({ manifests: [] }),
  );
  const manifests = existing.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] !== spec.refName);
  manifests.push({
    mediaType: top.mediaType,
    digest: top.digest,
    size: top.size,
    annotations: { 'org.opencontainers.image.ref.name': spec.refName },
  } as never);
  await writeFile(indexPath, JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  return { top, children, blobBytes };
}

/** A gzipped one-file tar of `size` random bytes, streamed to the blob folder; its digest, size and diff_id. */
async function writeLayer(blobDir: string, fileName: string, size: number): Promise<{ digest: string; size: number; diffId: string }> {
  const temp = join(blobDir, `.tmp-${randomBytes(8).toString('hex')}`);
  const tarHash = createHash('sha256');
  const gzHash = createHash('sha256');
  let gzSize = 0;
  // Level 0: the bytes are random, compressing them only costs time.
  const gzip = createGzip({ level: 0 });
  const out = createWriteStream(temp);
  gzip.on('data', (chunk: Buffer) => {
    gzHash.update(chunk);
    gzSize += chunk.length;
  });
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const write = async (chunk: Buffer) => {
    tarHash.update(chunk);
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  };
  await write(tarHeader(fileName, size));
  for (let left = size; left > 0; ) {
    const n = Math.min(left, 1 << 20);
    await write(randomBytes(n));
    left -= n;
  }
  await write(Buffer.alloc(((512 - (size % 512)) % 512) + 1024));
  gzip.end();
  await finished;
  const digest = `sha256:${gzHash.digest('hex')}`;
  await rename(temp, join(blobDir, digest.slice(7)));
  return { digest, size: gzSize, diffId: `sha256:${tarHash.digest('hex')}` };
}

function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text.slice(0, length), offset, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** Every file of a layout's blob folder, by digest, for byte-for-byte comparisons. */
export async function readLayoutBlob(dir: string, digest: string): Promise<Buffer> {
  return readFile(join(dir, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
}
