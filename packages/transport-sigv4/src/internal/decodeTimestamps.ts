import { EcrError, type OperationSpec } from '@ecrkit/core-types';

// core-types' `decodeOutput` copies every object on a timestamp path so that it never mutates
// its argument; on a page of 20 images that doubles the cost of JSON.parse. A body we just
// parsed is ours alone, so here the same table is applied in place. `decodeTimestamps.test.ts`
// proves the result deep-equal to `decodeOutput`'s, errors included.

const compiled = new WeakMap<OperationSpec, readonly (readonly string[])[]>();

function pathsOf(spec: OperationSpec): readonly (readonly string[])[] {
  let paths = compiled.get(spec);
  if (paths === undefined) {
    paths = (spec.outputTimestamps ?? []).map((p) => p.split('.'));
    compiled.set(spec, paths);
  }
  return paths;
}

function toDate(value: unknown, path: string, operation: string | undefined): Date {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(Math.round(value * 1000));
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw new EcrError({ kind: 'InvalidResponse', message: `Response field '${path}' is not a timestamp`, operation });
}

function visit(container: Record<string, unknown> | unknown[], key: string | number, segments: readonly string[], index: number, path: string, operation: string | undefined): void {
  const value = (container as Record<string | number, unknown>)[key];
  if (value === null || value === undefined) return;
  if (index === segments.length) {
    (container as Record<string | number, unknown>)[key] = toDate(value, path, operation);
    return;
  }
  if (typeof value !== 'object') return;
  const segment = segments[index]!;
  if (segment === '*') {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value, i, segments, index + 1, `${path}[${i}]`, operation);
    } else {
      for (const k of Object.keys(value)) visit(value as Record<string, unknown>, k, segments, index + 1, `${path}.${k}`, operation);
    }
    return;
  }
  if (Array.isArray(value) || !Object.hasOwn(value, segment)) return;
  visit(value as Record<string, unknown>, segment, segments, index + 1, path ? `${path}.${segment}` : segment, operation);
}

/**
 * Turn the output's timestamp fields (epoch seconds, or ISO strings) into `Date`s, in place,
 * following the operation table. Throws `EcrError` kind `InvalidResponse` for a timestamp that
 * is neither, with `decodeOutput`'s message.
 */
export function decodeTimestamps(spec: OperationSpec, output: Record<string, unknown>, operation?: string): Record<string, unknown> {
  const paths = pathsOf(spec);
  if (paths.length === 0) return output;
  const root = { output };
  for (const segments of paths) {
    const first = segments[0]!;
    if (first === '*') {
      visit(root, 'output', segments, 0, '', operation);
    } else if (Object.hasOwn(output, first)) {
      visit(output, first, segments, 1, first, operation);
    }
  }
  return output;
}
