import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedRegistry, startSimulationServer, type SimulationServer } from '@ecrkit/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyRegistryHost } from '../registry/registryReference.js';
import { credentialHelper, refreshBeforeExpiryMs } from './credentialHelper.js';

// The docker-credential-helpers protocol in process, against a simulation server (for ECR hosts,
// ECR_ENDPOINT_URL sends the token requests there, as it would send them to a VPC endpoint).

let registry: SimulatedRegistry;
let server: SimulationServer;
let cacheDir: string;

beforeEach(async () => {
  registry = new SimulatedRegistry().withRepository('web-app');
  server = await startSimulationServer({ registry });
  cacheDir = mkdtempSync(join(tmpdir(), 'ecrkit-helper-'));
});
afterEach(async () => {
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const keys = { AWS_ACCESS_KEY_ID: 'AKIDHELPERTEST', AWS_SECRET_ACCESS_KEY: 'helper-test-secret' };
const host = () => server.url.replace('http://', '');

async function run(argv: string[], stdin = '', extra: { env?: NodeJS.ProcessEnv; now?: () => number } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await credentialHelper(argv, {
    stdin,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { ECRKIT_CACHE_DIR: join(cacheDir, 'tokens'), AWS_REGION: 'us-east-1', ...extra.env },
    ...(extra.now ? { now: extra.now } : {}),
  });
  return { code, stdout, stderr };
}

const tokenRequests = () => registry.getOperationHistory({ operation: 'GetAuthorizationToken' });

async function acceptedByRegistry(password: string): Promise<number> {
  const res = await fetch(`${server.url}/v2/`, { headers: { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` } });
  return res.status;
}

describe('docker-credential-ecrkit get', () => {
  it('answers a simulation host with a password the registry accepts, cached on disk (0600 in a 0700 folder)', async () => {
    const first = await run(['get'], `${host()}\n`);
    expect(first.code).toBe(0);
    const answer = JSON.parse(first.stdout) as { ServerURL: string; Username: string; Secret: string };
    expect(answer).toMatchObject({ ServerURL: host(), Username: 'AWS' });
    expect(await acceptedByRegistry(answer.Secret)).toBe(200);
    expect(first.stderr).not.toContain(answer.Secret);

    const second = await run(['get'], host());
    expect(JSON.parse(second.stdout)).toEqual(answer);
    expect(tokenRequests()).toHaveLength(1);
    const files = readdirSync(join(cacheDir, 'tokens'));
    expect(files).toHaveLength(1);
    expect(statSync(join(cacheDir, 'tokens', files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(join(cacheDir, 'tokens')).mode & 0o777).toBe(0o700);
  });

  it('fetches a new token shortly before the cached one expires, and when the simulation forgot it', async () => {
    const first = JSON.parse((await run(['get'], host())).stdout) as { Secret: string };
    const nearExpiry = Date.now() + 12 * 3600_000 - refreshBeforeExpiryMs + 60_000;
    const refreshed = JSON.parse((await run(['get'], host(), { now: () => nearExpiry })).stdout) as { Secret: string };
    expect(refreshed.Secret).not.toBe(first.Secret);
    expect(tokenRequests()).toHaveLength(2);

    registry.reset().withRepository('web-app');
    const afterRestart = JSON.parse((await run(['get'], host())).stdout) as { Secret: string };
    expect(afterRestart.Secret).not.toBe(refreshed.Secret);
    expect(await acceptedByRegistry(afterRestart.Secret)).toBe(200);
  });

  it('keeps one cache entry per principal: other keys never see another principal`s token', async () => {
    await run(['get'], host(), { env: { AWS_ACCESS_KEY_ID: 'AKIDONE', AWS_SECRET_ACCESS_KEY: 'one' } });
    await run(['get'], host(), { env: { AWS_ACCESS_KEY_ID: 'AKIDTWO', AWS_SECRET_ACCESS_KEY: 'two' } });
    expect(tokenRequests()).toHaveLength(2);
    expect(readdirSync(join(cacheDir, 'tokens'))).toHaveLength(2);
  });

  it('answers an ECR host with a token of that host`s region and account', async () => {
    registry.withRepository('web-app', { region: 'eu-west-1', accountId: '210987654321' });
    const ecrHost = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';
    const result = await run(['get'], `https://${ecrHost}`, { env: { ECR_ENDPOINT_URL: server.url, ...keys } });
    expect(result.code).toBe(0);
    const secret = (JSON.parse(result.stdout) as { Secret: string }).Secret;
    expect(registry.authorizationTokenBinding(secret)).toMatchObject({ accountId: '210987654321', region: 'eu-west-1' });
    expect(tokenRequests()[0]).toMatchObject({ region: 'eu-west-1', input: { registryIds: ['210987654321'] } });
  });

  it('answers public.ecr.aws with an ECR Public token', async () => {
    const result = await run(['get'], 'public.ecr.aws', { env: { ECR_ENDPOINT_URL: server.url, ...keys } });
    expect(result.code).toBe(0);
    expect(registry.getOperationHistory({ operation: 'GetAuthorizationToken' })[0]).toMatchObject({ api: 'ecr-public' });
  });

  it('fails with a message on stdout (the protocol`s channel) when no token can be had', async () => {
    const noCredentials = await run(['get'], '123456789012.dkr.ecr.us-east-1.amazonaws.com', {
      env: {
        ECR_ENDPOINT_URL: server.url,
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect([noCredentials.code, noCredentials.stdout]).toEqual([
      1,
      expect.stringMatching(/could not get a password for 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com: /),
    ]);
    await server.close();
    const result = await run(['get'], host());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^docker-credential-ecrkit: could not get a password for 127\.0\.0\.1:\d+: /);
    expect((await run(['get'], '')).stdout).toBe('credentials not found in native keychain\n');
  });
});

describe('docker-credential-ecrkit list, store, erase, version', () => {
  it('lists the registries with a live cached token; store and erase change nothing and say why', async () => {
    await run(['get'], host());
    expect(JSON.parse((await run(['list'])).stdout)).toEqual({ [host()]: 'AWS' });
    const store = await run(['store'], JSON.stringify({ ServerURL: host(), Username: 'AWS', Secret: 'from-docker-login' }));
    expect(store.code).toBe(0);
    expect(store.stderr).toMatch(/store does nothing: ECR passwords come from GetAuthorizationToken/);
    expect(store.stderr).not.toContain('from-docker-login');
    const erase = await run(['erase'], host());
    expect([erase.code, erase.stderr]).toEqual([0, expect.stringMatching(/erase does nothing/)]);
    expect(JSON.parse((await run(['list'])).stdout)).toEqual({ [host()]: 'AWS' });
    expect((await run(['version'])).stdout).toMatch(/^docker-credential-ecrkit \(ecrkit\) \d+\.\d+\.\d+/);
    const unknown = await run(['frobnicate']);
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([1, '', expect.stringMatching(/^Usage: docker-credential-ecrkit/)]);
    // Asked for, the usage goes to standard output, as any --help.
    const help = await run(['--help']);
    expect([help.code, help.stderr, help.stdout]).toEqual([
      0,
      '',
      expect.stringMatching(/^Usage: docker-credential-ecrkit <get\|list\|store\|erase\|version>/),
    ]);
  });
});

describe('classifyRegistryHost', () => {
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', { kind: 'ecr', accountId: '123456789012', region: 'us-east-1', fips: false, dualStack: false }],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', { kind: 'ecr', region: 'us-gov-west-1', fips: true, dualStack: false }],
    ['123456789012.dkr-ecr.eu-west-1.on.aws', { kind: 'ecr', region: 'eu-west-1', fips: false, dualStack: true }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', { kind: 'ecr', region: 'cn-north-1' }],
    ['public.ecr.aws', { kind: 'public' }],
    ['127.0.0.1:4510', { kind: 'simulation' }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com', { kind: 'simulation' }],
  ])('%s', (name, expected) => {
    expect(classifyRegistryHost(name)).toMatchObject(expected);
  });
});
