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
  maxResponseBytes: number;
  signal: AbortSignal | undefined;
}

// undici's errors carry a code; these mean the connection failed or was cut, not the deadline.
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// The response headers the transport reads (parseResponse and the size check). Decoding a
// header costs a call into C++ for its name and another for its value, so the others are
// skipped on their length and first letter without being decoded.
const readHeaders = new Set(['content-type', 'content-length', 'x-amzn-requestid', 'x-amz-request-id', 'x-amz-id-2', 'x-amzn-errortype', 'retry-after']);
const readHeaderKeys = new Set([...readHeaders].map((name) => name.length * 128 + name.charCodeAt(0)));
const lowerA = 0x20;

function mayBeRead(name: Buffer | string): boolean {
  const first = typeof name === 'string' ? name.charCodeAt(0) : name[0]!;
  return readHeaderKeys.has(name.length * 128 + (first | lowerA));
}

/** The headers the transport reads, names lower-case; a repeated header becomes a list, as undici's own parser does. */
function headersFrom(raw: readonly (Buffer | string | string[])[]): ResponseHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const rawName = raw[i]!;
    if (Array.isArray(rawName) || !mayBeRead(rawName)) continue;
    const name = rawName.toString().toLowerCase();
    if (!readHeaders.has(name)) continue;
    const rawValue = raw[i + 1]!;
    const value = typeof rawValue === 'string' ? rawValue : Array.isArray(rawValue) ? rawValue.join(', ') : rawValue.toString('latin1');
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else if (typeof seen === 'string') headers[name] = [seen, value];
    else seen.push(value);
  }
  return headers;
}

/**
 * One exchange's state and its undici handler in one object: a request allocates this, its
 * promise and nothing else. It implements undici's original handler methods (`onConnect`,
 * `onHeaders`, ...), which undici's own `request()` uses; the newer controller-based ones would
 * make undici wrap every request in an adapter and parse the trailers.
 */
class PostExchange {
  readonly #request: PostRequest;
  readonly #resolve: (response: HttpResponse) => void;
  readonly #reject: (err: EcrError) => void;
  #settled = false;
  #abort: ((err: Error) => void) | undefined;
  #pendingAbort: Error | undefined;
  #status = 0;
  #headers: ResponseHeaders = {};
  #chunks: Buffer[] = [];
  #received = 0;
  #onAbort: (() => void) | undefined;

  constructor(request: PostRequest, resolve: (response: HttpResponse) => void, reject: (err: EcrError) => void) {
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(dispatcher: Dispatcher): void {
    const request = this.#request;
    const { signal, operation, region } = request;
    if (signal !== undefined) {
      // Attaching a listener to a signal that already fired would wait for nothing.
      const onAbort = () => this.#fail(abortError(signal, operation).withContext({ region }));
      if (signal.aborted) {
        onAbort();
        return;
      }
      this.#onAbort = onAbort;
      signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      dispatcher.dispatch(
        { origin: request.origin, method: 'POST', path: request.path, headers: request.headers, body: request.body },
        this as Dispatcher.DispatchHandler,
      );
    } catch (err) {
      this.#fail(this.#failure(err));
    }
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#pendingAbort !== undefined) abort(this.#pendingAbort);
  }

  onHeaders(statusCode: number, rawHeaders: (Buffer | string | string[])[]): boolean {
    this.#status = statusCode;
    const headers = headersFrom(rawHeaders);
    this.#headers = headers;
    const length = Number(headers['content-length']);
    if (length > this.#request.maxResponseBytes) this.#fail(this.#tooLarge());
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#settled) return true;
    this.#received += chunk.length;
    if (this.#received > this.#request.maxResponseBytes) {
      this.#chunks = [];
      this.#fail(this.#tooLarge());
      return true;
    }
    this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#finish();
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, this.#received).toString('utf8');
    this.#resolve({ status: this.#status, headers: this.#headers, body });
  }

  onError(err: Error): void {
    if (!this.#settled) this.#fail(this.#failure(err));
  }

  #finish(): void {
    this.#settled = true;
    if (this.#onAbort !== undefined) this.#request.signal?.removeEventListener('abort', this.#onAbort);
  }

  #fail(err: EcrError): void {
    if (this.#settled) return;
    this.#finish();
    this.#reject(err);
    // Stop the exchange; a request still queued in the pool is stopped when it starts.
    if (this.#abort !== undefined) this.#abort(err);
    else this.#pendingAbort = err;
  }

  #tooLarge(): EcrError {
    const { operation, region, maxResponseBytes } = this.#request;
    return new EcrError({
      kind: 'InvalidResponse',
      message: `Response to ${operation} exceeds ${maxResponseBytes} bytes`,
      statusCode: this.#status,
      requestId: requestIdOf(this.#headers),
      operation,
      region,
    });
  }

  // After the status line, a failure means the body broke off; before it, either the request
  // was unsendable (a header value undici refuses), the deadline of a connect or header read
  // passed, or the connection failed.
  #failure(err: unknown): EcrError {
    const { operation, region } = this.#request;
    const code = codeOf(err);
    const status = this.#status;
    if (status !== 0) {
      return new EcrError({
        kind: 'InvalidResponse',
        message: `Response to ${operation} broke off after ${this.#received} bytes${code ? ` (${code})` : ''}`,
        statusCode: status,
        requestId: requestIdOf(this.#headers),
        operation,
        region,
        cause: err,
      });
    }
    if (code === 'UND_ERR_INVALID_ARG') {
      return new EcrError({
        kind: 'InvalidParameter',
        message: `${operation} could not be sent: a request header value is not valid HTTP`,
        operation,
        region,
        cause: err,
      });
    }
    if (code !== undefined && timeoutCodes.has(code))
      return new EcrError({ kind: 'Timeout', message: `${operation} timed out (${code})`, operation, region, cause: err });
    return new EcrError({
      kind: 'Network',
      message: `${operation} failed: no response from the endpoint (${code ?? 'connection error'})`,
      operation,
      region,
      cause: err,
    });
  }
}

/**
 * POST through undici's `dispatch` with a minimal handler: no stream, no body mixin, one
 * buffer per response, no timer of its own (the pipeline's timeout step aborts the signal).
 * Settles exactly once, with the response or an `EcrError`:
 * `Aborted` (the request's signal), `Timeout` (a connect or header deadline of undici's own), `Network` (no response),
 * `InvalidResponse` (the response broke off or exceeded `maxResponseBytes`).
 */
export function dispatchPost(dispatcher: Dispatcher, request: PostRequest): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => new PostExchange(request, resolve, reject).start(dispatcher));
}
