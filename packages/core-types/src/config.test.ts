import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { ecrConfig, isEcrConfig, toEcrConfig, type EcrConfigBuilder } from './config.js';
import { resolveEndpoint } from './endpoints.js';
import { SecretString } from './SecretString.js';

describe('ecrConfig', () => {
  it('applies the defaults and freezes the result', () => {
    const config = ecrConfig().region('eu-west-1').build();
    expect(config).toEqual({
      region: 'eu-west-1',
      auth: { type: 'default' },
      useFips: false,
      useDualstack: false,
      maxRetries: 3,
      requestTimeoutMs: 30_000,
      tokenRefreshBufferSecs: 300,
      readOnly: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
    expect(() => {
      (config as { region: string }).region = 'us-east-1';
    }).toThrow(TypeError);
  });

  it('is an immutable builder: a shared base is not changed by specialising it', () => {
    const base = ecrConfig().region('us-east-1');
    const a = base.readOnly().build();
    const b = base.maxRetries(0).build();
    expect(a.readOnly).toBe(true);
    expect(b.readOnly).toBe(false);
    expect(a.maxRetries).toBe(3);
  });

  it('sets every option', () => {
    const config = ecrConfig()
      .region('us-gov-west-1')
      .registryId('123456789012')
      .auth({ type: 'static', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI', sessionToken: 'tok' })
      .endpointUrl('http://127.0.0.1:4566')
      .maxRetries(5)
      .requestTimeoutMs(1000)
      .tokenRefreshBufferSecs(60)
      .useFips()
      .useDualstack(false)
      .readOnly(true)
      .build();
    expect(config.registryId).toBe('123456789012');
    expect(config.endpointUrl).toBe('http://127.0.0.1:4566');
    expect(config.useFips).toBe(true);
    expect(config.auth.type).toBe('static');
    if (config.auth.type !== 'static') return;
    expect(config.auth.secretAccessKey).toBeInstanceOf(SecretString);
    expect(config.auth.secretAccessKey.reveal()).toBe('wJalrXUtnFEMI');
    expect(config.auth.sessionToken?.reveal()).toBe('tok');
  });

  it('brands what it builds, so layers trust it; a spread copy is not branded and is built again', () => {
    const config = ecrConfig().region('eu-west-1').maxRetries(5).build();
    expect(isEcrConfig(config)).toBe(true);
    expect(toEcrConfig(config)).toBe(config);
    const copy = { ...config, region: 'eu-central-1' };
    expect(isEcrConfig(copy)).toBe(false);
    const rebuilt = toEcrConfig(copy);
    expect(isEcrConfig(rebuilt)).toBe(true);
    expect([rebuilt.region, rebuilt.maxRetries]).toEqual(['eu-central-1', 5]);
    expect(catchEcrError(() => toEcrConfig({ ...config, region: 'nowhere' })).field).toBe('region');
    expect(catchEcrError(() => toEcrConfig(null)).field).toBe('config');
    // The brand is not a setting: printing or serialising shows settings only.
    expect(Object.keys(config)).not.toContain('brand');
    expect(JSON.stringify(config)).toBe(JSON.stringify({ ...config }));
  });

  it('starts from an existing config with from(), later calls overriding it', () => {
    const base = ecrConfig().region('us-east-1').registryId('123456789012').readOnly().build();
    const derived = ecrConfig().from(base).region('eu-west-1').build();
    expect([derived.region, derived.registryId, derived.readOnly]).toEqual(['eu-west-1', '123456789012', true]);
  });

  it('turns garbage and throwing getters into EcrErrors naming the field', () => {
    const throwing = Object.defineProperty({}, 'region', {
      get() {
        throw new Error('boom');
      },
    });
    expect(catchEcrError(() => ecrConfig().from(throwing)).field).toBe('region');
    expect(catchEcrError(() => ecrConfig().fromEnv(null as never)).field).toBe('env');
    expect(catchEcrError(() => ecrConfig().fromEnv({ AWS_REGION: 5 } as never)).field).toBe('AWS_REGION');
    const auth = Object.defineProperty({ type: 'static' }, 'accessKeyId', {
      get() {
        throw new Error('boom');
      },
    });
    expect(
      catchEcrError(() =>
        ecrConfig()
          .region('us-east-1')
          .auth(auth as never)
          .build(),
      ).field,
    ).toBe('auth.accessKeyId');
  });

  it.each<[string, () => unknown, string]>([
    ['a missing region', () => ecrConfig().build(), 'region'],
    ['a bad region', () => ecrConfig().region('Europe').build(), 'region'],
    ['a bad registry id', () => ecrConfig().region('us-east-1').registryId('1234').build(), 'registryId'],
    ['negative retries', () => ecrConfig().region('us-east-1').maxRetries(-1).build(), 'maxRetries'],
    ['fractional timeout', () => ecrConfig().region('us-east-1').requestTimeoutMs(1.5).build(), 'requestTimeoutMs'],
    ['a huge buffer', () => ecrConfig().region('us-east-1').tokenRefreshBufferSecs(1e9).build(), 'tokenRefreshBufferSecs'],
    ['a bad endpoint', () => ecrConfig().region('us-east-1').endpointUrl('not a url').build(), 'endpointUrl'],
    ['an ftp endpoint', () => ecrConfig().region('us-east-1').endpointUrl('ftp://x').build(), 'endpointUrl'],
    [
      'an empty secret',
      () => ecrConfig().region('us-east-1').auth({ type: 'static', accessKeyId: 'AKIA', secretAccessKey: '' }).build(),
      'auth.secretAccessKey',
    ],
    ['a bad role ARN', () => ecrConfig().region('us-east-1').auth({ type: 'assumeRole', roleArn: 'role' }).build(), 'auth.roleArn'],
    [
      'a bad session name',
      () => ecrConfig().region('us-east-1').auth({ type: 'assumeRole', roleArn: 'arn:aws:iam::123456789012:role/x', sessionName: 'a b' }).build(),
      'auth.sessionName',
    ],
    [
      'no token file',
      () => ecrConfig().region('us-east-1').auth({ type: 'webIdentity', roleArn: 'arn:aws:iam::123456789012:role/x', tokenFile: '' }).build(),
      'auth.tokenFile',
    ],
    [
      'an unknown auth type',
      () =>
        ecrConfig()
          .region('us-east-1')
          .auth({ type: 'magic' } as never)
          .build(),
      'auth.type',
    ],
  ])('refuses %s, naming the field', (_name, build, field) => {
    const err = catchEcrError(build);
    expect(err.kind).toBe('InvalidParameter');
    expect(err.field).toBe(field);
  });

  it('never puts secrets or endpoint credentials in messages', () => {
    const err = catchEcrError(() => ecrConfig().region('us-east-1').endpointUrl('https://user:hunter2@example.com').build());
    expect(err.message).not.toContain('hunter2');
    const config = ecrConfig().region('us-east-1').auth({ type: 'static', accessKeyId: 'AKIA', secretAccessKey: 'hunter2' }).build();
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config, { depth: 5 })).not.toContain('hunter2');
  });
});

describe('fromEnv', () => {
  it('reads region, endpoint and static credentials', () => {
    const config = ecrConfig()
      .fromEnv({
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIAX',
        AWS_SECRET_ACCESS_KEY: 's3cret',
        AWS_SESSION_TOKEN: 'tok',
        ECR_ENDPOINT_URL: 'http://127.0.0.1:9000',
      })
      .build();
    expect(config.region).toBe('eu-central-1');
    expect(config.endpointUrl).toBe('http://127.0.0.1:9000');
    expect(config.auth.type === 'static' && config.auth.secretAccessKey.reveal()).toBe('s3cret');
    expect(config.auth.type === 'static' && config.auth.sessionToken?.reveal()).toBe('tok');
  });

  it('falls back to AWS_DEFAULT_REGION and ignores empty variables', () => {
    expect(ecrConfig().fromEnv({ AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }).build().region).toBe('ap-south-1');
  });

  it('prefers static keys, then a profile, then web identity, like the SDK chain', () => {
    const roles = {
      AWS_REGION: 'us-east-1',
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
      AWS_ROLE_SESSION_NAME: 'ci-run',
    };
    expect(ecrConfig().fromEnv(roles).build().auth).toEqual({
      type: 'webIdentity',
      roleArn: roles.AWS_ROLE_ARN,
      tokenFile: '/var/run/token',
      sessionName: 'ci-run',
    });
    expect(
      ecrConfig()
        .fromEnv({ ...roles, AWS_PROFILE: 'dev' })
        .build().auth,
    ).toEqual({ type: 'profile', profile: 'dev' });
    expect(
      ecrConfig()
        .fromEnv({ ...roles, AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'x' })
        .build().auth.type,
    ).toBe('static');
  });

  it('reports a key id without its secret', () => {
    expect(catchEcrError(() => ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIA' }).build()).field).toBe('auth.secretAccessKey');
  });

  it('reads FIPS and dual-stack switches, refusing other values at build', () => {
    const config = ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'FALSE' }).build();
    expect([config.useFips, config.useDualstack]).toEqual([true, false]);
    expect(catchEcrError(() => ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'yes' }).build()).field).toBe('useFips');
  });

  it('lets later calls override the environment', () => {
    expect(ecrConfig().fromEnv({ AWS_REGION: 'us-east-1' }).region('eu-west-1').build().region).toBe('eu-west-1');
  });
});

describe('fromEnv with the shared files: the SDK precedence of every setting', () => {
  // Shaped as @smithy/core/config's loadSharedConfigFiles returns them.
  const files = {
    configFile: {
      default: { region: 'eu-west-1' },
      dev: { region: 'ap-southeast-2', endpoint_url: 'http://profile.example:1', services: 'local', use_fips_endpoint: 'true' },
      plain: { region: 'ca-central-1', endpoint_url: 'http://plain.example:2' },
      'services.local': { 'ecr.endpoint_url': 'http://services-ecr.example:3', 'ecr_public.endpoint_url': 'http://services-public.example:4' },
    },
    credentialsFile: { dev: { aws_access_key_id: 'AKIAFILE', aws_secret_access_key: 'never-read-here' }, keysonly: {} },
  };
  const endpoints = (config: ReturnType<EcrConfigBuilder['build']>) => ({
    ecr: resolveEndpoint('ecr', config.region, config).url,
    public: resolveEndpoint('ecr-public', config.region, config).url,
  });

  it('region: AWS_REGION, AWS_DEFAULT_REGION, then the profile (AWS_PROFILE, else default)', () => {
    expect(ecrConfig().fromEnv({}, { files }).build().region).toBe('eu-west-1');
    expect(ecrConfig().fromEnv({ AWS_PROFILE: 'dev' }, { files }).build().region).toBe('ap-southeast-2');
    expect(ecrConfig().fromEnv({ AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'sa-east-1' }, { files }).build().region).toBe('sa-east-1');
    expect(ecrConfig().fromEnv({ AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'sa-east-1', AWS_REGION: 'us-west-2' }, { files }).build().region).toBe('us-west-2');
    // An explicit profile (a --profile flag) wins over AWS_PROFILE.
    expect(ecrConfig().fromEnv({ AWS_PROFILE: 'dev' }, { files, profile: 'plain' }).build().region).toBe('ca-central-1');
  });

  it('endpoints per service: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the services section, the profile', () => {
    expect(endpoints(ecrConfig().fromEnv({ AWS_PROFILE: 'plain' }, { files }).build())).toEqual({
      ecr: 'http://plain.example:2',
      public: 'http://plain.example:2',
    });
    expect(endpoints(ecrConfig().fromEnv({ AWS_PROFILE: 'dev' }, { files }).build())).toEqual({
      ecr: 'http://services-ecr.example:3',
      public: 'http://services-public.example:4',
    });
    expect(endpoints(ecrConfig().fromEnv({ AWS_PROFILE: 'dev', AWS_ENDPOINT_URL: 'http://shared.example:5' }, { files }).build())).toEqual({
      ecr: 'http://shared.example:5',
      public: 'http://shared.example:5',
    });
    expect(
      endpoints(
        ecrConfig()
          .fromEnv({ AWS_PROFILE: 'dev', AWS_ENDPOINT_URL: 'http://shared.example:5', AWS_ENDPOINT_URL_ECR_PUBLIC: 'http://public.example:6' }, { files })
          .build(),
      ),
    ).toEqual({ ecr: 'http://shared.example:5', public: 'http://public.example:6' });
    // Only ECR's own variable: ECR Public keeps its AWS endpoint, as in the SDK.
    expect(endpoints(ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4510' }).build())).toEqual({
      ecr: 'http://127.0.0.1:4510',
      public: 'https://api.ecr-public.us-east-1.amazonaws.com',
    });
    // The older ECR_ENDPOINT_URL yields to the standard variables.
    expect(
      endpoints(
        ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', ECR_ENDPOINT_URL: 'http://old.example:7', AWS_ENDPOINT_URL_ECR: 'http://new.example:8' }).build(),
      ),
    ).toEqual({
      ecr: 'http://new.example:8',
      public: 'http://old.example:7',
    });
    expect(
      endpoints(ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', ECR_ENDPOINT_URL: 'http://old.example:7', AWS_ENDPOINT_URL: 'http://new.example:8' }).build())
        .ecr,
    ).toBe('http://new.example:8');
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS switches every configured endpoint off', () => {
    const config = ecrConfig()
      .fromEnv({ AWS_PROFILE: 'dev', AWS_ENDPOINT_URL_ECR: 'http://x.example:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, { files })
      .useFips(false)
      .build();
    expect(endpoints(config).ecr).toBe('https://api.ecr.ap-southeast-2.amazonaws.com');
  });

  it('code set after the environment wins: endpointUrl replaces endpoints set per service', () => {
    const config = ecrConfig().fromEnv({ AWS_PROFILE: 'dev' }, { files }).endpointUrl('http://code.example:9').build();
    expect(endpoints(config)).toEqual({ ecr: 'http://code.example:9', public: 'http://code.example:9' });
    expect(endpoints(ecrConfig().region('us-east-1').endpointUrl('http://a.example:1').serviceEndpointUrl('ecr-public', 'http://b.example:2').build())).toEqual(
      {
        ecr: 'http://a.example:1',
        public: 'http://b.example:2',
      },
    );
  });

  it('FIPS and dual-stack from the profile, below the environment', () => {
    expect(ecrConfig().fromEnv({ AWS_PROFILE: 'dev', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, { files }).build().useFips).toBe(true);
    expect(ecrConfig().fromEnv({ AWS_PROFILE: 'dev', AWS_USE_FIPS_ENDPOINT: 'false' }, { files }).build().useFips).toBe(false);
  });

  it('credentials: an explicit profile beats keys in the environment; AWS_PROFILE does not', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret' };
    expect(
      ecrConfig()
        .fromEnv({ ...keys, AWS_PROFILE: 'dev' }, { files })
        .build().auth.type,
    ).toBe('static');
    expect(
      ecrConfig()
        .fromEnv({ ...keys }, { files, profile: 'dev' })
        .build().auth,
    ).toEqual({ type: 'profile', profile: 'dev' });
    // A profile that only the credentials file has is a profile too.
    expect(ecrConfig().fromEnv({ AWS_REGION: 'us-east-1' }, { files, profile: 'keysonly' }).build().auth).toEqual({ type: 'profile', profile: 'keysonly' });
  });

  it('AWS_ROLE_ARN alone assumes the role from the default credentials; with a token file it is web identity', () => {
    const role = { AWS_REGION: 'us-east-1', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy', AWS_ROLE_SESSION_NAME: 'release-42' };
    expect(ecrConfig().fromEnv(role).build().auth).toEqual({ type: 'assumeRole', roleArn: role.AWS_ROLE_ARN, sessionName: 'release-42' });
    expect(
      ecrConfig()
        .fromEnv({ ...role, AWS_WEB_IDENTITY_TOKEN_FILE: '/t' })
        .build().auth.type,
    ).toBe('webIdentity');
    expect(
      catchEcrError(() =>
        ecrConfig()
          .fromEnv({ ...role, AWS_ROLE_ARN: 'deploy' })
          .build(),
      ).field,
    ).toBe('auth.roleArn');
  });

  it('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE travel with the config to the credential providers', () => {
    const config = ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/etc/aws/config', AWS_SHARED_CREDENTIALS_FILE: '/etc/aws/creds' }).build();
    expect(config.sharedConfigFiles).toEqual({ configFile: '/etc/aws/config', credentialsFile: '/etc/aws/creds' });
    // ~/ is this environment's home, not the process's.
    expect(ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', HOME: '/home/ci/', AWS_CONFIG_FILE: '~/aws.cfg' }).build().sharedConfigFiles).toEqual({
      configFile: '/home/ci/aws.cfg',
    });
  });

  it('refuses a named profile that neither file has, a bad profile name, and files of the wrong shape', () => {
    const missing = catchEcrError(() => ecrConfig().fromEnv({}, { files, profile: 'nope' }));
    expect([missing.kind, missing.field]).toEqual(['InvalidParameter', 'profile']);
    expect(missing.message).toContain('neither');
    expect(catchEcrError(() => ecrConfig().fromEnv({}, { files, profile: 'a b' })).field).toBe('profile');
    expect(catchEcrError(() => ecrConfig().fromEnv({}, { files: { configFile: null } as never })).field).toBe('files');
    expect(catchEcrError(() => ecrConfig().fromEnv({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECR: 'ftp://x' }).build()).field).toBe(
      'serviceEndpointUrls.ecr',
    );
  });
});
