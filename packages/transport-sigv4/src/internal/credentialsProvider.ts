import type { AuthConfig } from '@ecrkit/core-types';
import type { AwsCredentials, AwsCredentialsProvider } from './CredentialCache.js';

/**
 * A provider for `auth`, and a description safe to put in an error message. Static credentials
 * are revealed here, into the signer's credential object only. Every other mode loads
 * `@aws-sdk/credential-providers` on first use, so static users never pay for it.
 */
export function credentialsProvider(auth: AuthConfig, region: string): { provider: AwsCredentialsProvider; describe: string } {
  if (auth.type === 'static') {
    const credentials: AwsCredentials = {
      accessKeyId: auth.accessKeyId,
      secretAccessKey: auth.secretAccessKey.reveal(),
      sessionToken: auth.sessionToken?.reveal(),
    };
    return { provider: () => Promise.resolve(credentials), describe: 'static' };
  }
  let provider: Promise<AwsCredentialsProvider> | undefined;
  const load = async (): Promise<AwsCredentialsProvider> => {
    const providers = await import('@aws-sdk/credential-providers');
    switch (auth.type) {
      case 'default':
        return providers.fromNodeProviderChain();
      case 'profile':
        return providers.fromIni({ profile: auth.profile });
      case 'assumeRole':
        return providers.fromTemporaryCredentials({
          params: { RoleArn: auth.roleArn, RoleSessionName: auth.sessionName ?? 'ecrkit', ExternalId: auth.externalId },
          clientConfig: { region },
        });
      case 'webIdentity':
        return providers.fromTokenFile({
          roleArn: auth.roleArn,
          webIdentityTokenFile: auth.tokenFile,
          roleSessionName: auth.sessionName,
          clientConfig: { region },
        });
    }
  };
  return {
    provider: async () => {
      provider ??= load().catch((err: unknown) => {
        provider = undefined;
        throw err;
      });
      return (await provider)();
    },
    describe: auth.type === 'profile' ? `profile ${auth.profile}` : auth.type,
  };
}
