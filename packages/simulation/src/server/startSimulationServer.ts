import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EcrError, invalidParameter, systemClock, type Api, type Clock } from '@ecrkit/core-types';
import { objectArgument } from '../internal/arguments.js';
import { awsJsonRoute } from './awsJsonRoute.js';
import { blobRoute } from './blobRoute.js';
import { distributionRoute } from './distribution/distributionRoute.js';
import { BodyBudget, readBody, type BodyLimits } from './BodyBudget.js';
import { motoResetRoute } from './motoResetRoute.js';
import { maxPresignedTtlSeconds } from './presignedUrl.js';
import { fail, refuseUnread, sendError } from './responses.js';
import type { ServedRegistry, ServerContext } from './serverContext.js';
import type { RouteExchange, ServerRoute } from './ServerRoute.js';
import { SigningKeyCache, type SigV4Credential } from './verifySigV4.js';

export type { ServedRegistry } from './serverContext.js';

/** Options of {@link startSimulationServer}. */
export interface SimulationServerOptions {
  /** The registry every request acts on. */
  registry: ServedRegistry;
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /**
   * The server's external origin (`http(s)://host[:port]`, no path), the one base of every URL
   * it hands out (blob download URLs, and those of faces mounted later). Default
   * `http://<host>:<port>` as bound. Never taken from a request's `Host` header.
   */
  publicUrl?: string;
  /**
   * Require valid SigV4 signatures from one of `credentials` on every route that changes or
   * reveals state (the API, `/moto-api/reset`, blob downloads, which also accept their presigned
   * URLs); default `false`.
   */
  verifySignatures?: boolean;
  /** Known key pairs: the account of each request comes from its access key. */
  credentials?: readonly SigV4Credential[];
  /** Largest request body accepted; default 32 MiB (a 20 MiB layer part, base64, in JSON). */
  maxBodyBytes?: number;
  /**
   * Bytes of request bodies held at once across all connections; default 256 MiB, at least
   * `maxBodyBytes`. A body that would cross it is refused with 503 `ServiceUnavailableException`
   * and `Retry-After` before it is read.
   */
  maxBodyBytesInFlight?: number;
  /** Lifetime of presigned blob download URLs, in seconds; default 3600 (at most 7 days). */
  downloadUrlTtlSeconds?: number;
  /** Time a client has to send its request headers; default 20 s (then 408 and close). */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request, body included; default 60 s (then 408 and close). */
  requestTimeoutMs?: number;
  /** The region of unsigned requests; default the registry's default region, else `us-east-1`. */
  defaultRegion?: string;
  /** Called after each successful mutating call and after a reset (the bin saves state on it). */
  onMutation?: (event: { api: Api | 'moto-api'; operation: string }) => void;
  /**
   * How the registry's `/v2/` face authenticates: `token` (default), ECR's Basic `AWS:<token>`
   * from GetAuthorizationToken; `anonymous` also serves requests without usable credentials.
   */
  registryAuth?: 'token' | 'anonymous';
  /**
   * More faces, tried after the built-in routes (`POST /`, `/blobs/`, `/moto-api/reset`) in
   * order; the first whose `matches(path)` is true answers.
   */
  routes?: readonly ServerRoute[];
}

/** A running simulation server. */
export interface SimulationServer {
  /** `http://host:port` as bound, ready for an SDK's `endpoint` on this machine. */
  readonly url: string;
  /** The external origin used in every URL the server hands out (`publicUrl`, default `url`). */
  readonly publicUrl: string;
  readonly port: number;
  readonly host: string;
  /** Stop accepting, drop open connections, resolve once closed. */
  close(): Promise<void>;
}

const mib = 1024 * 1024;
const defaults = {
  maxBodyBytes: 32 * mib,
  maxBodyBytesInFlight: 256 * mib,
  downloadUrlTtlSeconds: 3600,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
};

/**
 * Start an HTTP server speaking AWS JSON 1.1 for private ECR
 * (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>`) and ECR Public
 * (`SpencerFrontendService.<Op>`) on top of one registry, so any AWS SDK or CLI can point its
 * endpoint at it. Also serves `GET /blobs/...` (GetDownloadUrlForLayer's presigned URLs),
 * `POST /moto-api/reset` and, for a registry with a blob store and token lookup
 * (`SimulatedRegistry`), the registry's OCI Distribution API under `/v2/`. Rejects with an `EcrError` (kind `InvalidParameter`, `field` set) for
 * a bad option, or with the listen error (e.g. `EADDRINUSE`).
 *
 * @example
 * const server = await startSimulationServer({ registry: new SimulatedRegistry() });
 * const ecr = new ECRClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } });
 * await server.close();
 */
export async function startSimulationServer(options: SimulationServerOptions): Promise<SimulationServer> {
  options = objectArgument<SimulationServerOptions>(
    options,
    [
      'registry',
      'port',
      'host',
      'publicUrl',
      'verifySignatures',
      'credentials',
      'maxBodyBytes',
      'maxBodyBytesInFlight',
      'downloadUrlTtlSeconds',
      'headersTimeoutMs',
      'requestTimeoutMs',
      'defaultRegion',
      'onMutation',
      'registryAuth',
      'routes',
    ],
    'options',
  );
  const served = options.registry as Partial<ServedRegistry> | undefined;
  if (typeof served !== 'object' || served === null || typeof served.execute !== 'function' || typeof served.readBlob !== 'function') {
    throw invalidParameter('registry', 'must be a SimulatedRegistry (or an object with execute, readBlob and reset)');
  }
  const settings = checkedSettings(options);
  const registry = options.registry;
  const credentials = new Map((options.credentials ?? []).map((c) => [c.accessKeyId, c]));
  const context: ServerContext = {
    registry,
    clock: registry.clock ?? systemClock,
    verify: options.verifySignatures ?? false,
    credentials,
    credentialFor: (accessKeyId) => credentials.get(accessKeyId),
    keyCache: new SigningKeyCache(),
    defaultRegion: options.defaultRegion ?? registry.region ?? 'us-east-1',
    onMutation: options.onMutation,
    urlSigner: { accessKeyId: 'ECRKITSIMULATION', secretAccessKey: randomBytes(32).toString('base64') },
    downloadUrlTtlSeconds: settings.downloadUrlTtlSeconds,
    publicUrl: settings.publicUrl ?? '',
  };
  const registryFace = distributionRoute(context, { anonymous: options.registryAuth === 'anonymous' });
  const routes = [awsJsonRoute(context), blobRoute(context), motoResetRoute(context), ...(registryFace ? [registryFace] : []), ...(options.routes ?? [])];
  const limits: BodyLimits = { maxBodyBytes: settings.maxBodyBytes, budget: new BodyBudget(settings.maxBodyBytesInFlight) };

  const server = createServer(
    {
      keepAlive: true,
      noDelay: true,
      // How often node looks for connections past their header or request timeout.
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, settings.headersTimeoutMs / 4)),
    },
    (req, res) => dispatch(context, routes, limits, req, res),
  );
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.requestTimeoutMs;
  server.on('clientError', onClientError);
  server.on('connect', onConnect);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A server error after listening (rare: e.g. EMFILE) must not crash the test process.
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  context.publicUrl = settings.publicUrl ?? url;
  let closing: Promise<void> | undefined;
  return {
    url,
    publicUrl: context.publicUrl,
    port,
    host,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function checkedSettings(options: SimulationServerOptions) {
  const count = (field: keyof typeof defaults, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = options[field] ?? defaults[field];
    if (!Number.isSafeInteger(value) || value < min || value > max) throw invalidOption(field, `must be a whole number from ${min} to ${max}`);
    return value;
  };
  const maxBodyBytes = count('maxBodyBytes', 1);
  const maxBodyBytesInFlight = count('maxBodyBytesInFlight', maxBodyBytes);
  const downloadUrlTtlSeconds = count('downloadUrlTtlSeconds', 1, maxPresignedTtlSeconds);
  const requestTimeoutMs = count('requestTimeoutMs', 1);
  // node requires the header timeout not to exceed the request timeout.
  const headersTimeoutMs = Math.min(count('headersTimeoutMs', 1), requestTimeoutMs);
  return {
    maxBodyBytes,
    maxBodyBytesInFlight,
    downloadUrlTtlSeconds,
    requestTimeoutMs,
    headersTimeoutMs,
    publicUrl: options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl),
  };
}

/**
 * What is wrong with `text` as a public URL (an `http(s)://host[:port]` origin, optionally with a
 * trailing `/`), or `undefined` when it is one.
 */
export function publicUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `must be an absolute http(s) URL such as 'http://sim.example:4510', got '${text.slice(0, 200)}'`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must use http or https, got '${url.protocol}'`;
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || /[?#]$/.test(text)) {
    return `must be an origin only (scheme, host and port; no credentials, path, query or fragment), got '${text.slice(0, 200)}'`;
  }
  return undefined;
}

function parsePublicUrl(text: string): string {
  const problem = publicUrlProblem(text);
  if (problem) throw invalidOption('publicUrl', problem);
  return new URL(text).origin;
}

function invalidOption(field: string, rule: string): EcrError {
  return new EcrError({ kind: 'InvalidParameter', field, message: `Invalid simulation server option '${field}': ${rule}.` });
}

class Exchange implements RouteExchange {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    readonly url: string,
    readonly path: string,
    readonly requestId: string,
    readonly publicUrl: string,
    readonly clock: Clock,
    private readonly limits: BodyLimits,
  ) {}

  // A bound property, so a route may destructure it from the exchange.
  readonly readBody = (options?: { maxBytes?: number; refuse?: (err: EcrError) => void }): Promise<Buffer | undefined> => {
    const limits = options?.maxBytes === undefined ? this.limits : { ...this.limits, maxBodyBytes: options.maxBytes };
    return readBody(this.req, this.res, limits, options?.refuse ?? ((err) => refuseUnread(this.res, err, this.requestId)));
  };
}

function dispatch(context: ServerContext, routes: readonly ServerRoute[], limits: BodyLimits, req: IncomingMessage, res: ServerResponse): void {
  const requestId = randomUUID();
  try {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    let route: ServerRoute | undefined;
    for (const candidate of routes) {
      if (candidate.matches(path)) {
        route = candidate;
        break;
      }
    }
    // Nobody reads the body of a 404 or 405: node discards it once the answer is out.
    if (!route) {
      sendError(res, 404, 'UnknownOperationException', `No route for ${method.slice(0, 16)} ${path.slice(0, 256)}`, requestId);
      return;
    }
    if (!route.methods.includes(method)) {
      sendError(res, 405, 'MethodNotAllowedException', `Method ${method.slice(0, 16)} is not allowed on ${path.slice(0, 256)}`, requestId, {
        allow: route.methods.join(', '),
      });
      return;
    }
    const answered = route.handle(new Exchange(req, res, method, url, path, requestId, context.publicUrl, context.clock, limits));
    answered?.catch(() => fail(res, requestId));
  } catch {
    fail(res, requestId);
  }
}

/**
 * A raw HTTP/1.1 answer for sockets no `ServerResponse` owns (parser errors, timeouts, CONNECT).
 * The socket is destroyed shortly after, even if the client never closes its side: that frees
 * the descriptor and whatever body budget a timed-out request held.
 */
function rawAnswer(socket: Socket, status: number, awsCode: string, extraHeaders = ''): void {
  const body = JSON.stringify({ __type: awsCode, message: STATUS_CODES[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}Connection: close\r\n\r\n${body}`,
  );
  const linger = setTimeout(() => socket.destroy(), rawAnswerLingerMs);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}

/** Time for a raw answer to reach the client before its socket is destroyed. */
const rawAnswerLingerMs = 500;

// Malformed HTTP never reaches a handler: answer like a load balancer would and close.
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  rawAnswer(socket, status, status === 408 ? 'RequestTimeoutException' : 'BadRequestException');
}

// node hands CONNECT to this event and, without a listener, closes the socket unanswered.
function onConnect(_req: IncomingMessage, socket: Socket): void {
  socket.on('error', () => socket.destroy());
  rawAnswer(socket, 405, 'MethodNotAllowedException', 'Allow: GET, HEAD, POST\r\n');
}
