import { EcrError, decodeOutput, errorFromWire, isEcrError, parseRetryAfter, type OperationSpec } from '@ecrkit/core-types';
import { decodeTimestamps } from './decodeTimestamps.js';

/** Response headers as undici hands them over: lower-case names. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What the parser needs to know about the call. */
export interface ResponseContext {
  spec: OperationSpec;
  operation: string;
  region: string;
  /** Epoch milliseconds, for `Retry-After` given as an HTTP date. */
  now: number;
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request id, under any of its three spellings. */
export function requestIdOf(headers: ResponseHeaders): string | undefined {
  return header(headers, 'x-amzn-requestid') ?? header(headers, 'x-amz-request-id') ?? header(headers, 'x-amz-id-2');
}

function isJsonContentType(contentType: string | undefined): boolean {
  // Absent is tolerated (some proxies strip it); present, it must be a JSON type.
  if (contentType === undefined || contentType === 'application/x-amz-json-1.1') return true;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/x-amz-json-1.1' || type === 'application/x-amz-json-1.0' || type === 'application/json';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown> | undefined, ...names: string[]): string | undefined {
  if (record === undefined) return undefined;
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Turn an AWS JSON 1.1 response into the operation's output, or throw the `EcrError` it means.
 * Never throws anything else: a body that is not JSON, not an object, of the wrong content type
 * or with malformed timestamps is kind `InvalidResponse`, with the status and request id.
 */
export function parseResponse(context: ResponseContext, status: number, headers: ResponseHeaders, body: string): unknown {
  const requestId = requestIdOf(headers);
  // No cause: a JSON.parse error quotes the body, and bodies can hold tokens.
  const invalid = (problem: string) =>
    new EcrError({
      kind: 'InvalidResponse',
      message: `Invalid response to ${context.operation}: ${problem}`,
      statusCode: status,
      requestId,
      operation: context.operation,
      region: context.region,
    });

  let parsed: unknown;
  let notJson = false;
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body);
    } catch {
      notJson = true;
    }
  }

  if (status >= 200 && status < 300) {
    if (body.length === 0) parsed = {};
    else if (!isJsonContentType(header(headers, 'content-type'))) throw invalid(`unexpected content type (HTTP ${status})`);
    else if (notJson) throw invalid(`the body is not valid JSON (HTTP ${status})`);
    if (!isRecord(parsed)) throw invalid(`the body is not a JSON object (HTTP ${status})`);
    if (decodeTimestamps(context.spec, parsed)) return parsed;
    // A malformed timestamp: let core-types' decoder name the field, on a fresh copy.
    try {
      decodeOutput(context.spec, JSON.parse(body), context.operation);
    } catch (err) {
      if (isEcrError(err)) throw new EcrError({ ...err.options(), category: undefined, statusCode: status, requestId, region: context.region });
    }
    throw invalid('a timestamp field is malformed');
  }

  // AWS JSON 1.1 errors: the code from x-amzn-ErrorType, else `code`, else `__type` (the AWS SDKs' order).
  const record = isRecord(parsed) ? parsed : undefined;
  const type = header(headers, 'x-amzn-errortype') ?? stringField(record, 'code', 'Code', '__type');
  // An empty error body says no more than its status (an empty 503 from a load balancer); a
  // body that is not JSON (an HTML 502 from a proxy) is not an AWS answer at all.
  if (type === undefined && record === undefined && body.length > 0) {
    throw invalid(`HTTP ${status} with a body that is not a JSON object`);
  }
  throw errorFromWire({
    type,
    message: stringField(record, 'message', 'Message'),
    statusCode: status,
    requestId,
    operation: context.operation,
    region: context.region,
    retryAfterMs: parseRetryAfter(header(headers, 'retry-after'), context.now),
  });
}
