import { EcrError, invalidParameter } from '../EcrError.js';
import { describeValue } from '../internal/describeValue.js';
import { ecrOperations, ecrPublicOperations } from './operationTable.generated.js';
import type { OperationSpec } from './OperationSpec.js';

// AWS JSON 1.1 differs from ecrkit's shapes in two places only: timestamps travel as epoch
// seconds (fractional) and blobs as base64. The operation table lists both per operation, so
// one walker converts in each direction for the SigV4 transport and the simulation's server.

type Convert = (value: unknown, path: string) => unknown;

// Each walk returns the very same object when nothing under it changed, so a response with no
// timestamps costs no copies; only the branches that hold converted values are copied.
function walk(value: unknown, segments: readonly string[], index: number, convert: Convert, path: string): unknown {
  if (value === null || value === undefined) return value;
  if (index === segments.length) return convert(value, path);
  const segment = segments[index]!;
  if (segment === '*') {
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = walk(value[i], segments, index + 1, convert, `${path}[${i}]`);
        if (next !== value[i]) {
          out ??= value.slice();
          out[i] = next;
        }
      }
      return out ?? value;
    }
    if (typeof value === 'object') {
      let out: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(value)) {
        const next = walk(v, segments, index + 1, convert, `${path}.${k}`);
        if (next !== v) {
          out ??= { ...(value as Record<string, unknown>) };
          out[k] = next;
        }
      }
      return out ?? value;
    }
    return value;
  }
  if (typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, segment)) return value;
  const record = value as Record<string, unknown>;
  const next = walk(record[segment], segments, index + 1, convert, path ? `${path}.${segment}` : segment);
  if (next === record[segment]) return value;
  return { ...record, [segment]: next };
}

const splitCache = new WeakMap<readonly string[], string[][]>();

function splitPaths(paths: readonly string[]): string[][] {
  let split = splitCache.get(paths);
  if (!split) {
    split = paths.map((p) => p.split('.'));
    splitCache.set(paths, split);
  }
  return split;
}

function convertPaths(value: unknown, paths: readonly string[] | undefined, convert: Convert): unknown {
  if (!paths || paths.length === 0 || value === null || typeof value !== 'object') return value;
  let out: unknown = value;
  for (const segments of splitPaths(paths)) out = walk(out, segments, 0, convert, '');
  return out;
}

const tableRows: ReadonlySet<unknown> = new Set([...Object.values(ecrOperations), ...Object.values(ecrPublicOperations)]);

/** The codec walks the paths of a table row; anything else is a caller's mistake. */
function checkSpec(spec: unknown): asserts spec is OperationSpec {
  if (!tableRows.has(spec)) throw invalidParameter('spec', 'must be a row of the operation table (operationSpec(api, operation))');
}

const base64Chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 without Buffer, so core-types runs in browsers and edge runtimes. */
export function toBase64(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw invalidParameter('bytes', `must be a Uint8Array, got ${describeValue(bytes)}`);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += base64Chars[(n >> 18) & 63]! + base64Chars[(n >> 12) & 63]! + base64Chars[(n >> 6) & 63]! + base64Chars[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${base64Chars[(n >> 18) & 63]! + base64Chars[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${base64Chars[(n >> 18) & 63]! + base64Chars[(n >> 12) & 63]! + base64Chars[(n >> 6) & 63]!}=`;
  }
  return out;
}

const base64Lookup = new Int16Array(128).fill(-1);
for (let i = 0; i < base64Chars.length; i++) base64Lookup[base64Chars.charCodeAt(i)] = i;

/** Decode standard base64; `undefined` when the text is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (typeof text !== 'string') throw invalidParameter('text', `must be a string, got ${describeValue(text)}`);
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? base64Lookup[c]! : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

function invalid(path: string, problem: string, operation: string | undefined): EcrError {
  return new EcrError({ kind: 'InvalidResponse', message: `Response field '${path}' ${problem}`, operation });
}

/** Client side, before sending: `Date` to epoch seconds, `Uint8Array` to base64. */
export function encodeInput(spec: OperationSpec, input: unknown): unknown {
  checkSpec(spec);
  const withTimes = convertPaths(input, spec.inputTimestamps, (v) => (v instanceof Date ? v.getTime() / 1000 : v));
  return convertPaths(withTimes, spec.inputBlobs, (v) => (v instanceof Uint8Array ? toBase64(v) : v));
}

/** A response timestamp as a `Date`: epoch seconds (AWS JSON 1.1) or an ISO string; undefined for anything else. */
export function dateFromWire(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(Math.round(value * 1000)) : undefined;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  return undefined;
}

/**
 * Client side, after receiving: epoch seconds (or ISO strings) to `Date`. A timestamp that is
 * neither is a malformed response: `EcrError` kind `InvalidResponse`.
 */
export function decodeOutput(spec: OperationSpec, output: unknown, operation?: string): unknown {
  checkSpec(spec);
  return convertPaths(output, spec.outputTimestamps, (v, path) => {
    const date = dateFromWire(v);
    if (date === undefined) throw invalid(path, 'is not a timestamp', typeof operation === 'string' ? operation : undefined);
    return date;
  });
}

/** Server side, after receiving: epoch seconds to `Date`, base64 to bytes. Bad values are left for validation to reject. */
export function decodeInput(spec: OperationSpec, input: unknown): unknown {
  checkSpec(spec);
  const withTimes = convertPaths(input, spec.inputTimestamps, (v) => (typeof v === 'number' ? new Date(Math.round(v * 1000)) : v));
  return convertPaths(withTimes, spec.inputBlobs, (v) => (typeof v === 'string' ? (fromBase64(v) ?? v) : v));
}

/** Server side, before sending: `Date` to epoch seconds with millisecond precision. */
export function encodeOutput(spec: OperationSpec, output: unknown): unknown {
  checkSpec(spec);
  return convertPaths(output, spec.outputTimestamps, (v) => (v instanceof Date ? v.getTime() / 1000 : v));
}
