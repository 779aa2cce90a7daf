import { validateAuth } from './config.js';
import type { AuthConfig, SharedConfigFilePaths } from './config.js';
import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';

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
  fromNodeProviderChain(init?: SharedFileInit): AwsCredentialsProvider;
  fromIni(init: { profile: string } & SharedFileInit): AwsCredentialsProvider;
  fromTemporaryCredentials(init: {
    params: { RoleArn: string; RoleSessionName: string; ExternalId?: string | undefined };
    clientConfig: { region: string };
    masterCredentials?: AwsCredentialsProvider;
  }): AwsCredentialsProvider;
  fromTokenFile(init: {
    roleArn: string;
    webIdentityTokenFile: string;
    roleSessionName?: string | undefined;
    clientConfig: { region: string };
  }): AwsCredentialsProvider;
}

/** Where the SDK's providers read the shared files: `filepath` is the credentials file, `configFilepath` the config file. */
export interface SharedFileInit {
  filepath?: string;
  configFilepath?: string;
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
  sharedFiles?: SharedConfigFilePaths,
): { credentials: AwsCredentials | AwsCredentialsProvider; describe: string } {
  if (typeof region !== 'string') throw invalidParameter('region', `must be a string, got ${describeValue(region)}`);
  if (typeof loadFactories !== 'function') throw invalidParameter('loadFactories', 'must be a function');
  const auth = validateAuth(authInput);
  // Paths from the config (AWS_CONFIG_FILE of the environment it was built from), else the providers read their own.
  const { configFile, credentialsFile } = readOptions(sharedFiles, ['configFile', 'credentialsFile'], 'sharedFiles');
  for (const [field, path] of [
    ['sharedFiles.configFile', configFile],
    ['sharedFiles.credentialsFile', credentialsFile],
  ] as const) {
    if (path !== undefined && (typeof path !== 'string' || path === '')) throw invalidParameter(field, `must be a file path, got ${describeValue(path)}`);
  }
  const fileInit: SharedFileInit = {
    ...(credentialsFile !== undefined ? { filepath: credentialsFile as string } : {}),
    ...(configFile !== undefined ? { configFilepath: configFile as string } : {}),
  };
  const hasFiles = fileInit.filepath !== undefined || fileInit.configFilepath !== undefined;
  if (auth.type === 'static') {
    return {
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey.reveal(), sessionToken: auth.sessionToken?.reveal() },
      describe: 'static',
    };
  }
  const providerOf = (factories: CredentialProviderFactories): AwsCredentialsProvider => {
    switch (auth.type) {
      case 'default':
        return hasFiles ? factories.fromNodeProviderChain(fileInit) : factories.fromNodeProviderChain();
      case 'profile':
        return factories.fromIni({ profile: auth.profile, ...fileInit });
      case 'assumeRole':
        return factories.fromTemporaryCredentials({
          params: { RoleArn: auth.roleArn, RoleSessionName: auth.sessionName ?? 'ecrkit', ExternalId: auth.externalId },
          clientConfig: { region },
          ...(hasFiles ? { masterCredentials: factories.fromNodeProviderChain(fileInit) } : {}),
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
