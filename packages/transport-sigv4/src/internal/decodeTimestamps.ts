import type { OperationSpec } from '@ecrkit/core-types';
import { timestampDecoders } from './timestampDecoders.generated.js';

/**
 * Converts an output's timestamp fields in place; false at a field that is not a timestamp.
 * Its argument is JSON just parsed, read by field name with each value's type checked at run time.
 */
// biome-ignore lint/suspicious/noExplicitAny: generated decoders read fields of parsed JSON by name and check each value's type themselves.
export type TimestampDecoder = (output: any) => boolean;

// core-types' `decodeOutput` copies every object on a timestamp path so that it never mutates
// its argument, and walks each path separately; on a page of 20 images that doubles the cost
// of JSON.parse. A body we just parsed is ours alone, so here it is converted in place, by a
// function generated per operation that reads each field by name. On a malformed timestamp
// the decoder stops and reports it; the caller then lets `decodeOutput` itself produce the
// error, so messages stay exactly core-types'. `decodeTimestamps.test.ts` proves the outcomes
// identical.

/**
 * Turn the output's timestamp fields (epoch seconds, or ISO strings) into `Date`s, in place,
 * following the operation table. Returns false, leaving `output` half converted, when a
 * timestamp field holds anything else.
 */
export function decodeTimestamps(spec: OperationSpec, output: Record<string, unknown>): boolean {
  const decode = timestampDecoders.get(spec.target);
  return decode === undefined || decode(output);
}
