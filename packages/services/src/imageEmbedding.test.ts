import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { findingNames, imageEmbedding, imageEmbeddingDimensions, imageMemoryMetadata } from './imageEmbedding.js';

const detailArb = fc.record(
  {
    repositoryName: fc.string(),
    imageDigest: fc.string(),
    imageTags: fc.array(fc.string(), { maxLength: 5 }),
    imageSizeInBytes: fc.nat(),
    imageScanFindingsSummary: fc.record({ findingSeverityCounts: fc.dictionary(fc.constantFrom('CRITICAL', 'HIGH', 'LOW', 'OTHER'), fc.nat(1000)) }),
  },
  { requiredKeys: [] },
);

describe('imageEmbedding', () => {
  test.prop([detailArb, fc.array(fc.record({ name: fc.string(), severity: fc.constantFrom('HIGH', 'LOW') }), { maxLength: 20 })], { numRuns: 1000 })(
    'is deterministic, of fixed length, finite, and of unit length unless empty',
    (detail, findings) => {
      const a = imageEmbedding({ detail, findings });
      expect(a).toEqual(imageEmbedding({ detail: structuredClone(detail), findings: structuredClone(findings) }));
      expect(a).toHaveLength(imageEmbeddingDimensions);
      expect(a.every(Number.isFinite)).toBe(true);
      const norm = Math.hypot(...a);
      expect(norm === 0 || Math.abs(norm - 1) < 1e-9).toBe(true);
    },
  );

  test.prop([fc.string({ minLength: 1 }), fc.string({ minLength: 1 })])('is closer for the same vulnerabilities than for disjoint ones', (x, y) => {
    fc.pre(x !== y);
    const findings = [{ name: `CVE-${x}`, severity: 'HIGH' as const }];
    const same = imageEmbedding({ findings, severityCounts: { HIGH: 1 } });
    const other = imageEmbedding({ detail: { imageSizeInBytes: 10_000_000, imageTags: ['a', 'b', 'c'] } });
    const dot = (p: number[], q: number[]) => p.reduce((s, v, i) => s + v * (q[i] ?? 0), 0);
    expect(dot(same, imageEmbedding({ findings, severityCounts: { HIGH: 1 } }))).toBeCloseTo(1);
    expect(dot(same, other)).toBeLessThan(0.9);
  });

  it('metadata carries names and counts, sorted and capped', () => {
    const findings = Array.from({ length: 60 }, (_, i) => ({ name: `CVE-${String(i).padStart(3, '0')}` }));
    const enhancedFindings = [{ title: 'GHSA-x', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-999' } }, { title: 'TITLE-ONLY' }];
    expect(findingNames({ enhancedFindings })).toEqual(['CVE-999', 'TITLE-ONLY']);
    const meta = imageMemoryMetadata('scan', 'sha256:abc', { findings });
    expect(meta.findingNames).toHaveLength(50);
    expect(meta.findingNames[0]).toBe('CVE-000');
    expect(meta).toMatchObject({ source: 'scan', imageDigest: 'sha256:abc', imageTags: [], severityCounts: {} });
  });
});
