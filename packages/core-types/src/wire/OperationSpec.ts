/** Pagination as the service model declares it: which fields carry the token and the page size. */
export interface PaginationSpec {
  readonly inputToken: string;
  readonly outputToken: string;
  readonly limitKey: string;
  /** Dotted paths of the lists that a page contributes items to. */
  readonly resultKeys: readonly string[];
}

/**
 * One row of the operation table. The SigV4 codec, the simulation's router and the paginators
 * all read this; nothing else decides targets, timestamp fields or token names.
 */
export interface OperationSpec {
  /** The `X-Amz-Target` header value. */
  readonly target: string;
  /** Writes state; refused by a `readOnly` config before anything is sent. */
  readonly mutating: boolean;
  /** Dotted paths (`*` for list items and map values) of timestamp fields in the output: epoch seconds on the wire, `Date` in ecrkit. */
  readonly outputTimestamps?: readonly string[];
  /** Dotted paths of timestamp fields in the input. */
  readonly inputTimestamps?: readonly string[];
  /** Dotted paths of blob fields in the input: base64 on the wire, `Uint8Array` in ecrkit. */
  readonly inputBlobs?: readonly string[];
  readonly pagination?: PaginationSpec;
  /** The exception shapes the model lists for this operation. */
  readonly errors: readonly string[];
}
