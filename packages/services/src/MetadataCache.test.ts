import { describe, expect, it } from 'vitest';
import { ManualClock } from '@ecrkit/core-types';
import { MetadataCache } from './MetadataCache.js';

describe('MetadataCache', () => {
  it('expires entries after ttlMs', async () => {
    const clock = new ManualClock(0);
    const cache = new MetadataCache(clock, { ttlMs: 1000, maxEntries: 10 });
    cache.set('a', 'repo', 1);
    await clock.advance(999);
    expect(cache.get('a')).toBe(1);
    await clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 0 });
  });

  it('evicts the least recently used beyond maxEntries', () => {
    const cache = new MetadataCache(new ManualClock(0), { ttlMs: 1000, maxEntries: 2 });
    cache.set('a', 'r', 1);
    cache.set('b', 'r', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 'r', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('invalidates one repository only', () => {
    const cache = new MetadataCache(new ManualClock(0), { ttlMs: 1000, maxEntries: 10 });
    cache.set('a1', 'a', 1);
    cache.set('a2', 'a', 2);
    cache.set('b1', 'b', 3);
    cache.invalidateRepository('a');
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1')]).toEqual([undefined, undefined, 3]);
  });

  it('refuses nonsense bounds', () => {
    expect(() => new MetadataCache(new ManualClock(0), { ttlMs: -1, maxEntries: 1 })).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter', field: 'ttlMs' }),
    );
    expect(() => new MetadataCache(new ManualClock(0), { ttlMs: 1, maxEntries: 0 })).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter', field: 'maxEntries' }),
    );
  });
});
