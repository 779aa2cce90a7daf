import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { validateRegion, validateRegistryId } from '@ecrkit/core-types';
import type { ChangeSet } from './changes.js';
import { invalidAt, object, string, within, type Json } from './fileChecks.js';
import type { RegistryStore } from './RegistryStore.js';
import { restoreState, snapshotFormat } from './serialize.js';
import type { RepositoryRecord } from './state.js';
import {
  StateBuilder,
  accountFields,
  blobRecord,
  deleteImageRecord,
  deleteRepositoryRecord,
  imageRecord,
  keyOf,
  linePath,
  regionFields,
  registryFields,
  repositoryBlobRecord,
  repositoryRecord,
  settingsFields,
} from './stateRecords.js';

// The state file, format 2: JSON Lines. Line 1 is a header; then one record per line (registry,
// accounts, regions, repositories with their blobs and images, blob bytes) and a `commit` line:
// that is the snapshot. Saves append the records that changed since, each batch closed by its
// own `commit` line: the journal. Loading applies the snapshot, then each committed batch; lines
// after the last commit are a save that a crash cut short, and are ignored. Compaction writes a
// new snapshot to a temporary file and renames it over the old one.

/** The name and version in a state file's header line. */
export const stateFormat = 'ecrkit-simulation-state';
export const stateVersion = 2;

/** A state file's first line. */
export interface StateHeader {
  format: typeof stateFormat;
  version: typeof stateVersion;
  savedAt: string;
  defaultAccountId: string;
  defaultRegion: string;
  /**
   * The content-addressed folder holding the blob bytes, relative to the state file's folder,
   * when the registry keeps them on disk (`createDirectoryBlobStore`); the file then holds no
   * blob records. Absent: the bytes are `blob` records in the file.
   */
  blobDirectory?: string;
}

/** Writes text in chunks of about 1 MiB (never the whole snapshot as one string). */
export class ChunkedWriter {
  #parts: string[] = [];
  #length = 0;
  /** Bytes handed to `write` so far. */
  bytes = 0;

  constructor(readonly write: (chunk: Buffer) => void) {}

  line(record: unknown): string {
    const text = JSON.stringify(record);
    this.#parts.push(text, '\n');
    this.#length += text.length + 1;
    if (this.#length >= 1 << 20) this.flush();
    return text;
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    const chunk = Buffer.from(this.#parts.join(''), 'utf8');
    this.#parts = [];
    this.#length = 0;
    this.write(chunk);
    this.bytes += chunk.length;
  }
}

/** The small records a save compares with what it last wrote: `registry`, `account:…`, `region:…`, `repository:…`. */
export type WrittenRecords = Map<string, string>;

const hashOf = (text: string) => createHash('sha1').update(text).digest('base64');

function repositoryKey(repo: RepositoryRecord): string {
  const key = keyOf(repo);
  return `repository:${key.upstream !== undefined ? `upstream/${key.upstream}` : `${key.accountId}/${key.public ? 'public' : key.region}`}/${repo.name}`;
}

/** Whether `repo` is (still) the repository the store holds under its key. */
function isLive(store: RegistryStore, repo: RepositoryRecord): boolean {
  const key = keyOf(repo);
  if (key.upstream !== undefined) return store.upstreams.get(key.upstream)?.get(repo.name) === repo;
  return store.findRepository(key.accountId!, repo.region, repo.name, repo.public) === repo;
}

/** Whether any repository is held under `repo`'s key (the same one, or one created again). */
function isTaken(store: RegistryStore, repo: RepositoryRecord): boolean {
  const key = keyOf(repo);
  if (key.upstream !== undefined) return store.upstreams.get(key.upstream)?.has(repo.name) ?? false;
  return store.findRepository(key.accountId!, repo.region, repo.name, repo.public) !== undefined;
}

/** The small records every save compares with what it wrote last: registry, accounts, regions, registry settings. */
function* smallRecords(store: RegistryStore): Generator<{ key: string; record: Json }> {
  yield { key: 'registry', record: { t: 'registry', ...registryFields(store) } };
  for (const [accountId, account] of store.accounts) {
    yield { key: `account:${accountId}`, record: { t: 'account', ...accountFields(accountId, account) } };
    for (const [region, state] of account.regions)
      yield { key: `region:${accountId}/${region}`, record: { t: 'region', ...regionFields(accountId, region, state) } };
  }
  for (const [key, settings] of store.settings) {
    const [accountId, region] = key.split('\n') as [string, string];
    yield { key: `settings:${accountId}/${region}`, record: { t: 'registry-settings', ...settingsFields(accountId, region, settings) } };
  }
}

/** Whether the state file holds blob bytes as records (a memory store), rather than naming the store's folder. */
const blobsInFile = (store: RegistryStore) => store.blobStore.directory === undefined;

/** The whole state as snapshot lines (header, records, commit), with the keys of the small records a save compares. */
function* snapshotLines(store: RegistryStore, now: number, stateFolder: string): Generator<{ record: unknown; key?: string }> {
  const folder = store.blobStore.directory;
  const header: StateHeader = {
    format: stateFormat,
    version: stateVersion,
    savedAt: new Date(now).toISOString(),
    defaultAccountId: store.defaultAccountId,
    defaultRegion: store.defaultRegion,
    // Relative, so the state file and its blob folder can move together.
    ...(folder !== undefined ? { blobDirectory: relative(stateFolder, folder) || '.' } : {}),
  };
  yield { record: header };
  for (const { key, record } of smallRecords(store)) yield { record, key };
  const used = new Set<string>();
  function* repository(repo: RepositoryRecord) {
    yield { record: repositoryRecord(repo), key: repositoryKey(repo) };
    for (const [digest, info] of repo.blobs) {
      used.add(digest);
      yield { record: repositoryBlobRecord(repo, digest, info) };
    }
    for (const image of repo.images) yield { record: imageRecord(repo, image) };
  }
  for (const account of store.accounts.values()) {
    for (const repo of account.publicRegistry.repositoryList) yield* repository(repo);
    for (const state of account.regions.values()) for (const repo of state.repositoryList) yield* repository(repo);
  }
  for (const repos of store.upstreams.values()) for (const repo of repos.values()) yield* repository(repo);
  if (blobsInFile(store)) {
    for (const digest of used) {
      const bytes = store.blobStore.read(digest);
      if (bytes) yield { record: blobRecord(digest, bytes) };
    }
  }
  yield { record: { t: 'commit', batch: 0 } };
}

/**
 * Write the whole state as a snapshot; returns the hashes of its small records. The registry is
 * paused meanwhile (calls wait), so the snapshot is one moment of it, and the event loop runs
 * between chunks (the file's lock stays fresh, requests queue instead of the process freezing).
 */
export async function writeSnapshot(
  store: RegistryStore,
  now: number,
  out: ChunkedWriter,
  stateFolder: string,
  onStart: () => void = () => undefined,
): Promise<WrittenRecords> {
  const written: WrittenRecords = new Map();
  let resume!: () => void;
  const previous = store.paused;
  store.paused = new Promise<void>((resolve) => {
    resume = resolve;
  });
  try {
    await previous;
    // Everything changed so far is in this snapshot.
    onStart();
    let yieldedAt = 0;
    for (const { record, key } of snapshotLines(store, now, stateFolder)) {
      const text = out.line(record);
      if (key !== undefined) written.set(key, hashOf(text));
      if (out.bytes - yieldedAt >= 8 << 20) {
        yieldedAt = out.bytes;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    out.flush();
    return written;
  } finally {
    store.paused = undefined;
    resume();
  }
}

/**
 * The records that changed, as one journal batch ending in `commit`, or `undefined` when nothing
 * did. Small records are compared with `written` (updated only by `commit()` once the batch is on
 * disk).
 */
export function journalBatch(
  store: RegistryStore,
  changes: ChangeSet,
  written: WrittenRecords,
  batch: number,
): { text: string; commit: () => void } | undefined {
  const lines: string[] = [];
  const updates = new Map<string, string | undefined>();
  const compare = (key: string, record: Json) => {
    const text = JSON.stringify(record);
    const hash = hashOf(text);
    if (written.get(key) === hash) return;
    updates.set(key, hash);
    lines.push(text);
  };
  // Small records are compared every time (a few per region): whatever changed them is saved.
  for (const { key, record } of smallRecords(store)) compare(key, record);
  for (const repo of changes.repositories) {
    if (isLive(store, repo)) compare(repositoryKey(repo), repositoryRecord(repo));
    else if (!isTaken(store, repo)) {
      // Deleted (and not created again: a new repository of that name replaces it through its own record).
      lines.push(JSON.stringify(deleteRepositoryRecord(repo)));
      updates.set(repositoryKey(repo), undefined);
    }
  }
  for (const [repo, digests] of changes.repositoryBlobs) {
    if (!isLive(store, repo)) continue;
    for (const digest of digests) {
      const info = repo.blobs.get(digest);
      if (info) lines.push(JSON.stringify(repositoryBlobRecord(repo, digest, info)));
    }
  }
  for (const digest of blobsInFile(store) ? changes.blobs : []) {
    const bytes = store.blobStore.read(digest);
    if (bytes) lines.push(JSON.stringify(blobRecord(digest, bytes)));
  }
  for (const [repo, digests] of changes.images) {
    if (!isLive(store, repo)) continue;
    for (const digest of digests) {
      const image = repo.byDigest.get(digest);
      lines.push(JSON.stringify(image ? imageRecord(repo, image) : deleteImageRecord(repo, digest)));
    }
  }
  if (lines.length === 0) return undefined;
  lines.push(JSON.stringify({ t: 'commit', batch }));
  return {
    text: `${lines.join('\n')}\n`,
    commit: () => {
      for (const [key, hash] of updates) {
        if (hash === undefined) written.delete(key);
        else written.set(key, hash);
      }
    },
  };
}

/** What reading a state file found. */
export interface ReadResult {
  format: 1 | 2;
  header?: StateHeader;
  /** Bytes up to the end of the last commit: where the next batch goes (a torn tail after it is ignored). */
  committedBytes: number;
  /** Bytes of the snapshot part (up to its commit). */
  snapshotBytes: number;
  /** The number of the last committed batch (0: only the snapshot). */
  lastBatch: number;
  /** Bytes after the last commit (a save cut short). */
  tornBytes: number;
  /** Hashes of the small records as the file holds them. */
  written: WrittenRecords;
  /** The folder (absolute) the file names for its blob bytes, if any. */
  blobDirectory?: string;
}

/** The error path for the whole file. */
export const wholeFile = '(the whole file)';

/** The default account and region a file names (its header, or a format-1 snapshot's top level). */
export interface StateDefaults {
  accountId?: string;
  region?: string;
  /** The folder (absolute) the file keeps its blob bytes in, when it names one. */
  blobDirectory?: string;
}

/**
 * Read a state file into the store `create` makes once the file's defaults are known (its state
 * is replaced only once everything checked out): format 2, or a format-1 snapshot (one JSON
 * document). Lines are parsed one at a time, so memory holds the state and one line, never the
 * whole file as text.
 *
 * @throws EcrError kind `InvalidParameter` naming the line and field of the first bad value;
 * node:fs errors as they are.
 */
export async function readStateFile(path: string, create: (defaults: StateDefaults) => RegistryStore): Promise<ReadResult> {
  const handle = await open(path, 'r');
  try {
    const builder = new StateBuilder();
    const written: WrittenRecords = new Map();
    let header: StateHeader | undefined;
    let lineNo = 0;
    let offset = 0;
    let committedBytes = 0;
    let snapshotBytes = 0;
    let lastBatch = -1;
    let pending: { line: number; text: string }[] = [];

    const apply = (line: number, text: string) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw invalidAt(`line ${line}`, 'is not JSON');
      }
      const path = linePath(line, raw);
      const record = object(raw, path);
      switch (record.t) {
        case 'registry':
          builder.registry(record, path);
          written.set('registry', hashOf(text));
          return;
        case 'account':
          builder.account(record, path);
          written.set(`account:${String(record.accountId)}`, hashOf(text));
          return;
        case 'region':
          builder.region(record, path);
          written.set(`region:${String(record.accountId)}/${String(record.region)}`, hashOf(text));
          return;
        case 'repository': {
          const repo = builder.repository(record, path);
          written.set(repositoryKey(repo), hashOf(text));
          return;
        }
        case 'delete-repository':
          builder.deleteRepository(record, path);
          return;
        case 'repository-blob':
          builder.repositoryBlob(record, path);
          return;
        case 'image':
          builder.image(record, path);
          return;
        case 'delete-image':
          builder.deleteImage(record, path);
          return;
        case 'blob':
          builder.blob(record.digest, record.data, path);
          return;
        case 'registry-settings':
          builder.registrySettings(record, path);
          written.set(`settings:${String(record.accountId)}/${String(record.region)}`, hashOf(text));
          return;
        default:
          throw invalidAt(
            `${path}.t`,
            `must be a record type (registry, account, region, registry-settings, repository, repository-blob, image, blob, delete-repository, delete-image, commit), got ${JSON.stringify(record.t)}`,
          );
      }
    };

    const onLine = (text: string, end: number): void => {
      lineNo++;
      if (lineNo === 1) {
        let h: Json;
        try {
          h = object(JSON.parse(text), 'line 1 (header)');
        } catch {
          throw invalidAt('line 1 (header)', 'is not a JSON object');
        }
        if (h.version !== stateVersion) throw invalidAt('line 1 (header).version', `${String(h.version)} is not supported (expected ${stateVersion})`);
        if (h.blobDirectory !== undefined) builder.blobDirectory = resolve(dirname(path), string(h.blobDirectory, 'line 1 (header).blobDirectory', 4096));
        within('line 1 (header).defaultAccountId', () => validateRegistryId(h.defaultAccountId, 'defaultAccountId'));
        within('line 1 (header).defaultRegion', () => validateRegion(h.defaultRegion, 'defaultRegion'));
        header = h as unknown as StateHeader;
        return;
      }
      const isCommit = text.startsWith('{"t":"commit"');
      if (lastBatch < 0) {
        // The snapshot: checked strictly, applied as it is read.
        if (isCommit) {
          lastBatch = 0;
          committedBytes = snapshotBytes = end;
          builder.strict = false;
        } else apply(lineNo, text);
        return;
      }
      if (!isCommit) {
        pending.push({ line: lineNo, text });
        return;
      }
      for (const p of pending) apply(p.line, p.text);
      pending = [];
      lastBatch++;
      committedBytes = end;
    };

    // A format-2 file starts with its header; anything else is read as one document (a format-1 snapshot, or not a state).
    const prefix = Buffer.from(`{"format":"${stateFormat}"`);
    const start = Buffer.alloc(prefix.length);
    const { bytesRead: startRead } = await handle.read(start, 0, start.length, 0);
    const isV1 = startRead > 0 && !start.subarray(0, startRead).equals(prefix.subarray(0, startRead));
    const chunk = Buffer.allocUnsafe(1 << 20);
    // The current line's bytes so far, when it spans reads (joined once, when its newline comes).
    let partial: Buffer[] = [];
    for (; !isV1; ) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      let from = 0;
      for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, from)) {
        const piece = data.subarray(from, nl);
        const line = partial.length > 0 ? Buffer.concat([...partial, piece]) : piece;
        partial = [];
        onLine(line.toString('utf8'), offset + nl + 1);
        from = nl + 1;
      }
      if (from < data.length) partial.push(Buffer.from(data.subarray(from)));
      offset += bytesRead;
    }
    if (isV1) {
      const whole = parseWhole(await readFile(path, 'utf8'));
      const defaults = typeof whole === 'object' && whole !== null ? (whole as Json) : {};
      const blobDirectory = typeof defaults.blobDirectory === 'string' ? resolve(dirname(path), defaults.blobDirectory) : undefined;
      const store = create({
        ...(typeof defaults.defaultAccountId === 'string' ? { accountId: defaults.defaultAccountId } : {}),
        ...(typeof defaults.defaultRegion === 'string' ? { region: defaults.defaultRegion } : {}),
        ...(blobDirectory !== undefined ? { blobDirectory } : {}),
      });
      restoreState(store, blobDirectory !== undefined ? { ...(whole as Json), blobDirectory } : whole, wholeFile);
      return {
        format: 1,
        committedBytes: 0,
        snapshotBytes: 0,
        lastBatch: 0,
        tornBytes: 0,
        written: new Map(),
        ...(blobDirectory !== undefined ? { blobDirectory } : {}),
      };
    }
    if (!header) throw invalidAt(wholeFile, 'is empty, not an ecrkit simulation state');
    if (lastBatch < 0) throw invalidAt(`line ${lineNo + 1}`, 'the snapshot ends without its commit line (the file was cut short)');
    builder.install(
      create({
        accountId: header.defaultAccountId,
        region: header.defaultRegion,
        ...(builder.blobDirectory !== undefined ? { blobDirectory: builder.blobDirectory } : {}),
      }),
    );
    return {
      format: 2,
      header,
      committedBytes,
      snapshotBytes,
      lastBatch,
      tornBytes: offset - committedBytes,
      written,
      ...(builder.blobDirectory !== undefined ? { blobDirectory: builder.blobDirectory } : {}),
    };
  } finally {
    await handle.close();
  }
}

function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidAt(
      wholeFile,
      `is neither an ecrkit simulation state (format ${stateVersion}: JSON lines) nor a format-1 snapshot (${snapshotFormat}: one JSON document)`,
    );
  }
}
