import { describe, expect, it } from 'vitest';
import { ecrConfig } from './config.js';
import { credentialsForAuth, type AwsCredentialsProvider, type CredentialProviderFactories } from './credentials.js';

const resolved = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'from-provider' };

/** Factories that record how they were called. */
function recordingFactories(): { factories: CredentialProviderFactories; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const make =
    (name: string) =>
    (init?: unknown): AwsCredentialsProvider => {
      calls.push([name, init]);
      return async () => resolved;
    };
  return {
    factories: {
      fromNodeProviderChain: make('fromNodeProviderChain'),
      fromIni: make('fromIni'),
      fromTemporaryCredentials: make('fromTemporaryCredentials'),
      fromTokenFile: make('fromTokenFile'),
    },
    calls,
  };
}

const authOf = (auth: Parameters<ReturnType<typeof ecrConfig>['auth']>[0]) => ecrConfig().region('eu-west-1').auth(auth).build().auth;

describe('credentialsForAuth', () => {
  it('reveals static credentials and never loads the factories', () => {
    let loads = 0;
    const out = credentialsForAuth(
      authOf({ type: 'static', accessKeyId: 'AKIDSTATIC', secretAccessKey: 's3cret', sessionToken: 'tok' }),
      'eu-west-1',
      async () => {
        loads++;
        return recordingFactories().factories;
      },
    );
    expect(out).toEqual({ credentials: { accessKeyId: 'AKIDSTATIC', secretAccessKey: 's3cret', sessionToken: 'tok' }, describe: 'static' });
    expect(loads).toBe(0);
  });

  it.each([
    [{ type: 'default' } as const, 'default', ['fromNodeProviderChain', undefined]],
    [{ type: 'profile', profile: 'ci' } as const, 'profile ci', ['fromIni', { profile: 'ci' }]],
    [
      { type: 'assumeRole', roleArn: 'arn:aws:iam::123456789012:role/deploy', externalId: 'ext' } as const,
      'assumeRole',
      [
        'fromTemporaryCredentials',
        { params: { RoleArn: 'arn:aws:iam::123456789012:role/deploy', RoleSessionName: 'ecrkit', ExternalId: 'ext' }, clientConfig: { region: 'eu-west-1' } },
      ],
    ],
    [
      { type: 'webIdentity', roleArn: 'arn:aws:iam::123456789012:role/ci', tokenFile: '/var/run/token', sessionName: 'job' } as const,
      'webIdentity',
      [
        'fromTokenFile',
        { roleArn: 'arn:aws:iam::123456789012:role/ci', webIdentityTokenFile: '/var/run/token', roleSessionName: 'job', clientConfig: { region: 'eu-west-1' } },
      ],
    ],
  ])('maps %o to its provider, loaded on first use only', async (auth, describe, expectedCall) => {
    const { factories, calls } = recordingFactories();
    let loads = 0;
    const out = credentialsForAuth(authOf(auth), 'eu-west-1', async () => {
      loads++;
      return factories;
    });
    expect(out.describe).toBe(describe);
    expect(loads).toBe(0);
    const provider = out.credentials as AwsCredentialsProvider;
    await expect(provider()).resolves.toEqual(resolved);
    await expect(provider()).resolves.toEqual(resolved);
    expect(loads).toBe(1);
    expect(calls).toEqual([expectedCall]);
  });

  it("hands the config's shared file paths to every provider that reads them", async () => {
    const sharedFiles = { configFile: '/tmp/cfg', credentialsFile: '/tmp/creds' };
    const fileInit = { filepath: '/tmp/creds', configFilepath: '/tmp/cfg' };
    const run = async (auth: Parameters<typeof authOf>[0]) => {
      const { factories, calls } = recordingFactories();
      await (credentialsForAuth(authOf(auth), 'eu-west-1', async () => factories, sharedFiles).credentials as AwsCredentialsProvider)();
      return calls;
    };
    expect(await run({ type: 'default' })).toEqual([['fromNodeProviderChain', fileInit]]);
    expect(await run({ type: 'profile', profile: 'ci' })).toEqual([['fromIni', { profile: 'ci', ...fileInit }]]);
    // Assuming a role starts from the default chain over the same files.
    const assume = await run({ type: 'assumeRole', roleArn: 'arn:aws:iam::123456789012:role/deploy' });
    expect(assume[0]).toEqual(['fromNodeProviderChain', fileInit]);
    expect(assume[1]?.[0]).toBe('fromTemporaryCredentials');
    expect(typeof (assume[1]![1] as { masterCredentials?: unknown }).masterCredentials).toBe('function');
  });

  it('tries loading again after a failed load', async () => {
    let loads = 0;
    const out = credentialsForAuth(authOf({ type: 'default' }), 'eu-west-1', async () => {
      if (++loads === 1) throw new Error('module not found');
      return recordingFactories().factories;
    });
    const provider = out.credentials as AwsCredentialsProvider;
    await expect(provider()).rejects.toThrow('module not found');
    await expect(provider()).resolves.toEqual(resolved);
    expect(loads).toBe(2);
  });
});
