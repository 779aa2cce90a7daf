import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { ecrConfig } from './config.js';
import { resolveEndpoint } from './endpoints.js';

const url = (region: string, fips = false, dual = false) =>
  resolveEndpoint('ecr', region, ecrConfig().region(region).useFips(fips).useDualstack(dual).build()).url;

describe('resolveEndpoint', () => {
  it.each([
    ['us-east-1', false, false, 'https://api.ecr.us-east-1.amazonaws.com'],
    ['us-east-1', true, false, 'https://ecr-fips.us-east-1.amazonaws.com'],
    ['us-east-1', false, true, 'https://ecr.us-east-1.api.aws'],
    ['us-east-1', true, true, 'https://ecr-fips.us-east-1.api.aws'],
    ['cn-north-1', false, false, 'https://api.ecr.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', false, true, 'https://ecr.cn-northwest-1.api.amazonwebservices.com.cn'],
    ['us-gov-west-1', false, false, 'https://api.ecr.us-gov-west-1.amazonaws.com'],
    ['us-gov-west-1', true, false, 'https://ecr-fips.us-gov-west-1.amazonaws.com'],
    ['us-iso-east-1', false, false, 'https://api.ecr.us-iso-east-1.c2s.ic.gov'],
  ])('%s fips=%s dualstack=%s → %s', (region, fips, dual, expected) => {
    expect(url(region, fips, dual)).toBe(expected);
  });

  it('signs private ECR for the configured region with signing name ecr', () => {
    expect(resolveEndpoint('ecr', 'eu-west-1', ecrConfig().region('eu-west-1').build())).toEqual({
      url: 'https://api.ecr.eu-west-1.amazonaws.com',
      signingRegion: 'eu-west-1',
      signingName: 'ecr',
    });
  });

  it('sends ECR Public to us-east-1 whatever the region', () => {
    expect(resolveEndpoint('ecr-public', 'eu-west-1')).toEqual({
      url: 'https://api.ecr-public.us-east-1.amazonaws.com',
      signingRegion: 'us-east-1',
      signingName: 'ecr-public',
    });
    expect(resolveEndpoint('ecr-public', 'eu-west-1', { useFips: false, useDualstack: true }).url).toBe('https://api.ecr-public.us-east-1.api.aws');
  });

  it('lets a custom endpoint win', () => {
    const config = ecrConfig().region('ap-northeast-1').endpointUrl('http://127.0.0.1:4566').useFips().useDualstack().build();
    expect(resolveEndpoint('ecr', 'ap-northeast-1', config)).toEqual({ url: 'http://127.0.0.1:4566', signingRegion: 'ap-northeast-1', signingName: 'ecr' });
  });

  it('refuses dual-stack where the partition has none', () => {
    expect(catchEcrError(() => url('us-iso-east-1', false, true)).field).toBe('useDualstack');
  });

  it('resolves the request region, not a config region (one home for the region)', () => {
    const config = ecrConfig().region('us-east-1').build();
    expect(resolveEndpoint('ecr', 'eu-central-1', config).url).toBe('https://api.ecr.eu-central-1.amazonaws.com');
  });

  it('refuses what names no API, region or endpoint settings, as EcrError', () => {
    expect(catchEcrError(() => resolveEndpoint('s3' as never, 'us-east-1')).field).toBe('api');
    expect(catchEcrError(() => resolveEndpoint('ecr', 42 as never)).field).toBe('region');
    expect(catchEcrError(() => resolveEndpoint('ecr', 'us-east-1', null as never)).field).toBe('options');
  });
});
