import { registryHost } from '@ecrkit/core-types';

/** The registry host of an account and region: `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China). */
export function privateRegistryHost(registryId: string, region: string): string {
  return registryHost({ registryId, region });
}
