import { invalidParameter, isEcrError, readOptions } from '@ecrkit/core-types';

// Argument readers for the package's public functions: garbage (a symbol, null, an object whose
// reads throw) becomes InvalidParameter naming the argument, never a TypeError from deep inside.

/** A string argument, checked before it reaches a template string or a string method. */
export function stringArgument(value: unknown, field: string): string {
  if (typeof value !== 'string')
    throw invalidParameter(field, `must be a string, got ${typeof value === 'object' ? (value === null ? 'null' : 'an object') : `a ${typeof value}`}`);
  return value;
}

/** An options argument read once through core-types' readOptions (`undefined` is `{}`), typed as its interface. */
export function optionsArgument<T extends object>(value: unknown, fields: readonly (keyof T & string)[], name = 'options'): T {
  return readOptions(value, fields, name) as T;
}

/** Like {@link optionsArgument}, for an object argument that is required. */
export function objectArgument<T extends object>(value: unknown, fields: readonly (keyof T & string)[], name: string): T {
  if (value === undefined) throw invalidParameter(name, 'must be an object');
  return readOptions(value, fields, name) as T;
}

/**
 * Check caller data (a seed, a snapshot) with `check`; a read of it that throws (a getter, a
 * proxy) is InvalidParameter naming `field`. EcrErrors from `check` pass through.
 */
export function checkReadable<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isEcrError(error)) throw error;
    throw invalidParameter(field, 'could not be read');
  }
}
