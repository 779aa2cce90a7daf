import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '@ecrkit/core-types';
import { rejection, setup } from '../test/fixtures.js';

const registryHost = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('AuthService', () => {
  it('getAuthorizationToken() returns the token as a secret with its expiry and registry', async () => {
    const f = setup();
    const [token] = await f.client.auth.getAuthorizationToken();
    expect(token?.registry).toBe(registryHost);
    expect(token?.proxyEndpoint).toBe(`https://${registryHost}`);
    expect(token?.expiresAt.getTime()).toBe(f.clock.now() + 12 * 3600_000);
    expect(`${token?.token}`).toBe('[redacted]');
    expect(new TextDecoder().decode(fromBase64(token!.token.reveal()))).toMatch(/^AWS:.+/);
  });

  it('1,000 concurrent callers cause exactly one GetAuthorizationToken', async () => {
    const lookups: boolean[] = [];
    let refreshes = 0;
    const f = setup({ client: { telemetry: { onTokenCache: (hit) => lookups.push(hit), onTokenRefresh: () => refreshes++ } } });
    const results = await Promise.all(Array.from({ length: 1000 }, () => f.client.auth.getDockerCredentials()));
    expect(f.ops()).toEqual(['GetAuthorizationToken']);
    expect(new Set(results.map((r) => r.password.reveal())).size).toBe(1);
    expect(f.client.tokenCacheStats()).toEqual({ hits: 999, misses: 1, size: 1 });
    expect(lookups.filter((h) => !h)).toHaveLength(1);
    expect(refreshes).toBe(1);
  });

  it('refreshes tokenRefreshBufferSecs before expiry', async () => {
    const f = setup({ config: (b) => b.tokenRefreshBufferSecs(600) });
    await f.client.auth.getAuthorizationToken();
    await f.clock.advance(12 * 3600_000 - 601_000);
    await f.client.auth.getAuthorizationToken();
    expect(f.ops()).toEqual(['GetAuthorizationToken']);
    await f.clock.advance(1_000);
    await f.client.auth.getAuthorizationToken();
    expect(f.ops()).toEqual(['GetAuthorizationToken', 'GetAuthorizationToken']);
  });

  it('a credential error on any call clears the token cache', async () => {
    const f = setup();
    f.registry.withRepository('web-app');
    await f.client.auth.getAuthorizationToken();
    f.registry.withErrorInjection({ operation: 'DescribeRepositories', error: 'ExpiredTokenException', times: 1 });
    expect(await rejection(f.client.repositories.get('web-app'))).toMatchObject({ kind: 'ExpiredToken', category: 'credential' });
    await f.client.auth.getAuthorizationToken();
    expect(f.ops({ operation: 'GetAuthorizationToken' })).toHaveLength(2);
  });

  it('refreshToken() fetches anew even while the cached token is fresh', async () => {
    const f = setup();
    const [first] = await f.client.auth.getAuthorizationToken();
    const [second] = await f.client.auth.refreshToken();
    expect(f.ops()).toEqual(['GetAuthorizationToken', 'GetAuthorizationToken']);
    const [third] = await f.client.auth.getAuthorizationToken();
    expect(third?.token.equals(second!.token)).toBe(true);
    expect(first).toBeDefined();
  });

  it('one caller aborting does not fail the others sharing the fetch', async () => {
    const f = setup();
    f.registry.withLatencyInjection({ operation: 'GetAuthorizationToken', ms: 1000 });
    const controller = new AbortController();
    const aborted = f.client.auth.getAuthorizationToken(undefined, { signal: controller.signal }).catch((e: unknown) => e);
    const other = f.client.auth.getAuthorizationToken();
    controller.abort();
    expect(await aborted).toMatchObject({ kind: 'Aborted' });
    await f.clock.advance(1000);
    expect((await other)[0]?.registry).toBe(registryHost);
    expect(f.ops()).toEqual(['GetAuthorizationToken']);
  });

  it('registry ids are validated before anything is sent', async () => {
    const f = setup();
    expect(await rejection(f.client.auth.getAuthorizationToken(['123']))).toMatchObject({ kind: 'InvalidParameter', field: 'registryIds[0]' });
    expect(await rejection(f.client.auth.getAuthorizationToken(Array(11).fill('123456789012')))).toMatchObject({
      kind: 'InvalidParameter',
      field: 'registryIds',
    });
    expect(f.ops()).toEqual([]);
    await f.client.auth.getAuthorizationToken(['123456789012']);
    expect(f.registry.getOperationHistory()[0]?.input).toEqual({ registryIds: ['123456789012'] });
  });

  it('getDockerCredentials() decodes the token; the password never prints', async () => {
    const f = setup();
    const creds = await f.client.auth.getDockerCredentials();
    expect(creds).toMatchObject({ username: 'AWS', registry: registryHost, proxyEndpoint: `https://${registryHost}` });
    const password = creds.password.reveal();
    expect(password.length).toBeGreaterThan(8);
    for (const printed of [JSON.stringify(creds), inspect(creds, { depth: 5 }), String(creds.password), `${creds.password}`]) {
      expect(printed).not.toContain(password);
    }
  });

  it('credentials name the configured registry, which may be another account than the caller', async () => {
    const f = setup({ config: (b) => b.registryId('210987654321').region('eu-west-1') });
    const creds = await f.client.auth.getDockerCredentials();
    expect(creds.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(creds.proxyEndpoint).toBe('https://210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(f.registry.getOperationHistory()[0]?.input).toEqual({});
    expect((await f.client.auth.getLoginCommand()).args[4]).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
  });

  it('getLoginCommand() pipes the password through stdin, never argv or toString()', async () => {
    const f = setup();
    const login = await f.client.auth.getLoginCommand();
    const password = (await f.client.auth.getDockerCredentials()).password.reveal();
    expect(login.command).toBe('docker');
    expect(login.args).toEqual(['login', '--username', 'AWS', '--password-stdin', registryHost]);
    expect(login.stdin.reveal()).toBe(password);
    expect(login.toString()).toBe(`aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${registryHost}`);
    expect(`${login}`).toBe(login.toString());
    expect(login.display).toBe(`docker login --username AWS --password-stdin ${registryHost}`);
    for (const printed of [JSON.stringify(login), inspect(login, { depth: 5 }), login.args.join(' '), login.toString()])
      expect(printed).not.toContain(password);
  });

  it('imagePullSecret() builds a dockerconfigjson Secret whose printing redacts the credentials', async () => {
    const f = setup();
    const secret = await f.client.auth.imagePullSecret('apps');
    const password = (await f.client.auth.getDockerCredentials()).password.reveal();
    expect(secret.object).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ecr-pull-secret', namespace: 'apps' },
      type: 'kubernetes.io/dockerconfigjson',
    });
    const data = secret.object.data['.dockerconfigjson'].reveal();
    const config = JSON.parse(new TextDecoder().decode(fromBase64(data))) as { auths: Record<string, { username: string; password: string; auth: string }> };
    expect(config.auths[registryHost]).toMatchObject({ username: 'AWS', password });
    expect(new TextDecoder().decode(fromBase64(config.auths[registryHost]!.auth))).toBe(`AWS:${password}`);
    expect(secret.yaml).toContain(`  .dockerconfigjson: ${data}\n`);
    expect(secret.yaml).toContain('type: kubernetes.io/dockerconfigjson');
    expect(secret.expiresAt).toBeInstanceOf(Date);
    for (const printed of [
      String(secret),
      JSON.stringify(secret),
      inspect(secret, { depth: 10 }),
      inspect(secret.object, { depth: 10 }),
      JSON.stringify(secret.object),
    ]) {
      expect(printed).not.toContain(data);
      expect(printed).not.toContain(password);
    }
  });

  it('imagePullSecret() refuses names Kubernetes would refuse, before anything is sent', async () => {
    const f = setup();
    expect(await rejection(f.client.auth.imagePullSecret('Apps'))).toMatchObject({ kind: 'InvalidParameter', field: 'namespace' });
    expect(await rejection(f.client.auth.imagePullSecret('apps', 'bad_name'))).toMatchObject({ kind: 'InvalidParameter', field: 'name' });
    expect(await rejection(f.client.auth.imagePullSecret('a'.repeat(64)))).toMatchObject({ field: 'namespace' });
    expect(f.ops()).toEqual([]);
    const custom = await f.client.auth.imagePullSecret('apps', 'regcred.v1');
    expect(custom.object.metadata.name).toBe('regcred.v1');
  });
});
