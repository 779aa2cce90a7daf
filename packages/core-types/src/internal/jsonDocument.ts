import { invalidParameter, type EcrError } from '../EcrError.js';

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse JSON text (or UTF-8 bytes) for `field`, failing with `InvalidParameter` and a message
 * that never quotes the document (manifests and policies stay out of logs).
 */
export function parseJsonText(text: unknown, field: string, what: string, maxLength: number): Json {
  let source: string;
  if (typeof text === 'string') source = text;
  else if (text instanceof Uint8Array) {
    try {
      source = decoder.decode(text);
    } catch {
      throw invalidParameter(field, `the ${what} is not valid UTF-8`);
    }
  } else throw invalidParameter(field, `the ${what} must be a string or bytes`);
  if (source.length === 0) throw invalidParameter(field, `the ${what} is empty`);
  if (source.length > maxLength) {
    throw invalidParameter(field, `the ${what} is longer than ${maxLength} characters (${source.length})`);
  }
  try {
    return JSON.parse(source) as Json;
  } catch {
    throw invalidParameter(field, `the ${what} is not valid JSON`);
  }
}

/** Readers over a JSON value that name the offending path in their errors. */
export class JsonReader {
  constructor(
    readonly field: string,
    readonly what: string,
  ) {}

  fail(path: string, problem: string): EcrError {
    return invalidParameter(this.field, path ? `${this.what} ${path} ${problem}` : `${this.what} ${problem}`);
  }

  object(value: Json | undefined, path: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.fail(path, 'must be an object');
    return value;
  }

  optionalObject(value: Json | undefined, path: string): JsonObject | undefined {
    return value === undefined ? undefined : this.object(value, path);
  }

  array(value: Json | undefined, path: string): Json[] {
    if (!Array.isArray(value)) throw this.fail(path, 'must be an array');
    return value;
  }

  string(value: Json | undefined, path: string): string {
    if (typeof value !== 'string') throw this.fail(path, 'must be a string');
    return value;
  }

  optionalString(value: Json | undefined, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  stringArray(value: Json | undefined, path: string): string[] {
    return this.array(value, path).map((v, i) => this.string(v, `${path}[${i}]`));
  }

  optionalStringArray(value: Json | undefined, path: string): string[] | undefined {
    return value === undefined ? undefined : this.stringArray(value, path);
  }

  stringMap(value: Json | undefined, path: string): Record<string, string> {
    const obj = this.object(value, path);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v !== 'string') throw this.fail(path, 'must map strings to strings');
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  optionalStringMap(value: Json | undefined, path: string): Record<string, string> | undefined {
    return value === undefined ? undefined : this.stringMap(value, path);
  }

  /** A non-negative safe integer. */
  size(value: Json | undefined, path: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw this.fail(path, 'must be a non-negative integer');
    }
    return value;
  }

  boolean(value: Json | undefined, path: string): boolean {
    if (typeof value !== 'boolean') throw this.fail(path, 'must be true or false');
    return value;
  }
}

/** Read an own property only, so `__proto__` or `constructor` keys never reach the prototype chain. */
export function own(obj: JsonObject, key: string): Json | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
