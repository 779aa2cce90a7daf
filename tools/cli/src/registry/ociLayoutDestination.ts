import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ImageDestination } from '@ecrkit/services';

const refNameAnnotation = 'org.opencontainers.image.ref.name';

interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/**
 * An OCI image layout (image-spec `image-layout.md`) in `dir` as a copy destination, for
 * `ecrkit pull`: blobs and manifests under `blobs/sha256/`, each written to a temporary file and
 * renamed into place only once its stream ended verified, and the pulled image in `index.json`
 * (named by its tag in `org.opencontainers.image.ref.name`, as skopeo's `oci:<dir>:<tag>` reads
 * it). An existing layout is added to; an entry of the same name is replaced.
 */
export function ociLayoutDestination(dir: string): ImageDestination {
  const blobDir = join(dir, 'blobs', 'sha256');
  const pathOf = (digest: string) => join(blobDir, digest.replace(/^sha256:/, ''));
  let prepared: Promise<void> | undefined;
  const prepare = () => {
    if (!prepared) {
      prepared = (async () => {
        await mkdir(blobDir, { recursive: true });
        await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}\n');
      })();
    }
    return prepared;
  };
  const temp = () => join(blobDir, `.tmp-${randomBytes(8).toString('hex')}`);

  return {
    hasManifest: async (digest) => existsSync(pathOf(digest)),
    hasBlob: async (digest) => existsSync(pathOf(digest)),
    async putManifest(manifest) {
      await prepare();
      const file = temp();
      await writeFile(file, manifest.bytes);
      await rename(file, pathOf(manifest.digest));
    },
    async putBlob(digest, _size, body) {
      await prepare();
      const file = temp();
      try {
        await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), createWriteStream(file));
        await rename(file, pathOf(digest));
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
    },
    async finish(top) {
      await prepare();
      const indexPath = join(dir, 'index.json');
      const existing = existsSync(indexPath) ? (JSON.parse(await readFile(indexPath, 'utf8')) as { manifests?: IndexEntry[] }) : {};
      const name = top.tag;
      const manifests = (existing.manifests ?? []).filter((m) =>
        name !== undefined ? m.annotations?.[refNameAnnotation] !== name : m.digest !== top.digest || m.annotations?.[refNameAnnotation] !== undefined,
      );
      manifests.push({
        mediaType: top.mediaType,
        digest: top.digest,
        size: top.size,
        ...(name !== undefined ? { annotations: { [refNameAnnotation]: name } } : {}),
      });
      const file = join(dir, `.index.json.${randomBytes(4).toString('hex')}`);
      await writeFile(file, `${JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, null, 2)}\n`);
      await rename(file, indexPath);
    },
  };
}
