import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ManualClock } from '@ecrkit/core-types';
import { TokenCache } from './TokenCache.js';

type Entry = { expiresAt: Date; n?: number; k?: string; ok?: boolean };

const hour = 3600_000;

describe('TokenCache', () => {
  it('serves a token until the refresh buffer before expiry, then fetches again', async () => {
    const clock = new ManualClock(0);
    const cache = new TokenCache<Entry>(clock, 60);
    let fetches = 0;
    const fetch = async () => ({ expiresAt: new Date(clock.now() + 12 * hour), n: ++fetches });
    expect((await cache.get('k', fetch)).n).toBe(1);
    await clock.advance(12 * hour - 61_000);
    expect((await cache.get('k', fetch)).n).toBe(1);
    await clock.advance(1_000);
    expect((await cache.get('k', fetch)).n).toBe(2);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, size: 1 });
  });

  it('keeps keys apart', async () => {
    const cache = new TokenCache<Entry>(new ManualClock(0), 0);
    const fetch = (k: string) => async () => ({ expiresAt: new Date(hour), k });
    expect((await cache.get('a', fetch('a'))).k).toBe('a');
    expect((await cache.get('b', fetch('b'))).k).toBe('b');
    expect((await cache.get('a', fetch('x'))).k).toBe('a');
  });

  it('a failed fetch is not cached and the next caller fetches again', async () => {
    const cache = new TokenCache<Entry>(new ManualClock(0), 0);
    await expect(cache.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get('k', async () => ({ expiresAt: new Date(hour), ok: true }))).ok).toBe(true);
  });

  it('clear() while a fetch is in flight: the callers get the value, the cache does not keep it', async () => {
    const cache = new TokenCache<Entry>(new ManualClock(0), 0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const pending = cache.get('k', async () => {
      await gate;
      return { expiresAt: new Date(hour), n: 1 };
    });
    cache.clear();
    release();
    expect((await pending).n).toBe(1);
    expect(cache.stats().size).toBe(0);
  });

  test.prop([fc.scheduler(), fc.integer({ min: 1, max: 200 })], { numRuns: 50 })(
    'any interleaving of concurrent callers causes exactly one fetch',
    async (s, callers) => {
      const cache = new TokenCache<Entry>(new ManualClock(0), 0);
      let fetches = 0;
      const fetch = s.scheduleFunction(async () => {
        fetches++;
        return { expiresAt: new Date(hour) };
      });
      // Callers arrive in a scheduler-chosen order, interleaved with the fetch's completion.
      const all = Promise.all(Array.from({ length: callers }, (_, i) => s.schedule(Promise.resolve(i)).then(() => cache.get('k', fetch))));
      const values = await s.waitFor(all);
      expect(fetches).toBe(1);
      expect(new Set(values).size).toBe(1);
      expect(cache.stats()).toEqual({ hits: callers - 1, misses: 1, size: 1 });
    },
  );
});
