import {
  EcrError,
  createDigester,
  isEcrError,
  toBase64,
  validateDigest,
  validateImageTag,
  validateRepositoryName,
  type Descriptor,
  type ErrorKind,
  type SecretString,
} from '@ecrkit/core-types';

/** Credentials for a registry's Basic authentication: for ECR, user `AWS` and a GetAuthorizationToken password. */
export interface RegistryCredentials {
  username: string;
  password: SecretString;
}

/**
 * Where a {@link RegistryClient} gets its credentials: called before the first request, and once
 * more with `refresh: true` when the registry answers 401 (an expired or revoked token).
 * `undefined` means anonymous.
 */
export type RegistryCredentialProvider = (options: { refresh: boolean; signal?: AbortSignal }) => Promise<RegistryCredentials | undefined>;

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** The registry's base URL: `https://<account>.dkr.ecr.<region>.amazonaws.com`, or a simulation's `http://127.0.0.1:4510`. */
  url: string;
  /** Basic credentials (default: anonymous); see {@link ecrRegistryCredentials}. */
  credentials?: RegistryCredentialProvider;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Names the registry the client talks to, account and region included, so a copy between two
   * repositories of one registry can mount blobs instead of copying them. Default: `url`.
   */
  registryKey?: string;
}

/** A manifest as the registry stores it: exact bytes, digest-verified. */
export interface RegistryManifest {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** What a HEAD of a manifest tells. */
export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

/** An entry of a referrers index: an OCI descriptor. */
export type ReferrerDescriptor = Descriptor;

/** The manifest media types a client accepts by default: Docker schema 2 and lists, OCI manifests and indexes. */
export const manifestMediaTypes = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

interface SendOptions {
  headers?: Record<string, string>;
  body?: Uint8Array | ReadableStream<Uint8Array>;
  signal?: AbortSignal;
  /** Statuses that are answers, not failures (e.g. 404 for "not there"). */
  accept?: readonly number[];
}

/**
 * A client of the OCI Distribution API as ECR serves it (and the ecrkit simulation): manifests
 * and blobs by HEAD and GET, pushes of blobs and manifests, cross-repository mounts, tags and
 * referrers, with HTTP Basic credentials from a provider (ECR's `AWS:<token>`). It does no I/O of
 * its own beyond `fetch`; every manifest and blob it reads is checked against its digest, and
 * every failure is an `EcrError` (`RepositoryNotFound` for `NAME_UNKNOWN`, `ImageNotFound`,
 * `LayersNotFound`, `AccessDenied` for 401/403, `Throttling`, `ServiceUnavailable`, `Network`,
 * `InvalidResponse`), never carrying a credential or a manifest body.
 *
 * @example
 * const registry = new RegistryClient({ url: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com', credentials: ecrRegistryCredentials(client) });
 * const { digest } = await registry.getManifest('web-app', 'v1');
 */
export class RegistryClient {
  readonly url: string;
  readonly registryKey: string;
  readonly #fetch: typeof fetch;
  readonly #credentials: RegistryCredentialProvider | undefined;
  #authorization: Promise<string | undefined> | undefined;

  constructor(options: RegistryClientOptions) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(options.url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'url', message: `Invalid parameter 'url': must be an http:// or https:// registry URL` });
    }
    this.url = `${parsed.protocol}//${parsed.host}`;
    this.registryKey = options.registryKey ?? this.url;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#credentials = options.credentials;
  }

  /** The registry host as clients name it (`host[:port]`), e.g. for image references. */
  get host(): string {
    return new URL(this.url).host;
  }

  /** Check that the registry answers and accepts the credentials (`GET /v2/`). */
  async ping(options: { signal?: AbortSignal } = {}): Promise<void> {
    (await this.#send('GET', '/v2/', { signal: options.signal })).body?.cancel();
  }

  /** The digest, media type and size of a manifest, or `undefined` when the registry has none under `reference`. */
  async headManifest(repository: string, reference: string, options: { signal?: AbortSignal } = {}): Promise<ManifestHead | undefined> {
    checkReference(repository, reference);
    const res = await this.#send('HEAD', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: manifestMediaTypes.join(', ') },
      signal: options.signal,
      accept: [404],
    });
    if (res.status === 404) return undefined;
    const digest = res.headers.get('docker-content-digest');
    const mediaType = res.headers.get('content-type');
    const size = Number(res.headers.get('content-length'));
    if (!digest || !mediaType || !Number.isFinite(size)) throw invalidResponse('a manifest HEAD without Docker-Content-Digest, Content-Type or Content-Length');
    return { digest, mediaType: mediaType.split(';')[0]!.trim(), size };
  }

  /**
   * A manifest by tag or digest, as the registry stores it; its bytes are checked against the
   * digest asked for and the one the registry announces.
   *
   * @throws EcrError kind `ImageNotFound`, `RepositoryNotFound`, `ImageDigestMismatch`, ...
   */
  async getManifest(repository: string, reference: string, options: { signal?: AbortSignal; accept?: readonly string[] } = {}): Promise<RegistryManifest> {
    checkReference(repository, reference);
    const res = await this.#send('GET', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: (options.accept ?? manifestMediaTypes).join(', ') },
      signal: options.signal,
    });
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (cause) {
      throw networkError(cause);
    }
    const digest = await digestOf(bytes);
    const announced = res.headers.get('docker-content-digest');
    for (const expected of [reference.includes(':') ? reference : undefined, announced ?? undefined]) {
      if (expected !== undefined && expected !== digest) throw mismatch(expected, digest);
    }
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim() || mediaTypeOf(bytes);
    if (!mediaType) throw invalidResponse('a manifest without a media type');
    return { digest, mediaType, bytes };
  }

  /** Push a manifest under a tag or its digest; returns its digest. */
  async putManifest(
    repository: string,
    reference: string,
    manifest: { bytes: Uint8Array; mediaType: string },
    options: { signal?: AbortSignal } = {},
  ): Promise<string> {
    checkReference(repository, reference);
    const digest = await digestOf(manifest.bytes);
    const res = await this.#send('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      signal: options.signal,
    });
    await res.body?.cancel();
    const announced = res.headers.get('docker-content-digest');
    if (announced && announced !== digest) throw mismatch(digest, announced);
    return digest;
  }

  /** The size of a blob the repository holds, or `undefined`. */
  async blobSize(repository: string, digest: string, options: { signal?: AbortSignal } = {}): Promise<number | undefined> {
    checkBlob(repository, digest);
    const res = await this.#send('HEAD', `/v2/${repository}/blobs/${digest}`, { signal: options.signal, accept: [404] });
    if (res.status === 404) return undefined;
    const size = Number(res.headers.get('content-length'));
    return Number.isFinite(size) ? size : undefined;
  }

  /**
   * A blob as a stream (ECR answers with a redirect to storage, followed here without the
   * registry's credentials). The stream errors with `ImageDigestMismatch` at its end when the
   * bytes do not hash to `digest`, so nothing unverified is ever complete.
   */
  async getBlob(repository: string, digest: string, options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    checkBlob(repository, digest);
    const res = await this.#send('GET', `/v2/${repository}/blobs/${digest}`, { signal: options.signal });
    if (!res.body) throw invalidResponse('a blob answer without a body');
    return res.body.pipeThrough(await verifyingStream(digest));
  }

  /**
   * Link a blob of another repository of the same registry into `repository` without copying it.
   * Returns whether the registry mounted it (it may start an upload instead, which is cancelled).
   */
  async mountBlob(repository: string, digest: string, fromRepository: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    checkBlob(repository, digest);
    validateRepositoryName(fromRepository, 'fromRepository');
    const res = await this.#send('POST', `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`, {
      signal: options.signal,
    });
    await res.body?.cancel();
    if (res.status === 201) return true;
    const location = res.headers.get('location');
    if (location)
      await this.#send('DELETE', location, { signal: options.signal, accept: [404] }).then(
        (r) => r.body?.cancel(),
        () => undefined,
      );
    return false;
  }

  /**
   * Upload a blob: start an upload, stream the bytes in one PATCH, finish with the digest (the
   * registry checks it too). A failed upload is cancelled.
   */
  async pushBlob(repository: string, digest: string, body: ReadableStream<Uint8Array> | Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkBlob(repository, digest);
    const start = await this.#send('POST', `/v2/${repository}/blobs/uploads/`, { signal: options.signal });
    await start.body?.cancel();
    let location = start.headers.get('location');
    if (!location) throw invalidResponse('an upload started without a Location');
    try {
      const patched = await this.#send('PATCH', location, { headers: { 'content-type': 'application/octet-stream' }, body, signal: options.signal });
      await patched.body?.cancel();
      location = patched.headers.get('location') ?? location;
      const done = await this.#send('PUT', withQuery(location, 'digest', digest), { signal: options.signal });
      await done.body?.cancel();
    } catch (err) {
      await this.#send('DELETE', location, { accept: [404] }).then(
        (r) => r.body?.cancel(),
        () => undefined,
      );
      throw err;
    }
  }

  /** Every tag of a repository, following the registry's `Link` pages (`pageSize` tags per request, default the registry's). */
  async listTags(repository: string, options: { pageSize?: number; signal?: AbortSignal } = {}): Promise<string[]> {
    validateRepositoryName(repository);
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list${options.pageSize !== undefined ? `?n=${options.pageSize}` : ''}`;
    for (let page = 0; path && page < 10_000; page++) {
      const res = await this.#send('GET', path, { signal: options.signal });
      const body = (await res.json().catch(() => undefined)) as { tags?: unknown } | undefined;
      if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)))
        throw invalidResponse('a tags list that is not {"tags":[...]}');
      tags.push(...((body.tags as string[] | null) ?? []));
      path = nextLink(res.headers.get('link'));
    }
    return tags;
  }

  /**
   * The manifests whose `subject` is `digest` (the OCI referrers API), optionally of one
   * artifact type, or `undefined` when the registry does not offer the API.
   */
  async referrers(
    repository: string,
    digest: string,
    options: { artifactType?: string; signal?: AbortSignal } = {},
  ): Promise<ReferrerDescriptor[] | undefined> {
    checkBlob(repository, digest);
    const query = options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : '';
    const res = await this.#send('GET', `/v2/${repository}/referrers/${digest}${query}`, { signal: options.signal, accept: [404, 405] });
    if (res.status === 404 || res.status === 405) {
      await res.body?.cancel();
      return undefined;
    }
    const body = (await res.json().catch(() => undefined)) as { manifests?: unknown } | undefined;
    if (!body || !Array.isArray(body.manifests)) throw invalidResponse('a referrers answer that is not an image index');
    const filtered = options.artifactType !== undefined && res.headers.get('oci-filters-applied') === null;
    return (body.manifests as ReferrerDescriptor[]).filter((m) => !filtered || m.artifactType === options.artifactType);
  }

  async #send(method: Method, path: string, options: SendOptions, retried = false): Promise<Response> {
    if (!this.#authorization) this.#authorization = this.#authorize(false, options.signal);
    const authorization = await this.#authorization;
    const url = new URL(path, this.url).toString();
    const headers: Record<string, string> = { ...options.headers, ...(authorization ? { authorization } : {}) };
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method,
        headers,
        redirect: 'manual',
        ...(options.body !== undefined ? { body: options.body as RequestInit['body'], duplex: 'half' } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      } as RequestInit);
      // ECR sends blob downloads to storage with a redirect; the registry's credentials must not follow.
      for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.get('location') && hops < 5; hops++) {
        await res.body?.cancel();
        const next = new URL(res.headers.get('location')!, url).toString();
        res = await this.#fetch(next, { method, redirect: 'manual', ...(options.signal ? { signal: options.signal } : {}) });
      }
    } catch (cause) {
      // A body stream that failed (a blob that did not verify) surfaces as fetch's TypeError with our error as its cause.
      const own = isEcrError(cause) ? cause : isEcrError((cause as { cause?: unknown })?.cause) ? (cause as { cause: EcrError }).cause : undefined;
      if (own) throw own;
      if (options.signal?.aborted) throw new EcrError({ kind: 'Aborted', message: `${method} ${describePath(path)} was aborted`, cause });
      throw networkError(cause);
    }
    if (res.status === 401 && !retried && this.#credentials && !(options.body instanceof ReadableStream)) {
      await res.body?.cancel();
      this.#authorization = this.#authorize(true, options.signal);
      return this.#send(method, path, options, true);
    }
    if ((res.status >= 200 && res.status < 300) || options.accept?.includes(res.status)) return res;
    throw await registryError(res, method, path);
  }

  // Shared by concurrent requests; a failure is not kept, so the next request asks again.
  async #authorize(refresh: boolean, signal: AbortSignal | undefined): Promise<string | undefined> {
    let creds: RegistryCredentials | undefined;
    try {
      creds = await this.#credentials?.({ refresh, ...(signal ? { signal } : {}) });
    } catch (err) {
      this.#authorization = undefined;
      throw err;
    }
    if (!creds) return undefined;
    const text = `${creds.username}:${creds.password.reveal()}`;
    return `Basic ${toBase64(new TextEncoder().encode(text))}`;
  }
}

// Bad names, tags and digests are the caller's: refused before any request, naming the field.
function checkReference(repository: string, reference: string): void {
  validateRepositoryName(repository);
  if (typeof reference === 'string' && reference.includes(':')) validateDigest(reference, 'reference');
  else validateImageTag(reference, 'reference');
}

function checkBlob(repository: string, digest: string): void {
  validateRepositoryName(repository);
  validateDigest(digest, 'digest');
}

/** Registry error codes (distribution spec) and the ecrkit kinds they are. */
const kindsByCode: Record<string, ErrorKind> = {
  NAME_UNKNOWN: 'RepositoryNotFound',
  MANIFEST_UNKNOWN: 'ImageNotFound',
  BLOB_UNKNOWN: 'LayersNotFound',
  MANIFEST_BLOB_UNKNOWN: 'LayersNotFound',
  BLOB_UPLOAD_UNKNOWN: 'UploadNotFound',
  DIGEST_INVALID: 'ImageDigestMismatch',
  MANIFEST_INVALID: 'InvalidParameter',
  NAME_INVALID: 'InvalidParameter',
  SIZE_INVALID: 'InvalidParameter',
  BLOB_UPLOAD_INVALID: 'InvalidLayerPart',
  TAG_INVALID: 'InvalidParameter',
  UNAUTHORIZED: 'AccessDenied',
  DENIED: 'AccessDenied',
  TOOMANYREQUESTS: 'Throttling',
  UNSUPPORTED: 'InvalidParameter',
};

async function registryError(res: Response, method: Method, path: string): Promise<EcrError> {
  const text = method === 'HEAD' ? '' : await res.text().catch(() => '');
  let code: string | undefined;
  let detail = '';
  try {
    const first = (JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] }).errors?.[0];
    if (typeof first?.code === 'string') code = first.code;
    if (typeof first?.message === 'string') detail = first.message.slice(0, 300);
  } catch {
    // not the spec's JSON (a proxy's page, an empty HEAD answer)
  }
  let kind: ErrorKind = code !== undefined && Object.hasOwn(kindsByCode, code) ? kindsByCode[code]! : 'Unknown';
  if (code === 'TAG_INVALID' && /immutable/i.test(detail)) kind = 'ImageTagAlreadyExists';
  if (code === undefined) {
    if (res.status === 401 || res.status === 403) kind = 'AccessDenied';
    else if (res.status === 404) kind = /\/manifests\//.test(path) ? 'ImageNotFound' : /\/blobs\//.test(path) ? 'LayersNotFound' : 'RepositoryNotFound';
    else if (res.status === 429) kind = 'Throttling';
    else if (res.status >= 500) kind = 'ServiceUnavailable';
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return new EcrError({
    kind,
    awsCode: code,
    statusCode: res.status,
    operation: `${method} ${describePath(path)}`,
    message: `Registry answered ${res.status}${code ? ` ${code}` : ''} to ${method} ${describePath(path)}${detail ? `: ${detail}` : ''}`,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  });
}

/** A path for messages: upload ids and query strings left out. */
function describePath(path: string): string {
  return path.replace(/\?.*$/, '').replace(/\/blobs\/uploads\/[^/]+$/, '/blobs/uploads/…');
}

function nextLink(header: string | null): string | undefined {
  const m = header ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(header) : null;
  return m ? m[1] : undefined;
}

function withQuery(location: string, name: string, value: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}

function mediaTypeOf(bytes: Uint8Array): string | undefined {
  try {
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: unknown; manifests?: unknown };
    if (typeof doc.mediaType === 'string') return doc.mediaType;
    return Array.isArray(doc.manifests) ? manifestMediaTypes[0] : manifestMediaTypes[2];
  } catch {
    return undefined;
  }
}

async function digestOf(bytes: Uint8Array): Promise<string> {
  const d = await createDigester();
  d.update(bytes);
  return d.digest();
}

/** A pass-through stream that errors at its end unless the bytes hash to `digest`. */
export async function verifyingStream(digest: string): Promise<TransformStream<Uint8Array, Uint8Array>> {
  const digester = await createDigester();
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      digester.update(chunk);
      controller.enqueue(chunk);
    },
    async flush() {
      const actual = await digester.digest();
      if (actual !== digest) throw mismatch(digest, actual);
    },
  });
}

function mismatch(expected: string, actual: string): EcrError {
  return new EcrError({ kind: 'ImageDigestMismatch', message: `Content digest ${actual} does not match the expected ${expected}` });
}

function invalidResponse(what: string): EcrError {
  return new EcrError({ kind: 'InvalidResponse', message: `The registry sent ${what}` });
}

function networkError(cause: unknown): EcrError {
  return new EcrError({ kind: 'Network', message: 'The registry could not be reached or the connection broke', cause });
}
