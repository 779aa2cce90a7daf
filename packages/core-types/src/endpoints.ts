import { invalidParameter } from './EcrError.js';
import type { EcrConfig } from './config.js';
import type { Api } from './wire/operations.js';
import { signingNames } from './wire/operations.js';
import { partitionOf } from './partitions.js';

/** Where to send a request and how to sign it. */
export interface ResolvedEndpoint {
  url: string;
  signingRegion: string;
  signingName: string;
}

/**
 * The endpoint for `api` under `config`, following the SDK endpoint rule sets of
 * `@aws-sdk/client-ecr` and `@aws-sdk/client-ecr-public` and the ECR user guide's endpoint names:
 *
 * - `endpointUrl`, when set, wins over everything (a simulation, a VPC endpoint);
 * - private ECR: `https://api.ecr.{region}.{dnsSuffix}` (`amazonaws.com`, `amazonaws.com.cn`
 *   for `cn-*`, GovCloud `us-gov-*` also `amazonaws.com`); FIPS `https://ecr-fips.{region}.amazonaws.com`
 *   (other partitions `https://api.ecr-fips.{region}.{dnsSuffix}`); dual-stack
 *   `https://ecr.{region}.api.aws` (China `api.amazonwebservices.com.cn`); both
 *   `https://ecr-fips.{region}.api.aws`;
 * - ECR Public lives in us-east-1 only and is signed for us-east-1 whatever the region:
 *   `https://api.ecr-public.us-east-1.amazonaws.com` (`api.ecr-public-fips.` with FIPS,
 *   `.api.aws` with dual-stack).
 *
 * @throws EcrError kind `InvalidParameter`, field `useDualstack`, for dual-stack in a partition without it.
 */
export function resolveEndpoint(config: EcrConfig, api: Api): ResolvedEndpoint {
  const signingName = signingNames[api];
  const signingRegion = api === 'ecr-public' ? 'us-east-1' : config.region;
  if (config.endpointUrl !== undefined) return { url: config.endpointUrl, signingRegion, signingName };

  const partition = partitionOf(signingRegion);
  const dual = config.useDualstack;
  if (dual && partition.apiDualStackDnsSuffix === undefined) {
    throw invalidParameter('useDualstack', `dual-stack endpoints are not offered in the ${partition.name} partition`);
  }
  const suffix = dual ? (partition.apiDualStackDnsSuffix as string) : partition.dnsSuffix;
  const r = signingRegion;
  let url: string;
  if (api === 'ecr-public') {
    url = `https://api.ecr-public${config.useFips ? '-fips' : ''}.${r}.${suffix}`;
  } else if (dual) {
    url = `https://ecr${config.useFips ? '-fips' : ''}.${r}.${suffix}`;
  } else if (config.useFips) {
    const plain = partition.name === 'aws' || partition.name === 'aws-us-gov';
    url = plain ? `https://ecr-fips.${r}.amazonaws.com` : `https://api.ecr-fips.${r}.${suffix}`;
  } else {
    url = `https://api.ecr.${r}.${suffix}`;
  }
  return { url, signingRegion, signingName };
}
