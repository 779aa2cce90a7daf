import type { CallOptions } from '@ecrkit/core-types';
import {
  EcrError,
  isEcrError,
  SecretString,
  abortError,
  authorizationTokenFromWire,
  dockerCredentials,
  loginCommand as coreLoginCommand,
  isPrivateRegistryHost,
  toBase64,
  validateRegistryId,
} from '@ecrkit/core-types';
import type { AuthorizationToken, DockerCredentials, LoginCommand as CoreLoginCommand } from '@ecrkit/core-types';
import { privateRegistryHost } from './internal/registryHost.js';
import type { ServiceContext } from './internal/ServiceContext.js';
import type { RegistryCredentialProvider } from './RegistryClient.js';
import { publicRegion } from './internal/ServiceContext.js';
import { callOptions } from './internal/options.js';

/**
 * An ECR authorization token (core-types `AuthorizationToken`: base64 `AWS:<password>` as a
 * `SecretString`, valid for 12 hours) with its registry host.
 */
export interface AuthToken extends AuthorizationToken {
  /** The registry host, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com` or `public.ecr.aws`. */
  registry: string;
}

/**
 * A `docker login` to run with the password on standard input, never in argv:
 * `spawn(cmd.command, cmd.args).stdin.end(cmd.stdin.reveal())`. Extends core-types
 * `LoginCommand` (`display` is the docker command alone); `toString()` gives the whole shell
 * pipeline, which fetches the password itself.
 */
export interface LoginCommand extends CoreLoginCommand {
  args: ['login', '--username', 'AWS', '--password-stdin', string];
  registry: string;
  expiresAt: Date;
  /** `aws ecr get-login-password --region <region> | docker login --username AWS --password-stdin <registry>`. */
  toString(): string;
}

/** A `kubernetes.io/dockerconfigjson` Secret; its data stays a `SecretString` so printing the object redacts it. */
export interface KubernetesDockerConfigSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string };
  type: 'kubernetes.io/dockerconfigjson';
  /** `.dockerconfigjson`: the base64 Docker config; `.reveal()` it where the manifest is written. */
  data: { '.dockerconfigjson': SecretString };
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * An image pull secret for Kubernetes. `object` holds the secret data as a `SecretString`;
 * `yaml` is the manifest to `kubectl apply`, which necessarily contains the base64 Docker
 * config — so it is a getter, not an own property, and `toString`, `toJSON` and
 * `util.inspect` of this object redact it.
 */
export class ImagePullSecret {
  readonly object: KubernetesDockerConfigSecret;
  readonly expiresAt: Date;
  readonly #yaml: string;

  /** @internal Built by {@link AuthService.imagePullSecret}. */
  constructor(object: KubernetesDockerConfigSecret, yaml: string, expiresAt: Date) {
    this.object = object;
    this.#yaml = yaml;
    this.expiresAt = expiresAt;
  }

  /** The Secret manifest as YAML, credentials included: write it only to `kubectl` or a protected file. */
  get yaml(): string {
    return this.#yaml;
  }

  toString(): string {
    return `ImagePullSecret ${this.object.metadata.namespace}/${this.object.metadata.name} [redacted]`;
  }

  toJSON(): Record<string, unknown> {
    return { object: this.object, yaml: '[redacted]', expiresAt: this.expiresAt.toISOString() };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

// Kubernetes object names: namespaces are DNS-1123 labels, Secret names DNS-1123 subdomains.
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The host of a proxy endpoint (`https://host` -> `host`). */
export function registryHost(proxyEndpoint: string): string {
  return proxyEndpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

/** Authorization tokens (cached, single-flight), Docker credentials, login commands and pull secrets. */
export class AuthService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Authorization tokens for the registry (GetAuthorizationToken), from the token cache while
   * more than `tokenRefreshBufferSecs` from expiry. Concurrent callers share one request.
   *
   * @throws EcrError kind `InvalidParameter` before any request for a malformed registry id.
   */
  async getAuthorizationToken(registryIds?: readonly string[], options: CallOptions = {}): Promise<AuthToken[]> {
    const { signal } = callOptions(options);
    const ids = this.#validateIds(registryIds);
    return [
      ...(
        await raceSignal(
          this.#ctx.tokenCache.get(this.#key(ids), () => this.#fetch(ids)),
          signal,
        )
      ).tokens,
    ];
  }

  /**
   * Fetch a new token now, replacing the cached one (callers already waiting share this fetch).
   *
   * @throws EcrError kind `InvalidParameter` before any request for a malformed registry id.
   */
  async refreshToken(registryIds?: readonly string[], options: CallOptions = {}): Promise<AuthToken[]> {
    const { signal } = callOptions(options);
    const ids = this.#validateIds(registryIds);
    return [
      ...(
        await raceSignal(
          this.#ctx.tokenCache.refresh(this.#key(ids), () => this.#fetch(ids)),
          signal,
        )
      ).tokens,
    ];
  }

  /**
   * `docker login` credentials for the client's registry: user `AWS`, the password as a
   * `SecretString`. The registry is the config's registry id in the client's region when set
   * (an ECR token is valid for every registry the caller may read), else the token's endpoint.
   */
  async getDockerCredentials(options: CallOptions = {}): Promise<DockerCredentials> {
    const { signal } = callOptions(options);
    const [token] = await this.getAuthorizationToken(undefined, { signal });
    if (!token)
      throw new EcrError({ kind: 'InvalidResponse', operation: 'GetAuthorizationToken', message: 'GetAuthorizationToken returned no authorization data' });
    const { registryId } = this.#ctx.config;
    // A registry that is not an ECR host (a simulation, a proxy) is where the token must be used.
    if (registryId === undefined || !isPrivateRegistryHost(token.registry)) return toDockerCredentials(token);
    const registry = privateRegistryHost(registryId, this.#ctx.region);
    return toDockerCredentials({ ...token, registry, proxyEndpoint: `https://${registry}` });
  }

  /**
   * Credentials for a {@link RegistryClient}: user `AWS` and the password of this client's
   * authorization token, from the token cache (a refresh when the registry answered 401).
   *
   * @example new RegistryClient({ url: `https://${client.registryUri}`, credentials: client.auth.registryCredentials() })
   */
  registryCredentials(registryIds?: readonly string[]): RegistryCredentialProvider {
    // Checked now, not on the first request: a bad list is the caller's mistake, not a registry failure.
    const ids = this.#validateIds(registryIds);
    return async ({ refresh, signal }) => {
      const options = signal ? { signal } : {};
      const [token] = refresh ? await this.refreshToken(ids, options) : await this.getAuthorizationToken(ids, options);
      if (!token)
        throw new EcrError({ kind: 'InvalidResponse', operation: 'GetAuthorizationToken', message: 'GetAuthorizationToken returned no authorization data' });
      return { username: 'AWS', password: toDockerCredentials(token).password };
    };
  }

  /**
   * A `docker login --username AWS --password-stdin <registry>` command with the password for
   * its standard input; the password is never in `args` nor in `toString()`.
   */
  async getLoginCommand(options: CallOptions = {}): Promise<LoginCommand> {
    const { signal } = callOptions(options);
    const creds = await this.getDockerCredentials({ signal });
    return loginCommand(creds, `aws ecr get-login-password --region ${this.#ctx.region}`);
  }

  /**
   * A Kubernetes `kubernetes.io/dockerconfigjson` Secret for pulling from this registry, as an
   * object and as YAML. The token expires (see `expiresAt`); refresh the Secret before then.
   *
   * @throws EcrError kind `InvalidParameter` before any request when `namespace` or `name` is not a valid Kubernetes name.
   */
  async imagePullSecret(namespace: string, name = 'ecr-pull-secret', options: CallOptions = {}): Promise<ImagePullSecret> {
    const { signal } = callOptions(options);
    if (typeof namespace !== 'string' || namespace.length > 63 || !dnsLabel.test(namespace)) {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'namespace',
        message: `Invalid parameter 'namespace': must be a Kubernetes namespace name (DNS-1123 label, at most 63 characters)`,
      });
    }
    if (typeof name !== 'string' || name.length > 253 || !dnsSubdomain.test(name)) {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'name',
        message: `Invalid parameter 'name': must be a Kubernetes object name (DNS-1123 subdomain, at most 253 characters)`,
      });
    }
    const creds = await this.getDockerCredentials({ signal });
    const encoder = new TextEncoder();
    const auth = toBase64(encoder.encode(`AWS:${creds.password.reveal()}`));
    const config = JSON.stringify({ auths: { [creds.registry]: { username: 'AWS', password: creds.password.reveal(), auth } } });
    const data = toBase64(encoder.encode(config));
    const object: KubernetesDockerConfigSecret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': new SecretString(data) },
    };
    const yaml = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${namespace}`,
      'type: kubernetes.io/dockerconfigjson',
      'data:',
      `  .dockerconfigjson: ${data}`,
      '',
    ].join('\n');
    return new ImagePullSecret(object, yaml, creds.expiresAt);
  }

  #validateIds(registryIds: readonly string[] | undefined): string[] {
    if (registryIds === undefined) return [];
    if (!Array.isArray(registryIds) || registryIds.length > 10) {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'registryIds',
        message: `Invalid parameter 'registryIds': must be a list of at most 10 registry ids`,
      });
    }
    for (const [i, id] of registryIds.entries()) validateRegistryId(id, `registryIds[${i}]`);
    return [...new Set(registryIds)].sort();
  }

  #key(ids: readonly string[]): string {
    const registry = ids.length ? ids.join(',') : (this.#ctx.config.registryId ?? 'default');
    return `${registry}|${this.#ctx.region}|private`;
  }

  async #fetch(ids: readonly string[]): Promise<TokenCacheEntry> {
    this.#ctx.telemetry.onTokenRefresh?.();
    const out = await refreshingToken(this.#ctx, this.#ctx.send('ecr', 'GetAuthorizationToken', ids.length ? { registryIds: [...ids] } : {}));
    const tokens = (out.authorizationData ?? []).map((d): AuthToken => {
      const token = authorizationTokenFromWire(d);
      return { ...token, registry: registryHost(token.proxyEndpoint) };
    });
    if (tokens.length === 0) {
      throw new EcrError({ kind: 'InvalidResponse', operation: 'GetAuthorizationToken', message: 'GetAuthorizationToken returned no authorization data' });
    }
    return { expiresAt: new Date(Math.min(...tokens.map((t) => t.expiresAt.getTime()))), tokens };
  }
}

/** What the token cache holds per key: the tokens and the earliest expiry among them. */
export interface TokenCacheEntry {
  expiresAt: Date;
  tokens: AuthToken[];
}

/** Settle with `promise`, or reject with `Aborted` as soon as `signal` fires (the promise runs on). */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Docker credentials from an authorization token. */
export function toDockerCredentials(token: AuthToken): DockerCredentials {
  return { ...dockerCredentials(token), registry: token.registry };
}

/** The `docker login` command for credentials; `passwordSource` is the shell command that prints the password. */
export function loginCommand(creds: DockerCredentials, passwordSource: string): LoginCommand {
  const base = coreLoginCommand(creds);
  const args: LoginCommand['args'] = ['login', '--username', 'AWS', '--password-stdin', creds.registry];
  const command: LoginCommand = {
    ...base,
    args,
    registry: creds.registry,
    expiresAt: creds.expiresAt,
    toString: () => `${passwordSource} | ${base.display}`,
  };
  return Object.freeze(command);
}

/** The public registry's token cache key and region, shared with `PublicRegistryService`. */
export const publicTokenKey = `public|${publicRegion}|public`;

/**
 * A token fetch, its failure logged as `TOKEN_REFRESH_FAILED` (kind and request id only) before it
 * reaches the callers; for private ECR and ECR Public alike. The shared fetch carries no caller's
 * signal: one caller's abort must not fail the others waiting on it (each races its own, raceSignal).
 */
export async function refreshingToken<T>(ctx: ServiceContext, fetch: Promise<T>): Promise<T> {
  try {
    return await fetch;
  } catch (err) {
    ctx.observe.log(
      'warn',
      'services.auth',
      'TOKEN_REFRESH_FAILED',
      isEcrError(err) ? { kind: err.kind, awsCode: err.awsCode, requestId: err.requestId, region: ctx.region } : { kind: 'Unknown', region: ctx.region },
      'authorization token refresh failed',
    );
    throw err;
  }
}
