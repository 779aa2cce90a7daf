import { imageEmbedding, imageMemoryMetadata } from '../imageEmbedding.js';
import type { ImageEmbeddingInput } from '../imageEmbedding.js';
import type { ServiceContext } from './ServiceContext.js';

/**
 * Store an image in the configured vector memory, keyed by digest. Best effort: the memory is
 * an optional index, so its failure is reported to telemetry and never fails the listing or
 * scan that fed it.
 */
export async function feedMemory(ctx: ServiceContext, source: 'image' | 'scan', imageDigest: string | undefined, input: ImageEmbeddingInput): Promise<void> {
  const memory = ctx.vectorMemory;
  if (!memory || !imageDigest) return;
  try {
    await memory.store(imageDigest, imageEmbedding(input), imageMemoryMetadata(source, imageDigest, input));
  } catch (err) {
    ctx.telemetry.onVectorMemoryError?.(err);
  }
}
