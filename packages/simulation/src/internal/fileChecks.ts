import { EcrError, isEcrError } from '@ecrkit/core-types';

// Readers for values in state and seed files: each checks one value and returns it typed, or
// throws one EcrError (kind InvalidParameter) whose `field` is the path of the value inside the
// file and whose message reads `<path>: <problem>`. Names, tags, digests and regions are
// checked with core-types' validators, as API input is.

export type Json = Record<string, unknown>;

/** The error for a bad value at `path`. */
export function invalidAt(path: string, problem: string): EcrError {
  return new EcrError({ kind: 'InvalidParameter', awsCode: 'InvalidParameterException', statusCode: 400, field: path, message: `${path}: ${problem}` });
}

/** Run a core-types validator and report its complaint at `path` (its own `Invalid parameter '…':` prefix dropped). */
export function within<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!isEcrError(error)) throw error;
    const prefix = `Invalid parameter '${error.field ?? ''}': `;
    throw invalidAt(path, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidAt(path, `must be an object, got ${describe(value)}`);
  return value as Json;
}

/** Refuse members other than `allowed` (a typo, or a field this version does not know). */
export function onlyKeys(obj: Json, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw invalidAt(path, `unknown member '${key}' (expected ${allowed.join(', ')})`);
  }
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalidAt(path, `must be an array, got ${describe(value)}`);
  return value;
}

export function optionalArray(value: unknown, path: string): unknown[] | undefined {
  return value === undefined ? undefined : array(value, path);
}

export function string(value: unknown, path: string, maxLength = 1_000_000): string {
  if (typeof value !== 'string') throw invalidAt(path, `must be a string, got ${describe(value)}`);
  if (value.length > maxLength) throw invalidAt(path, `must be at most ${maxLength} characters, got ${value.length}`);
  return value;
}

export function optionalString(value: unknown, path: string, maxLength?: number): string | undefined {
  return value === undefined ? undefined : string(value, path, maxLength);
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw invalidAt(path, `must be true or false, got ${describe(value)}`);
  return value;
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  return value === undefined ? undefined : boolean(value, path);
}

export function integer(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidAt(path, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidAt(path, `must be a number, got ${describe(value)}`);
  return value;
}

/** Largest time a JavaScript `Date` can hold, in epoch milliseconds. */
const maxTime = 8.64e15;

/** A time: whole epoch milliseconds a `Date` can hold. */
export function time(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > maxTime) {
    throw invalidAt(path, `must be a time in epoch milliseconds (an integer), got ${describe(value)}`);
  }
  return value;
}

export function optionalTime(value: unknown, path: string): number | undefined {
  return value === undefined ? undefined : time(value, path);
}

/** One of a closed set, as the `const` objects of core-types list them. */
export function oneOf<T extends string>(value: unknown, values: Readonly<Record<string, T>> | readonly T[], path: string): T {
  const allowed: readonly string[] = Array.isArray(values) ? values : Object.values(values);
  if (typeof value !== 'string' || !allowed.includes(value)) throw invalidAt(path, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  return value as T;
}
