import type { Readable } from 'node:stream';

/**
 * Where a registry keeps blob bytes (layers and configs), by digest. Repositories only record
 * which digests they hold; the bytes are stored once, whichever face wrote them (the AWS layer
 * API, the registry's `/v2/` uploads, the fluent API) and read back by every face.
 *
 * Reads and puts are synchronous because operation handlers are; uploads are streamed, so a
 * large blob is written as it arrives and never held twice in memory.
 */
export interface BlobStore {
  /** The content-addressed folder the bytes live in, or `undefined` for memory (bytes then travel inside snapshots). */
  readonly directory: string | undefined;
  has(digest: string): boolean;
  /** Size in bytes, or `undefined` for an unknown digest. */
  size(digest: string): number | undefined;
  /** The whole blob (for small blobs: configs, data URLs, snapshots), or `undefined`. Do not mutate the result. */
  read(digest: string): Uint8Array | undefined;
  /** The bytes `start..end` (inclusive; default the whole blob) as a stream, or `undefined` for an unknown digest. */
  open(digest: string, range?: { start: number; end: number }): Readable | undefined;
  /**
   * Store bytes, given whole or as the chunks they arrived in (kept as they are, never joined),
   * and return their `sha256:` digest; a blob already present is kept as it is.
   */
  put(bytes: Uint8Array | readonly Uint8Array[]): string;
  /** Start a streamed upload; nothing is visible until {@link BlobUpload.commit}. */
  createUpload(): BlobUpload;
  /** Every stored digest. */
  digests(): Iterable<string>;
  /** Forget every blob (the registry's `reset`). */
  clear(): void;
  /** Called once for each blob newly stored (by `put` or an upload's `commit`): the registry notes it for its state file. */
  onAdded?: ((digest: string) => void) | undefined;
}

/** A blob being written: chunks in order, hashed as they arrive. */
export interface BlobUpload {
  /** Bytes received so far. */
  readonly size: number;
  /** Append a chunk; resolves when it may be followed by the next (back-pressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Wait until every written byte is stored (a file flushed to disk); call before {@link commit}. */
  flush(): Promise<void>;
  /** The `sha256:` digest of the bytes received so far. */
  digest(): string;
  /**
   * Make the bytes a blob of the store and return its digest; the upload is then finished.
   *
   * @throws Error when called before {@link flush} resolved or after the upload ended.
   */
  commit(): string;
  /** Discard the bytes (cancel, digest mismatch). Safe to call more than once. */
  abort(): void;
}
