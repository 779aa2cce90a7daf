import { EcrError } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import { describe, expect, it } from 'vitest';
import { confirmMutation } from './confirmMutation.js';

const timeout = new EcrError({ kind: 'Timeout', message: 'PutImage timeout of 1000 ms elapsed' });

function putImage(api: 'ecr' | 'ecr-public', input: Record<string, unknown>) {
  return { api, operation: 'PutImage', region: 'us-east-1', input };
}

describe('confirmMutation', () => {
  it('finds a PutImage that took effect (the tag names the manifest digest) and answers with the stored image', async () => {
    const registry = new SimulatedRegistry();
    const stored = registry.addImage('web-app', { tags: ['v1'] });
    const transport = createSimulatedTransport(registry);
    const outcome = await confirmMutation(
      putImage('ecr', { repositoryName: 'web-app', imageManifest: stored.manifest, imageManifestMediaType: stored.mediaType, imageTag: 'v1' }),
      timeout,
      transport,
    );
    expect(outcome).toMatchObject({
      applied: true,
      output: { image: { repositoryName: 'web-app', imageId: { imageTag: 'v1', imageDigest: stored.imageDigest }, imageManifest: stored.manifest } },
    });
    expect(registry.getOperationHistory().map((e) => e.operation)).toEqual(['BatchGetImage']);
  });

  it('finds none where the tag is missing or names another image, or the repository is gone', async () => {
    const registry = new SimulatedRegistry();
    const v1 = registry.addImage('web-app', { tags: ['v1'] });
    registry.addImage('web-app', { tags: ['v2'] });
    const transport = createSimulatedTransport(registry);
    const send = (input: Record<string, unknown>) => confirmMutation(putImage('ecr', input), timeout, transport);
    expect(await send({ repositoryName: 'web-app', imageManifest: v1.manifest, imageTag: 'v3' })).toEqual({ applied: false });
    expect(await send({ repositoryName: 'web-app', imageManifest: v1.manifest, imageTag: 'v2' })).toEqual({ applied: false });
    expect(await send({ repositoryName: 'nowhere', imageManifest: v1.manifest, imageTag: 'v1' })).toEqual({ applied: false });
    // Without a tag the manifest's digest is looked up.
    expect(await send({ repositoryName: 'web-app', imageManifest: v1.manifest })).toMatchObject({ applied: true });
  });

  it('confirms an ECR Public PutImage with DescribeImages', async () => {
    const registry = new SimulatedRegistry();
    const stored = registry.addImage('public-app', { tags: ['v1'], public: true });
    const transport = createSimulatedTransport(registry);
    const outcome = await confirmMutation(
      putImage('ecr-public', { repositoryName: 'public-app', imageManifest: stored.manifest, imageTag: 'v1' }),
      timeout,
      transport,
    );
    expect(outcome).toMatchObject({ applied: true, output: { image: { imageId: { imageTag: 'v1', imageDigest: stored.imageDigest } } } });
  });

  it('cannot tell for other operations, or when the lookup itself fails', async () => {
    const registry = new SimulatedRegistry();
    const stored = registry.addImage('web-app', { tags: ['v1'] });
    const transport = createSimulatedTransport(registry);
    expect(await confirmMutation({ api: 'ecr', operation: 'TagResource', region: 'us-east-1', input: {} }, timeout, transport)).toBeUndefined();
    registry.withErrorInjection({ operation: 'BatchGetImage', error: 'ServerException' });
    expect(
      await confirmMutation(putImage('ecr', { repositoryName: 'web-app', imageManifest: stored.manifest, imageTag: 'v1' }), timeout, transport),
    ).toBeUndefined();
    expect(await confirmMutation(putImage('ecr', { repositoryName: 'web-app' }), timeout, transport)).toBeUndefined();
  });
});
