import { fc, test } from '@fast-check/vitest';
import { decodeOutput, isEcrError, operationNames, operationSpec, type Api } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { decodeTimestamps } from './decodeTimestamps.js';

const specs = (['ecr', 'ecr-public'] as const).flatMap((api: Api) =>
  operationNames(api)
    .map((op) => ({ name: `${api} ${op}`, spec: operationSpec(api, op)! }))
    .filter((s) => (s.spec.outputTimestamps?.length ?? 0) > 0),
);

const leaf = fc.oneof(
  fc.double({ min: -1e10, max: 1e10, noNaN: true }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
  fc.boolean(),
  fc.jsonValue({ maxDepth: 1 }),
);

/** An output shaped by the spec's timestamp paths, with random leaves and random extra fields. */
function shaped(paths: readonly string[]): fc.Arbitrary<unknown> {
  type Tree = Map<string, Tree>;
  const tree: Tree = new Map();
  for (const p of paths) {
    let node = tree;
    for (const s of p.split('.')) {
      if (!node.has(s)) node.set(s, new Map());
      node = node.get(s)!;
    }
  }
  const build = (node: Tree): fc.Arbitrary<unknown> => {
    if (node.size === 0) return leaf;
    const star = node.get('*');
    if (star) {
      const child = build(star);
      return fc.oneof(fc.array(child, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), child, { maxKeys: 2 }), leaf);
    }
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, child] of node) fields[k] = build(child);
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 4 }), leaf, { maxKeys: 2 }))
          .map(([a, b]) => ({ ...b, ...a })),
      },
      { weight: 1, arbitrary: leaf },
    );
  };
  return build(tree).map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { value: v }));
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return { date: String(value.getTime()) };
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

function outcome(run: () => unknown): unknown {
  try {
    return { ok: normalise(run()) };
  } catch (err) {
    if (!isEcrError(err)) throw err;
    return { error: err.kind };
  }
}

describe('decodeTimestamps', () => {
  it('converts in place', () => {
    const spec = operationSpec('ecr', 'DescribeImages')!;
    const output = { imageDetails: [{ imagePushedAt: 1767225600.25, imageScanFindingsSummary: { imageScanCompletedAt: '2026-01-01T00:00:00Z' } }] };
    expect(decodeTimestamps(spec, output)).toBe(true);
    expect(output.imageDetails[0]!.imagePushedAt).toEqual(new Date(1767225600250));
    expect(output.imageDetails[0]!.imageScanFindingsSummary.imageScanCompletedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('reports a malformed timestamp', () => {
    const spec = operationSpec('ecr', 'DescribeImages')!;
    expect(decodeTimestamps(spec, { imageDetails: [{ imagePushedAt: 'yesterday' }] })).toBe(false);
    expect(decodeTimestamps(spec, { imageDetails: [{ imagePushedAt: {} }] })).toBe(false);
  });

  for (const { name, spec } of specs) {
    test.prop([shaped(spec.outputTimestamps!)], { numRuns: 200 })(`agrees with core-types decodeOutput for ${name}`, (value) => {
      const expected = outcome(() => decodeOutput(spec, structuredClone(value), 'Op'));
      const copy = structuredClone(value) as Record<string, unknown>;
      const actual = decodeTimestamps(spec, copy) ? { ok: normalise(copy) } : { error: 'InvalidResponse' };
      expect(actual).toStrictEqual(expected);
    });
  }
});
