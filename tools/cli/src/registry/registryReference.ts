import { isValidDigest, isValidImageTag, isValidRepositoryName, isEcrError, parseImageReference } from '@ecrkit/core-types';
import { CliError } from '../CliError.js';
import { ExitCode } from '../exitCodes.js';

/**
 * An image reference as `ecrkit copy`, `ecrkit pull` and the credential helper read it: an Amazon
 * ECR registry (`<account>.dkr.ecr.<region>.amazonaws.com/...`, also FIPS, dual-stack and China
 * hosts, by core-types' rules), ECR Public (`public.ecr.aws/...`), or any other `host[:port]/...`,
 * which is taken to be an ecrkit simulation serving the AWS API and the registry on one address.
 */
export interface RegistryReference {
  kind: 'ecr' | 'public' | 'simulation';
  /** The registry host as written, with its port. */
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** ECR only: the account and region the host names, and whether it is a FIPS or dual-stack host. */
  accountId?: string;
  region?: string;
  fips?: boolean;
  dualStack?: boolean;
}

/** The kind of a registry host (no repository), for the credential helper. */
export function classifyRegistryHost(host: string): Pick<RegistryReference, 'kind' | 'accountId' | 'region' | 'fips' | 'dualStack'> {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (name === 'public.ecr.aws') return { kind: 'public' };
  try {
    const ref = parseImageReference(`${name}/x0`);
    return { kind: 'ecr', accountId: ref.registryId!, region: ref.region!, fips: name.includes('-fips.'), dualStack: name.includes('.dkr-ecr') };
  } catch {
    return { kind: 'simulation' };
  }
}

/**
 * Parse `host[:port]/repository[:tag][@digest]`.
 *
 * @throws CliError (usage) naming what is wrong.
 */
export function parseRegistryReference(text: string): RegistryReference {
  const slash = text.indexOf('/');
  const host = slash > 0 ? text.slice(0, slash) : '';
  const kind = classifyRegistryHost(host);
  if (kind.kind === 'ecr' || kind.kind === 'public') {
    try {
      const ref = parseImageReference(text);
      return {
        ...kind,
        host: ref.host ?? host.toLowerCase(),
        repository: kind.kind === 'public' ? `${ref.publicAlias}/${ref.repositoryName}` : ref.repositoryName,
        ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
        ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
      };
    } catch (error) {
      throw usage(`${text} is not a valid image reference: ${isEcrError(error) ? error.message : String(error)}`);
    }
  }
  if (!/^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host) || (!host.includes(':') && !host.includes('.'))) {
    throw usage(
      `${text} names no registry: write <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag][@digest], or host:port/<repository> for a simulation`,
    );
  }
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) throw usage(`${text} has an invalid digest: expected sha256: and 64 lowercase hex digits`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidImageTag(tag)) throw usage(`${text} has an invalid tag`);
  }
  if (!isValidRepositoryName(rest)) throw usage(`${text} has an invalid repository name: lowercase words joined by '.', '_', '__' or '-', namespaces by '/'`);
  return { kind: 'simulation', host, repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

function usage(message: string): CliError {
  return new CliError(message, { exitCode: ExitCode.Usage });
}
