import { EcrError, isEcrError, type AuthConfig } from '@ecrkit/core-types';

/** Credentials as the AWS SDK takes them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

/** A function that resolves credentials, such as any provider from `@aws-sdk/credential-providers`. */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/**
 * What the SDK client gets for `auth`. Static credentials are revealed here, into the SDK's
 * credential object only. Other modes load `@aws-sdk/credential-providers` on first use; the
 * SDK caches what they return and refreshes it five minutes before expiry. A provider failure
 * becomes `EcrError` kind `CredentialsUnavailable`, its message (which may name files or
 * profiles) kept only as `cause`.
 */
export function credentialsFor(auth: AuthConfig, region: string, override?: AwsCredentials | AwsCredentialsProvider): AwsCredentials | AwsCredentialsProvider {
  if (override !== undefined) return typeof override === 'function' ? guarded(override, 'custom provider') : override;
  if (auth.type === 'static') {
    return { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey.reveal(), sessionToken: auth.sessionToken?.reveal() };
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
  const lazy: AwsCredentialsProvider = async () => {
    provider ??= load().catch((err: unknown) => {
      provider = undefined;
      throw err;
    });
    return (await provider)();
  };
  return guarded(lazy, auth.type === 'profile' ? `profile ${auth.profile}` : auth.type);
}

function guarded(provider: AwsCredentialsProvider, describe: string): AwsCredentialsProvider {
  return async () => {
    try {
      return await provider();
    } catch (err) {
      if (isEcrError(err)) throw err;
      throw new EcrError({ kind: 'CredentialsUnavailable', message: `Could not resolve AWS credentials (${describe})`, cause: err });
    }
  };
}
