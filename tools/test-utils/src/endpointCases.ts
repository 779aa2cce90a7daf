import type { Api } from '@ecrkit/core-types';

/** Where a transport must send a request for a configuration, and how it must sign it. */
export interface EndpointCase {
  name: string;
  api: Api;
  /** The request's region. */
  region: string;
  useFips?: boolean;
  useDualstack?: boolean;
  endpointUrl?: string;
  /** `https://host[:port]` the request must reach. */
  origin: string;
  /** The request path (a custom endpoint may carry one). */
  path: string;
  signingRegion: string;
  signingName: string;
}

/**
 * The endpoint rules both transports follow (those of core-types' `resolveEndpoint`), as
 * concrete cases: regional, FIPS, dual-stack, China, GovCloud, ECR Public from any region, and a
 * custom endpoint URL. Each transport's tests intercept the request below the transport and
 * check origin, path and credential scope.
 */
export const endpointCases: EndpointCase[] = [
  {
    name: 'regional',
    api: 'ecr',
    region: 'eu-west-1',
    origin: 'https://api.ecr.eu-west-1.amazonaws.com',
    path: '/',
    signingRegion: 'eu-west-1',
    signingName: 'ecr',
  },
  {
    name: 'FIPS',
    api: 'ecr',
    region: 'us-east-1',
    useFips: true,
    origin: 'https://ecr-fips.us-east-1.amazonaws.com',
    path: '/',
    signingRegion: 'us-east-1',
    signingName: 'ecr',
  },
  {
    name: 'dual-stack',
    api: 'ecr',
    region: 'eu-west-1',
    useDualstack: true,
    origin: 'https://ecr.eu-west-1.api.aws',
    path: '/',
    signingRegion: 'eu-west-1',
    signingName: 'ecr',
  },
  {
    name: 'FIPS and dual-stack',
    api: 'ecr',
    region: 'us-east-2',
    useFips: true,
    useDualstack: true,
    origin: 'https://ecr-fips.us-east-2.api.aws',
    path: '/',
    signingRegion: 'us-east-2',
    signingName: 'ecr',
  },
  {
    name: 'China',
    api: 'ecr',
    region: 'cn-north-1',
    origin: 'https://api.ecr.cn-north-1.amazonaws.com.cn',
    path: '/',
    signingRegion: 'cn-north-1',
    signingName: 'ecr',
  },
  {
    name: 'GovCloud',
    api: 'ecr',
    region: 'us-gov-west-1',
    origin: 'https://api.ecr.us-gov-west-1.amazonaws.com',
    path: '/',
    signingRegion: 'us-gov-west-1',
    signingName: 'ecr',
  },
  {
    name: 'GovCloud FIPS',
    api: 'ecr',
    region: 'us-gov-east-1',
    useFips: true,
    origin: 'https://ecr-fips.us-gov-east-1.amazonaws.com',
    path: '/',
    signingRegion: 'us-gov-east-1',
    signingName: 'ecr',
  },
  {
    name: 'ECR Public from another region',
    api: 'ecr-public',
    region: 'eu-west-1',
    origin: 'https://api.ecr-public.us-east-1.amazonaws.com',
    path: '/',
    signingRegion: 'us-east-1',
    signingName: 'ecr-public',
  },
  {
    name: 'custom endpoint URL with a path',
    api: 'ecr',
    region: 'eu-central-1',
    endpointUrl: 'https://vpce-0a1b2c3d.api.ecr.eu-central-1.vpce.amazonaws.com:8443/ecr/',
    origin: 'https://vpce-0a1b2c3d.api.ecr.eu-central-1.vpce.amazonaws.com:8443',
    path: '/ecr/',
    signingRegion: 'eu-central-1',
    signingName: 'ecr',
  },
];
