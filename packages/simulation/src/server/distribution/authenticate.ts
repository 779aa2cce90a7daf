import { parseImageReference } from '@ecrkit/core-types';
import { DistributionCode } from '../../operations/distribution.js';
import type { DistributionFailure } from './distributionErrors.js';

/** The account and region a `/v2/` request acts on. */
export interface RegistryIdentity {
  accountId: string;
  region: string;
}

/** What authentication reads of the registry. */
export interface TokenLookup {
  authorizationTokenBinding(token: string): { accountId: string; region: string; expiresAt: Date } | undefined;
}

/** How a `/v2/` request is authenticated. */
export interface AuthenticateOptions {
  registry: TokenLookup;
  now: number;
  /** Accept requests without (or with unusable) credentials, acting on the host's or the default account and region. */
  anonymous: boolean;
  defaults: RegistryIdentity;
}

/**
 * The account and region of a `/v2/` request, or the 401 to answer. ECR's registry takes HTTP
 * Basic `AWS:<password>`, the password being a GetAuthorizationToken token (12 hours). Here:
 *
 * 1. a `Host` that is an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`, when
 *    `/etc/hosts` or a proxy sends such names to the simulation) names the account and region;
 * 2. otherwise the token does: it was issued for one account and region, and one local address
 *    serves them all;
 * 3. anonymous requests (anonymous mode only) act on the host's or the server's defaults.
 *
 * A token is bound to its region: one from another region than the host names is refused, as ECR
 * refuses it. A host naming another account than the token's is served: ECR tokens work for
 * every registry the principal may read, and the simulation checks no policies.
 */
export function authenticate(
  authorization: string | undefined,
  host: string | undefined,
  options: AuthenticateOptions,
): RegistryIdentity | DistributionFailure {
  const hosted = identityOfHost(host);
  const anonymousIdentity = () => hosted ?? options.defaults;
  if (authorization === undefined) {
    return options.anonymous ? anonymousIdentity() : { status: 401, code: DistributionCode.Unauthorized, message: 'Not Authorized' };
  }
  const password = basicPassword(authorization);
  const binding = password === undefined ? undefined : options.registry.authorizationTokenBinding(password);
  let failure: DistributionFailure | undefined;
  if (!binding) failure = { status: 401, code: DistributionCode.Denied, message: 'Your authorization token is invalid.' };
  else if (binding.expiresAt.getTime() <= options.now) {
    failure = { status: 401, code: DistributionCode.Denied, message: 'Your authorization token has expired. Reauthenticate and try again.' };
  } else if (hosted && hosted.region !== binding.region) {
    failure = { status: 401, code: DistributionCode.Denied, message: `Your authorization token was issued for ${binding.region}, not ${hosted.region}.` };
  }
  if (failure) return options.anonymous ? anonymousIdentity() : failure;
  return { accountId: hosted?.accountId ?? binding!.accountId, region: binding!.region };
}

/** The password of `Basic base64(AWS:<password>)`; any other user name or scheme is no ECR credential. */
function basicPassword(authorization: string): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  if (!decoded.startsWith('AWS:') || decoded.length === 4) return undefined;
  return decoded.slice(4);
}

/** The account and region an ECR registry host names (port ignored), by core-types' image-reference rules. */
function identityOfHost(host: string | undefined): RegistryIdentity | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '');
  if (!name.includes('.dkr')) return undefined;
  try {
    const ref = parseImageReference(`${name}/x0`);
    return ref.registryId && ref.region ? { accountId: ref.registryId, region: ref.region } : undefined;
  } catch {
    return undefined;
  }
}
