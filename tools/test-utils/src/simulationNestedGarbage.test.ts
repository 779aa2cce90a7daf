// Garbage inside well-formed requests: for every operation of both models, inputs shaped like its
// request (field names and nesting read from core-types' generated wire types) with wrong-typed
// values, odd strings and numbers planted at random depths. The simulation must answer or refuse
// with a modelled error, never a raw TypeError, nor an internal failure (kind Unknown or
// ServiceUnavailable): these are the bodies any client can send the simulation server.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ecrOperations, ecrPublicOperations, isEcrError } from '@ecrkit/core-types';
import { SimulatedRegistry } from '@ecrkit/simulation';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { seededRandom } from './seededRandom.js';

interface Member {
  name: string;
  type: string;
  optional: boolean;
}

interface Shapes {
  structures: Map<string, Member[]>;
  enums: Map<string, string[]>;
}

/** The request and nested structures, and the string enums, of one generated wire-types file. */
function readShapes(file: string): Shapes {
  const text = readFileSync(fileURLToPath(new URL(`../../../packages/core-types/src/wire/${file}`, import.meta.url)), 'utf8');
  const structures = new Map<string, Member[]>();
  for (const [, name, body] of text.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
    const members = [...body!.matchAll(/^ {2}(\w+)(\??): ([^;]+);/gm)].map(([, member, optional, type]) => ({
      name: member!,
      optional: optional === '?',
      type: type!.trim(),
    }));
    structures.set(name!, members);
  }
  const enums = new Map<string, string[]>();
  for (const [, name, union] of text.matchAll(/export type (\w+) = ([^;]+);/g))
    enums.set(
      name!,
      [...union!.matchAll(/'([^']*)'/g)].map((m) => m[1]!),
    );
  return { structures, enums };
}

const digest = `sha256:${'b'.repeat(64)}`;
const misfits: unknown[] = [null, 0, -1, 1.5, 1e300, '', 'x'.repeat(300), true, [], {}, [null], [[]], { nested: { deeper: [] } }, 'web-app', digest];
const strings = [
  'web-app',
  'v1',
  'latest',
  digest,
  'us-east-1',
  '123456789012',
  '*',
  '{}',
  '{"rules":[]}',
  'arn:aws:ecr:us-east-1:123456789012:repository/web-app',
];

/** An input of `type`: mostly well-typed, with a misfit in place of any value at rate `misfitRate`. */
function inputOf(type: string, shapes: Shapes, random: () => number, misfitRate: number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (depth > 0 && random() < misfitRate) return pick(misfits);
  if (type.endsWith('[]')) return Array.from({ length: Math.floor(random() * 3) }, () => inputOf(type.slice(0, -2), shapes, random, misfitRate, depth + 1));
  const record = /^Record<string, (.+)>$/.exec(type);
  if (record) return { key: inputOf(record[1]!, shapes, random, misfitRate, depth + 1) };
  if (type === 'string') return pick(strings);
  if (type === 'number') return pick([0, 1, 5, 100, 1001, -3]);
  if (type === 'boolean') return random() < 0.5;
  if (type === 'Date') return pick([new Date(0), new Date(1.7e12), 1.7e9]);
  if (type === 'Uint8Array') return pick([new Uint8Array([1, 2, 3]), new Uint8Array(0)]);
  const values = shapes.enums.get(type);
  if (values?.length) return random() < 0.85 ? pick(values) : 'NOT_A_VALUE';
  const members = shapes.structures.get(type);
  if (!members) return pick(misfits);
  const out: Record<string, unknown> = {};
  if (depth > 5) return out;
  for (const m of members) if (!m.optional || random() < 0.6) out[m.name] = inputOf(m.type, shapes, random, misfitRate, depth + 1);
  return out;
}

const apis = [
  { api: 'ecr', operations: Object.keys(ecrOperations), shapes: readShapes('ecr.generated.ts') },
  { api: 'ecr-public', operations: Object.keys(ecrPublicOperations), shapes: readShapes('ecrPublic.generated.ts') },
] as const;

describe('garbage inside well-formed requests to every simulated operation', () => {
  test('every operation has a request shape to fill', () => {
    for (const { api, operations, shapes } of apis) {
      const missing = operations.filter((op) => !shapes.structures.has(`${op}Request`));
      expect(missing, `${api} operations without a generated ${'<Operation>Request'} interface`).toEqual([]);
    }
  });

  for (const { api, operations, shapes } of apis) {
    for (const operation of operations) {
      // Low and high misfit rates: the first reaches deep into handlers, the second stops at validation.
      test.prop([fc.integer(), fc.constantFrom(0.03, 0.25)], { numRuns: 30 })(
        `${api} ${operation} answers or refuses with a modelled error`,
        async (seed, rate) => {
          const registry = new SimulatedRegistry().withImage('web-app', { tags: ['v1', 'latest'] }).withRepository('pub/app', { public: true });
          const input = inputOf(`${operation}Request`, shapes, seededRandom(seed), rate);
          try {
            await registry.execute({ api, operation, input, region: 'us-east-1' } as never);
          } catch (error) {
            const shown = JSON.stringify(input, (_, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v)).slice(0, 400);
            expect(isEcrError(error), `${operation}(${shown}) threw ${String(error)}`).toBe(true);
            if (isEcrError(error)) expect(['Unknown', 'ServiceUnavailable'], `${operation}(${shown}): ${error.message}`).not.toContain(error.kind);
          }
        },
      );
    }
  }
});
