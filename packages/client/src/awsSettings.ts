import { homedir } from 'node:os';
import { join } from 'node:path';
import { ecrConfig, invalidParameter, readOptions } from '@ecrkit/core-types';
import type { EcrConfigBuilder, Environment, SharedConfigFiles } from '@ecrkit/core-types';
import { loadSharedConfigFiles } from '@smithy/core/config';

/** Options of {@link readSharedConfigFiles} and {@link loadEcrConfig}. */
export interface AwsSettingsOptions {
  /** The environment to read (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `HOME`, and for `loadEcrConfig` every setting); default `process.env`. */
  env?: Environment;
  /** A profile chosen explicitly (a `--profile` flag); it wins over `AWS_PROFILE`. */
  profile?: string;
}

/**
 * The AWS shared config and credentials files, parsed by the SDK's own loader
 * (`loadSharedConfigFiles` of `@smithy/core/config`): `AWS_CONFIG_FILE` (default
 * `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) of `env`,
 * read afresh on every call. A missing or unreadable file counts as empty, as in the SDK.
 *
 * @example const files = await readSharedConfigFiles(); files.configFile.default?.region
 */
export async function readSharedConfigFiles(options: AwsSettingsOptions = {}): Promise<SharedConfigFiles> {
  const env = readOptions(envOf(options), ['HOME', 'USERPROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'], 'env');
  const home = () => nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir();
  const resolve = (path: string | undefined, fallback: string[]) => {
    if (path === undefined) return join(home(), ...fallback);
    // `~/` as the SDK expands it, against this environment's home; relative paths as given.
    return path.startsWith('~/') ? join(home(), path.slice(2)) : path;
  };
  const configFilepath = resolve(nonEmpty(env.AWS_CONFIG_FILE), ['.aws', 'config']);
  const filepath = resolve(nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE), ['.aws', 'credentials']);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
  return { configFile, credentialsFile };
}

/**
 * A config builder holding the settings the AWS CLI and SDKs read, in their order of
 * precedence: the environment, then the selected profile of the shared files (region,
 * `endpoint_url`, the profile's `services` section, FIPS and dual-stack), the credentials mode
 * (`--profile`, keys, `AWS_PROFILE`, `AWS_ROLE_ARN`). Later builder calls override it.
 *
 * @throws EcrError kind `InvalidParameter` for a profile named in `options.profile` that neither file has.
 * @example
 * const config = (await loadEcrConfig({ profile: 'staging' })).readOnly().build();
 * const client = createClient(config);
 */
export async function loadEcrConfig(options: AwsSettingsOptions = {}): Promise<EcrConfigBuilder> {
  const env = envOf(options);
  const { profile } = readOptions(options, ['profile']);
  const files = await readSharedConfigFiles({ env });
  return ecrConfig().fromEnv(env, { files, ...(profile !== undefined ? { profile: profile as string } : {}) });
}

function envOf(options: AwsSettingsOptions): Environment {
  const { env = process.env } = readOptions(options, ['env']);
  if (typeof env !== 'object' || env === null) throw invalidParameter('env', 'must be an object of environment variables, such as process.env');
  return env as Environment;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
