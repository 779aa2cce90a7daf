import type { Api, ErrorKind } from '@ecrkit/core-types';

/**
 * One recorded call, as one JSON line holds it. Values are already redacted and JSON-safe:
 * secrets (and the credential parts of pre-signed URLs) are `'[redacted]'`, layer bytes are
 * `{ $redacted, sha256, length }` markers, manifests are kept byte-exact, `Date`s are
 * `{ $date: iso }` and bytes `{ $bytes: base64 }`.
 */
export interface RecordedCall {
  api: Api;
  operation: string;
  region: string;
  input: unknown;
  /** The response, when the call succeeded. */
  output?: unknown;
  /** The failure, when the call failed. */
  error?: RecordedError;
  /** When the call started, ISO 8601. */
  at: string;
}

/** The parts of an `EcrError` a recording keeps (its message never holds secrets). */
export interface RecordedError {
  kind: ErrorKind;
  awsCode?: string;
  statusCode?: number;
  message: string;
}

/** Where `withRecording` puts each call. Entries arrive redacted; a recorder only stores them. */
export interface Recorder {
  record(entry: RecordedCall): void | Promise<void>;
}
