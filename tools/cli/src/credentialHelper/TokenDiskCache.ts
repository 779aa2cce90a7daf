import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One cached registry password: what `docker-credential-ecrkit get` answers with until shortly before `expiresAt`. */
export interface CachedToken {
  /** The registry host the token is for. */
  registry: string;
  /** A hash naming who asked (access key, profile or role; never a secret). */
  principal: string;
  username: string;
  password: string;
  expiresAt: string;
}

/** The folder tokens are cached in: `ECRKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/ecrkit/registry-tokens`, else `~/.cache/ecrkit/registry-tokens`. */
export function tokenCacheDirectory(env: NodeJS.ProcessEnv): string {
  if (env.ECRKIT_CACHE_DIR) return env.ECRKIT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'ecrkit', 'registry-tokens');
}

/**
 * Registry passwords on disk, one file per registry and principal, readable by the user alone
 * (folder 0700, files 0600, written to a temporary file and renamed so a reader never sees half
 * of one). The same idea as amazon-ecr-credential-helper's cache: a `docker pull` must not cost a
 * GetAuthorizationToken call, and the token is as secret as the user's keys, so it goes where
 * only the user can read it and never into a log or an error message.
 */
export class TokenDiskCache {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  /** The entry for a registry and principal, or `undefined` (missing, unreadable or malformed). */
  async get(registry: string, principal: string): Promise<CachedToken | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.#path(registry, principal), 'utf8')) as Partial<CachedToken>;
      if (entry.registry !== registry || entry.principal !== principal || typeof entry.password !== 'string' || typeof entry.expiresAt !== 'string') {
        return undefined;
      }
      return entry as CachedToken;
    } catch {
      return undefined;
    }
  }

  async put(entry: CachedToken): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing folder's mode alone; the cache must not be readable by others either way.
    await chmod(this.directory, 0o700);
    const path = this.#path(entry.registry, entry.principal);
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(entry), { mode: 0o600 });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(registry: string, principal: string): Promise<void> {
    await rm(this.#path(registry, principal), { force: true });
  }

  /** Every readable entry. */
  async list(): Promise<CachedToken[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return [];
    }
    const entries: CachedToken[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const entry = JSON.parse(await readFile(join(this.directory, name), 'utf8')) as CachedToken;
        if (typeof entry.registry === 'string' && typeof entry.expiresAt === 'string') entries.push(entry);
      } catch {
        // a file being replaced, or not ours
      }
    }
    return entries;
  }

  #path(registry: string, principal: string): string {
    return join(this.directory, `${createHash('sha256').update(`${registry}\n${principal}`).digest('hex').slice(0, 32)}.json`);
  }
}
