import {
  EcrError,
  credentialsForAuth,
  encodeInput,
  invalidParameter,
  isEcrError,
  operationSpec,
  resolveEndpoint,
  systemClock,
  toEcrConfig,
  type Api,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type CredentialProviderFactories,
  type Clock,
  type CredentialsConfig,
  type EcrConfig,
  type OperationName,
  type OutputOf,
  type Transport,
  type TransportRequest,
  readOptions,
  readTransportRequest,
} from '@ecrkit/core-types';
import { type Context, type Span, type Tracer, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Dispatcher, Pool } from 'undici';
import { CredentialCache } from './internal/CredentialCache.js';
import { dispatchPost } from './internal/dispatchPost.js';
import { loadHashing } from './internal/hashing.js';
import { loadPool } from './internal/loadPool.js';
import { parseResponse, requestIdOf } from './internal/parseResponse.js';
import { SigV4Signer } from './internal/SigV4Signer.js';

/** Options of {@link createSigV4Transport}. */
export interface SigV4TransportOptions {
  /**
   * An undici dispatcher (`Agent`, `ProxyAgent`, `MockAgent`, ...) to send every request
   * through, instead of the transport's own keep-alive pool per endpoint. The caller owns it:
   * `destroy()` leaves it open.
   */
  dispatcher?: Dispatcher;
  /** Credentials, or a provider such as `fromSSO()` from `@aws-sdk/credential-providers`; overrides `config.auth`. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** The clock for signing dates, credential expiry and `Retry-After` dates; default the system clock. */
  clock?: Clock;
  /** The largest response body accepted, in bytes; larger ones are kind `InvalidResponse`. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Connections per endpoint in the transport's own pools; default unlimited. */
  connections?: number;
  /**
   * Where the child spans of a traced call go (credential lookup, signing, the HTTP request,
   * response parsing); default the global OpenTelemetry tracer provider's. Spans are made only
   * under a recording parent span, such as the one `withInstrumentation` starts per call.
   */
  tracer?: Tracer;
}

/** The SigV4 transport: a `Transport` whose `destroy()` always exists. */
export interface SigV4Transport extends Transport {
  /** Close the transport's own connection pools; later calls fail with kind `Network`, sending nothing. */
  destroy(): Promise<void>;
  /**
   * Forget the cached credentials, so the next call resolves them again (from `auth`'s provider
   * chain, which may have new ones): the pipeline's retry calls this on a credential error.
   */
  refreshCredentials(): Promise<void>;
}

interface Endpoint {
  origin: string;
  host: string;
  path: string;
  signingRegion: string;
  signingName: string;
}

const jsonContentType = 'application/x-amz-json-1.1';
const defaultMaxResponseBytes = 64 * 1024 * 1024;

// Loaded only for auth modes other than static, so a static-credential user never pays for it.
const loadCredentialProviders = (): Promise<CredentialProviderFactories> => import('@aws-sdk/credential-providers');

function credentialsFrom(config: CredentialsConfig, option: SigV4TransportOptions['credentials']): { provider: AwsCredentialsProvider; describe: string } {
  const { credentials, describe } =
    option === undefined
      ? credentialsForAuth(config.auth, config.region, loadCredentialProviders, config.sharedConfigFiles)
      : { credentials: option, describe: typeof option === 'function' ? 'custom provider' : 'static' };
  return { provider: typeof credentials === 'function' ? credentials : () => Promise.resolve(credentials), describe };
}

const packageName = '@ecrkit/transport-sigv4';

/**
 * A `Transport` that speaks AWS JSON 1.1 to ECR and ECR Public itself: requests built and
 * SigV4-signed by hand, sent over undici keep-alive pools (one per endpoint), responses parsed
 * by hand. Endpoints follow `resolveEndpoint` for the request's region (ECR Public is always
 * signed for us-east-1). Static credentials are used as given; every other `auth` mode loads
 * `@aws-sdk/credential-providers` on first use, caches the credentials and refreshes them five
 * minutes before they expire.
 *
 * A pure wire adapter: it reads the config's `auth` and endpoint settings only, and the
 * operation table row only to encode and decode. Whether a call may start (read-only, unknown
 * operation, aborted) and how long an attempt may take are decided by the pipeline in front of
 * it (`withGuard`, `withTimeout`); the request's `signal` cancels the exchange. Every failure is
 * an `EcrError`: `Aborted` (its signal), `Network`, `InvalidResponse` (not JSON, wrong content
 * type, truncated, oversized), `CredentialsUnavailable`, `UnknownOperation` (no table row to
 * encode with), or the service's own error through `errorFromWire`.
 *
 * Under a recording OpenTelemetry span it adds child spans `ecr.credentials`, `ecr.sign`,
 * `POST` (the HTTP request) and `ecr.parse_response`, and sets `aws.request_id` on the parent.
 *
 * @throws EcrError kind `InvalidParameter` for a config that does not validate.
 * @example
 * const transport = createSigV4Transport(ecrConfig().region('eu-west-1').build());
 * const { repositories } = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'eu-west-1' });
 * await transport.destroy();
 */
export function createSigV4Transport(config: EcrConfig, options: SigV4TransportOptions = {}): SigV4Transport {
  const built = toEcrConfig(config);
  const o = readOptions(options, ['dispatcher', 'credentials', 'clock', 'maxResponseBytes', 'connections', 'tracer']) as SigV4TransportOptions;
  const clock = o.clock ?? systemClock;
  const maxResponseBytes = o.maxResponseBytes ?? defaultMaxResponseBytes;
  const tracer = o.tracer ?? trace.getTracer(packageName);
  const { provider, describe } = credentialsFrom(built, o.credentials);
  const credentials = new CredentialCache(provider, clock, describe);
  const endpoints = new Map<string, Endpoint>();
  // Emptied and dropped by destroy(): a destroyed transport has no pool to send through.
  let pools: Map<string, Pool> | undefined = new Map();
  let signer: SigV4Signer | undefined;

  // The previous call's endpoint, checked before building a map key: most clients use one.
  let lastApi: Api | undefined;
  let lastRegion = '';
  let lastEndpoint: Endpoint | undefined;
  const endpointFor = (api: Api, region: string): Endpoint => {
    if (api === lastApi && region === lastRegion) return lastEndpoint!;
    const key = `${api}\n${region}`;
    let endpoint = endpoints.get(key);
    if (endpoint === undefined) {
      const resolved = resolveEndpoint(api, region, built);
      let url: URL;
      try {
        url = new URL(resolved.url);
      } catch {
        throw invalidParameter('endpointUrl', 'is not a valid absolute URL');
      }
      endpoint = {
        origin: url.origin,
        host: url.host,
        path: url.pathname || '/',
        signingRegion: resolved.signingRegion,
        signingName: resolved.signingName,
      };
      endpoints.set(key, endpoint);
    }
    lastApi = api;
    lastRegion = region;
    lastEndpoint = endpoint;
    return endpoint;
  };

  const dispatcherFor = async (origin: string, operation: string, region: string): Promise<Dispatcher> => {
    if (o.dispatcher) return o.dispatcher;
    const existing = pools?.get(origin);
    if (existing !== undefined) return existing;
    const PoolClass = await loadPool();
    if (pools === undefined) throw new EcrError({ kind: 'Network', message: `${operation} was not sent: the transport is destroyed`, operation, region });
    // Another first request may have created it while the class loaded.
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new PoolClass(origin, o.connections === undefined ? {} : { connections: o.connections });
      pools.set(origin, pool);
    }
    return pool;
  };

  // One async function per call (no inner attempt to await). The catch is the last line of
  // defence for "nothing raw escapes": a failure to load undici or a hash still surfaces as an
  // EcrError.
  async function send(request: TransportRequest<OperationName, Api>): Promise<unknown> {
    // Read once, its shape checked: a request sent here directly, past the guard, fails as an EcrError too.
    const checked = readTransportRequest(request);
    const { api, operation, region, signal } = checked;
    // Children of the caller's span only; without a recording parent, tracing costs one lookup.
    const parentContext = context.active();
    const parent = trace.getSpan(parentContext);
    const traced = parent?.isRecording() ? parentContext : undefined;
    try {
      if (pools === undefined) throw new EcrError({ kind: 'Network', message: `${operation} was not sent: the transport is destroyed`, operation, region });
      const spec = operationSpec(api, operation);
      if (spec === undefined) {
        throw new EcrError({ kind: 'UnknownOperation', message: `${String(api)} has no operation ${String(operation).slice(0, 64)}`, operation, region });
      }
      const endpoint = endpointFor(api, region);
      let identity = credentials.peek();
      if (identity === undefined) {
        const span = traced && tracer.startSpan('ecr.credentials', { kind: SpanKind.INTERNAL, attributes: { 'ecr.credentials.source': describe } }, traced);
        try {
          identity = await credentials.get();
          span?.end();
        } catch (err) {
          if (span) endFailed(span, err);
          throw err instanceof EcrError ? err.withContext({ operation, region }) : err;
        }
      }
      signer ??= new SigV4Signer(await loadHashing());
      const dispatcher = await dispatcherFor(endpoint.origin, operation, region);

      const signSpan = traced && tracer.startSpan('ecr.sign', { kind: SpanKind.INTERNAL }, traced);
      let body: string;
      try {
        body = JSON.stringify(encodeInput(spec, checked.input ?? {}));
      } catch (err) {
        const failure = new EcrError({
          kind: 'Serialization',
          message: `${operation}: the request input cannot be expressed as JSON`,
          operation,
          region,
          cause: err,
        });
        if (signSpan) endFailed(signSpan, failure);
        throw failure;
      }
      const headers: Record<string, string> =
        identity.sessionToken === undefined
          ? { 'content-type': jsonContentType, host: endpoint.host, 'x-amz-target': spec.target }
          : { 'content-type': jsonContentType, host: endpoint.host, 'x-amz-security-token': identity.sessionToken, 'x-amz-target': spec.target };
      const signature = signer.sign(
        { method: 'POST', path: endpoint.path, headers, body },
        identity,
        endpoint.signingRegion,
        endpoint.signingName,
        clock.now(),
      );
      headers['x-amz-date'] = signature['x-amz-date'];
      headers.authorization = signature.authorization;
      signSpan?.end();

      const httpSpan = traced && startHttpSpan(tracer, traced, endpoint, spec.target);
      let response: Awaited<ReturnType<typeof dispatchPost>>;
      try {
        response = await dispatchPost(dispatcher, { origin: endpoint.origin, path: endpoint.path, headers, body, operation, region, maxResponseBytes, signal });
      } catch (err) {
        if (httpSpan) endFailed(httpSpan, err);
        throw err;
      }
      const requestId = requestIdOf(response.headers);
      if (httpSpan) {
        httpSpan.setAttribute('http.response.status_code', response.status);
        if (requestId !== undefined) httpSpan.setAttribute('aws.request_id', requestId);
        httpSpan.end();
      }
      if (traced && requestId !== undefined) parent?.setAttribute('aws.request_id', requestId);

      const parseSpan = traced && tracer.startSpan('ecr.parse_response', { kind: SpanKind.INTERNAL }, traced);
      try {
        const output = parseResponse({ spec, operation, region, now: clock.now() }, response.status, response.headers, response.body);
        parseSpan?.end();
        return output;
      } catch (err) {
        if (parseSpan) endFailed(parseSpan, err);
        throw err;
      }
    } catch (err) {
      if (isEcrError(err)) throw err;
      throw new EcrError({ kind: 'Unknown', message: `${operation} failed inside the transport`, operation, region, cause: err });
    }
  }

  return {
    send: send as <O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>) => Promise<OutputOf<O, A>>,
    async destroy() {
      const open = [...(pools?.values() ?? [])];
      pools = undefined;
      await Promise.all(open.map((pool) => pool.destroy().catch(() => undefined)));
    },
    async refreshCredentials() {
      credentials.invalidate();
    },
  };
}

/** The HTTP client span of one exchange, named after the method as the HTTP semantic conventions ask. */
function startHttpSpan(tracer: Tracer, parent: Context, endpoint: Endpoint, target: string): Span {
  const url = new URL(endpoint.path, endpoint.origin);
  return tracer.startSpan(
    'POST',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'POST',
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        'url.full': url.href,
        'ecr.target': target,
      },
    },
    parent,
  );
}

/** End a child span as failed, naming the error kind only (messages stay out of spans here). */
function endFailed(span: Span, err: unknown): void {
  const kind = isEcrError(err) ? err.kind : 'Unknown';
  span.setAttribute('ecr.error.kind', kind);
  if (isEcrError(err) && err.statusCode !== undefined) span.setAttribute('http.response.status_code', err.statusCode);
  span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
  span.end();
}
