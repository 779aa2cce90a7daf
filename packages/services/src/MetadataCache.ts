import { invalidParameter, readOptions } from '@ecrkit/core-types';
import type { Clock } from '@ecrkit/core-types';

/** Settings of a {@link MetadataCache}. */
export interface MetadataCacheOptions {
  /** How long an entry is served, in milliseconds. */
  ttlMs: number;
  /** The most entries held; the least recently used go first. */
  maxEntries: number;
}

/** Counters of a {@link MetadataCache}. */
export interface MetadataCacheStats {
  hits: number;
  misses: number;
  size: number;
}

/**
 * An opt-in TTL and size-bounded cache of repository and image details, keyed by strings the
 * services build (`<scope>|<repository>|<id>`). Entries of a repository are dropped together by
 * `invalidateRepository` (after putTag, untag and batchDelete). Holds metadata only, never tokens.
 */
export class MetadataCache {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { value: unknown; expiresAt: number; repository: string }>();
  #hits = 0;
  #misses = 0;

  constructor(clock: Clock, options: MetadataCacheOptions) {
    if (typeof clock !== 'object' || clock === null) throw invalidParameter('clock', 'must be a Clock');
    if (options === undefined) throw invalidParameter('options', 'is required: { ttlMs, maxEntries }');
    const { ttlMs, maxEntries } = readOptions(options, ['ttlMs', 'maxEntries']);
    if (typeof ttlMs !== 'number' || !(ttlMs >= 0)) throw invalidParameter('ttlMs', 'must be a number of milliseconds >= 0');
    if (typeof maxEntries !== 'number' || !Number.isInteger(maxEntries) || maxEntries < 1) throw invalidParameter('maxEntries', 'must be an integer >= 1');
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The fresh value under `key`, or `undefined`. */
  get<V>(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= this.#clock.now()) {
      if (entry) this.#entries.delete(key);
      this.#misses++;
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#hits++;
    return entry.value as V;
  }

  /** Store `value` under `key`, remembering which repository it belongs to. */
  set(key: string, repository: string, value: unknown): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#clock.now() + this.#ttlMs, repository });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** Drop every entry of one repository (its details and its images'). */
  invalidateRepository(repository: string): void {
    for (const [key, entry] of this.#entries) if (entry.repository === repository) this.#entries.delete(key);
  }

  /** Drop everything. */
  clear(): void {
    this.#entries.clear();
  }

  /** Hit and miss counts and the current size. */
  stats(): MetadataCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }
}
