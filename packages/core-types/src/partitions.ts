import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';

/**
 * An AWS partition as ECR uses it: the ARN partition name and the DNS suffixes of its API and
 * registry endpoints. Dual-stack suffixes are absent where the partition offers no dual-stack.
 */
export interface Partition {
  /** The ARN partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, ... */
  readonly name: string;
  /** `amazonaws.com`, `amazonaws.com.cn`, `c2s.ic.gov`, ... */
  readonly dnsSuffix: string;
  /** Dual-stack API endpoints (`ecr.{region}.api.aws`). */
  readonly apiDualStackDnsSuffix?: string;
  /** Dual-stack registry hosts (`{account}.dkr-ecr.{region}.on.aws`). */
  readonly registryDualStackDnsSuffix?: string;
}

const aws: Partition = { name: 'aws', dnsSuffix: 'amazonaws.com', apiDualStackDnsSuffix: 'api.aws', registryDualStackDnsSuffix: 'on.aws' };
const china: Partition = {
  name: 'aws-cn',
  dnsSuffix: 'amazonaws.com.cn',
  apiDualStackDnsSuffix: 'api.amazonwebservices.com.cn',
  registryDualStackDnsSuffix: 'on.amazonwebservices.com.cn',
};
const govCloud: Partition = { name: 'aws-us-gov', dnsSuffix: 'amazonaws.com', apiDualStackDnsSuffix: 'api.aws', registryDualStackDnsSuffix: 'on.aws' };

// Region prefixes as in the SDK's partitions.json; the longer `us-iso*` prefixes come first.
const byPrefix: readonly (readonly [string, Partition])[] = [
  ['cn-', china],
  ['us-gov-', govCloud],
  ['us-isob-', { name: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov' }],
  ['us-isof-', { name: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov' }],
  ['us-iso-', { name: 'aws-iso', dnsSuffix: 'c2s.ic.gov' }],
  ['eu-isoe-', { name: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk' }],
];

/**
 * The partition of a region, by its prefix as in the SDK's partitions.json (`cn-*` China,
 * `us-gov-*` GovCloud, the ISO partitions); every other region is in `aws`. The one place
 * ecrkit decides ARN partitions and DNS suffixes.
 *
 * @example partitionOf('cn-north-1').dnsSuffix // 'amazonaws.com.cn'
 */
export function partitionOf(region: string): Partition {
  if (typeof region !== 'string') throw invalidParameter('region', `must be a string, got ${describeValue(region)}`);
  for (const [prefix, partition] of byPrefix) if (region.startsWith(prefix)) return partition;
  return aws;
}
