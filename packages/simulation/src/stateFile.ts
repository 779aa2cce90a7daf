import { optionsArgument, stringArgument } from './internal/arguments.js';
import * as nodeFs from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { invalidParameter, isEcrError } from '@ecrkit/core-types';
import lockfile from 'proper-lockfile';
import { ChangeSet } from './internal/changes.js';
import type { RegistryStore } from './internal/RegistryStore.js';
import { ChunkedWriter, journalBatch, readStateFile, writeSnapshot, type StateDefaults, type WrittenRecords } from './internal/stateFormat.js';
import { createDirectoryBlobStore } from './blobs/createDirectoryBlobStore.js';
import { SimulatedRegistry, storeOf, type SimulatedRegistryOptions } from './SimulatedRegistry.js';

/** The synchronous node:fs calls a state file writes with; a seam for tests (a full disk, a failing rename). */
export interface StateFileSystem {
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  fdatasyncSync: typeof nodeFs.fdatasyncSync;
  ftruncateSync: typeof nodeFs.ftruncateSync;
  closeSync: typeof nodeFs.closeSync;
  renameSync: typeof nodeFs.renameSync;
  rmSync: typeof nodeFs.rmSync;
}

const defaultFs: StateFileSystem = nodeFs;

/** Options of {@link StateFile.open}. */
export interface StateFileOptions {
  /** Options of the registry built from the file (`clock`, `lenient`, …); the file's own default account and region win. */
  registryOptions?: SimulatedRegistryOptions;
  /** The first state when the file does not exist (it is written at once); default: an empty registry. */
  initial?: () => SimulatedRegistry | Promise<SimulatedRegistry>;
  /** How long to wait while another process holds the file; default 10,000 ms (0: fail at once). */
  lockWaitMs?: number;
  /**
   * Rewrite the snapshot (compaction) once the appended changes exceed both this many bytes and
   * the snapshot's own size; default 8 MiB.
   */
  compactAtBytes?: number;
  /** File-system calls for writing (a seam for tests). */
  fs?: StateFileSystem;
}

/** Why a state file could not be opened or saved. */
export type StateFileErrorReason = 'invalid' | 'unusable' | 'locked' | 'io';

/**
 * A state file that cannot be used: `invalid` (its content; `field` names the line and field),
 * `unusable` (the path: below a file, a folder, no permission), `locked` (another process holds
 * it) or `io` (a read or write failed, e.g. a full disk).
 */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  readonly reason: StateFileErrorReason;
  /** The state file. */
  readonly path: string;
  /** For `invalid`: where in the file (`line 12 (image).tags[1]`, `accounts[0].regions[0].repositories[3].name`). */
  readonly field: string | undefined;

  constructor(reason: StateFileErrorReason, path: string, message: string, options: { cause?: unknown; field?: string } = {}) {
    stringArgument(reason, 'reason');
    stringArgument(path, 'path');
    stringArgument(message, 'message');
    options = optionsArgument<typeof options>(options, ['cause', 'field']);
    super(message, { cause: options.cause });
    this.reason = reason;
    this.path = path;
    this.field = options.field;
  }
}

/** A lock older than this (its holder stopped refreshing it: killed) is taken over. */
const lockStaleMs = 5000;
const lockRefreshMs = 1000;
const defaultCompactAtBytes = 8 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A simulation state file, opened for writing by one process at a time. `open` takes the file's
 * lock (`<path>.lock`, a folder kept fresh while held; one left by a killed process is taken over
 * after 5 s), removes temporary files a killed writer left, and loads the state (or writes the
 * `initial` one). From then on the registry notes every change; `save()` appends the changed
 * records to the file as one batch (the journal: a few hundred bytes per change, whatever the
 * registry's size) and `fdatasync`s it; once the journal outgrows the snapshot, the file is
 * rewritten (temporary file, fsync, rename). `close()` saves and releases the lock.
 *
 * A save is complete or absent after a crash: a batch cut short is ignored when the file is next
 * read, and removed by the next writer.
 */
export class StateFile {
  /** The state file's absolute path. */
  readonly path: string;
  /** The registry the file holds. */
  readonly registry: SimulatedRegistry;
  /** True when the file did not exist and was written from `initial`. */
  readonly created: boolean;
  readonly #store: RegistryStore;
  readonly #fs: StateFileSystem;
  readonly #compactAtBytes: number;
  readonly #changes: ChangeSet;
  readonly #listeners = new Set<() => void>();
  #release: (() => Promise<void>) | undefined;
  #fd: number | undefined;
  #size = 0;
  #snapshotBytes = 0;
  #batch = 0;
  #written: WrittenRecords = new Map();
  #compromised: Error | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    path: string,
    registry: SimulatedRegistry,
    created: boolean,
    options: { fs: StateFileSystem; compactAtBytes: number; release: () => Promise<void> },
  ) {
    if (!(registry instanceof SimulatedRegistry)) throw invalidParameter('registry', 'must be a SimulatedRegistry');
    this.path = path;
    this.registry = registry;
    this.created = created;
    this.#store = storeOf(registry);
    this.#fs = options.fs;
    this.#compactAtBytes = options.compactAtBytes;
    this.#release = options.release;
    this.#changes = new ChangeSet(() => {
      for (const listener of this.#listeners) listener();
    });
  }

  /**
   * Lock, clean up after a killed writer, and load the file (or create it from `initial`).
   *
   * @throws StateFileError `invalid`, `unusable`, `locked` or `io`.
   */
  static async open(path: string, options: StateFileOptions = {}): Promise<StateFile> {
    const absolute = resolve(path);
    const fs = options.fs ?? defaultFs;
    await ensureFolder(absolute);
    let compromised: Error | undefined;
    let file: StateFile | undefined;
    const release = await acquireLock(absolute, options.lockWaitMs ?? 10_000, (error) => {
      compromised = error;
      if (file) file.#compromised = error;
    });
    try {
      await removeTemporaryFiles(absolute);
      let registry: SimulatedRegistry;
      let created = false;
      let read: Awaited<ReturnType<typeof readStateFile>> | undefined;
      if (await exists(absolute)) {
        try {
          read = await readStateFile(absolute, (defaults) => {
            registry = new SimulatedRegistry({ ...options.registryOptions, ...registryDefaults(defaults) });
            return storeOf(registry);
          });
        } catch (error) {
          throw loadError(absolute, error);
        }
      } else {
        registry = (await options.initial?.()) ?? new SimulatedRegistry(options.registryOptions);
        created = true;
      }
      file = new StateFile(absolute, registry!, created, { fs, compactAtBytes: options.compactAtBytes ?? defaultCompactAtBytes, release });
      file.#compromised = compromised;
      // A file whose blob bytes are not where the registry keeps them (inline, but the registry has a folder; another folder) is rewritten at once.
      const blobsWhereNamed = read?.blobDirectory === registry!.blobStore.directory;
      if (read?.format === 2 && read.tornBytes === 0 && blobsWhereNamed) {
        file.#openJournal(read.committedBytes, read.snapshotBytes, read.lastBatch, read.written);
      } else if (read?.format === 2 && blobsWhereNamed) {
        // A save cut short by a crash: cut it off before appending after it.
        file.#openJournal(read.committedBytes, read.snapshotBytes, read.lastBatch, read.written);
        try {
          fs.ftruncateSync(file.#fd!, read.committedBytes);
        } catch (cause) {
          throw ioError(absolute, 'remove an incomplete save from', cause);
        }
      } else {
        // New, a format-1 snapshot, or blobs moved: write the state as a format-2 snapshot now.
        await file.#compact();
      }
      file.#store.changes = file.#changes;
      return file;
    } catch (error) {
      if (file) file.#closeJournal();
      await release().catch(() => undefined);
      throw error;
    }
  }

  /** True when the registry has changes that are not saved yet. */
  get pending(): boolean {
    return !this.#changes.empty;
  }

  /** Bytes of the file: the snapshot plus the journal appended since. */
  get size(): number {
    return this.#size;
  }

  /** Call `listener` (synchronously) after every change to the state, e.g. to schedule a save. Returns a function that removes it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Append the changes since the last save to the file and flush them to disk; rewrite the
   * snapshot when the journal has outgrown it. Saves run one at a time, in call order.
   *
   * @throws StateFileError `io` (the changes stay pending for the next save), or `locked` when
   * another process took the lock over (this one stalled for more than 5 s).
   */
  save(): Promise<void> {
    const run = this.#queue.then(() => this.#saveNow());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Rewrite the file as one snapshot (no journal). */
  compact(): Promise<void> {
    const run = this.#queue.then(() => {
      this.#check();
      return this.#compact();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Save, stop tracking changes and release the lock. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.save();
    } finally {
      this.#closed = true;
      this.#store.changes = undefined;
      this.#closeJournal();
      const release = this.#release;
      this.#release = undefined;
      await release?.().catch(() => undefined);
    }
  }

  #check(): void {
    if (this.#closed) throw new StateFileError('io', this.path, `The state file ${this.path} is closed`);
    if (this.#compromised) {
      throw new StateFileError(
        'locked',
        this.path,
        `Another process took over the lock of ${this.path} or wrote the file (this one lost its lock, or did not refresh it for ${lockStaleMs / 1000} s); its changes are not saved`,
        { cause: this.#compromised },
      );
    }
  }

  /**
   * The file must be as this process left it: same file (no one renamed another over it), same
   * size (no one appended). Otherwise another process wrote it (it took the lock over while this
   * one stalled), and appending would interleave with its writes.
   */
  #checkUnchanged(): void {
    let same: boolean;
    try {
      const open = nodeFs.fstatSync(this.#fd!);
      const named = nodeFs.statSync(this.path);
      same = open.ino === named.ino && open.dev === named.dev && open.size === this.#size;
    } catch {
      same = false;
    }
    if (!same) {
      this.#compromised ??= new Error(`${this.path} was changed by another process`);
      this.#check();
    }
  }

  async #saveNow(): Promise<void> {
    this.#check();
    const changes = this.#changes.take();
    if (changes.all) {
      try {
        await this.#compact();
      } catch (error) {
        this.#changes.restore(changes);
        throw error;
      }
      return;
    }
    const batch = journalBatch(this.#store, changes, this.#written, this.#batch + 1);
    if (!batch) return;
    const bytes = Buffer.from(batch.text, 'utf8');
    try {
      this.#checkUnchanged();
    } catch (error) {
      this.#changes.restore(changes);
      throw error;
    }
    try {
      writeAll(this.#fs, this.#fd!, bytes, this.#size);
      this.#fs.fdatasyncSync(this.#fd!);
    } catch (cause) {
      // Leave no partial batch behind (a full disk still allows shrinking a file).
      try {
        this.#fs.ftruncateSync(this.#fd!, this.#size);
      } catch {
        // The next reader ignores a batch without its commit line anyway.
      }
      this.#changes.restore(changes);
      throw ioError(this.path, 'save to', cause);
    }
    this.#size += bytes.length;
    this.#batch++;
    batch.commit();
    if (this.#size - this.#snapshotBytes > Math.max(this.#compactAtBytes, this.#snapshotBytes)) await this.#compact();
  }

  /** Write the whole state as a new snapshot beside the file, then rename it over the file (the registry waits meanwhile). */
  async #compact(): Promise<void> {
    let result: { bytes: number; written: WrittenRecords };
    try {
      result = await writeSnapshotFile(this.#fs, this.#store, this.registry.clock.now(), this.path, () => this.#changes.take());
    } catch (error) {
      this.#changes.everything();
      throw error;
    }
    this.#closeJournal();
    this.#openJournal(result.bytes, result.bytes, 0, result.written);
  }

  #openJournal(size: number, snapshotBytes: number, batch: number, written: WrittenRecords): void {
    this.#fd = this.#fs.openSync(this.path, 'r+');
    this.#size = size;
    this.#snapshotBytes = snapshotBytes;
    this.#batch = batch;
    this.#written = written;
  }

  #closeJournal(): void {
    if (this.#fd === undefined) return;
    try {
      this.#fs.closeSync(this.#fd);
    } finally {
      this.#fd = undefined;
    }
  }
}

function writeAll(fs: StateFileSystem, fd: number, bytes: Uint8Array, position: number | null): void {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, bytes.length - done, position === null ? null : position + done);
  }
}

/**
 * Write a whole snapshot to a temporary file beside `path`, fsync it and rename it over `path`.
 * `onStart` runs once the registry is paused, at the moment the snapshot captures.
 */
async function writeSnapshotFile(
  fs: StateFileSystem,
  store: RegistryStore,
  now: number,
  path: string,
  onStart: () => void = () => undefined,
): Promise<{ bytes: number; written: WrittenRecords }> {
  const temp = temporaryPath(path);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'w', 0o600);
    const out = new ChunkedWriter((chunk) => writeAll(fs, fd!, chunk, null));
    const written = await writeSnapshot(store, now, out, dirname(path), onStart);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
    syncFolder(fs, dirname(path));
    return { bytes: out.bytes, written };
  } catch (cause) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw ioError(path, 'save to', cause);
  }
}

function syncFolder(fs: StateFileSystem, folder: string): void {
  // Makes the rename durable where a folder can be opened (not on Windows); the rename is atomic either way.
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // See above.
  }
}

/** `.<name>.<pid>.<time>.<random>.tmp` beside the file: what compaction and `saveSnapshot` write before renaming. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/** Remove temporary files a killed writer of `path` left (the caller holds the lock, so none is in use). */
async function removeTemporaryFiles(path: string): Promise<void> {
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${name}\\.\\d+\\.\\d+\\.[a-z0-9]+\\.tmp$`);
  for (const entry of await readdir(dirname(path))) {
    if (pattern.test(entry)) await rm(join(dirname(path), entry), { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new StateFileError('unusable', path, `The state file ${path} is a folder, not a file`);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if (error instanceof StateFileError) throw error;
    throw pathError(path, error);
  }
}

/** Create the file's folder; a file where a folder should be is `unusable`, with a message saying which. */
async function ensureFolder(path: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      let blocker = dirname(path);
      for (let up = blocker; up !== dirname(up); up = dirname(up)) {
        const info = await stat(up).catch(() => undefined);
        if (info && !info.isDirectory()) blocker = up;
        if (info) break;
      }
      throw new StateFileError('unusable', path, `Cannot use ${path} as a state file: ${blocker} is a file, not a folder`, { cause: error });
    }
    throw pathError(path, error);
  }
}

function pathError(path: string, error: unknown): StateFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new StateFileError('unusable', path, `Cannot use ${path} as a state file: ${(error as Error).message}`, { cause: error });
  }
  if (code === 'ENOTDIR')
    return new StateFileError('unusable', path, `Cannot use ${path} as a state file: a part of the path is a file, not a folder`, { cause: error });
  return ioError(path, 'read', error);
}

function ioError(path: string, doing: string, cause: unknown): StateFileError {
  return new StateFileError('io', path, `Could not ${doing} the state file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}

function loadError(path: string, error: unknown): StateFileError {
  if (error instanceof StateFileError) return error;
  if (isEcrError(error) && error.kind === 'InvalidParameter') {
    return new StateFileError('invalid', path, `The state file ${path} is not a valid ecrkit simulation state: ${error.message}`, {
      cause: error,
      field: error.field,
    });
  }
  if ((error as NodeJS.ErrnoException).code === 'EISDIR')
    return new StateFileError('unusable', path, `The state file ${path} is a folder, not a file`, { cause: error });
  return pathError(path, error);
}

/** Take the lock of `path` (`<path>.lock`), waiting up to `waitMs` while another process holds it. */
async function acquireLock(path: string, waitMs: number, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await lockfile.lock(path, { realpath: false, stale: lockStaleMs, update: lockRefreshMs, retries: 0, onCompromised });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw pathError(path, error);
      if (Date.now() >= deadline) {
        throw new StateFileError(
          'locked',
          path,
          `The state file ${path} is in use by another process (an ecrkit command or a simulation server holds ${path}.lock)` +
            (waitMs > 0 ? `; waited ${(waitMs / 1000).toFixed(0)} s` : ''),
          { cause: error },
        );
      }
      await sleep(Math.min(250, 20 * 1.5 ** attempt) * (0.5 + Math.random()));
    }
  }
}

/** Registry options from what a state file names: its default account and region, and the folder of its blobs. */
function registryDefaults(defaults: StateDefaults): SimulatedRegistryOptions {
  const { blobDirectory, ...rest } = defaults;
  return { ...rest, ...(blobDirectory !== undefined ? { blobStore: createDirectoryBlobStore(blobDirectory) } : {}) };
}

/**
 * Load a state file without locking it (a reader sees a consistent state: a save in progress or
 * cut short is ignored): format 2, or a format-1 snapshot. `registryOptions` win over the file's
 * default account and region.
 *
 * @throws StateFileError `invalid`, `unusable` or `io`.
 */
export async function readState(path: string, registryOptions: SimulatedRegistryOptions = {}): Promise<SimulatedRegistry> {
  const absolute = resolve(path);
  let registry: SimulatedRegistry | undefined;
  try {
    await readStateFile(absolute, (defaults) => {
      registry = new SimulatedRegistry({ ...registryDefaults(defaults), ...registryOptions });
      return storeOf(registry);
    });
  } catch (error) {
    throw loadError(absolute, error);
  }
  return registry!;
}

/** Write `registry` as a new snapshot at `path` (taking the lock, waiting up to `lockWaitMs`). */
export async function writeState(registry: SimulatedRegistry, path: string, options: { lockWaitMs?: number; fs?: StateFileSystem } = {}): Promise<void> {
  const absolute = resolve(path);
  await ensureFolder(absolute);
  const release = await acquireLock(absolute, options.lockWaitMs ?? 10_000, () => undefined);
  try {
    await removeTemporaryFiles(absolute);
    await writeSnapshotFile(options.fs ?? defaultFs, storeOf(registry), registry.clock.now(), absolute);
  } finally {
    await release().catch(() => undefined);
  }
}
