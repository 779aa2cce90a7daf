/**
 * A JSON value just parsed from a response: the generated decoders read its fields by name and
 * check each one's type at run time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParsedJson = any;

/** Converts an output's timestamp fields in place; false at a field that is not a timestamp. */
export type TimestampDecoder = (output: ParsedJson) => boolean;

/** Epoch seconds (the AWS JSON 1.1 form) or an ISO string as a `Date`; undefined for anything else. */
export function toDate(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(Math.round(value * 1000)) : undefined;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  return undefined;
}
