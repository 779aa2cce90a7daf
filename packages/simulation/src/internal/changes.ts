import type { RepositoryRecord } from './state.js';

/**
 * What changed since the state file last saved, by record, so a save appends only those records
 * (the journal) instead of rewriting everything. Keys only: a save writes each named record as
 * it is at that moment, or its deletion when it is gone.
 *
 * Images, repository blobs and blob bytes are noted where the store changes them; repository,
 * region, account and registry records are small and noted as "maybe changed" (the save writes
 * them only when their text differs from what it wrote last). Tracking is off (`undefined` on
 * the store) until a state file attaches, so an in-memory registry pays nothing.
 */
export class ChangeSet {
  /** Everything may have changed (reset, restore): the next save writes a whole snapshot. */
  all = false;
  /** Images by repository, as digests (the image may since have been deleted). */
  readonly images = new Map<RepositoryRecord, Set<string>>();
  /** Repositories created, deleted or maybe changed. */
  readonly repositories = new Set<RepositoryRecord>();
  /** Blobs a repository gained (`repo.blobs` entries). */
  readonly repositoryBlobs = new Map<RepositoryRecord, Set<string>>();
  /** Blob bytes stored for the first time. */
  readonly blobs = new Set<string>();
  /** Regions (`account/region`) and accounts whose records may have changed. */
  readonly regions = new Set<string>();
  readonly accounts = new Set<string>();
  #size = 0;
  #listener: (() => void) | undefined;

  constructor(listener?: () => void) {
    this.#listener = listener;
  }

  /** True when nothing is pending. The registry record (sequence, random state) is compared at each save regardless. */
  get empty(): boolean {
    return this.#size === 0 && !this.all;
  }

  image(repo: RepositoryRecord, digest: string): void {
    let set = this.images.get(repo);
    if (!set) {
      set = new Set();
      this.images.set(repo, set);
    }
    set.add(digest);
    this.#changed();
  }

  repository(repo: RepositoryRecord): void {
    this.repositories.add(repo);
    this.#changed();
  }

  repositoryBlob(repo: RepositoryRecord, digest: string): void {
    let set = this.repositoryBlobs.get(repo);
    if (!set) {
      set = new Set();
      this.repositoryBlobs.set(repo, set);
    }
    set.add(digest);
    this.#changed();
  }

  blob(digest: string): void {
    this.blobs.add(digest);
    this.#changed();
  }

  region(accountId: string, region: string): void {
    this.regions.add(`${accountId}/${region}`);
    this.accounts.add(accountId);
    this.#changed();
  }

  account(accountId: string): void {
    this.accounts.add(accountId);
    this.#changed();
  }

  /** Registry-wide settings (progressions, the random source) may have changed. */
  settings(): void {
    this.#changed();
  }

  everything(): void {
    this.all = true;
    this.#changed();
  }

  /** Take the pending changes, leaving this set empty. */
  take(): ChangeSet {
    const taken = new ChangeSet();
    taken.all = this.all;
    for (const [repo, set] of this.images) taken.images.set(repo, set);
    for (const repo of this.repositories) taken.repositories.add(repo);
    for (const [repo, set] of this.repositoryBlobs) taken.repositoryBlobs.set(repo, set);
    for (const d of this.blobs) taken.blobs.add(d);
    for (const r of this.regions) taken.regions.add(r);
    for (const a of this.accounts) taken.accounts.add(a);
    taken.#size = this.#size;
    this.all = false;
    this.images.clear();
    this.repositories.clear();
    this.repositoryBlobs.clear();
    this.blobs.clear();
    this.regions.clear();
    this.accounts.clear();
    this.#size = 0;
    return taken;
  }

  /** Put back changes whose save failed, so the next save writes them. */
  restore(failed: ChangeSet): void {
    if (failed.all) this.all = true;
    for (const [repo, set] of failed.images) for (const d of set) this.image(repo, d);
    for (const repo of failed.repositories) this.repository(repo);
    for (const [repo, set] of failed.repositoryBlobs) for (const d of set) this.repositoryBlob(repo, d);
    for (const d of failed.blobs) this.blob(d);
    for (const r of failed.regions) this.regions.add(r);
    for (const a of failed.accounts) this.accounts.add(a);
    this.#changed();
  }

  #changed(): void {
    this.#size++;
    this.#listener?.();
  }
}
