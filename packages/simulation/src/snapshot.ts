import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, isAbsolute, join, relative, resolve } from 'node:path';
import { EcrError } from '@ecrkit/core-types';
import { createDirectoryBlobStore } from './blobs/createDirectoryBlobStore.js';
import type { RegistrySnapshot } from './internal/serialize.js';
import { SimulatedRegistry, type SimulatedRegistryOptions } from './SimulatedRegistry.js';

/** File-system seams for tests (to make a write fail half-way); the defaults are node:fs/promises. */
export interface SnapshotFileSystem {
  open: typeof open;
  rename: typeof rename;
  rm: typeof rm;
}

const nodeFs: SnapshotFileSystem = { open, rename, rm };

/**
 * Write the registry's state to `path` atomically: the JSON goes to a temporary file in the same
 * directory, is flushed to disk (fsync), then renamed over `path`. A crash or error at any point
 * leaves the previous file intact; the temporary file is removed on failure.
 *
 * @throws EcrError kind `Unknown` wrapping the file-system error.
 */
export async function saveSnapshot(registry: SimulatedRegistry, path: string, options: { fs?: SnapshotFileSystem } = {}): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const snapshot = registry.snapshot();
  // Blobs on disk are referenced relative to the file, so the state file and its blob folder can move together.
  if (snapshot.blobDirectory !== undefined) snapshot.blobDirectory = relative(dirname(resolve(path)), snapshot.blobDirectory) || '.';
  const json = JSON.stringify(snapshot);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(json, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (cause) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new EcrError({ kind: 'Unknown', message: `Could not save the snapshot to ${path}`, cause });
  }
  // Make the rename itself durable where the platform allows syncing a directory.
  try {
    const dir = await fs.open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Directories cannot be opened for sync on some platforms (Windows); the rename is still atomic.
  }
}

/**
 * Read a snapshot file into a new registry built with `options` (clock, seed, lenient…).
 *
 * @throws EcrError kind `InvalidParameter` for a file that is not a snapshot of a supported
 * version, kind `Unknown` when the file cannot be read.
 */
export async function loadSnapshot(path: string, options: SimulatedRegistryOptions = {}): Promise<SimulatedRegistry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new EcrError({ kind: 'Unknown', message: `Could not read the snapshot ${path}`, cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EcrError({ kind: 'InvalidParameter', field: 'snapshot', message: `Invalid snapshot: ${path} is not JSON` });
  }
  const snap = parsed as Partial<RegistrySnapshot>;
  if (typeof snap.blobDirectory === 'string' && !isAbsolute(snap.blobDirectory)) snap.blobDirectory = resolve(dirname(resolve(path)), snap.blobDirectory);
  const registry = new SimulatedRegistry({
    ...(typeof snap.defaultAccountId === 'string' ? { accountId: snap.defaultAccountId } : {}),
    ...(typeof snap.defaultRegion === 'string' ? { region: snap.defaultRegion } : {}),
    // A state saved with blobs on disk keeps using that folder.
    ...(typeof snap.blobDirectory === 'string' ? { blobStore: createDirectoryBlobStore(snap.blobDirectory) } : {}),
    ...options,
  });
  return registry.restore(parsed as RegistrySnapshot);
}
