import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { imageEmbedding, imageEmbeddingDimensions } from './imageEmbedding.js';

const digest = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
const digests = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => digest(`${prefix}-${i}`));
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('imageEmbedding', () => {
  it('is deterministic, of unit length, and ignores order and repeats; no layers embed as zeros', () => {
    const layers = digests('a', 5);
    const v = imageEmbedding(layers);
    expect(v).toHaveLength(imageEmbeddingDimensions);
    expect(cosine(v, v)).toBeCloseTo(1, 12);
    expect(imageEmbedding([...layers].reverse().concat(layers[0]!))).toEqual(v);
    expect(imageEmbedding([])).toEqual(new Array(imageEmbeddingDimensions).fill(0));
  });

  it('cosine estimates J + (1 - J) / 4 for Jaccard similarity J, without bias', () => {
    // Pairs of 8-layer images sharing 0, 2, 4, 6 or 8 layers, 200 pairs each, digests from a counter.
    for (const shared of [0, 2, 4, 6, 8]) {
      let total = 0;
      const pairs = 200;
      for (let p = 0; p < pairs; p++) {
        const common = digests(`c${shared}-${p}`, shared);
        const a = [...common, ...digests(`a${shared}-${p}`, 8 - shared)];
        const b = [...common, ...digests(`b${shared}-${p}`, 8 - shared)];
        total += cosine(imageEmbedding(a), imageEmbedding(b));
      }
      const jaccard = shared / (16 - shared);
      expect(Math.abs(total / pairs - (jaccard + (1 - jaccard) / 4))).toBeLessThan(0.02);
    }
  });

  it('images on one base score above images on another, for the same own layers', () => {
    const base = digests('debian', 3);
    const web = imageEmbedding([...base, ...digests('web', 2)]);
    const api = imageEmbedding([...base, ...digests('api', 2)]);
    const worker = imageEmbedding([...digests('python', 3), ...digests('worker', 2)]);
    expect(cosine(web, api)).toBeGreaterThan(cosine(web, worker));
  });
});
