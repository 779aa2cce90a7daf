import {
  EcrError,
  abortError,
  credentialsForAuth,
  encodeInput,
  invalidParameter,
  isEcrError,
  preflight,
  resolveEndpoint,
  systemClock,
  type Api,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type CredentialProviderFactories,
  type Clock,
  type EcrConfig,
  type OperationName,
  type OutputOf,
  type Transport,
  type TransportRequest,
} from '@ecrkit/core-types';
import type { Dispatcher, Pool } from 'undici';
import { CredentialCache } from './internal/CredentialCache.js';
import { dispatchPost } from './internal/dispatchPost.js';
import { loadHashing } from './internal/hashing.js';
import { loadPool } from './internal/loadPool.js';
import { parseResponse } from './internal/parseResponse.js';
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
}

/** The SigV4 transport: a `Transport` whose `destroy()` always exists. */
export interface SigV4Transport extends Transport {
  /** Close the transport's own connection pools; later calls fail with kind `Network`. */
  destroy(): Promise<void>;
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

function credentialsFrom(config: EcrConfig, option: SigV4TransportOptions['credentials']): { provider: AwsCredentialsProvider; describe: string } {
  const { credentials, describe } =
    option === undefined
      ? credentialsForAuth(config.auth, config.region, loadCredentialProviders)
      : { credentials: option, describe: typeof option === 'function' ? 'custom provider' : 'static' };
  return { provider: typeof credentials === 'function' ? credentials : () => Promise.resolve(credentials), describe };
}

/**
 * A `Transport` that speaks AWS JSON 1.1 to ECR and ECR Public itself: requests built and
 * SigV4-signed by hand, sent over undici keep-alive pools (one per endpoint), responses parsed
 * by hand. Endpoints follow `resolveEndpoint` (ECR Public is always signed for us-east-1).
 * Static credentials are used as given; every other `auth` mode loads
 * `@aws-sdk/credential-providers` on first use, caches the credentials and refreshes them five
 * minutes before they expire. Every failure is an `EcrError`: `ReadOnly` for a mutating call on
 * a read-only config (nothing sent), `Aborted`, `Timeout` (`requestTimeoutMs`), `Network`,
 * `InvalidResponse` (not JSON, wrong content type, truncated, oversized), `CredentialsUnavailable`,
 * or the service's own error through `errorFromWire`.
 *
 * @example
 * const transport = createSigV4Transport(ecrConfig().region('eu-west-1').build());
 * const { repositories } = await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'eu-west-1' });
 * await transport.destroy();
 */
export function createSigV4Transport(config: EcrConfig, options: SigV4TransportOptions = {}): SigV4Transport {
  const clock = options.clock ?? systemClock;
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const timeoutMs = config.requestTimeoutMs;
  const { provider, describe } = credentialsFrom(config, options.credentials);
  const credentials = new CredentialCache(provider, clock, describe);
  const endpoints = new Map<string, Endpoint>();
  const pools = new Map<string, Pool>();
  let signer: SigV4Signer | undefined;
  let destroyed = false;

  // The previous call's endpoint, checked before building a map key: most clients use one.
  let lastApi: Api | undefined;
  let lastRegion = '';
  let lastEndpoint: Endpoint | undefined;
  const endpointFor = (api: Api, region: string): Endpoint => {
    if (api === lastApi && region === lastRegion) return lastEndpoint!;
    const key = `${api}\n${region}`;
    let endpoint = endpoints.get(key);
    if (endpoint === undefined) {
      const resolved = resolveEndpoint({ ...config, region }, api);
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

  const createPool = async (origin: string): Promise<Pool> => {
    const PoolClass = await loadPool();
    // Another first request may have created it while the class loaded.
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new PoolClass(origin, options.connections === undefined ? {} : { connections: options.connections });
      pools.set(origin, pool);
    }
    return pool;
  };

  // One async function per call (no inner attempt to await). The catch is the last line of
  // defence for "nothing raw escapes": a failure to load undici or a hash still surfaces as an
  // EcrError.
  async function send(request: TransportRequest<OperationName, Api>): Promise<unknown> {
    try {
      const { api, operation, region, signal } = request;
      const spec = preflight(request, { readOnly: config.readOnly, destroyed });

      const endpoint = endpointFor(api, region);
      let identity = credentials.peek();
      if (identity === undefined) {
        try {
          identity = await credentials.get();
        } catch (err) {
          throw err instanceof EcrError ? err.withContext({ operation, region }) : err;
        }
        // Resolving credentials can take a while (STS, SSO); an abort meanwhile sends nothing.
        if (signal?.aborted) throw abortError(signal, operation).withContext({ region });
      }
      signer ??= new SigV4Signer(await loadHashing());
      const dispatcher = options.dispatcher ?? pools.get(endpoint.origin) ?? (await createPool(endpoint.origin));

      let body: string;
      try {
        body = JSON.stringify(encodeInput(spec, request.input ?? {}));
      } catch (err) {
        throw new EcrError({ kind: 'Serialization', message: `${operation}: the request input cannot be expressed as JSON`, operation, region, cause: err });
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

      const response = await dispatchPost(dispatcher, {
        origin: endpoint.origin,
        path: endpoint.path,
        headers,
        body,
        operation,
        region,
        timeoutMs,
        maxResponseBytes,
        signal,
      });
      return parseResponse({ spec, operation, region, now: clock.now() }, response.status, response.headers, response.body);
    } catch (err) {
      if (isEcrError(err)) throw err;
      const { operation, region } = request;
      throw new EcrError({ kind: 'Unknown', message: `${operation} failed inside the transport`, operation, region, cause: err });
    }
  }

  return {
    send: send as <O extends OperationName, A extends Api = 'ecr'>(request: TransportRequest<O, A>) => Promise<OutputOf<O, A>>,
    async destroy() {
      destroyed = true;
      const open = [...pools.values()];
      pools.clear();
      await Promise.all(open.map((pool) => pool.destroy().catch(() => undefined)));
    },
  };
}
