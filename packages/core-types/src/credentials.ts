import { validateAuth } from './config.js';
import type { AuthConfig } from './config.js';
import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';

/** Credentials as the AWS SDK's credential providers return them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

/** A function that resolves credentials, such as any provider from `@aws-sdk/credential-providers`. */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/**
 * The four factories of `@aws-sdk/credential-providers` that the `auth` modes map to. Described
 * here rather than imported: core-types does no I/O and has no SDK dependency, so each transport
 * loads the module itself and hands it over.
 */
export interface CredentialProviderFactories {
  fromNodeProviderChain(): AwsCredentialsProvider;
  fromIni(init: { profile: string }): AwsCredentialsProvider;
  fromTemporaryCredentials(init: {
    params: { RoleArn: string; RoleSessionName: string; ExternalId?: string | undefined };
    clientConfig: { region: string };
  }): AwsCredentialsProvider;
  fromTokenFile(init: {
    roleArn: string;
    webIdentityTokenFile: string;
    roleSessionName?: string | undefined;
    clientConfig: { region: string };
  }): AwsCredentialsProvider;
}

/**
 * What `auth` resolves to, for both transports: static credentials revealed (into the caller's
 * credential object only); for every other mode a provider that loads the factories on its
 * first call (once; a failed load is tried again on the next call), so static users never
 * load them. `describe` names the mode for error messages and holds no secret.
 */
export function credentialsForAuth(
  authInput: AuthConfig,
  region: string,
  loadFactories: () => Promise<CredentialProviderFactories>,
): { credentials: AwsCredentials | AwsCredentialsProvider; describe: string } {
  if (typeof region !== 'string') throw invalidParameter('region', `must be a string, got ${describeValue(region)}`);
  if (typeof loadFactories !== 'function') throw invalidParameter('loadFactories', 'must be a function');
  const auth = validateAuth(authInput);
  if (auth.type === 'static') {
    return {
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey.reveal(), sessionToken: auth.sessionToken?.reveal() },
      describe: 'static',
    };
  }
  const providerOf = (factories: CredentialProviderFactories): AwsCredentialsProvider => {
    switch (auth.type) {
      case 'default':
        return factories.fromNodeProviderChain();
      case 'profile':
        return factories.fromIni({ profile: auth.profile });
      case 'assumeRole':
        return factories.fromTemporaryCredentials({
          params: { RoleArn: auth.roleArn, RoleSessionName: auth.sessionName ?? 'ecrkit', ExternalId: auth.externalId },
          clientConfig: { region },
        });
      case 'webIdentity':
        return factories.fromTokenFile({
          roleArn: auth.roleArn,
          webIdentityTokenFile: auth.tokenFile,
          roleSessionName: auth.sessionName,
          clientConfig: { region },
        });
    }
  };
  let provider: Promise<AwsCredentialsProvider> | undefined;
  return {
    credentials: async () => {
      provider ??= loadFactories().then(providerOf, (err: unknown) => {
        provider = undefined;
        throw err;
      });
      return (await provider)();
    },
    describe: auth.type === 'profile' ? `profile ${auth.profile}` : auth.type,
  };
}
