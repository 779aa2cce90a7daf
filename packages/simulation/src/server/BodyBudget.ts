import type { IncomingMessage, ServerResponse } from 'node:http';
import { EcrError } from '@ecrkit/core-types';

/**
 * The bytes of request bodies the server holds at once, across all connections. A body is
 * counted from the moment it is admitted (its whole `Content-Length`, or each chunk of a chunked
 * body as it arrives) until its answer is sent or its connection closes.
 */
export class BodyBudget {
  readonly limit: number;
  #inUse = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes currently admitted. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Count `bytes` if they fit; false (and nothing counted) if they do not. */
  tryReserve(bytes: number): boolean {
    if (this.#inUse + bytes > this.limit) return false;
    this.#inUse += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#inUse -= bytes;
  }
}

/** The two limits a body is read under. */
export interface BodyLimits {
  /** Largest single body. */
  maxBodyBytes: number;
  /** Shared by every body in flight. */
  budget: BodyBudget;
}

/** How long a client refused for lack of budget should wait: bodies in flight finish or time out within seconds. */
const retryAfterMs = 1000;
const empty = Buffer.alloc(0);

/**
 * Read a request body under the per-request cap and the global budget. A body over either is
 * refused before its bytes are taken in: 413 `RequestEntityTooLargeException` (the connection
 * then closes) or 503 `ServiceUnavailableException` with `Retry-After`, answered by `refuse`
 * (in the route's own error format). Resolves with the body, or `undefined` when it was refused
 * (the answer is already sent) or the client went away.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limits: BodyLimits, refuse: (err: EcrError) => void): Promise<Buffer | undefined> {
  const lengthHeader = req.headers['content-length'];
  if (lengthHeader !== undefined) {
    // node's parser has already refused a Content-Length that is not a number.
    const declared = Number(lengthHeader);
    if (declared === 0) return Promise.resolve(empty);
    if (declared > limits.maxBodyBytes) {
      // Too large to be worth discarding: answer and close.
      res.shouldKeepAlive = false;
      return refused(refuse, tooLarge(limits.maxBodyBytes));
    }
    if (!limits.budget.tryReserve(declared)) return refused(refuse, overBudget(limits.budget));
    holdUntilAnswered(res, limits.budget, () => declared);
    return readDeclared(req, declared);
  }
  if (req.headers['transfer-encoding'] === undefined) return Promise.resolve(empty);
  return readChunked(req, res, limits, refuse);
}

function refused(refuse: (err: EcrError) => void, err: EcrError): Promise<undefined> {
  refuse(err);
  return Promise.resolve(undefined);
}

function tooLarge(maxBodyBytes: number): EcrError {
  return new EcrError({
    kind: 'InvalidParameter',
    awsCode: 'RequestEntityTooLargeException',
    statusCode: 413,
    message: `Request body exceeds the limit of ${maxBodyBytes} bytes`,
  });
}

function overBudget(budget: BodyBudget): EcrError {
  return new EcrError({
    kind: 'ServiceUnavailable',
    awsCode: 'ServiceUnavailableException',
    statusCode: 503,
    message: `The server is holding ${budget.limit} bytes of request bodies, its limit; retry shortly`,
    retryAfterMs,
  });
}

// The body stays in memory while its request is handled, so it is counted until the answer is out.
function holdUntilAnswered(res: ServerResponse, budget: BodyBudget, held: () => number): void {
  res.once('close', () => budget.release(held()));
}

function readDeclared(req: IncomingMessage, declared: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let body: Buffer | undefined;
    let filled = 0;
    req.on('data', (chunk: Buffer) => {
      // One chunk holding the whole body (the usual small request) is used as it is.
      if (filled === 0 && chunk.length === declared) {
        body = chunk;
        filled = declared;
        return;
      }
      // Filled in place: no list of chunks to concatenate (which would double the peak).
      body ??= Buffer.allocUnsafe(declared);
      chunk.copy(body, filled);
      filled += chunk.length;
    });
    req.on('end', () => resolve(body === undefined ? empty : filled === body.length ? body : body.subarray(0, filled)));
    req.on('close', () => {
      if (!req.complete) resolve(undefined);
    });
    // An aborted upload has nobody to answer; the socket is already gone.
    req.on('error', () => resolve(undefined));
  });
}

function readChunked(req: IncomingMessage, res: ServerResponse, limits: BodyLimits, refuse: (err: EcrError) => void): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refusedWith: EcrError | undefined;
    holdUntilAnswered(res, limits.budget, () => size);
    req.on('data', (chunk: Buffer) => {
      if (refusedWith) return;
      if (size + chunk.length > limits.maxBodyBytes) refusedWith = tooLarge(limits.maxBodyBytes);
      else if (!limits.budget.tryReserve(chunk.length)) refusedWith = overBudget(limits.budget);
      if (refusedWith) {
        // The rest of the body is discarded as it arrives (until it ends or the request times out).
        limits.budget.release(size);
        size = 0;
        chunks.length = 0;
        refuse(refusedWith);
        resolve(undefined);
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refusedWith) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('close', () => {
      if (!req.complete) resolve(undefined);
    });
    req.on('error', () => resolve(undefined));
  });
}
