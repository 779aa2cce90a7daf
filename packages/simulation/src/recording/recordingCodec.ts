import { randomBytes } from 'node:crypto';
import { SecretString, fromBase64, toBase64 } from '@ecrkit/core-types';
import { sha256Digest } from '../internal/digest.js';

// One place turns live values into what a recording may hold, so no recorder can leak:
// secrets become '[redacted]' (and the secret parts of pre-signed URLs too), layer bytes
// become digest markers, Dates and bytes get JSON-safe tags. Manifests are not secrets: they
// stay byte-exact, so replayed reads verify against their digests. Replay decodes the tags
// back and turns a redacted authorization token into a fresh fake one.

/** The text that replaces a secret in a recording. */
export const redactedText = '[redacted]';

// Field names whose values are credentials or tokens wherever they appear (compared lowercased).
const secretFields = new Set([
  'authorizationtoken',
  'password',
  'secretaccesskey',
  'sessiontoken',
  'accesstoken',
  'secretkey',
  'awssecretaccesskey',
  'awssessiontoken',
]);

/** Layer bytes replaced by their digest and size (`manifest` in recordings made before manifests were kept). */
export interface RedactedContent {
  $redacted: 'manifest' | 'blob';
  sha256: string;
  length: number;
}

// Query parameters of a pre-signed URL that carry credentials or prove them.
const presignedSecretParams = /([?&](?:X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential)=)[^&#]*/gi;

function blobMarker(bytes: Uint8Array): RedactedContent {
  return { $redacted: 'blob', sha256: sha256Digest(bytes), length: bytes.byteLength };
}

/** Redact and tag a value for a recording: the result is plain JSON. */
export function encodeRecorded(value: unknown, key?: string): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof SecretString) return redactedText;
  if (key !== undefined) {
    const lower = key.toLowerCase();
    if (secretFields.has(lower)) return redactedText;
    if (lower === 'layerpartblob' && value instanceof Uint8Array) return blobMarker(value);
  }
  if (typeof value === 'string' && /^https?:\/\//i.test(value)) return value.replace(presignedSecretParams, `$1${redactedText}`);
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (Array.isArray(value)) return value.map((item) => encodeRecorded(item));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = encodeRecorded(v, k);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/** The string a replayed response carries where the recording holds a manifest marker. */
export function manifestPlaceholder(sha256: string, length: number): string {
  return `[redacted manifest ${sha256} length=${length}]`;
}

/**
 * A fresh authorization token in ECR's format, base64 `AWS:<password>`, with a random
 * password: what replay answers where the recording holds a redacted token, so docker
 * credentials, login commands and pull secrets can be built from it (and never from a real one).
 */
export function fakeAuthorizationToken(): string {
  return Buffer.from(`AWS:replayed-${randomBytes(24).toString('hex')}`, 'utf8').toString('base64');
}

/**
 * Undo {@link encodeRecorded}'s tags: `$date` to `Date`, `$bytes` to bytes, markers to
 * placeholders (manifests of recordings made before they were kept), a redacted
 * `authorizationToken` to a {@link fakeAuthorizationToken fresh fake token}.
 */
export function decodeRecorded(value: unknown, key?: string): unknown {
  if (key !== undefined && key.toLowerCase() === 'authorizationtoken' && value === redactedText) return fakeAuthorizationToken();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => decodeRecorded(item));
  const record = value as Record<string, unknown>;
  if ('$date' in record && Object.keys(record).length === 1) {
    return typeof record.$date === 'string' ? new Date(record.$date) : new Date(Number.NaN);
  }
  if ('$bytes' in record && Object.keys(record).length === 1 && typeof record.$bytes === 'string') {
    return fromBase64(record.$bytes) ?? new Uint8Array(0);
  }
  if (record.$redacted === 'manifest' && typeof record.sha256 === 'string') {
    return manifestPlaceholder(record.sha256, typeof record.length === 'number' ? record.length : 0);
  }
  if (record.$redacted === 'blob') return new Uint8Array(0);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decodeRecorded(v, k);
  return out;
}

/** Structural equality of two JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((item, i) => jsonEqual(item, bb[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Lines `path: expected X, got Y` for every difference between two JSON values (at most `limit`). */
export function diffJson(expected: unknown, actual: unknown, path: string, out: string[], limit = 12): string[] {
  if (out.length >= limit || jsonEqual(expected, actual)) return out;
  const bothObjects =
    expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual);
  if (!bothObjects) {
    out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return out;
  }
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    for (let i = 0; i < Math.max(expected.length, a.length); i++) diffJson(expected[i], a[i], `${path}[${i}]`, out, limit);
    return out;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
  for (const k of keys) diffJson(e[k], a[k], path ? `${path}.${k}` : k, out, limit);
  return out;
}
