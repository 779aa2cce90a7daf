import { ecrConfig } from '@ecrkit/core-types';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { contractCredentials } from '@ecrkit/test-utils';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createSigV4Transport } from '../src/index.js';
import { loadHashing } from '../src/internal/hashing.js';

// What a request needs is all a request loads: a static-credential user never loads the
// credential providers, the pure-JS SHA-256 (node:crypto signs here; core-types loads it only
// for a digest), or undici's full entry point (fetch, WebSocket, caches, mocks).
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('@aws-sdk/credential-providers', async (importOriginal) => {
  loaded.add('@aws-sdk/credential-providers');
  return importOriginal();
});
vi.mock('@aws-crypto/sha256-js', async (importOriginal) => {
  loaded.add('@aws-crypto/sha256-js');
  return importOriginal();
});
vi.mock('undici', async (importOriginal) => {
  loaded.add('undici');
  return importOriginal();
});

let server: SimulationServer;
beforeAll(async () => {
  server = await startSimulationServer({ registry: new SimulatedRegistry(), verifySignatures: true, credentials: [contractCredentials] });
});
afterAll(() => server.close());

it('signs with node:crypto where it exists', async () => {
  expect((await loadHashing()).name).toBe('node:crypto');
});

it('loads only what a static-credential request needs', async () => {
  const transport = createSigV4Transport(
    ecrConfig()
      .region('us-east-1')
      .endpointUrl(server.url)
      .auth({ type: 'static', ...contractCredentials })
      .build(),
  );
  await expect(transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' })).resolves.toHaveProperty('repositories');
  await transport.destroy();
  expect([...loaded]).toEqual([]);
});

it('loads the credential providers for the first non-static call', async () => {
  const transport = createSigV4Transport(
    ecrConfig().region('us-east-1').endpointUrl(server.url).auth({ type: 'profile', profile: 'nobody-has-this-profile' }).build(),
  );
  expect(loaded.has('@aws-sdk/credential-providers')).toBe(false);
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  process.env.AWS_CONFIG_FILE = '/nonexistent/ecrkit/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/ecrkit/credentials';
  try {
    await expect(transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' })).rejects.toMatchObject({
      kind: 'CredentialsUnavailable',
    });
  } finally {
    for (const [key, value] of [
      ['AWS_CONFIG_FILE', saved.config],
      ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await transport.destroy();
  }
  expect(loaded.has('@aws-sdk/credential-providers')).toBe(true);
});
