import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, EcrError } from '@ecrkit/core-types';

/**
 * One face mounted on the simulation server: it owns the paths it `matches`, names the methods
 * it serves there (others get 405 with `Allow`) and answers. The server gives it the public URL,
 * the clock and a body reader that enforces the body limits; the route does its own
 * authentication (the AWS JSON face: SigV4; an OCI face: the registry's Basic tokens) and must
 * refuse an unauthenticated request before calling `readBody`.
 */
export interface ServerRoute {
  /** Whether this route owns `path` (the raw path, without the query). */
  matches(path: string): boolean;
  /** Methods served on its paths, e.g. `['GET', 'HEAD']`. */
  readonly methods: readonly string[];
  /** Answer one request; a throw or rejection becomes `500 ServerException`. */
  handle(exchange: RouteExchange): void | Promise<void>;
}

/** One request as a {@link ServerRoute} sees it. */
export interface RouteExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The request target as received: raw path plus optional `?query`. */
  readonly url: string;
  /** The raw path, before `?`. */
  readonly path: string;
  /** A UUID for `x-amzn-RequestId` (or the face's own request id header). */
  readonly requestId: string;
  /** The server's external origin (`publicUrl`, no trailing slash): the one base of URLs handed to clients. */
  readonly publicUrl: string;
  /** The registry's clock: signature dates and URL expiry are judged on it. */
  readonly clock: Clock;
  /**
   * The body, read under the per-request cap (`maxBodyBytes`, or `maxBytes` for a face that
   * takes larger bodies such as blob uploads) and the global budget of bodies in flight.
   * `undefined` when it was refused (413, or 503 with `Retry-After`, is already sent) or the
   * client went away: the route then just returns. `refuse` answers a refusal in the route's
   * own error format (default: AWS JSON, via `refuseUnread`).
   */
  readBody(options?: { maxBytes?: number; refuse?: (err: EcrError) => void }): Promise<Buffer | undefined>;
}
