import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type EcrError,
  decodeInput,
  encodeOutput,
  invalidParameter,
  isEcrError,
  operationFromTarget,
  operationSpec,
  signingNames,
  systemClock,
  wireCodeForKind,
  type Api,
  type Clock,
} from '@ecrkit/core-types';
import { SimulatedFault, type FaultKind, type RegistryCall } from '../RegistryCall.js';
import type { BlobLocation } from '../SimulatedRegistry.js';
import type { BlobStore } from '../blobs/BlobStore.js';
import { createDistributionFace, type DistributionFace } from './distribution/createDistributionFace.js';
import { SigningKeyCache, missingAuthentication, regionFromAuthorization, verifySigV4, type SigV4Credential } from './verifySigV4.js';

/**
 * What the server needs of a registry. `SimulatedRegistry` has all of it; the optional members
 * are read when present (its clock for SigV4 date checks, its default region and account).
 */
export interface ServedRegistry {
  execute(call: RegistryCall): Promise<unknown>;
  readBlob(location: BlobLocation): Uint8Array | undefined;
  reset(): void;
  readonly clock?: Clock;
  readonly region?: string;
  readonly accountId?: string;
  /** With these two, the server also serves the registry's OCI Distribution API under `/v2/`. */
  readonly blobStore?: BlobStore;
  authorizationTokenBinding?(token: string): { accountId: string; region: string; expiresAt: Date } | undefined;
}

/** Options of {@link startSimulationServer}. */
export interface SimulationServerOptions {
  /** The registry every request acts on. */
  registry: ServedRegistry;
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Require valid SigV4 signatures from one of `credentials`; default `false`. */
  verifySignatures?: boolean;
  /** Known key pairs: the account of each request comes from its access key. */
  credentials?: readonly SigV4Credential[];
  /** Largest request body accepted; default 32 MiB (a 20 MiB layer part, base64, in JSON). */
  maxBodyBytes?: number;
  /** The region of unsigned requests; default the registry's default region, else `us-east-1`. */
  defaultRegion?: string;
  /** Called after each successful mutating call and after a reset (the bin saves state on it). */
  onMutation?: (event: { api: Api | 'moto-api'; operation: string }) => void;
  /**
   * The address clients reach this server at (`https://ecr.test:8443` behind a proxy, or a
   * container's published port). Repository URIs, `proxyEndpoint`s and the registry's
   * `WWW-Authenticate` realm use it; default: `http://` and the request's `Host` header.
   */
  publicUrl?: string;
  /**
   * How the registry's `/v2/` face authenticates: `token` (default), ECR's Basic `AWS:<token>`
   * from GetAuthorizationToken; `anonymous` also serves requests without usable credentials.
   */
  registryAuth?: 'token' | 'anonymous';
}

/** A running simulation server. */
export interface SimulationServer {
  /** `http://host:port`, ready for an SDK's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Stop accepting, drop open connections, resolve once closed. */
  close(): Promise<void>;
}

const jsonType = 'application/x-amz-json-1.1';
const defaultMaxBodyBytes = 32 * 1024 * 1024;

interface Context {
  registry: ServedRegistry;
  clock: Clock;
  verify: boolean;
  credentials: Map<string, SigV4Credential>;
  /** Built once: the verifier's lookup into `credentials`. */
  credentialFor: (accessKeyId: string) => SigV4Credential | undefined;
  keyCache: SigningKeyCache;
  maxBodyBytes: number;
  defaultRegion: string;
  onMutation: SimulationServerOptions['onMutation'];
  publicUrl: string | undefined;
}

/**
 * Start an HTTP server speaking AWS JSON 1.1 for private ECR
 * (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>`) and ECR Public
 * (`SpencerFrontendService.<Op>`) on top of one registry, so any AWS SDK or CLI can point its
 * endpoint at it. Also serves `GET /blobs/...` (GetDownloadUrlForLayer URLs) and
 * `POST /moto-api/reset`. Rejects with the listen error (e.g. `EADDRINUSE`).
 *
 * @example
 * const server = await startSimulationServer({ registry: new SimulatedRegistry() });
 * const ecr = new ECRClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } });
 * await server.close();
 */
export async function startSimulationServer(options: SimulationServerOptions): Promise<SimulationServer> {
  const registry = options.registry;
  const credentials = new Map((options.credentials ?? []).map((c) => [c.accessKeyId, c]));
  const context: Context = {
    registry,
    clock: registry.clock ?? systemClock,
    verify: options.verifySignatures ?? false,
    credentials,
    credentialFor: (accessKeyId) => credentials.get(accessKeyId),
    keyCache: new SigningKeyCache(),
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
    defaultRegion: options.defaultRegion ?? registry.region ?? 'us-east-1',
    onMutation: options.onMutation,
    publicUrl: options.publicUrl === undefined ? undefined : checkPublicUrl(options.publicUrl),
  };
  const distribution = distributionFace(context, options);
  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    try {
      // The registry face streams its own bodies (blobs may be gigabytes); everything else is buffered JSON.
      if (distribution?.handles(pathOf(req.url))) return distribution.handle(req, res);
      receive(context, req, res);
    } catch {
      fail(res);
    }
  });
  server.requestTimeout = 60_000;
  server.on('clientError', onClientError);

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
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
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

function distributionFace(context: Context, options: SimulationServerOptions): DistributionFace | undefined {
  const { registry } = context;
  const blobStore = registry.blobStore;
  const lookup = registry.authorizationTokenBinding?.bind(registry);
  if (!blobStore || !lookup) return undefined;
  return createDistributionFace({
    registry: { execute: (call) => registry.execute(call), blobStore, authorizationTokenBinding: lookup },
    clock: context.clock,
    publicUrl: context.publicUrl,
    anonymous: options.registryAuth === 'anonymous',
    defaults: { accountId: registry.accountId ?? '123456789012', region: context.defaultRegion },
    onMutation: (operation) => context.onMutation?.({ api: 'ecr', operation }),
  });
}

/** The `Host` header when it is a plausible `host[:port]` (it ends up in repository URIs), else `localhost`. */
function hostHeader(host: string | undefined): string {
  return host !== undefined && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host) ? host : 'localhost';
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}

function checkPublicUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.replace(/\/+$/, '') !== '' || url.search || url.username) {
    throw invalidParameter('publicUrl', 'must be an http:// or https:// URL with a host and optional port, and no path, query or credentials');
  }
  return `${url.protocol}//${url.host}`;
}

// Malformed HTTP never reaches a handler: answer like a load balancer would and close.
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ message: STATUS_CODES[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function receive(context: Context, req: IncomingMessage, res: ServerResponse): void {
  const declared = Number(req.headers['content-length']);
  if (declared > context.maxBodyBytes) {
    tooLarge(context, res);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let rejected = false;
  req.on('data', (chunk: Buffer) => {
    if (rejected) return;
    size += chunk.length;
    if (size > context.maxBodyBytes) {
      rejected = true;
      chunks.length = 0;
      tooLarge(context, res);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (rejected) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    route(context, req, res, body).catch(() => fail(res));
  });
  // An aborted upload has nobody to answer; the socket is already gone.
  req.on('error', () => undefined);
}

function tooLarge(context: Context, res: ServerResponse): void {
  res.shouldKeepAlive = false;
  sendError(res, 413, 'RequestEntityTooLargeException', `Request body exceeds the limit of ${context.maxBodyBytes} bytes`, randomUUID());
}

async function route(context: Context, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const method = req.method;
  if (method === 'POST' && path === '/') return api(context, req, res, body, url);
  if ((method === 'GET' || method === 'HEAD') && path.startsWith('/blobs/')) return blob(context, res, path, method === 'HEAD');
  if (method === 'POST' && path === '/moto-api/reset') {
    context.registry.reset();
    context.onMutation?.({ api: 'moto-api', operation: 'reset' });
    return send(res, 200, 'application/json', '{"status":"ok"}', randomUUID());
  }
  sendError(res, 404, 'UnknownOperationException', `No route for ${String(method).slice(0, 16)} ${path.slice(0, 256)}`, randomUUID());
}

async function api(context: Context, req: IncomingMessage, res: ServerResponse, body: Buffer, url: string): Promise<void> {
  const requestId = randomUUID();
  const headers = req.headers;
  const targetHeader = headers['x-amz-target'];
  const target = typeof targetHeader === 'string' ? operationFromTarget(targetHeader) : undefined;

  let region = context.defaultRegion;
  let accountId: string | undefined;
  if (context.verify) {
    try {
      const identity = verifySigV4(
        { method: 'POST', url, rawHeaders: req.rawHeaders, body },
        {
          credentialFor: context.credentialFor,
          now: context.clock.now(),
          expectedService: target ? signingNames[target.api] : undefined,
          keyCache: context.keyCache,
        },
      );
      region = identity.region;
      accountId = identity.accountId;
    } catch (err) {
      return sendEcrError(res, isEcrError(err) ? err : missingAuthentication(), requestId);
    }
  } else {
    const scope = regionFromAuthorization(headers.authorization);
    if (scope) {
      region = scope.region;
      accountId = context.credentials.get(scope.accessKeyId)?.accountId;
    }
  }

  if (!target) {
    const message = typeof targetHeader === 'string' ? `Unknown operation ${targetHeader.slice(0, 128)}` : 'Missing X-Amz-Target header';
    return sendError(res, 400, 'UnknownOperationException', message, requestId);
  }
  const spec = operationSpec(target.api, target.operation)!;

  let parsed: unknown = {};
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, 400, 'SerializationException', 'Request body is not valid JSON', requestId);
    }
    if (parsed === null) parsed = {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      return sendError(res, 400, 'SerializationException', 'Start of structure or map found where not expected.', requestId);
    }
  }

  let output: unknown;
  try {
    output = await context.registry.execute({
      api: target.api,
      operation: target.operation,
      input: decodeInput(spec, parsed),
      region,
      accountId,
      face: 'http',
      blobBaseUrl: `http://${headers.host ?? 'localhost'}/blobs`,
      registryUrl: context.publicUrl ?? `http://${hostHeader(headers.host)}`,
    });
  } catch (err) {
    if (err instanceof SimulatedFault) return actOut(res, err.fault, requestId);
    if (isEcrError(err)) return sendEcrError(res, err, requestId);
    return sendError(res, 500, 'ServerException', 'An internal error occurred in the simulated registry', requestId);
  }
  if (spec.mutating) context.onMutation?.({ api: target.api, operation: target.operation });
  send(res, 200, jsonType, JSON.stringify(encodeOutput(spec, output ?? {})), requestId);
}

async function blob(context: Context, res: ServerResponse, path: string, head: boolean): Promise<void> {
  const requestId = randomUUID();
  // /blobs/{accountId}/{region}/{repository name, may contain '/'}/{digest}
  const parts = path.slice('/blobs/'.length).split('/').map(decodeSegment);
  const location =
    parts.length >= 4 && !parts.includes(undefined)
      ? { accountId: parts[0]!, region: parts[1]!, repositoryName: parts.slice(2, -1).join('/'), digest: parts[parts.length - 1]! }
      : undefined;
  const bytes = location ? context.registry.readBlob(location) : undefined;
  if (!bytes) return sendError(res, 404, 'LayersNotFoundException', 'The requested blob does not exist', requestId);
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': bytes.byteLength,
    'Docker-Content-Digest': location!.digest,
    'x-amzn-RequestId': requestId,
  });
  res.end(head ? undefined : bytes);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

// Real ECR sends the plain code (`RepositoryNotFoundException`) in `__type` and no
// x-amzn-ErrorType header for JSON 1.1; SDKs accept that and the namespaced form alike.
function sendError(res: ServerResponse, status: number, awsCode: string, message: string, requestId: string, retryAfterMs?: number): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ __type: awsCode, message });
  res.writeHead(status, {
    'Content-Type': jsonType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...(retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) } : {}),
  });
  res.end(body);
}

function sendEcrError(res: ServerResponse, err: EcrError, requestId: string): void {
  const awsCode = err.awsCode ?? wireCodeForKind(err.kind);
  const status = err.statusCode ?? (awsCode === 'ServerException' ? 500 : 400);
  sendError(res, status, awsCode, err.message, requestId, err.retryAfterMs);
}

function fail(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, 500, 'ServerException', 'An internal error occurred in the simulated registry', randomUUID());
}

/** Misbehave on the wire the way broken networks and proxies do. */
function actOut(res: ServerResponse, fault: FaultKind, requestId: string): void {
  switch (fault) {
    case 'drop-connection':
      res.socket?.destroy();
      return;
    case 'truncated-body': {
      const partial = '{"imageDetails":[{"registryId":"123456789012","repositoryName":"';
      res.writeHead(200, { 'Content-Type': jsonType, 'Content-Length': partial.length + 1024, 'x-amzn-RequestId': requestId, Connection: 'close' });
      res.write(partial, () => res.destroy());
      return;
    }
    case 'malformed-body':
      send(res, 200, jsonType, '{"imageDetails":[{"imageDigest":"sha256:', requestId);
      return;
    case 'html-502':
      send(res, 502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', requestId);
      return;
    case 'wrong-content-type':
      send(res, 200, 'text/plain', 'OK', requestId);
      return;
    default:
      res.socket?.destroy();
  }
}
