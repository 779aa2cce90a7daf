import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sha256OfChunks } from '../internal/digest.js';
import type { BlobStore, BlobUpload } from './BlobStore.js';

/** A blob as the chunks it arrived in, so an upload is never copied into one buffer while its chunks still live. */
interface MemoryBlob {
  chunks: Uint8Array[];
  size: number;
}

/**
 * Blobs in memory, the default store: bytes go into snapshots. An uploaded blob keeps the chunks
 * it arrived in (joined into one buffer only when something reads it whole), so it is held
 * once.
 */
export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, MemoryBlob>();
  const store: BlobStore = {
    directory: undefined,
    has: (digest) => blobs.has(digest),
    size: (digest) => blobs.get(digest)?.size,
    read(digest) {
      const blob = blobs.get(digest);
      if (!blob) return undefined;
      if (blob.chunks.length !== 1) blob.chunks = [Buffer.concat(blob.chunks, blob.size)];
      return blob.chunks[0];
    },
    open(digest, range) {
      const blob = blobs.get(digest);
      if (!blob) return undefined;
      const start = range?.start ?? 0;
      const end = range?.end ?? blob.size - 1;
      return Readable.from(sliceChunks(blob.chunks, start, end), { objectMode: false });
    },
    put(bytes) {
      const chunks = bytes instanceof Uint8Array ? [bytes] : [...bytes];
      const { digest, size } = sha256OfChunks(chunks);
      if (!blobs.has(digest)) {
        blobs.set(digest, { chunks, size });
        store.onAdded?.(digest);
      }
      return digest;
    },
    createUpload() {
      const hash = createHash('sha256');
      const chunks: Uint8Array[] = [];
      let size = 0;
      let ended = false;
      const upload: BlobUpload = {
        get size() {
          return size;
        },
        async write(chunk) {
          if (ended) throw new Error('the upload has ended');
          hash.update(chunk);
          chunks.push(chunk);
          size += chunk.byteLength;
        },
        flush: async () => undefined,
        digest: () => `sha256:${hash.copy().digest('hex')}`,
        commit() {
          if (ended) throw new Error('the upload has ended');
          ended = true;
          const digest = upload.digest();
          if (!blobs.has(digest)) {
            blobs.set(digest, { chunks: [...chunks], size });
            store.onAdded?.(digest);
          }
          chunks.length = 0;
          return digest;
        },
        abort() {
          ended = true;
          chunks.length = 0;
        },
      };
      return upload;
    },
    digests: () => blobs.keys(),
    clear: () => blobs.clear(),
  };
  return store;
}

function* sliceChunks(chunks: readonly Uint8Array[], start: number, end: number): Generator<Uint8Array> {
  let offset = 0;
  for (const chunk of chunks) {
    const chunkEnd = offset + chunk.byteLength - 1;
    if (chunkEnd >= start && offset <= end) {
      const from = Math.max(start, offset) - offset;
      const to = Math.min(end, chunkEnd) - offset + 1;
      yield from === 0 && to === chunk.byteLength ? chunk : chunk.subarray(from, to);
    }
    offset += chunk.byteLength;
    if (offset > end) return;
  }
}
