import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from './endpoints.js';
import { parseImageReference, registryHost } from './imageReference.js';
import { partitionOf } from './partitions.js';

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['eu-west-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
    ['us-isof-south-1', 'aws-iso-f', 'csp.hci.ic.gov'],
    ['eu-isoe-west-1', 'aws-iso-e', 'cloud.adc-e.uk'],
  ])('%s is in %s (%s)', (region, name, dnsSuffix) => {
    expect(partitionOf(region)).toMatchObject({ name, dnsSuffix });
  });

  it('is the one source of registry hosts, API endpoints and parsing', () => {
    for (const region of ['us-east-1', 'cn-north-1', 'us-iso-east-1']) {
      const { dnsSuffix } = partitionOf(region);
      const host = registryHost({ registryId: '123456789012', region });
      expect(host).toBe(`123456789012.dkr.ecr.${region}.${dnsSuffix}`);
      expect(parseImageReference(`${host}/app:v1`)).toMatchObject({ region, registryId: '123456789012' });
      expect(resolveEndpoint('ecr', region).url).toBe(`https://api.ecr.${region}.${dnsSuffix}`);
    }
  });

  it('has no dual-stack registry hosts where the partition has none', () => {
    expect(() => parseImageReference('123456789012.dkr-ecr.us-iso-east-1.on.aws/app:v1')).toThrow(/no dual-stack/);
    expect(parseImageReference('123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn/app:v1').region).toBe('cn-north-1');
  });
});
