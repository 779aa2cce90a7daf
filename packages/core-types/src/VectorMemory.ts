/** One stored entry of a {@link VectorMemory}. */
export interface VectorMatch<M = Record<string, unknown>> {
  key: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
  metadata: M;
}

/**
 * An optional port for similarity search over image metadata and scan findings. Services feed
 * it when one is configured; `@ecrkit/simulation` ships an in-memory implementation.
 * Implementations must never be handed secrets: services pass digests, tags and finding names only.
 */
export interface VectorMemory<M = Record<string, unknown>> {
  store(key: string, embedding: readonly number[], metadata: M): Promise<void>;
  searchSimilar(embedding: readonly number[], limit: number): Promise<VectorMatch<M>[]>;
}
