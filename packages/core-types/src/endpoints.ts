import { invalidParameter } from './EcrError.js';
import type { EndpointOptions } from './config.js';
import { describeValue } from './internal/describeValue.js';
import { partitionOf } from './partitions.js';
import { isValidRegion } from './validation.js';
import type { Api } from './wire/operations.js';
import { signingNames } from './wire/operations.js';

/** Where to send a request and how to sign it. */
export interface ResolvedEndpoint {
  url: string;
  signingRegion: string;
  signingName: string;
}

const noOptions: EndpointOptions = { useFips: false, useDualstack: false };

/**
 * The endpoint of `api` in `region` under the endpoint slice of the config (an `EcrConfig` fits),
 * following the SDK endpoint rule sets of `@aws-sdk/client-ecr` and `@aws-sdk/client-ecr-public`
 * and the ECR user guide's endpoint names:
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
 * @throws EcrError kind `InvalidParameter`: field `api` or `region` for values that name none,
 * field `useDualstack` for dual-stack in a partition without it.
 * @example resolveEndpoint('ecr', 'eu-west-1', config).url // 'https://api.ecr.eu-west-1.amazonaws.com'
 */
export function resolveEndpoint(api: Api, region: string, options: EndpointOptions = noOptions): ResolvedEndpoint {
  if (api !== 'ecr' && api !== 'ecr-public') throw invalidParameter('api', `must be 'ecr' or 'ecr-public', got ${describeValue(api)}`);
  if (!isValidRegion(region)) throw invalidParameter('region', `${describeValue(region)} is not a region name like 'us-east-1'`);
  if (typeof options !== 'object' || options === null) throw invalidParameter('options', 'must be the endpoint settings of a config');
  const { endpointUrl, useFips, useDualstack } = options;
  const signingName = signingNames[api];
  const signingRegion = api === 'ecr-public' ? 'us-east-1' : region;
  if (endpointUrl !== undefined) {
    if (typeof endpointUrl !== 'string') throw invalidParameter('endpointUrl', 'must be a URL string');
    return { url: endpointUrl, signingRegion, signingName };
  }

  const partition = partitionOf(signingRegion);
  const dual = useDualstack === true;
  const fips = useFips === true;
  if (dual && partition.apiDualStackDnsSuffix === undefined) {
    throw invalidParameter('useDualstack', `dual-stack endpoints are not offered in the ${partition.name} partition`);
  }
  const suffix = dual ? (partition.apiDualStackDnsSuffix as string) : partition.dnsSuffix;
  const r = signingRegion;
  let url: string;
  if (api === 'ecr-public') {
    url = `https://api.ecr-public${fips ? '-fips' : ''}.${r}.${suffix}`;
  } else if (dual) {
    url = `https://ecr${fips ? '-fips' : ''}.${r}.${suffix}`;
  } else if (fips) {
    const plain = partition.name === 'aws' || partition.name === 'aws-us-gov';
    url = plain ? `https://ecr-fips.${r}.amazonaws.com` : `https://api.ecr-fips.${r}.${suffix}`;
  } else {
    url = `https://api.ecr.${r}.${suffix}`;
  }
  return { url, signingRegion, signingName };
}
