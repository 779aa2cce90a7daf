import type { ServerResponse } from 'node:http';
import { type EcrError, wireCodeForKind } from '@ecrkit/core-types';

// Every answer the server writes goes through these: AWS JSON 1.1 framing, a request id on
// every response, and nothing written twice.

/** The AWS JSON 1.1 content type. */
export const jsonType = 'application/x-amz-json-1.1';

/** Answer with `body` and the request id. */
export function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

/** Extra headers of an error answer. */
export interface ErrorExtras {
  /** Sent as `Retry-After`, rounded up to whole seconds. */
  retryAfterMs?: number;
  /** Sent as `Allow` (a 405). */
  allow?: string;
}

// Real ECR sends the plain code (`RepositoryNotFoundException`) in `__type` and no
// x-amzn-ErrorType header for JSON 1.1; SDKs accept that and the namespaced form alike.
/** Answer with an AWS-shaped JSON error `{"__type": code, "message": ...}`; does nothing once headers are out. */
export function sendError(res: ServerResponse, status: number, awsCode: string, message: string, requestId: string, extras: ErrorExtras = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ __type: awsCode, message });
  res.writeHead(status, {
    'Content-Type': jsonType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...(extras.retryAfterMs !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(extras.retryAfterMs / 1000))) } : {}),
    ...(extras.allow !== undefined ? { Allow: extras.allow } : {}),
  });
  res.end(body);
}

/** Answer with an `EcrError`'s wire code, status and message. */
export function sendEcrError(res: ServerResponse, err: EcrError, requestId: string): void {
  const awsCode = err.awsCode ?? wireCodeForKind(err.kind);
  const status = err.statusCode ?? (awsCode === 'ServerException' ? 500 : 400);
  sendError(res, status, awsCode, err.message, requestId, { retryAfterMs: err.retryAfterMs });
}

/**
 * Answer without taking the request's body in. node discards what the client still sends (no
 * memory is held) and the connection stays usable; closing at once instead would make the
 * kernel reset it over the unread bytes, and the client would often lose the answer.
 */
export function refuseUnread(res: ServerResponse, err: EcrError, requestId: string): void {
  sendEcrError(res, err, requestId);
}

/** A bug in a handler: 500 if nothing was sent yet, else drop the connection. */
export function fail(res: ServerResponse, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, 500, 'ServerException', 'An internal error occurred in the simulated registry', requestId);
}
