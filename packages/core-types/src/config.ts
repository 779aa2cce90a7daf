import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { SecretString, secret } from './SecretString.js';
import { isValidRegion, isValidRegistryId } from './validation.js';
import type { Api } from './wire/operations.js';

/**
 * How a transport obtains AWS credentials: `default` (the SDK's default provider chain),
 * `static` keys, `assumeRole`, `webIdentity` (a token file, as on EKS) or a named `profile`.
 */
export type AuthConfig =
  | { type: 'default' }
  | { type: 'static'; accessKeyId: string; secretAccessKey: SecretString; sessionToken?: SecretString }
  | { type: 'assumeRole'; roleArn: string; sessionName?: string; externalId?: string }
  | { type: 'webIdentity'; roleArn: string; tokenFile: string; sessionName?: string }
  | { type: 'profile'; profile: string };

/** What {@link EcrConfigBuilder.auth} accepts: secrets may be plain strings and are wrapped. */
export type AuthInput =
  | { type: 'default' }
  | { type: 'static'; accessKeyId: string; secretAccessKey: string | SecretString; sessionToken?: string | SecretString }
  | { type: 'assumeRole'; roleArn: string; sessionName?: string; externalId?: string }
  | { type: 'webIdentity'; roleArn: string; tokenFile: string; sessionName?: string }
  | { type: 'profile'; profile: string };

const configBrand: unique symbol = Symbol.for('ecrkit.EcrConfig') as never;

/** Where requests go: the endpoint slice of the configuration, all `resolveEndpoint` reads. */
export interface EndpointOptions {
  /** A custom endpoint for every service (a simulation, a VPC endpoint); it wins over FIPS and dual-stack. */
  readonly endpointUrl?: string | undefined;
  /** A custom endpoint for one service (`AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_ECR_PUBLIC`); it wins over `endpointUrl`. */
  readonly serviceEndpointUrls?: Readonly<Partial<Record<Api, string>>> | undefined;
  readonly useFips: boolean;
  readonly useDualstack: boolean;
}

/** How to authenticate: the credentials slice a transport reads (`region` is where credential providers such as STS are called). */
export interface CredentialsConfig {
  readonly auth: Readonly<AuthConfig>;
  readonly region: string;
  /** The shared config and credentials files the credential providers read (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`); the SDK's defaults when unset. */
  readonly sharedConfigFiles?: Readonly<SharedConfigFilePaths> | undefined;
}

/** Paths of the AWS shared files: `configFile` (default `~/.aws/config`) and `credentialsFile` (default `~/.aws/credentials`). */
export interface SharedConfigFilePaths {
  configFile?: string | undefined;
  credentialsFile?: string | undefined;
}

/** The profiles of both shared files, as `loadSharedConfigFiles` of `@smithy/core/config` parses them (`services x` sections keyed `services.x`). */
export interface SharedConfigFiles {
  readonly configFile: Readonly<Record<string, Readonly<Record<string, string | undefined>> | undefined>>;
  readonly credentialsFile: Readonly<Record<string, Readonly<Record<string, string | undefined>> | undefined>>;
}

/** What {@link EcrConfigBuilder.fromEnv} reads besides the environment. */
export interface AwsSettingsSources {
  /** The parsed shared files (`@ecrkit/client`'s `readSharedConfigFiles` reads them); without them only the environment counts. */
  files?: SharedConfigFiles;
  /** The profile to use (a `--profile` flag); it wins over `AWS_PROFILE`. Default `AWS_PROFILE`, else `default`. */
  profile?: string;
}

/** The retry and deadline slice the resilience pipeline reads. */
export interface CallPolicyConfig {
  /** Further attempts after the first. */
  readonly maxRetries: number;
  /** Deadline of each attempt, in milliseconds. */
  readonly requestTimeoutMs: number;
}

/** The slice the client and its services read: which registry, where, token refresh, and whether writes are allowed. */
export interface ClientConfig {
  readonly region: string;
  readonly registryId?: string | undefined;
  readonly tokenRefreshBufferSecs: number;
  readonly readOnly: boolean;
}

/**
 * The validated, frozen configuration, made only by {@link EcrConfigBuilder.build}: its slices
 * side by side, each layer reading its own. It is branded, so a layer handed one trusts it
 * instead of validating it again ({@link isEcrConfig}); a copy made with `{ ...config }` is not.
 */
export interface EcrConfig extends ClientConfig, CredentialsConfig, EndpointOptions, CallPolicyConfig {
  readonly [configBrand]: true;
}

/** The defaults `build()` applies. */
export const configDefaults = {
  maxRetries: 3,
  requestTimeoutMs: 30_000,
  tokenRefreshBufferSecs: 300,
  useFips: false,
  useDualstack: false,
  readOnly: false,
} as const;

/** An environment: `process.env` or any string map. */
export type Environment = Readonly<Record<string, string | undefined>>;

interface Draft {
  region?: unknown;
  registryId?: unknown;
  auth?: unknown;
  endpointUrl?: unknown;
  serviceEndpointUrls?: unknown;
  sharedConfigFiles?: unknown;
  useFips?: unknown;
  useDualstack?: unknown;
  maxRetries?: unknown;
  requestTimeoutMs?: unknown;
  tokenRefreshBufferSecs?: unknown;
  readOnly?: unknown;
}

const draftFields: readonly (keyof Draft)[] = [
  'region',
  'registryId',
  'auth',
  'endpointUrl',
  'serviceEndpointUrls',
  'sharedConfigFiles',
  'useFips',
  'useDualstack',
  'maxRetries',
  'requestTimeoutMs',
  'tokenRefreshBufferSecs',
  'readOnly',
];

const iamRoleArnPattern = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f)?:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;
const sessionNamePattern = /^[\w+=,.@-]{2,64}$/;
const externalIdPattern = /^[\w+=,.@:/-]{2,1224}$/;
const accessKeyIdPattern = /^[\w]{1,128}$/;

/**
 * An immutable builder: every method returns a new builder, so a shared base can be
 * specialised safely. Later calls override earlier ones; {@link EcrConfigBuilder.build}
 * validates everything at once.
 */
export class EcrConfigBuilder {
  readonly #draft: Readonly<Draft>;

  /** Use {@link ecrConfig} to start. */
  constructor(draft: Draft = {}) {
    this.#draft = Object.freeze({ ...draft });
  }

  #with(patch: Draft): EcrConfigBuilder {
    return new EcrConfigBuilder({ ...this.#draft, ...patch });
  }

  /** The AWS region, e.g. `eu-west-1`. Required (ECR Public lives in us-east-1 whatever it is). */
  region(region: string): EcrConfigBuilder {
    return this.#with({ region });
  }

  /** The registry (account id) to address; defaults to the caller's own. */
  registryId(registryId: string): EcrConfigBuilder {
    return this.#with({ registryId });
  }

  /** How to authenticate; secrets given as strings are wrapped in `SecretString`. Default `{ type: 'default' }`. */
  auth(auth: AuthInput): EcrConfigBuilder {
    return this.#with({ auth });
  }

  /** A custom endpoint for every service (a simulation, a VPC endpoint); it wins over FIPS, dual-stack and endpoints set before for one service. */
  endpointUrl(url: string): EcrConfigBuilder {
    return this.#with({ endpointUrl: url, serviceEndpointUrls: undefined });
  }

  /** A custom endpoint for one service, `ecr` or `ecr-public`; it wins over {@link EcrConfigBuilder.endpointUrl}. */
  serviceEndpointUrl(api: Api, url: string): EcrConfigBuilder {
    if (api !== 'ecr' && api !== 'ecr-public') throw invalidParameter('api', `must be 'ecr' or 'ecr-public', got ${describeValue(api)}`);
    const current = isPlainRecord(this.#draft.serviceEndpointUrls) ? this.#draft.serviceEndpointUrls : {};
    return this.#with({ serviceEndpointUrls: { ...current, [api]: url } });
  }

  /** Where the credential providers find the shared config and credentials files (default `~/.aws/config` and `~/.aws/credentials`). */
  sharedConfigFiles(paths: SharedConfigFilePaths): EcrConfigBuilder {
    return this.#with({ sharedConfigFiles: paths });
  }

  /** Retries after the first attempt (default 3). */
  maxRetries(n: number): EcrConfigBuilder {
    return this.#with({ maxRetries: n });
  }

  /** Per-attempt timeout in milliseconds (default 30000). */
  requestTimeoutMs(ms: number): EcrConfigBuilder {
    return this.#with({ requestTimeoutMs: ms });
  }

  /** Refresh an authorization token this many seconds before it expires (default 300). */
  tokenRefreshBufferSecs(s: number): EcrConfigBuilder {
    return this.#with({ tokenRefreshBufferSecs: s });
  }

  /** Use FIPS endpoints (default false). */
  useFips(on = true): EcrConfigBuilder {
    return this.#with({ useFips: on });
  }

  /** Use dual-stack (IPv4 and IPv6) endpoints (default false). */
  useDualstack(on = true): EcrConfigBuilder {
    return this.#with({ useDualstack: on });
  }

  /** Refuse mutating operations (default false). */
  readOnly(on = true): EcrConfigBuilder {
    return this.#with({ readOnly: on });
  }

  /**
   * Take every setting of an existing configuration (built or a plain object with the same
   * fields), overriding what was set before; later calls override it in turn. `build()`
   * validates the result.
   *
   * @example const euWest = ecrConfig().from(config).region('eu-west-1').build();
   */
  from(config: Partial<Record<keyof Draft, unknown>>): EcrConfigBuilder {
    if (typeof config !== 'object' || config === null) throw invalidParameter('config', 'must be an object of configuration settings');
    const patch: Draft = {};
    for (const field of draftFields) {
      let value: unknown;
      try {
        value = config[field];
      } catch {
        throw invalidParameter(field, 'could not be read');
      }
      if (value !== undefined) patch[field] = value;
    }
    return this.#with(patch);
  }

  /**
   * Take the settings the AWS CLI and SDKs read, overriding what was set before, each in the
   * SDK's order of precedence (the table in the core-types README): the environment first, then
   * the selected profile of the shared files when `sources.files` is given. Empty variables
   * count as unset.
   *
   * - region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`;
   * - endpoints, per service: `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL_ECR_PUBLIC`, then
   *   `AWS_ENDPOINT_URL`, then `endpoint_url` under `ecr` / `ecr_public` in the profile's
   *   `services` section, then the profile's `endpoint_url`; none of them when
   *   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's `ignore_configured_endpoint_urls`)
   *   is true. `ECR_ENDPOINT_URL`, ecrkit's older name, counts as `AWS_ENDPOINT_URL` when that is unset;
   * - `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, then the profile's `use_fips_endpoint`, `use_dualstack_endpoint`;
   * - credentials: a profile named by `sources.profile` ⇒ that profile; else `AWS_ACCESS_KEY_ID` +
   *   `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) ⇒ static; else `AWS_PROFILE` ⇒ profile; else
   *   `AWS_ROLE_ARN` with `AWS_WEB_IDENTITY_TOKEN_FILE` ⇒ webIdentity, `AWS_ROLE_ARN` alone ⇒
   *   assumeRole from the default credentials (both with `AWS_ROLE_SESSION_NAME`);
   * - `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`: where the credential providers read the shared files.
   *
   * @throws EcrError kind `InvalidParameter`: a variable that is not a string, or a `profile`
   * named explicitly that neither of the given files has.
   * @example
   * const config = ecrConfig().fromEnv(process.env).build();
   */
  fromEnv(env: Environment, sources: AwsSettingsSources = {}): EcrConfigBuilder {
    if (typeof env !== 'object' || env === null) throw invalidParameter('env', 'must be an object of environment variables, such as process.env');
    if (typeof sources !== 'object' || sources === null) throw invalidParameter('sources', 'must be an object with files and profile');
    const get = (name: string): string | undefined => {
      let v: unknown;
      try {
        v = env[name];
      } catch {
        throw invalidParameter(name, 'could not be read from the environment');
      }
      if (v !== undefined && typeof v !== 'string') throw invalidParameter(name, 'must be a string');
      return v === undefined || v === '' ? undefined : v;
    };
    const { files, profile: chosenProfile } = readSources(sources);
    const profileName = chosenProfile ?? get('AWS_PROFILE') ?? 'default';
    const profile = files?.configFile[profileName] ?? {};
    if (files && chosenProfile !== undefined && !files.configFile[profileName] && !files.credentialsFile[profileName]) {
      throw invalidParameter('profile', `${describeValue(profileName)} is in neither the shared config file nor the credentials file`);
    }
    const fromProfile = (key: string): string | undefined => {
      const v = profile[key];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const services = files && fromProfile('services') !== undefined ? (files.configFile[`services.${fromProfile('services')}`] ?? {}) : {};
    const fromServices = (key: string): string | undefined => {
      const v = services[key];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };

    const patch: Draft = {};
    const region = get('AWS_REGION') ?? get('AWS_DEFAULT_REGION') ?? fromProfile('region');
    if (region !== undefined) patch.region = region;

    const ignoreEndpoints = envBoolean(get('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') ?? fromProfile('ignore_configured_endpoint_urls') ?? 'false') === true;
    if (!ignoreEndpoints) {
      const shared = get('AWS_ENDPOINT_URL') ?? get('ECR_ENDPOINT_URL');
      const ecr = get('AWS_ENDPOINT_URL_ECR') ?? shared ?? fromServices('ecr.endpoint_url') ?? fromProfile('endpoint_url');
      const ecrPublic = get('AWS_ENDPOINT_URL_ECR_PUBLIC') ?? shared ?? fromServices('ecr_public.endpoint_url') ?? fromProfile('endpoint_url');
      if (ecr !== undefined && ecr === ecrPublic) {
        patch.endpointUrl = ecr;
        patch.serviceEndpointUrls = undefined;
      } else if (ecr !== undefined || ecrPublic !== undefined) {
        const current = isPlainRecord(this.#draft.serviceEndpointUrls) ? this.#draft.serviceEndpointUrls : {};
        patch.serviceEndpointUrls = { ...current, ...(ecr !== undefined ? { ecr } : {}), ...(ecrPublic !== undefined ? { 'ecr-public': ecrPublic } : {}) };
      }
    }
    const fips = get('AWS_USE_FIPS_ENDPOINT') ?? fromProfile('use_fips_endpoint');
    if (fips !== undefined) patch.useFips = envBoolean(fips);
    const dual = get('AWS_USE_DUALSTACK_ENDPOINT') ?? fromProfile('use_dualstack_endpoint');
    if (dual !== undefined) patch.useDualstack = envBoolean(dual);

    // `~/` against this environment's home, so the providers read the files this environment names.
    const home = get('HOME') ?? get('USERPROFILE');
    const expand = (path: string | undefined) => (path?.startsWith('~/') && home !== undefined ? `${home.replace(/[\\/]+$/, '')}/${path.slice(2)}` : path);
    const configFile = expand(get('AWS_CONFIG_FILE'));
    const credentialsFile = expand(get('AWS_SHARED_CREDENTIALS_FILE'));
    if (configFile !== undefined || credentialsFile !== undefined) {
      patch.sharedConfigFiles = { ...(configFile !== undefined ? { configFile } : {}), ...(credentialsFile !== undefined ? { credentialsFile } : {}) };
    }

    const keyId = get('AWS_ACCESS_KEY_ID');
    const secretKey = get('AWS_SECRET_ACCESS_KEY');
    const roleArn = get('AWS_ROLE_ARN');
    const tokenFile = get('AWS_WEB_IDENTITY_TOKEN_FILE');
    const envProfile = get('AWS_PROFILE');
    const sessionName = get('AWS_ROLE_SESSION_NAME');
    if (chosenProfile !== undefined) {
      patch.auth = { type: 'profile', profile: chosenProfile };
    } else if (keyId !== undefined || secretKey !== undefined) {
      const sessionToken = get('AWS_SESSION_TOKEN');
      patch.auth = {
        type: 'static',
        accessKeyId: keyId ?? '',
        secretAccessKey: new SecretString(secretKey ?? ''),
        ...(sessionToken !== undefined ? { sessionToken: new SecretString(sessionToken) } : {}),
      };
    } else if (envProfile !== undefined) {
      patch.auth = { type: 'profile', profile: envProfile };
    } else if (roleArn !== undefined) {
      patch.auth =
        tokenFile !== undefined
          ? { type: 'webIdentity', roleArn, tokenFile, ...(sessionName !== undefined ? { sessionName } : {}) }
          : { type: 'assumeRole', roleArn, ...(sessionName !== undefined ? { sessionName } : {}) };
    }
    return this.#with(patch);
  }

  /**
   * Validate and freeze the configuration.
   *
   * @throws EcrError kind `InvalidParameter` whose `field` names the setting at fault
   * (`region`, `registryId`, `auth.roleArn`, `endpointUrl`, `maxRetries`, ...). Messages never
   * contain secrets or endpoint URLs.
   */
  build(): EcrConfig {
    const d = this.#draft;
    const region = d.region;
    if (region === undefined) {
      throw invalidParameter('region', 'is required: call .region(...), set AWS_REGION, or set region in the AWS profile');
    }
    if (!isValidRegion(region)) throw invalidParameter('region', `${describeValue(region)} is not a region name like 'us-east-1'`);
    if (d.registryId !== undefined && !isValidRegistryId(d.registryId)) {
      throw invalidParameter('registryId', `${describeValue(d.registryId)} is not exactly 12 digits`);
    }
    const config = {
      region,
      ...(d.registryId !== undefined ? { registryId: d.registryId as string } : {}),
      auth: Object.freeze(validateAuth(d.auth ?? { type: 'default' })),
      ...(d.endpointUrl !== undefined ? { endpointUrl: validateEndpointUrl(d.endpointUrl, 'endpointUrl') } : {}),
      ...(d.serviceEndpointUrls !== undefined ? { serviceEndpointUrls: validateServiceEndpointUrls(d.serviceEndpointUrls) } : {}),
      ...(d.sharedConfigFiles !== undefined ? { sharedConfigFiles: validateSharedConfigFiles(d.sharedConfigFiles) } : {}),
      useFips: bool(d.useFips, 'useFips', configDefaults.useFips),
      useDualstack: bool(d.useDualstack, 'useDualstack', configDefaults.useDualstack),
      maxRetries: integer(d.maxRetries, 'maxRetries', configDefaults.maxRetries, 0, 100),
      requestTimeoutMs: integer(d.requestTimeoutMs, 'requestTimeoutMs', configDefaults.requestTimeoutMs, 1, 3_600_000),
      tokenRefreshBufferSecs: integer(d.tokenRefreshBufferSecs, 'tokenRefreshBufferSecs', configDefaults.tokenRefreshBufferSecs, 0, 43_200),
      readOnly: bool(d.readOnly, 'readOnly', configDefaults.readOnly),
    };
    // Not enumerable: a spread copy is not a built config, and printing one shows only settings.
    Object.defineProperty(config, configBrand, { value: true });
    return Object.freeze(config) as EcrConfig;
  }
}

/** Whether `value` is a configuration built by {@link EcrConfigBuilder.build} (also one from another copy of this package). */
export function isEcrConfig(value: unknown): value is EcrConfig {
  try {
    return typeof value === 'object' && value !== null && (value as { [configBrand]?: unknown })[configBrand] === true;
  } catch {
    return false; // an object whose getters throw is not one
  }
}

/**
 * `value` itself when it is a built configuration (validated once, when it was built), otherwise
 * the configuration its fields build to: the one check every layer handed a config makes.
 *
 * @throws EcrError kind `InvalidParameter` naming the field at fault (`config` when it is not an object).
 */
export function toEcrConfig(value: unknown): EcrConfig {
  if (isEcrConfig(value)) return value;
  return new EcrConfigBuilder().from(value as Partial<Record<keyof Draft, unknown>>).build();
}

/**
 * Start an {@link EcrConfigBuilder}.
 *
 * @example
 * const config = ecrConfig().fromEnv(process.env).region('eu-west-1').readOnly().build();
 */
export function ecrConfig(): EcrConfigBuilder {
  return new EcrConfigBuilder();
}

/** 'true'/'false' become booleans; anything else is kept so that build() rejects it, naming the field. */
function envBoolean(value: string): boolean | string {
  const v = value.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : value;
}

function bool(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidParameter(field, `must be true or false, got ${describeValue(value)}`);
  return value;
}

function integer(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(field, `must be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

function optionalMatching(value: unknown, field: string, pattern: RegExp, rule: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw invalidParameter(field, `must be ${rule}`);
  return value;
}

function requiredString(value: unknown, field: string, rule: string, pattern?: RegExp): string {
  if (typeof value !== 'string' || value.length === 0 || (pattern && !pattern.test(value))) {
    throw invalidParameter(field, `must be ${rule}`);
  }
  return value;
}

function requiredSecret(value: unknown, field: string): SecretString {
  if (value instanceof SecretString || typeof value === 'string') {
    const s = secret(value);
    if (s.isEmpty) throw invalidParameter(field, 'must not be empty');
    return s;
  }
  throw invalidParameter(field, 'must be a string or SecretString');
}

const authFields = ['type', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'roleArn', 'sessionName', 'externalId', 'tokenFile', 'profile'] as const;

/** An auth setting checked and copied (the builder's and `credentialsForAuth`'s one check). */
export function validateAuth(auth: unknown): AuthConfig {
  if (typeof auth !== 'object' || auth === null) throw invalidParameter('auth', 'must be an object with a type');
  // Read each field once, into a plain record: a getter runs once and cannot change its answer.
  const a: Record<string, unknown> = {};
  for (const field of authFields) {
    try {
      a[field] = (auth as Record<string, unknown>)[field];
    } catch {
      throw invalidParameter(`auth.${field}`, 'could not be read');
    }
  }
  const roleArnRule = "an IAM role ARN like 'arn:aws:iam::123456789012:role/name'";
  switch (a.type) {
    case 'default':
      return { type: 'default' };
    case 'static': {
      const accessKeyId = requiredString(a.accessKeyId, 'auth.accessKeyId', 'a non-empty access key id of letters and digits', accessKeyIdPattern);
      const secretAccessKey = requiredSecret(a.secretAccessKey, 'auth.secretAccessKey');
      const out: AuthConfig = { type: 'static', accessKeyId, secretAccessKey };
      if (a.sessionToken !== undefined) out.sessionToken = requiredSecret(a.sessionToken, 'auth.sessionToken');
      return out;
    }
    case 'assumeRole': {
      const out: AuthConfig = { type: 'assumeRole', roleArn: requiredString(a.roleArn, 'auth.roleArn', roleArnRule, iamRoleArnPattern) };
      const sessionName = optionalMatching(a.sessionName, 'auth.sessionName', sessionNamePattern, '2–64 characters of letters, digits and +=,.@_-');
      if (sessionName !== undefined) out.sessionName = sessionName;
      const externalId = optionalMatching(a.externalId, 'auth.externalId', externalIdPattern, '2–1224 characters of letters, digits and +=,.@:/_-');
      if (externalId !== undefined) out.externalId = externalId;
      return out;
    }
    case 'webIdentity': {
      const out: AuthConfig = {
        type: 'webIdentity',
        roleArn: requiredString(a.roleArn, 'auth.roleArn', roleArnRule, iamRoleArnPattern),
        tokenFile: requiredString(a.tokenFile, 'auth.tokenFile', 'a non-empty file path'),
      };
      const sessionName = optionalMatching(a.sessionName, 'auth.sessionName', sessionNamePattern, '2–64 characters of letters, digits and +=,.@_-');
      if (sessionName !== undefined) out.sessionName = sessionName;
      return out;
    }
    case 'profile':
      return { type: 'profile', profile: requiredString(a.profile, 'auth.profile', 'a non-empty profile name', /^\S+$/) };
    default:
      throw invalidParameter('auth.type', "must be 'default', 'static', 'assumeRole', 'webIdentity' or 'profile'");
  }
}

/** Endpoint URLs are never echoed: they may carry credentials in their user-info part. */
function validateEndpointUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidParameter(field, 'must be a non-empty URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter(field, 'is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidParameter(field, 'must use http or https');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidParameter(field, 'must not contain credentials; use auth instead');
  }
  if (url.search !== '' || url.hash !== '') throw invalidParameter(field, 'must not have a query or fragment');
  return value;
}

function validateServiceEndpointUrls(value: unknown): Readonly<Partial<Record<Api, string>>> {
  if (!isPlainRecord(value)) throw invalidParameter('serviceEndpointUrls', 'must be an object with ecr and ecr-public URLs');
  const out: Partial<Record<Api, string>> = {};
  for (const [api, url] of Object.entries(value)) {
    if (api !== 'ecr' && api !== 'ecr-public') throw invalidParameter(`serviceEndpointUrls.${api}`, "names no service: use 'ecr' or 'ecr-public'");
    if (url !== undefined) out[api] = validateEndpointUrl(url, `serviceEndpointUrls.${api}`);
  }
  return Object.freeze(out);
}

function validateSharedConfigFiles(value: unknown): Readonly<SharedConfigFilePaths> {
  if (!isPlainRecord(value)) throw invalidParameter('sharedConfigFiles', 'must be an object with configFile and credentialsFile paths');
  const out: SharedConfigFilePaths = {};
  for (const [key, path] of Object.entries(value)) {
    if (key !== 'configFile' && key !== 'credentialsFile')
      throw invalidParameter(`sharedConfigFiles.${key}`, 'is not a setting: use configFile or credentialsFile');
    if (path === undefined) continue;
    if (typeof path !== 'string' || path === '' || path.includes('\0')) throw invalidParameter(`sharedConfigFiles.${key}`, 'must be a non-empty file path');
    out[key] = path;
  }
  return Object.freeze(out);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSources(sources: AwsSettingsSources): { files: SharedConfigFiles | undefined; profile: string | undefined } {
  let files: unknown;
  let profile: unknown;
  try {
    files = sources.files;
    profile = sources.profile;
  } catch {
    throw invalidParameter('sources', 'could not be read');
  }
  if (profile !== undefined && (typeof profile !== 'string' || !/^[\w.@+:/-]{1,128}$/.test(profile))) {
    throw invalidParameter('profile', `${describeValue(profile)} is not a profile name (letters, digits and _ . @ + : / -)`);
  }
  if (files !== undefined && (!isPlainRecord(files) || !isPlainRecord(files.configFile) || !isPlainRecord(files.credentialsFile))) {
    throw invalidParameter('files', 'must be the parsed shared files: { configFile, credentialsFile }');
  }
  return { files: files as SharedConfigFiles | undefined, profile: profile as string | undefined };
}
