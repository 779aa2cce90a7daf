import { describe, expect, it } from 'vitest';
import { ecrConfig } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { createClient } from './createClient.js';
import { privateRegistryHost } from './internal/registryHost.js';
import { rejection, setup } from '../test/fixtures.js';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('createClient', () => {
  it('needs a transport, and says where the default one lives', () => {
    const config = ecrConfig().region('us-east-1').build();
    const err = catchError(() => createClient(config, {} as never));
    expect(err).toMatchObject({ kind: 'InvalidParameter', field: 'transport' });
    expect((err as Error).message).toContain('@ecrkit/client');
    for (const garbage of [null, 42, 'transport', [], { transport: null }, { transport: { send: 'no' } }]) {
      expect(catchError(() => createClient(config, garbage as never))).toMatchObject({ name: 'EcrError', kind: 'InvalidParameter' });
    }
  });

  it('trusts a built config and builds (validates) anything else once', () => {
    const transport: Transport = { send: async () => ({}) as never };
    const config = ecrConfig().region('us-east-1').build();
    expect(createClient(config, { transport }).config).toBe(config);
    expect(createClient({ ...config, region: 'eu-west-1' }, { transport }).config.region).toBe('eu-west-1');
    expect(catchError(() => createClient({ ...config, region: 'nowhere' }, { transport }))).toMatchObject({ kind: 'InvalidParameter', field: 'region' });
    expect(catchError(() => createClient(null as never, { transport }))).toMatchObject({ kind: 'InvalidParameter', field: 'config' });
  });

  it('registryUri comes from the config, or is resolved through the token cache', async () => {
    expect(setup().client.registryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(privateRegistryHost('123456789012', 'cn-north-1')).toBe('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn');
    const f = setup({ config: (b) => ecrConfig().region(b.build().region) });
    expect(f.client.registryUri).toBeUndefined();
    expect(await f.client.resolveRegistryUri()).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(f.client.registryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    await f.client.auth.getDockerCredentials();
    expect(f.ops()).toEqual(['GetAuthorizationToken']);
  });

  it('a transport that throws something other than EcrError still yields an EcrError', async () => {
    const broken: Transport = { send: async () => Promise.reject(new TypeError('socket hang up')) };
    const client = createClient(ecrConfig().region('us-east-1').build(), { transport: broken });
    const err = await rejection(client.repositories.get('web-app'));
    expect(err).toMatchObject({ name: 'EcrError', kind: 'Unknown', operation: 'DescribeRepositories' });
    expect((err as Error).cause).toBeInstanceOf(TypeError);
  });

  it('destroy() drops caches and refuses further calls', async () => {
    const f = setup({ client: { metadataCache: { ttlMs: 1000, maxEntries: 10 } } });
    f.registry.withRepository('web-app');
    await f.client.repositories.get('web-app');
    await f.client.auth.getAuthorizationToken();
    await f.client.destroy();
    expect(f.client.tokenCacheStats().size).toBe(0);
    expect(f.client.metadataCacheStats()?.size).toBe(0);
    expect(await rejection(f.client.repositories.list().toArray())).toMatchObject({ kind: 'Aborted' });
    expect(f.ops()).toHaveLength(2);
  });
});

describe('EcrClient.getImageForDeployment', () => {
  function deployable() {
    const f = setup();
    const img = f.registry.addImage('web-app', { tags: ['v1.2.3'] });
    f.registry.withScanFindings('web-app', 'v1.2.3', [
      { name: 'CVE-2024-0001', severity: 'CRITICAL' },
      { name: 'CVE-2024-0002', severity: 'HIGH' },
      { name: 'CVE-2024-0003', severity: 'LOW' },
    ]);
    f.registry.clearOperationHistory();
    return { f, img };
  }

  it('returns the image, a digest-pinned URI, the scan summary and a passing gate without thresholds', async () => {
    const { f, img } = deployable();
    const result = await f.client.getImageForDeployment('web-app', 'v1.2.3');
    expect(result.digest).toBe(img.imageDigest);
    expect(result.imageUri).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app@${img.imageDigest}`);
    expect(result.image.imageTags).toEqual(['v1.2.3']);
    expect(result.scan).toMatchObject({ status: 'COMPLETE', counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, INFORMATIONAL: 0, UNDEFINED: 0 } });
    expect(result.scan?.completedAt).toBeInstanceOf(Date);
    expect(result.gate).toEqual({ passed: true, reasons: [] });
    expect(f.ops()).toEqual(['DescribeImages']);
  });

  it('applies thresholds to the full findings, with the ignore list', async () => {
    const { f } = deployable();
    const failing = await f.client.getImageForDeployment('web-app', 'v1.2.3', { thresholds: { maxCritical: 0, maxHigh: 0 } });
    expect(failing.gate).toEqual({ passed: false, reasons: ['1 CRITICAL findings exceed maxCritical 0', '1 HIGH findings exceed maxHigh 0'] });
    const waived = await f.client.getImageForDeployment('web-app', 'v1.2.3', {
      thresholds: { maxCritical: 0, maxHigh: 0, ignore: ['CVE-2024-0001', 'CVE-2024-0002'] },
    });
    expect(waived.gate).toEqual({ passed: true, reasons: [] });
    expect(waived.scan?.counts).toMatchObject({ CRITICAL: 0, HIGH: 0, LOW: 1 });
    expect(f.ops()).toEqual(['DescribeImages', 'DescribeImageScanFindings', 'DescribeImages', 'DescribeImageScanFindings']);
  });

  it('an image without a scan fails a gate with thresholds', async () => {
    const f = setup();
    f.registry.withImage('web-app', { tags: ['v1'] });
    const result = await f.client.getImageForDeployment('web-app', 'v1', { thresholds: { maxCritical: 0 } });
    expect(result.scan).toBeUndefined();
    expect(result.gate).toEqual({ passed: false, reasons: ['the image has no scan results'] });
  });

  it('a scan still running fails the gate', async () => {
    const f = setup();
    f.registry.withImage('web-app', { tags: ['v1'] });
    await f.client.scans.start('web-app', 'v1');
    const result = await f.client.getImageForDeployment('web-app', 'v1', { thresholds: { maxCritical: 0 } });
    expect(result.scan?.status).toBe('IN_PROGRESS');
    expect(result.gate.passed).toBe(false);
    expect(result.gate.reasons).toEqual(['scan status is IN_PROGRESS, not COMPLETE']);
  });

  it('errors: missing tag is ImageNotFound; bad input and thresholds send nothing', async () => {
    const { f } = deployable();
    expect(await rejection(f.client.getImageForDeployment('web-app', 'v9'))).toMatchObject({ kind: 'ImageNotFound' });
    f.registry.clearOperationHistory();
    expect(await rejection(f.client.getImageForDeployment('web-app', 'v1.2.3', { thresholds: { maxCritical: -1 } }))).toMatchObject({
      kind: 'InvalidParameter',
    });
    expect(await rejection(f.client.getImageForDeployment('Web', 'v1'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(f.ops()).toEqual([]);
  });
});
