import { EcrError, errorFromWire, isEcrError, parseRetryAfter } from '@ecrkit/core-types';

/** What is known about the call that failed. */
export interface SdkCallContext {
  operation: string;
  region: string;
  /** Whether the request's signal fired (the pipeline's deadline or the caller's abort). */
  aborted: boolean;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string> };
  $retryable?: unknown;
}

// Node's socket errors: the request never got an answer.
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const timeoutNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const timeoutCodes = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError']);

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * Map anything the SDK throws to an `EcrError`. Service exceptions (they carry `$fault`) go
 * through `errorFromWire` by name; a failure after a response arrived (a body that would not
 * deserialize, or broke off) is `InvalidResponse` with the status and request id; socket
 * failures are `Network`; a fired signal is `Aborted` (the pipeline's timeout step reports its own deadline as `Timeout`).
 * Messages are ecrkit's own wherever the SDK's could quote the response, and an error that
 * came from a response keeps no `cause`: the SDK's exception carries the body's fields and its
 * parse errors quote the body, which can hold tokens.
 */
export function fromSdkError(err: unknown, context: SdkCallContext): EcrError {
  const { operation, region } = context;
  if (isEcrError(err)) return err.withContext({ operation, region });
  if (context.aborted) return new EcrError({ kind: 'Aborted', message: 'The operation was aborted', operation, region, cause: err });

  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId ?? e.$metadata?.extendedRequestId;

  if (e.$fault === 'client' || e.$fault === 'server') {
    // The SDK names an error it could not identify `UnknownError` (or after the status code);
    // the kind then comes from the status alone, as for an empty error body.
    const known = name !== undefined && name !== 'UnknownError' && !/^\d+$/.test(name) && name !== 'Error';
    return errorFromWire({
      type: known ? name : undefined,
      message: known && typeof e.message === 'string' ? e.message : undefined,
      statusCode: status,
      requestId,
      operation,
      region,
      retryAfterMs: parseRetryAfter(header(e.$response?.headers, 'retry-after'), Date.now()),
    });
  }
  // Before the timeout names: the SDK's HTTP handler renames ECONNRESET and EPIPE to
  // `TimeoutError` so that its retry strategy treats them as transient.
  if (
    status === undefined &&
    ((code !== undefined && networkCodes.has(code)) || (typeof e.message === 'string' && /socket hang up|other side closed/i.test(e.message)))
  ) {
    return new EcrError({
      kind: 'Network',
      message: `${operation} failed: no response from the endpoint (${code ?? 'connection closed'})`,
      operation,
      region,
      cause: err,
    });
  }
  if (name !== undefined && timeoutNames.has(name)) {
    return new EcrError({ kind: 'Timeout', message: `${operation} timed out`, operation, region, cause: err });
  }
  if (code !== undefined && timeoutCodes.has(code)) {
    return new EcrError({ kind: 'Timeout', message: `${operation} timed out (${code})`, operation, region, cause: err });
  }
  if (status !== undefined) {
    return new EcrError({
      kind: 'InvalidResponse',
      message: `Invalid response to ${operation} (HTTP ${status}): the body could not be read as an AWS JSON 1.1 response`,
      statusCode: status,
      requestId,
      operation,
      region,
    });
  }
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return new EcrError({
      kind: 'InvalidParameter',
      message: `${operation} could not be sent: a request header value is not valid HTTP`,
      operation,
      region,
      cause: err,
    });
  }
  if (name === 'AbortError') return new EcrError({ kind: 'Aborted', message: 'The operation was aborted', operation, region, cause: err });
  if (name === 'CredentialsProviderError') {
    return new EcrError({ kind: 'CredentialsUnavailable', message: 'Could not resolve AWS credentials', operation, region, cause: err });
  }
  return new EcrError({ kind: 'Unknown', message: `${operation} failed (${name ?? 'unknown error'})`, operation, region, cause: err });
}
