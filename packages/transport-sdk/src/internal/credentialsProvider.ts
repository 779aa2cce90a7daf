import {
  EcrError,
  credentialsForAuth,
  isEcrError,
  type AuthConfig,
  type SharedConfigFilePaths,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type CredentialProviderFactories,
} from '@ecrkit/core-types';

const loadFactories = (): Promise<CredentialProviderFactories> => import('@aws-sdk/credential-providers');

/**
 * What the SDK client gets for `auth` (core-types' `credentialsForAuth`): static credentials as
 * an object, other modes a provider loading `@aws-sdk/credential-providers` on first use; the
 * SDK caches what it returns and refreshes it five minutes before expiry. A provider failure
 * becomes `EcrError` kind `CredentialsUnavailable`, its message (which may name files or
 * profiles) kept only as `cause`.
 */
export function credentialsFor(
  auth: AuthConfig,
  region: string,
  override?: AwsCredentials | AwsCredentialsProvider,
  sharedFiles?: SharedConfigFilePaths,
): AwsCredentials | AwsCredentialsProvider {
  if (override !== undefined) return typeof override === 'function' ? guarded(override, 'custom provider') : override;
  const { credentials, describe } = credentialsForAuth(auth, region, loadFactories, sharedFiles);
  return typeof credentials === 'function' ? guarded(credentials, describe) : credentials;
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
