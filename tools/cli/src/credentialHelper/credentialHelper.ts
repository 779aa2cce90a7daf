import { dockerCredentials, ecrConfig, isEcrError, type EcrConfig } from '@ecrkit/core-types';
import { principalOf, simulationConfig } from '../registry/registryConfig.js';
import { classifyRegistryHost } from '../registry/registryReference.js';
import { version } from '../version.js';
import { TokenDiskCache, tokenCacheDirectory, type CachedToken } from './TokenDiskCache.js';

/** The process around one helper run; the bin passes the real ones, tests their own. */
export interface HelperIo {
  /** Everything the caller wrote to standard input. */
  stdin: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Default: the system clock. */
  now?: () => number;
  /** Default: the global `fetch` (checks a cached token against a simulation). */
  fetch?: typeof fetch;
}

/** A cached token is used until this long before it expires (ECR tokens last 12 hours; a push may take a while). */
export const refreshBeforeExpiryMs = 30 * 60_000;

/** What docker and the containers tools take as "no credentials here, carry on anonymously". */
const notFound = 'credentials not found in native keychain';

const usage = `Usage: docker-credential-ecrkit <get|list|store|erase|version>

A Docker credential helper for Amazon ECR and ecrkit simulations: \`get\` reads a registry
host on standard input and prints {"ServerURL","Username":"AWS","Secret"} with a password from
GetAuthorizationToken, cached on disk until shortly before it expires.
Configure it per registry in ~/.docker/config.json or a containers auth.json:
  {"credHelpers": {"123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecrkit"}}
(\`ecrkit login --helper\` prints the entry.)`;

/**
 * The docker-credential-helpers protocol (`get`, `list`, `store`, `erase`, `version`) for ECR
 * registries (private, FIPS, dual-stack, China; ECR Public) and simulation hosts. Resolves with
 * the exit code. Errors go to standard output, as the protocol wants; no token ever does except
 * in `get`'s answer.
 */
export async function credentialHelper(argv: readonly string[], io: HelperIo): Promise<number> {
  const action = argv[0];
  const cache = new TokenDiskCache(tokenCacheDirectory(io.env));
  const now = io.now ?? Date.now;
  switch (action) {
    case 'get':
      return get(io.stdin.trim(), cache, io, now);
    case 'list': {
      const live = (await cache.list()).filter((e) => Date.parse(e.expiresAt) > now());
      io.stdout(`${JSON.stringify(Object.fromEntries(live.map((e) => [e.registry, e.username])))}\n`);
      return 0;
    }
    case 'store':
    case 'erase':
      io.stderr(
        `docker-credential-ecrkit: ${action} does nothing: ECR passwords come from GetAuthorizationToken with your AWS credentials, so there is nothing to ${action === 'store' ? 'keep' : 'remove'}.\n`,
      );
      return 0;
    case 'version':
    case '--version':
    case '-v':
      io.stdout(`docker-credential-ecrkit (ecrkit) ${version}\n`);
      return 0;
    case '--help':
    case '-h':
      // Asked for: on standard output, like any --help.
      io.stdout(`${usage}\n`);
      return 0;
    default:
      io.stderr(`${usage}\n`);
      return action === undefined ? 0 : 1;
  }
}

async function get(serverUrl: string, cache: TokenDiskCache, io: HelperIo, now: () => number): Promise<number> {
  const host = hostOf(serverUrl);
  if (!host) {
    io.stdout(`${notFound}\n`);
    return 1;
  }
  const registry = classifyRegistryHost(host);
  let config: EcrConfig;
  try {
    config = configFor(host, registry, io.env);
  } catch (error) {
    io.stdout(`docker-credential-ecrkit: ${messageOf(error)}\n`);
    return 1;
  }
  const principal = principalOf(config);
  const cached = await cache.get(host, principal);
  if (cached && Date.parse(cached.expiresAt) - now() > refreshBeforeExpiryMs) {
    // A restarted simulation has forgotten the tokens it issued; a real registry's stay valid.
    if (registry.kind !== 'simulation' || (await stillAccepted(host, cached, io.fetch ?? fetch))) return answer(serverUrl, cached, io);
  }
  let fresh: CachedToken;
  try {
    fresh = { registry: host, principal, ...(await fetchToken(config, registry.kind)) };
  } catch (error) {
    io.stdout(`docker-credential-ecrkit: could not get a password for ${host}: ${messageOf(error)}\n`);
    return 1;
  }
  await cache.put(fresh).catch((error: unknown) => io.stderr(`docker-credential-ecrkit: could not cache the token: ${messageOf(error)}\n`));
  return answer(serverUrl, fresh, io);
}

function answer(serverUrl: string, token: CachedToken, io: HelperIo): number {
  io.stdout(`${JSON.stringify({ ServerURL: serverUrl, Username: token.username, Secret: token.password })}\n`);
  return 0;
}

/** `https://host:port/v2/` or `host:port` -> `host:port`, lowercased. */
function hostOf(serverUrl: string): string | undefined {
  const withoutScheme = serverUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = withoutScheme.split('/')[0]?.toLowerCase();
  return host && /^[a-z0-9.[\]:-]+$/.test(host) ? host : undefined;
}

function configFor(host: string, registry: ReturnType<typeof classifyRegistryHost>, env: NodeJS.ProcessEnv): EcrConfig {
  if (registry.kind === 'ecr') {
    return ecrConfig()
      .fromEnv(env)
      .region(registry.region!)
      .registryId(registry.accountId!)
      .useFips(registry.fips === true)
      .useDualstack(registry.dualStack === true)
      .build();
  }
  if (registry.kind === 'public') return ecrConfig().fromEnv(env).region('us-east-1').build(); // ECR Public answers in us-east-1 only
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return simulationConfig(env.ECR_ENDPOINT_URL ?? `http://${host}`, region, env);
}

/** A fresh password (the transports and services are loaded only here, on a cache miss). */
async function fetchToken(config: EcrConfig, kind: 'ecr' | 'public' | 'simulation'): Promise<Omit<CachedToken, 'registry' | 'principal'>> {
  const { createAwsClient } = await import('../session.js');
  const { client, close } = await createAwsClient(config, { transport: 'sigv4' });
  try {
    // A token for the host's own account (ECR tokens are issued per registry id asked for).
    const registryIds = config.registryId !== undefined ? [config.registryId] : undefined;
    const creds =
      kind === 'public' ? await client.public.getDockerCredentials() : dockerCredentials((await client.auth.getAuthorizationToken(registryIds))[0]!);
    return { username: creds.username, password: creds.password.reveal(), expiresAt: creds.expiresAt.toISOString() };
  } finally {
    await close();
  }
}

async function stillAccepted(host: string, token: CachedToken, fetchFn: typeof fetch): Promise<boolean> {
  try {
    const res = await fetchFn(`http://${host}/v2/`, {
      headers: { authorization: `Basic ${Buffer.from(`${token.username}:${token.password}`).toString('base64')}` },
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    return res.status !== 401;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return isEcrError(error) || error instanceof Error ? error.message : String(error);
}
