import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEcrError, resolveEndpoint } from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer } from '@ecrkit/simulation';
import type { SimulationServer } from '@ecrkit/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEcrConfig, readSharedConfigFiles } from './awsSettings.js';
import { createClient } from './createClient.js';

// The AWS settings through the SDK's own loaders, against a signature-verifying simulation server:
// a request only succeeds when the region, the endpoint and the keys all came from where the
// settings say, because the keys live only in the temporary credentials file.
const keys = { accessKeyId: 'AKIDFROMCREDENTIALSFILE', secretAccessKey: 'secret-only-in-the-credentials-file-0123' };
let server: SimulationServer;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  const registry = new SimulatedRegistry();
  registry.withImage('from-profile', { tags: ['v1'], region: 'eu-north-1' });
  registry.withImage('from-env', { tags: ['v1'], region: 'us-east-1' });
  server = await startSimulationServer({ registry, port: 0, verifySignatures: true, credentials: [keys] });
  home = mkdtempSync(join(tmpdir(), 'ecrkit-aws-settings-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'config'),
    [
      '[default]',
      'region = us-east-1',
      '',
      '[profile sim]',
      'region = eu-north-1',
      `endpoint_url = ${server.url}`,
      '',
      '[profile split]',
      'region = eu-north-1',
      'services = local-ecr',
      '',
      '[services local-ecr]',
      'ecr =',
      `  endpoint_url = ${server.url}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(home, '.aws', 'credentials'),
    [
      '[sim]',
      `aws_access_key_id = ${keys.accessKeyId}`,
      `aws_secret_access_key = ${keys.secretAccessKey}`,
      '',
      '[split]',
      `aws_access_key_id = ${keys.accessKeyId}`,
      `aws_secret_access_key = ${keys.secretAccessKey}`,
      '',
    ].join('\n'),
  );
  // Only this environment knows the files: the providers must take the paths from the config, not from process.env.
  env = { HOME: home, AWS_CONFIG_FILE: '~/.aws/config', AWS_SHARED_CREDENTIALS_FILE: '~/.aws/credentials' };
});
afterAll(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

const names = async (profile: string | undefined, extraEnv: Record<string, string> = {}) => {
  const config = (await loadEcrConfig({ env: { ...env, ...extraEnv }, ...(profile ? { profile } : {}) })).maxRetries(0).build();
  const client = createClient(config);
  try {
    return (await client.repositories.list().toArray()).map((r) => r.repositoryName);
  } finally {
    await client.destroy();
  }
};

describe('loadEcrConfig: the AWS settings, as the CLI and SDKs read them', () => {
  it('a profile with region and endpoint_url, its keys from the credentials file (paths with ~/ against this HOME)', async () => {
    expect(await names('sim')).toEqual(['from-profile']);
  });

  it("a profile's services section sets ECR's endpoint, and ECR Public keeps its AWS endpoint", async () => {
    expect(await names('split')).toEqual(['from-profile']);
    const config = (await loadEcrConfig({ env, profile: 'split' })).build();
    expect(resolveEndpoint('ecr-public', config.region, config).url).toBe('https://api.ecr-public.us-east-1.amazonaws.com');
  });

  it('AWS_PROFILE selects the profile when no profile is named', async () => {
    expect(await names(undefined, { AWS_PROFILE: 'sim' })).toEqual(['from-profile']);
  });

  it('AWS_ENDPOINT_URL_ECR and keys in the environment, region from the default profile', async () => {
    const fromEnv = { AWS_ENDPOINT_URL_ECR: server.url, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
    expect(await names(undefined, fromEnv)).toEqual(['from-env']);
    // AWS_REGION beats the profile's region.
    expect(await names(undefined, { ...fromEnv, AWS_REGION: 'eu-north-1' })).toEqual(['from-profile']);
  });

  it('an explicit profile missing from both files is an InvalidParameter naming profile, before any request', async () => {
    const err = await loadEcrConfig({ env, profile: 'nope' }).catch((e: unknown) => e);
    expect(isEcrError(err) && [err.kind, err.field]).toEqual(['InvalidParameter', 'profile']);
  });

  it('missing files read as empty, as in the SDK; every read sees the files as they are now', async () => {
    expect(await readSharedConfigFiles({ env: { HOME: join(home, 'nowhere') } })).toEqual({ configFile: {}, credentialsFile: {} });
    const dir = mkdtempSync(join(tmpdir(), 'ecrkit-aws-settings-fresh-'));
    const file = join(dir, 'config');
    writeFileSync(file, '[default]\nregion = ap-south-1\n');
    expect((await readSharedConfigFiles({ env: { AWS_CONFIG_FILE: file } })).configFile.default).toEqual({ region: 'ap-south-1' });
    writeFileSync(file, '[default]\nregion = ap-east-1\n');
    expect((await readSharedConfigFiles({ env: { AWS_CONFIG_FILE: file } })).configFile.default).toEqual({ region: 'ap-east-1' });
    rmSync(dir, { recursive: true, force: true });
  });
});
