const maxShown = 64;

/**
 * A short, safe description of a rejected value for an error message: short printable ASCII
 * strings are quoted, anything else is described by type and length only, so that a long
 * value (a manifest, a token pasted in the wrong place) never reaches a message or a log.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length === 0) return 'an empty string';
    if (value.length <= maxShown && /^[\x20-\x7e]+$/.test(value)) return JSON.stringify(value);
    return `a string of ${value.length} characters`;
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'a non-finite number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
