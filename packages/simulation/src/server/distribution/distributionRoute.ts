import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { isEcrError, type Descriptor } from '@ecrkit/core-types';
import type { BlobStore } from '../../blobs/BlobStore.js';
import { DistributionCode, type DistributionUpload, type ManifestRead } from '../../operations/distribution.js';
import { SimulatedFault, type FaultKind, type RegistryCall } from '../../RegistryCall.js';
import { authenticate, type RegistryIdentity, type TokenLookup } from './authenticate.js';
import type { ServerContext } from '../serverContext.js';
import type { RouteExchange, ServerRoute } from '../ServerRoute.js';
import { sendEcrFailure, sendFailure, type DistributionFailure } from './distributionErrors.js';

/** What the `/v2/` face needs of a registry; `SimulatedRegistry` has all of it. */
export interface DistributionRegistry extends TokenLookup {
  execute(call: RegistryCall): Promise<unknown>;
  readonly blobStore: BlobStore;
}

interface FaceSettings {
  registry: DistributionRegistry;
  /** Serve requests without credentials (see `authenticate`). */
  anonymous: boolean;
  /** The account and region of anonymous requests. */
  defaults: RegistryIdentity;
  /** Called after a request changed state (the bin saves the state file on it). */
  onMutation: (operation: string) => void;
}

/** ECR accepts manifests of up to 4 MiB. */
const maxManifestBytes = 4 * 1024 * 1024;
const apiVersionHeader = { 'Docker-Distribution-API-Version': 'registry/2.0' };

type Route =
  | { kind: 'base' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; uploadId: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string };

/**
 * The registry face, mounted on the simulation server for `/v2/`: routes requests (repository
 * names may contain `/`), checks ECR's Basic authentication, and turns each request into
 * registry operations (`face: 'distribution'`), streaming blob bodies straight into the blob
 * store (they are never held in memory, so they do not count against the server's body budget)
 * and blob downloads straight out of it; manifests are read through the budget. `undefined` for
 * a registry without a blob store or token lookup.
 */
export function distributionRoute(context: ServerContext, options: { anonymous: boolean }): ServerRoute | undefined {
  const { registry } = context;
  const blobStore = registry.blobStore;
  const lookup = registry.authorizationTokenBinding?.bind(registry);
  if (!blobStore || !lookup) return undefined;
  const settings: FaceSettings = {
    registry: { execute: (call) => registry.execute(call), blobStore, authorizationTokenBinding: lookup },
    anonymous: options.anonymous,
    defaults: { accountId: registry.accountId ?? '123456789012', region: context.defaultRegion },
    onMutation: (operation) => context.onMutation?.({ api: 'ecr', operation }),
  };
  return {
    matches: (path) => path === '/v2' || path.startsWith('/v2/'),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    handle: (exchange) =>
      serve(settings, exchange).catch((err: unknown) => {
        if (err instanceof SimulatedFault) return actOut(exchange.res, err.fault);
        if (isEcrError(err)) return sendEcrFailure(exchange.res, err);
        sendFailure(exchange.res, { status: 500, code: 'UNKNOWN', message: 'An internal error occurred in the simulated registry' });
      }),
  };
}

async function serve(settings: FaceSettings, exchange: RouteExchange): Promise<void> {
  const { req, res, method } = exchange;
  const registry = settings.registry;
  for (const [name, value] of Object.entries(apiVersionHeader)) res.setHeader(name, value);
  res.setHeader('x-amzn-RequestId', exchange.requestId);
  req.on('error', () => undefined);
  const url = new URL(exchange.url, 'http://registry.invalid');
  const identity = authenticate(req.headers.authorization, req.headers.host, {
    registry,
    now: exchange.clock.now(),
    anonymous: settings.anonymous,
    defaults: settings.defaults,
  });
  if ('status' in identity) {
    return sendFailure(res, identity, { 'WWW-Authenticate': `Basic realm="${exchange.publicUrl}/",service="ecr.amazonaws.com"` });
  }
  const route = routeOf(url.pathname);
  if (!route) return sendFailure(res, { status: 404, code: DistributionCode.Unsupported, message: `No registry API at ${url.pathname.slice(0, 200)}` });

  const call = (operation: string, input: Record<string, unknown>): Promise<unknown> =>
    registry.execute({ api: 'ecr', face: 'distribution', operation, input, region: identity.region, accountId: identity.accountId });
  const mutated = settings.onMutation;
  const q = url.searchParams;

  switch (route.kind) {
    case 'base':
      if (method !== 'GET' && method !== 'HEAD') return notAllowed(res);
      return sendJson(res, 200, {});

    case 'blob': {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed(res);
      const head = method === 'HEAD';
      const input = { repositoryName: route.name, digest: route.digest };
      const { size } = (await call(head ? 'BatchCheckLayerAvailability' : 'GetDownloadUrlForLayer', input)) as { size: number };
      return sendBlob(req, res, registry.blobStore, route.digest, size, head);
    }

    case 'uploads': {
      if (method !== 'POST') return notAllowed(res);
      const start = (await call('InitiateLayerUpload', {
        repositoryName: route.name,
        ...(q.get('mount') !== null ? { mount: q.get('mount') } : {}),
        ...(q.get('from') !== null ? { from: q.get('from') } : {}),
      })) as { mounted?: string; uploadId?: string };
      if (start.mounted) {
        mutated('InitiateLayerUpload');
        return created(res, `/v2/${route.name}/blobs/${start.mounted}`, start.mounted);
      }
      const uploadId = start.uploadId!;
      const digest = q.get('digest');
      // A monolithic upload: the whole blob in the POST.
      if (digest !== null) return finishUpload(call, mutated, req, res, route.name, uploadId, digest);
      return uploadAccepted(res, route.name, uploadId, 0, 202);
    }

    case 'upload': {
      const input = { repositoryName: route.name, uploadId: route.uploadId };
      if (method === 'GET') {
        const { size } = (await call('GetLayerUploadStatus', input)) as { size: number };
        return uploadAccepted(res, route.name, route.uploadId, size, 204);
      }
      if (method === 'DELETE') {
        await call('CancelLayerUpload', input);
        res.writeHead(204).end();
        return;
      }
      if (method === 'PATCH') {
        const range = contentRange(req.headers['content-range']);
        if (range === null) return sendFailure(res, { status: 400, code: DistributionCode.BlobUploadInvalid, message: 'malformed Content-Range' });
        const claim = (await call('UploadLayerPart', { ...input, ...(range ? { start: range.start } : {}) })) as {
          upload?: DistributionUpload;
          received: number;
        };
        const upload = claim.upload;
        // A chunk that does not start where the upload ends: 416 with the upload's range, so the client can resume.
        if (!upload) {
          return sendFailure(
            res,
            { status: 416, code: DistributionCode.BlobUploadInvalid, message: `the chunk must start at byte ${claim.received}` },
            uploadHeaders(route.name, route.uploadId, claim.received),
          );
        }
        const before = upload.blob.size;
        try {
          await receiveInto(req, upload);
        } finally {
          upload.busy = false;
        }
        if (range && upload.blob.size - before !== range.end - range.start + 1) {
          return sendFailure(res, {
            status: 400,
            code: DistributionCode.BlobUploadInvalid,
            message: `Content-Range announced ${range.end - range.start + 1} bytes, the body had ${upload.blob.size - before}`,
          });
        }
        return uploadAccepted(res, route.name, route.uploadId, upload.blob.size, 202);
      }
      if (method === 'PUT') {
        const digest = q.get('digest');
        if (digest === null) return sendFailure(res, { status: 400, code: DistributionCode.DigestInvalid, message: 'the digest query parameter is required' });
        return finishUpload(call, mutated, req, res, route.name, route.uploadId, digest);
      }
      return notAllowed(res);
    }

    case 'manifest': {
      const input = { repositoryName: route.name, reference: route.reference };
      if (method === 'GET' || method === 'HEAD') {
        const head = method === 'HEAD';
        const read = (await call('BatchGetImage', { ...input, accept: acceptedTypes(req.headers.accept), head })) as ManifestRead;
        const body = Buffer.from(read.manifest, 'utf8');
        res.writeHead(200, {
          'Content-Type': read.mediaType,
          'Content-Length': body.byteLength,
          'Docker-Content-Digest': read.digest,
          ETag: `"${read.digest}"`,
        });
        res.end(head ? undefined : body);
        return;
      }
      if (method === 'PUT') {
        // Read under ECR's manifest limit and the server's body budget; a body over either is refused (413 SIZE_INVALID, 503 UNAVAILABLE).
        const body = await exchange.readBody({ maxBytes: maxManifestBytes, refuse: (err) => sendEcrFailure(res, err) });
        if (body === undefined) return;
        const contentType = req.headers['content-type']?.split(';')[0]?.trim();
        const out = (await call('PutImage', { ...input, imageManifest: body.toString('utf8'), ...(contentType ? { mediaType: contentType } : {}) })) as {
          digest: string;
          subject?: string;
        };
        mutated('PutImage');
        res.writeHead(201, {
          Location: `/v2/${route.name}/manifests/${out.digest}`,
          'Docker-Content-Digest': out.digest,
          'Content-Length': 0,
          ...(out.subject ? { 'OCI-Subject': out.subject } : {}),
        });
        res.end();
        return;
      }
      if (method === 'DELETE') {
        await call('BatchDeleteImage', input);
        mutated('BatchDeleteImage');
        res.writeHead(202, { 'Content-Length': 0 }).end();
        return;
      }
      return notAllowed(res);
    }

    case 'tags': {
      if (method !== 'GET') return notAllowed(res);
      const n = q.get('n');
      if (n !== null && !/^\d{1,6}$/.test(n))
        return sendFailure(res, { status: 400, code: DistributionCode.Unsupported, message: 'n must be a non-negative integer' });
      const last = q.get('last');
      const out = (await call('ListImages', {
        repositoryName: route.name,
        ...(n !== null ? { n: Number(n) } : {}),
        ...(last !== null ? { last } : {}),
      })) as { name: string; tags: string[]; more: boolean };
      if (out.more && out.tags.length > 0) {
        const next = `/v2/${route.name}/tags/list?n=${n}&last=${encodeURIComponent(out.tags[out.tags.length - 1]!)}`;
        res.setHeader('Link', `<${next}>; rel="next"`);
      }
      return sendJson(res, 200, { name: out.name, tags: out.tags });
    }

    case 'referrers': {
      if (method !== 'GET') return notAllowed(res);
      const artifactType = q.get('artifactType');
      const out = (await call('ListImageReferrers', {
        repositoryName: route.name,
        digest: route.digest,
        ...(artifactType !== null ? { artifactType } : {}),
      })) as { manifests: Descriptor[] };
      if (artifactType !== null) res.setHeader('OCI-Filters-Applied', 'artifactType');
      return sendJson(
        res,
        200,
        { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: out.manifests },
        'application/vnd.oci.image.index.v1+json',
      );
    }
  }
}

/** The route of a `/v2/` path; repository names may contain `/`, so the action is matched from the end. */
function routeOf(path: string): Route | undefined {
  if (path === '/v2' || path === '/v2/') return { kind: 'base' };
  let m = /^\/v2\/(.+)\/blobs\/uploads\/?$/.exec(path);
  if (m) return { kind: 'uploads', name: m[1]! };
  m = /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/.exec(path);
  if (m) return { kind: 'upload', name: m[1]!, uploadId: decodeURIComponent(m[2]!) };
  m = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path);
  if (m) return { kind: 'blob', name: m[1]!, digest: decodeURIComponent(m[2]!) };
  m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  if (m) return { kind: 'manifest', name: m[1]!, reference: decodeURIComponent(m[2]!) };
  m = /^\/v2\/(.+)\/tags\/list$/.exec(path);
  if (m) return { kind: 'tags', name: m[1]! };
  m = /^\/v2\/(.+)\/referrers\/([^/]+)$/.exec(path);
  if (m) return { kind: 'referrers', name: m[1]!, digest: decodeURIComponent(m[2]!) };
  return undefined;
}

type Call = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/** Stream the request body (possibly empty) into the upload, then check it and make it a blob. */
async function finishUpload(
  call: Call,
  mutated: (operation: string) => void,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  uploadId: string,
  digest: string,
): Promise<void> {
  const input = { repositoryName: name, uploadId };
  const claim = (await call('UploadLayerPart', input)) as { upload?: DistributionUpload };
  const upload = claim.upload!;
  try {
    await receiveInto(req, upload);
    await upload.blob.flush();
  } catch (err) {
    // A body that broke off cannot be completed: drop the upload, so the client starts a new one.
    upload.busy = false;
    await call('CancelLayerUpload', input).catch(() => undefined);
    throw err;
  } finally {
    upload.busy = false;
  }
  const done = (await call('CompleteLayerUpload', { ...input, digest })) as { digest: string };
  mutated('CompleteLayerUpload');
  created(res, `/v2/${name}/blobs/${done.digest}`, done.digest);
}

/** Copy the request body into an upload the caller claimed (`busy`); the caller releases it. */
async function receiveInto(req: IncomingMessage, upload: DistributionUpload): Promise<void> {
  for await (const chunk of req) await upload.blob.write(chunk as Buffer);
}

/** `Content-Range: <start>-<end>` of a chunk; `undefined` when absent (a streamed upload), `null` when malformed. */
function contentRange(header: string | undefined): { start: number; end: number } | undefined | null {
  if (header === undefined) return undefined;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)$/.exec(header.trim());
  if (!m) return null;
  const range = { start: Number(m[1]), end: Number(m[2]) };
  return range.end < range.start ? null : range;
}

function uploadHeaders(name: string, uploadId: string, size: number): Record<string, string> {
  return {
    Location: `/v2/${name}/blobs/uploads/${uploadId}`,
    Range: `0-${Math.max(0, size - 1)}`,
    'Docker-Upload-UUID': uploadId,
  };
}

function uploadAccepted(res: ServerResponse, name: string, uploadId: string, size: number, status: 202 | 204): void {
  res.writeHead(status, { ...uploadHeaders(name, uploadId, size), 'Content-Length': 0 });
  res.end();
}

function created(res: ServerResponse, location: string, digest: string): void {
  res.writeHead(201, { Location: location, 'Docker-Content-Digest': digest, 'Content-Length': 0 });
  res.end();
}

/** A blob, whole or one `Range`, streamed out of the blob store. */
async function sendBlob(req: IncomingMessage, res: ServerResponse, store: BlobStore, digest: string, size: number, head: boolean): Promise<void> {
  const common = { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest, ETag: `"${digest}"`, 'Accept-Ranges': 'bytes' };
  const range = byteRange(req.headers.range, size);
  if (range === null) {
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...common,
    'Content-Length': length,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (head || length === 0) {
    res.end();
    return;
  }
  const stream = store.open(digest, { start, end });
  if (!stream) {
    res.destroy();
    return;
  }
  await pipeline(stream, res).catch(() => res.destroy());
}

/** One `Range: bytes=a-b` (or `a-`, or `-n`); `undefined` without a header, `null` when unsatisfiable or malformed. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined | null {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || end < start) return null;
  return { start, end };
}

/** The media types an `Accept` header (possibly repeated, joined with commas) lists, without parameters. */
function acceptedTypes(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  const types = header
    .split(',')
    .map((t) => t.split(';')[0]!.trim().toLowerCase())
    .filter((t) => t.length > 0);
  return types.length > 0 ? types : undefined;
}

function sendJson(res: ServerResponse, status: number, value: unknown, contentType = 'application/json; charset=utf-8'): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function notAllowed(res: ServerResponse): void {
  sendFailure(res, { status: 405, code: DistributionCode.Unsupported, message: 'The operation is unsupported.' });
}

/** Injected faults, acted out on a registry answer. */
function actOut(res: ServerResponse, fault: FaultKind): void {
  switch (fault) {
    case 'html-502': {
      const body = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'truncated-body':
      if (res.headersSent) return void res.destroy();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1024, Connection: 'close' });
      res.write('{"errors":[', () => res.destroy());
      return;
    case 'malformed-body':
    case 'wrong-content-type':
      if (res.headersSent) return void res.destroy();
      res.writeHead(200, { 'Content-Type': fault === 'malformed-body' ? 'application/json' : 'text/plain', 'Content-Length': 3 });
      res.end('{"x');
      return;
    default:
      res.socket?.destroy();
  }
}

export type { DistributionFailure };
