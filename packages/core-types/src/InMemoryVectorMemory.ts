import { EcrError } from './EcrError.js';
import type { VectorMatch, VectorMemory } from './VectorMemory.js';

/**
 * A `VectorMemory` kept in memory: exact cosine-similarity search over every stored entry.
 * Storing a key again replaces its entry. The services' default store (`images.findSimilar`);
 * fine for tests and catalogues of some thousands of images (linear search).
 *
 * @example
 * const memory = new InMemoryVectorMemory<{ tag: string }>();
 * await memory.store('sha256:…', [0.1, 0.9], { tag: 'v1' });
 * const [best] = await memory.searchSimilar([0.1, 0.8], 1);
 */
export class InMemoryVectorMemory<M = Record<string, unknown>> implements VectorMemory<M> {
  readonly #entries = new Map<string, { vector: Float64Array; norm: number; metadata: M }>();

  /** How many entries are stored. */
  get size(): number {
    return this.#entries.size;
  }

  /** Store (or replace) an entry. Throws `EcrError` kind `InvalidParameter` for an empty or non-finite embedding, or one whose dimension differs from the stored ones. */
  async store(key: string, embedding: readonly number[], metadata: M): Promise<void> {
    if (embedding.length === 0 || embedding.some((x) => !Number.isFinite(x))) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'embedding', message: 'An embedding must be a non-empty list of finite numbers' });
    }
    const first = this.#entries.values().next();
    if (!first.done && first.value.vector.length !== embedding.length && !(this.#entries.size === 1 && this.#entries.has(key))) {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'embedding',
        message: `Embedding dimension ${embedding.length} differs from the stored dimension ${first.value.vector.length}`,
      });
    }
    const vector = Float64Array.from(embedding);
    this.#entries.set(key, { vector, norm: norm(vector), metadata });
  }

  /** The `limit` entries most similar to `embedding`, best first (ties by key). Zero vectors score 0. */
  async searchSimilar(embedding: readonly number[], limit: number): Promise<VectorMatch<M>[]> {
    if (!(limit > 0)) return [];
    const query = Float64Array.from(embedding);
    const queryNorm = norm(query);
    const matches: VectorMatch<M>[] = [];
    for (const [key, entry] of this.#entries) {
      if (entry.vector.length !== query.length) continue;
      let dot = 0;
      for (let i = 0; i < query.length; i++) dot += query[i]! * entry.vector[i]!;
      const denom = queryNorm * entry.norm;
      matches.push({ key, score: denom === 0 ? 0 : Math.max(-1, Math.min(1, dot / denom)), metadata: entry.metadata });
    }
    matches.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return matches.slice(0, Math.floor(limit));
  }

  /** Forget every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

function norm(v: Float64Array): number {
  let sum = 0;
  for (const x of v) sum += x * x;
  return Math.sqrt(sum);
}
