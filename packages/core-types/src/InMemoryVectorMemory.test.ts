import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { InMemoryVectorMemory } from './InMemoryVectorMemory.js';

test('returns the closest entries by cosine similarity, best first', async () => {
  const memory = new InMemoryVectorMemory<{ tag: string }>();
  await memory.store('a', [1, 0, 0], { tag: 'a' });
  await memory.store('b', [0.9, 0.1, 0], { tag: 'b' });
  await memory.store('c', [0, 0, 1], { tag: 'c' });
  await memory.store('d', [-1, 0, 0], { tag: 'd' });
  const matches = await memory.searchSimilar([1, 0, 0], 3);
  expect(matches.map((m) => m.key)).toEqual(['a', 'b', 'c']);
  expect(matches[0]!.score).toBeCloseTo(1);
  expect(matches[2]!.score).toBeCloseTo(0);
  expect((await memory.searchSimilar([1, 0, 0], 10)).at(-1)).toMatchObject({ key: 'd', score: -1 });
  await memory.store('a', [0, 1, 0], { tag: 'a2' });
  expect(memory.size).toBe(4);
  expect((await memory.searchSimilar([0, 1, 0], 1))[0]!.metadata).toEqual({ tag: 'a2' });
  expect(await memory.searchSimilar([1, 0, 0], 0)).toEqual([]);
});

test('refuses empty, non-finite and mismatched embeddings', async () => {
  const memory = new InMemoryVectorMemory();
  await expect(memory.store('x', [], {})).rejects.toMatchObject({ kind: 'InvalidParameter' });
  await expect(memory.store('x', [Number.NaN], {})).rejects.toMatchObject({ kind: 'InvalidParameter' });
  await memory.store('x', [1, 2], {});
  await expect(memory.store('y', [1, 2, 3], {})).rejects.toMatchObject({ kind: 'InvalidParameter' });
  expect(await memory.searchSimilar([0, 0], 5)).toEqual([{ key: 'x', score: 0, metadata: {} }]);
});

test.prop([fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 })], {
  numRuns: 200,
})('scores stay in [-1, 1] and results are sorted', async (vectors) => {
  const memory = new InMemoryVectorMemory();
  for (const [i, v] of vectors.entries()) await memory.store(`k${i}`, v, {});
  const matches = await memory.searchSimilar(vectors[0]!, vectors.length);
  expect(matches).toHaveLength(vectors.length);
  for (const [i, m] of matches.entries()) {
    expect(m.score).toBeGreaterThanOrEqual(-1);
    expect(m.score).toBeLessThanOrEqual(1);
    if (i > 0) expect(m.score).toBeLessThanOrEqual(matches[i - 1]!.score);
  }
});
