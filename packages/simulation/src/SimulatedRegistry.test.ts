import { ManualClock, isEcrError, type EcrError } from '@ecrkit/core-types';
import { describe, expect, test } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { SimulatedFault } from './RegistryCall.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';

const region = 'us-east-1';

function setup(seed = 1) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const registry = new SimulatedRegistry({ clock, seed }).withRepository('app');
  const call = (operation = 'DescribeRepositories', input: unknown = {}, extra: { signal?: AbortSignal; region?: string } = {}) =>
    registry.execute({ api: 'ecr', operation, input, region: extra.region ?? region, face: 'in-process', ...(extra.signal ? { signal: extra.signal } : {}) });
  const outcome = async (operation?: string): Promise<string> => {
    try {
      await call(operation);
      return 'ok';
    } catch (err) {
      if (err instanceof SimulatedFault) return err.fault;
      return (err as EcrError).awsCode ?? (err as EcrError).kind;
    }
  };
  return { clock, registry, call, outcome };
}

describe('error injection', () => {
  test('by operation and call number, with a chosen code; other operations are untouched', async () => {
    const { registry, outcome } = setup();
    registry.withErrorInjection({ operation: 'DescribeRepositories', onCalls: [2, 3], error: 'ThrottlingException' });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await outcome());
    expect(results).toEqual(['ok', 'ThrottlingException', 'ThrottlingException', 'ok']);
    expect(await outcome('GetAuthorizationToken')).toBe('ok');
  });

  test('error kinds map to wire codes and statuses; custom messages are kept', async () => {
    const { registry, call } = setup();
    registry.withErrorInjection({
      operation: 'DescribeRepositories',
      sequence: ['ServiceUnavailable', 'Throttling', { awsCode: 'AccessDeniedException', message: 'nope' }, 'ok'],
    });
    const errors: EcrError[] = [];
    for (let i = 0; i < 3; i++) errors.push((await call().catch((e: EcrError) => e)) as EcrError);
    expect(errors.map((e) => [e.awsCode, e.statusCode, e.kind, e.retryable])).toEqual([
      ['ServerException', 500, 'ServiceUnavailable', true],
      ['ThrottlingException', 400, 'Throttling', true],
      ['AccessDeniedException', 400, 'AccessDenied', false],
    ]);
    expect(errors[1]!.message).toBe('Rate exceeded');
    expect(errors[2]!.message).toBe('nope');
    await expect(call()).resolves.toBeDefined();
    await expect(call()).resolves.toBeDefined();
  });

  test('throttling bursts, times limits, and clearing', async () => {
    const { registry, outcome } = setup();
    registry.withErrorInjection({ throttlingBurst: { calls: 3 } });
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(await outcome());
    expect(burst).toEqual(['ThrottlingException', 'ThrottlingException', 'ThrottlingException', 'ok', 'ok']);
    registry.clearErrorInjection().withErrorInjection({ error: 'ServerException', times: 2 });
    const limited = [];
    for (let i = 0; i < 4; i++) limited.push(await outcome());
    expect(limited).toEqual(['ServerException', 'ServerException', 'ok', 'ok']);
    registry.clearErrorInjection();
    expect(await outcome()).toBe('ok');
  });

  test('probability draws from the seeded random source: the same seed gives the same failures', async () => {
    const run = async (seed: number) => {
      const { registry, outcome } = setup(seed);
      registry.withErrorInjection({ probability: 0.3 });
      const out = [];
      for (let i = 0; i < 200; i++) out.push(await outcome());
      return out;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    const failures = a.filter((x) => x !== 'ok').length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
    expect(() => new SimulatedRegistry().withErrorInjection({ probability: 2 })).toThrow(/probability/);
  });

  test('faults are thrown as SimulatedFault for the faces to act out; region and api narrow rules', async () => {
    const { registry, call, outcome } = setup();
    registry.withErrorInjection({ fault: 'truncated-body', region: 'eu-west-1' }).withErrorInjection({ error: 'Network', api: 'ecr-public' });
    expect(await outcome()).toBe('ok');
    await expect(call('DescribeRepositories', {}, { region: 'eu-west-1' })).rejects.toBeInstanceOf(SimulatedFault);
    const publicCall = registry.execute({ api: 'ecr-public', operation: 'DescribeRepositories', input: {}, region, face: 'http' });
    await expect(publicCall).rejects.toMatchObject({ fault: 'drop-connection' });
  });
});

describe('latency injection', () => {
  test('waits on the registry clock and honours abort', async () => {
    const { registry, clock, call } = setup();
    registry.withLatencyInjection({ operation: 'DescribeRepositories', ms: 1000 });
    let done = false;
    const pending = call().then(() => (done = true));
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await pending;
    expect(done).toBe(true);
    const controller = new AbortController();
    const aborted = call('DescribeRepositories', {}, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ kind: 'Aborted' });
    expect(registry.getOperationHistory({ outcome: 'failure' }).at(-1)!.outcome).toEqual({ kind: 'Aborted', awsCode: undefined });
    registry.clearLatencyInjection();
    await expect(call()).resolves.toBeDefined();
  });
});

describe('operation history', () => {
  test('records time, call, redacted input and outcome; filters; keeps a bounded window', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const registry = new SimulatedRegistry({ clock, historyLimit: 3 }).withRepository('app');
    const transport = createSimulatedTransport(registry);
    const manifest = '{"secret":"manifest"}';
    await transport.send({ api: 'ecr', operation: 'PutImage', input: { repositoryName: 'app', imageManifest: manifest }, region }).catch(() => undefined);
    await transport
      .send({
        api: 'ecr',
        operation: 'UploadLayerPart',
        input: { repositoryName: 'app', uploadId: 'x', partFirstByte: 0, partLastByte: 2, layerPartBlob: new Uint8Array(3) },
        region,
      })
      .catch(() => undefined);
    const history = registry.getOperationHistory();
    expect(history[0]).toEqual({
      time: new Date(Date.UTC(2026, 0, 1)),
      api: 'ecr',
      operation: 'PutImage',
      region,
      accountId: '123456789012',
      face: 'in-process',
      input: { repositoryName: 'app', imageManifest: `[redacted: ${manifest.length} chars]` },
      outcome: { kind: 'InvalidParameter', awsCode: 'InvalidParameterException' },
    });
    expect((history[1]!.input as Record<string, unknown>).layerPartBlob).toBe('[redacted: 3 bytes]');
    expect(JSON.stringify(history)).not.toContain('secret');
    for (let i = 0; i < 3; i++) await transport.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
    expect(registry.getOperationHistory().map((e) => e.operation)).toEqual(['DescribeRepositories', 'DescribeRepositories', 'DescribeRepositories']);
    expect(registry.getOperationHistory({ operation: 'PutImage' })).toEqual([]);
    expect(registry.getOperationHistory({ outcome: 'success' })).toHaveLength(3);
    registry.clearOperationHistory();
    expect(registry.getOperationHistory()).toEqual([]);
  });
});

describe('fluent API', () => {
  test('withRepository applies settings and is idempotent; withImage creates repositories on demand', async () => {
    const registry = new SimulatedRegistry({ clock: new ManualClock() })
      .withRepository('app', { tagMutability: 'IMMUTABLE', scanOnPush: true, tags: { team: 'web' }, repositoryPolicy: { Statement: [] } })
      .withRepository('app', { tags: [{ Key: 'env', Value: 'prod' }] })
      .withImage('auto-created', { tags: ['v1'], mediaType: 'oci' });
    const t = createSimulatedTransport(registry);
    const { repositories } = await t.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
    expect(repositories!.map((r) => [r.repositoryName, r.imageTagMutability, r.imageScanningConfiguration?.scanOnPush])).toEqual([
      ['app', 'IMMUTABLE', true],
      ['auto-created', 'MUTABLE', false],
    ]);
    const tags = await t.send({ api: 'ecr', operation: 'ListTagsForResource', input: { resourceArn: repositories![0]!.repositoryArn! }, region });
    expect(tags.tags).toEqual([
      { Key: 'team', Value: 'web' },
      { Key: 'env', Value: 'prod' },
    ]);
    expect(() => registry.withRepository('Bad Name')).toThrow(/repositoryName/);
    expect(() => registry.withRepository('app', { lifecyclePolicy: '{}' })).toThrow();
  });

  test('addImage builds docker or OCI, single or multi-arch, seeded and reproducible', () => {
    const make = () => new SimulatedRegistry({ seed: 5, clock: new ManualClock() });
    const a = make().addImage('app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'], mediaType: 'oci' });
    const b = make().addImage('app', { tags: ['v1'], platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'], mediaType: 'oci' });
    expect(a).toEqual(b);
    expect(a.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(a.children!.map((c) => c.platform)).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    const index = JSON.parse(a.manifest);
    expect(index.manifests.map((m: any) => m.digest)).toEqual(a.children!.map((c) => c.imageDigest));
    const docker = make().addImage('app', { layers: 3 });
    expect(docker.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(docker.tags).toEqual(['latest']);
    expect(JSON.parse(docker.manifest).layers).toHaveLength(3);
  });

  test('images on the same base share its three layers, per platform; their own layers stay their own', async () => {
    const registry = new SimulatedRegistry({ seed: 5, clock: new ManualClock() });
    const layersOf = (manifest: string) => (JSON.parse(manifest).layers as { digest: string }[]).map((l) => l.digest);
    const web = registry.addImage('web', { base: 'debian:12', layers: 2 });
    const api = registry.addImage('api', { base: 'debian:12', layers: 1, mediaType: 'oci' });
    const other = registry.addImage('other', { base: 'alpine:3.20' });
    const plain = registry.addImage('plain');
    const multi = registry.addImage('multi', { base: 'debian:12', platforms: ['linux/amd64', 'linux/arm64/v8'] });
    expect(layersOf(web.manifest)).toHaveLength(5);
    expect(layersOf(api.manifest).slice(0, 3)).toEqual(layersOf(web.manifest).slice(0, 3));
    expect(layersOf(api.manifest)[3]).not.toBe(layersOf(web.manifest)[3]);
    expect(layersOf(other.manifest).filter((d) => layersOf(web.manifest).includes(d))).toEqual([]);
    expect(layersOf(plain.manifest)).toHaveLength(2);
    expect(layersOf(multi.children![0]!.manifest).slice(0, 3)).toEqual(layersOf(web.manifest).slice(0, 3));
    expect(layersOf(multi.children![1]!.manifest).slice(0, 3)).not.toEqual(layersOf(web.manifest).slice(0, 3));
    // The same base, name and seed give the same bytes in another registry; the blobs are real ones.
    const again = new SimulatedRegistry({ seed: 5, clock: new ManualClock() }).addImage('xx', { base: 'debian:12' });
    expect(layersOf(again.manifest).slice(0, 3)).toEqual(layersOf(web.manifest).slice(0, 3));
    const blob = registry.readBlob({ accountId: '123456789012', region: 'us-east-1', repositoryName: 'api', digest: layersOf(api.manifest)[0]! });
    expect(blob?.length).toBeGreaterThan(0);
    expect(() => registry.addImage('web', { base: 'has space' })).toThrow(/base/);
    // A chain stacks its bases' layers, outermost first.
    const node = registry.addImage('node', { base: ['debian:12', 'node:20'], layers: 1 });
    expect(layersOf(node.manifest)).toHaveLength(7);
    expect(layersOf(node.manifest).slice(0, 3)).toEqual(layersOf(web.manifest).slice(0, 3));
  });

  test('withImage obeys immutability like a push would', () => {
    const registry = new SimulatedRegistry().withRepository('prod', { tagMutability: 'IMMUTABLE' }).withImage('prod', { tags: ['v1'] });
    let err: unknown;
    try {
      registry.withImage('prod', { tags: ['v1'] });
    } catch (e) {
      err = e;
    }
    expect(isEcrError(err) && err.awsCode).toBe('ImageTagAlreadyExistsException');
  });

  test('withScanFindings needs an existing image', () => {
    const registry = new SimulatedRegistry().withRepository('app');
    expect(() => registry.withScanFindings('app', 'v1', { high: 1 })).toThrow(/does not exist/);
    expect(() => registry.withScanFindings('nope', 'v1', { high: 1 })).toThrow(/RepositoryNotFound|does not exist/);
  });

  test('reset clears state, rules and history, and restarts the random source', async () => {
    const registry = new SimulatedRegistry({ seed: 9, clock: new ManualClock() });
    const first = registry.addImage('app').imageDigest;
    registry.withErrorInjection({ error: 'ServerException' });
    registry.reset();
    expect(registry.addImage('app').imageDigest).toBe(first);
    await expect(registry.execute({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region, face: 'http' })).resolves.toBeDefined();
  });

  test('unknown operations and missing regions are refused', async () => {
    const registry = new SimulatedRegistry();
    await expect(registry.execute({ api: 'ecr', operation: 'DescribeEverything', input: {}, region, face: 'http' })).rejects.toMatchObject({
      awsCode: 'UnknownOperationException',
    });
    await expect(registry.execute({ api: 'ecr-public', operation: 'ListImages', input: {}, region, face: 'http' })).rejects.toMatchObject({
      awsCode: 'UnknownOperationException',
    });
    await expect(registry.execute({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: '', face: 'http' })).rejects.toMatchObject({
      kind: 'InvalidParameter',
    });
    await expect(registry.execute({ api: 'ecr', operation: 'DescribeRepositories', input: 'text', region, face: 'http' })).rejects.toMatchObject({
      kind: 'InvalidParameter',
    });
  });
});

describe('withReferrer', () => {
  test('pushes an artifact whose subject is the image, which ListImageReferrers returns; a missing subject is ImageNotFound', () => {
    const registry = new SimulatedRegistry({ seed: 5 }).withImage('web-app', { tags: ['v1'], mediaType: 'oci' });
    registry.withReferrer('web-app', 'v1', { artifactType: 'application/spdx+json', annotations: { note: 'sbom' } });
    const [subject] = (
      registry.applySync({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web-app', imageIds: [{ imageTag: 'v1' }] } }) as {
        imageDetails: { imageDigest: string }[];
      }
    ).imageDetails;
    const out = registry.applySync({
      api: 'ecr',
      operation: 'ListImageReferrers',
      input: { repositoryName: 'web-app', subjectId: { imageDigest: subject!.imageDigest } },
    }) as {
      referrers: { artifactType: string; annotations: Record<string, string>; mediaType: string }[];
    };
    expect(out.referrers).toEqual([
      expect.objectContaining({
        artifactType: 'application/spdx+json',
        annotations: { note: 'sbom' },
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
      }),
    ]);
    expect(() => registry.withReferrer('web-app', 'v9', { artifactType: 'application/spdx+json' })).toThrow(expect.objectContaining({ kind: 'ImageNotFound' }));
  });
});
