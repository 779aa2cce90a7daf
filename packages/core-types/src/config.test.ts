import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { ecrConfig, isEcrConfig, toEcrConfig } from './config.js';
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
