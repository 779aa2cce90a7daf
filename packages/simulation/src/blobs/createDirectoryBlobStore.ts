import { stringArgument } from '../internal/arguments.js';
import { sha256OfChunks } from '../internal/digest.js';
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { BlobStore, BlobUpload } from './BlobStore.js';

const hexPattern = /^[a-f0-9]{64}$/;

/**
 * The folder that holds the blobs of a state file: `sim-state.json` keeps its blobs in
 * `sim-state.blobs/` beside it, so two state files in one folder never share or clobber blobs.
 */
export function blobDirectoryFor(statePath: string): string {
  stringArgument(statePath, 'statePath');
  const absolute = resolve(statePath);
  const name = basename(absolute, extname(absolute)) || basename(absolute);
  return join(dirname(absolute), `${name}.blobs`);
}

/** One blob's bytes from a content-addressed folder (`<dir>/sha256/<hex>`) without opening it as a store, or `undefined`. */
export function readBlobFile(directory: string, digest: string): Uint8Array | undefined {
  const hex = digest.startsWith('sha256:') ? digest.slice(7) : '';
  if (!hexPattern.test(hex)) return undefined;
  try {
    return readFileSync(join(directory, 'sha256', hex));
  } catch {
    return undefined;
  }
}

/**
 * Blobs as files in a content-addressed folder: `<dir>/sha256/<hex>`. Uploads stream into
 * `<dir>/uploads/` and are renamed into place once complete and flushed to disk, so a blob file
 * is always whole, and a crash leaves at most a stray upload (removed when a store opens the
 * folder again). Snapshots of a registry on this store hold the folder's path, not the bytes.
 */
export function createDirectoryBlobStore(directory: string): BlobStore {
  stringArgument(directory, 'directory');
  const root = resolve(directory);
  const blobDir = join(root, 'sha256');
  const uploadDir = join(root, 'uploads');
  // digest -> size, built from the folder on first use.
  let index: Map<string, number> | undefined;

  const ensureIndex = (): Map<string, number> => {
    if (index) return index;
    mkdirSync(blobDir, { recursive: true });
    // Uploads of a previous process can never complete.
    rmSync(uploadDir, { recursive: true, force: true });
    mkdirSync(uploadDir, { recursive: true });
    index = new Map();
    for (const name of readdirSync(blobDir)) {
      if (hexPattern.test(name)) index.set(`sha256:${name}`, statSync(join(blobDir, name)).size);
    }
    return index;
  };
  const pathOf = (digest: string): string | undefined => {
    const hex = digest.startsWith('sha256:') ? digest.slice(7) : '';
    return hexPattern.test(hex) ? join(blobDir, hex) : undefined;
  };
  // Move a complete, synced temporary file into place (or drop it when the blob is already there).
  const install = (temp: string, digest: string, size: number): void => {
    const map = ensureIndex();
    if (map.has(digest)) {
      rmSync(temp, { force: true });
      return;
    }
    renameSync(temp, pathOf(digest)!);
    map.set(digest, size);
    store.onAdded?.(digest);
  };

  const store: BlobStore = {
    directory: root,
    has: (digest) => ensureIndex().has(digest),
    size: (digest) => ensureIndex().get(digest),
    read(digest) {
      if (!ensureIndex().has(digest)) return undefined;
      return readFileSync(pathOf(digest)!);
    },
    open(digest, range) {
      if (!ensureIndex().has(digest)) return undefined;
      return createReadStream(pathOf(digest)!, range ? { start: range.start, end: range.end } : {});
    },
    put(bytes) {
      const chunks = bytes instanceof Uint8Array ? [bytes] : bytes;
      const { digest, size } = sha256OfChunks(chunks);
      if (ensureIndex().has(digest)) return digest;
      const temp = join(uploadDir, randomUUID());
      const fd = openSync(temp, 'w', 0o600);
      try {
        for (const chunk of chunks) {
          let written = 0;
          while (written < chunk.byteLength) written += writeSync(fd, chunk, written);
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      install(temp, digest, size);
      return digest;
    },
    createUpload() {
      ensureIndex();
      const temp = join(uploadDir, randomUUID());
      // A 1 MiB buffer lets the stream batch the 64 KiB chunks of a request body into fewer writes.
      const stream = createWriteStream(temp, { mode: 0o600, flush: true, highWaterMark: 1024 * 1024 });
      const hash = createHash('sha256');
      let size = 0;
      let state: 'open' | 'flushed' | 'ended' = 'open';
      let failure: Error | undefined;
      stream.on('error', (error) => {
        failure = error;
      });
      const upload: BlobUpload = {
        get size() {
          return size;
        },
        async write(chunk) {
          if (state !== 'open') throw new Error('the upload has ended');
          if (failure) throw failure;
          hash.update(chunk);
          size += chunk.byteLength;
          if (!stream.write(chunk)) await drained(stream);
        },
        async flush() {
          if (state !== 'open') return;
          await new Promise<void>((done, fail) => {
            stream.end((error?: Error | null) => (error ? fail(error) : done()));
          });
          if (failure) throw failure;
          state = 'flushed';
        },
        digest: () => `sha256:${hash.copy().digest('hex')}`,
        commit() {
          if (state === 'ended') throw new Error('the upload has ended');
          if (state !== 'flushed') throw new Error('commit() needs a finished flush()');
          state = 'ended';
          const digest = upload.digest();
          install(temp, digest, size);
          return digest;
        },
        abort() {
          if (state === 'ended') return;
          state = 'ended';
          // The file may not exist yet (the stream opens it asynchronously): remove it once closed.
          stream.once('close', () => rmSync(temp, { force: true }));
          stream.destroy();
        },
      };
      return upload;
    },
    digests: () => ensureIndex().keys(),
    clear() {
      rmSync(blobDir, { recursive: true, force: true });
      index = undefined;
    },
  };
  return store;
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((done, fail) => {
    const cleanUp = () => {
      stream.off('drain', onDrain);
      stream.off('close', onDrain);
      stream.off('error', onError);
    };
    // A destroyed stream (an aborted upload) closes without draining.
    const onDrain = () => {
      cleanUp();
      done();
    };
    const onError = (error: Error) => {
      cleanUp();
      fail(error);
    };
    stream.once('drain', onDrain);
    stream.once('close', onDrain);
    stream.once('error', onError);
  });
}
