import { createHash } from 'node:crypto';
import { ecrConfig, type EcrConfig } from '@ecrkit/core-types';

// Configuration for reaching a registry's API, kept apart from the clients so the credential
// helper's cache hits load nothing but core-types.

/**
 * A simulation's API configuration: its address as the endpoint, the region given, and the
 * environment's keys when there are any (a server started with `--verify-sigv4` checks them),
 * else placeholder keys (an unsigned-checking simulation reads only the region from a signature).
 */
export function simulationConfig(url: string, region: string, env: NodeJS.ProcessEnv, registryId?: string): EcrConfig {
  let builder = ecrConfig().fromEnv(env).region(region).endpointUrl(url);
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    builder = builder.auth({ type: 'static', accessKeyId: 'ECRKITSIMULATION', secretAccessKey: 'not-checked' });
  }
  if (registryId) builder = builder.registryId(registryId);
  return builder.build();
}

/** Who asks for tokens, for caches keyed per principal: never a secret, only which key or profile. */
export function principalOf(config: EcrConfig): string {
  const auth = config.auth;
  const who =
    auth.type === 'static'
      ? `key:${auth.accessKeyId}`
      : auth.type === 'profile'
        ? `profile:${auth.profile}`
        : auth.type === 'assumeRole' || auth.type === 'webIdentity'
          ? `role:${auth.roleArn}`
          : 'default-chain';
  return createHash('sha256')
    .update(`${who}|${config.endpointUrl ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}
