import { EcrError, abortError } from '@ecrkit/core-types';
import type { Dispatcher } from 'undici';
import { requestIdOf, type ResponseHeaders } from './parseResponse.js';

/** A complete HTTP response: status, lower-case headers and the body as text. */
export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

/** One POST, as dispatched. */
export interface PostRequest {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  operation: string;
  region: string;
  timeoutMs: number;
  maxResponseBytes: number;
  signal: AbortSignal | undefined;
}

// undici's errors carry a code; these mean the connection failed or was cut, not the deadline.
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * POST through undici's `dispatch` with a minimal handler: no stream, no body mixin, one
 * buffer per response. Settles exactly once, with the response or an `EcrError`:
 * `Aborted` (the caller's signal), `Timeout` (our deadline), `Network` (no response),
 * `InvalidResponse` (the response broke off or exceeded `maxResponseBytes`).
 */
export function dispatchPost(dispatcher: Dispatcher, request: PostRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const { signal, operation, region } = request;
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let pendingAbort: Error | undefined;
    let status = 0;
    let headers: ResponseHeaders = {};
    let chunks: Buffer[] = [];
    let received = 0;

    const finish = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: EcrError) => {
      if (settled) return;
      finish();
      reject(err);
      // Stop the exchange; a request still queued in the pool is stopped when it starts.
      if (controller !== undefined && !controller.aborted) controller.abort(err);
      else pendingAbort = err;
    };
    const tooLarge = () =>
      new EcrError({
        kind: 'InvalidResponse',
        message: `Response to ${operation} exceeds ${request.maxResponseBytes} bytes`,
        statusCode: status,
        requestId: requestIdOf(headers),
        operation,
        region,
      });

    const onAbort = () => fail(abortError(signal, operation).withContext({ region }));
    const timer =
      request.timeoutMs > 0 && Number.isFinite(request.timeoutMs)
        ? setTimeout(
            () => fail(new EcrError({ kind: 'Timeout', message: `${operation} did not complete within ${request.timeoutMs} ms`, operation, region })),
            request.timeoutMs,
          )
        : undefined;
    if (signal !== undefined) {
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    }

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (pendingAbort !== undefined) c.abort(pendingAbort);
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders as ResponseHeaders;
        const length = Number(responseHeaders['content-length']);
        if (length > request.maxResponseBytes) fail(tooLarge());
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        received += chunk.length;
        if (received > request.maxResponseBytes) {
          chunks = [];
          fail(tooLarge());
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        finish();
        const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, received).toString('utf8');
        resolve({ status, headers, body });
      },
      onResponseError(_c, err) {
        if (!settled) fail(failure(err));
      },
    };

    // After the status line, a failure means the body broke off; before it, either the request
    // was unsendable (a header value undici refuses), the deadline of a connect or header read
    // passed, or the connection failed.
    function failure(err: unknown): EcrError {
      const code = codeOf(err);
      if (status !== 0) {
        return new EcrError({
          kind: 'InvalidResponse',
          message: `Response to ${operation} broke off after ${received} bytes${code ? ` (${code})` : ''}`,
          statusCode: status,
          requestId: requestIdOf(headers),
          operation,
          region,
          cause: err,
        });
      }
      if (code === 'UND_ERR_INVALID_ARG') {
        return new EcrError({ kind: 'InvalidParameter', message: `${operation} could not be sent: a request header value is not valid HTTP`, operation, region, cause: err });
      }
      if (code !== undefined && timeoutCodes.has(code)) return new EcrError({ kind: 'Timeout', message: `${operation} timed out (${code})`, operation, region, cause: err });
      return new EcrError({ kind: 'Network', message: `${operation} failed: no response from the endpoint (${code ?? 'connection error'})`, operation, region, cause: err });
    }

    try {
      dispatcher.dispatch({ origin: request.origin, method: 'POST', path: request.path, headers: request.headers, body: request.body }, handler);
    } catch (err) {
      fail(failure(err));
    }
  });
}
