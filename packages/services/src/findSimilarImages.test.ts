import { describe, expect, it } from 'vitest';
import { InMemoryVectorMemory } from '@ecrkit/core-types';
import type { VectorMemory } from '@ecrkit/core-types';
import { createSimulatedTransport } from '@ecrkit/simulation';
import { rejection, setup } from '../test/fixtures.js';
import { imageEmbeddingDimensions } from './imageEmbedding.js';
import type { SimilarImages } from './findSimilarImages.js';

/**
 * web (3 releases) and api on base node, an api index on node for amd64 and arm64, worker on
 * python, tools on no base, a mirror holding web:v2's exact manifest, and a referrer of web:v2.
 */
function catalogue(client: Parameters<typeof setup>[0] = {}) {
  const f = setup({ ...client, registry: { lenient: true } });
  const r = f.registry;
  const web1 = r.addImage('web', { tags: ['v1'], base: 'node:20' });
  const web2 = r.addImage('web', { tags: ['v2', 'latest'], base: 'node:20' });
  r.addImage('web', { tags: ['v3'], base: 'node:20', layers: 4 });
  r.addImage('api', { tags: ['v1'], base: 'node:20', layers: 1 });
  const multi = r.addImage('api', { tags: ['multi'], base: 'node:20', platforms: ['linux/amd64', 'linux/arm64/v8'] });
  r.addImage('worker', { tags: ['v1'], base: 'python:3.12' });
  r.addImage('worker', { tags: ['v2'], base: 'python:3.12' });
  r.addImage('tools', { tags: ['v1'] });
  const send = (operation: string, input: unknown) =>
    createSimulatedTransport(r).send({ api: 'ecr', operation, input, region: 'us-east-1' } as never) as Promise<Record<string, any>>;
  return { ...f, web1, web2, multi, send };
}

const rows = (result: SimilarImages) => result.similar.map((s) => `${s.repositoryName}:${s.imageTags.join(',') || '-'} ${s.sharedLayers}/${s.layers}`);

describe('client.images.findSimilar', () => {
  it('ranks images by the layers they share with the one asked about, across repositories', async () => {
    const c = catalogue();
    await c.send('CreateRepository', { repositoryName: 'mirror' });
    await c.send('PutImage', { repositoryName: 'mirror', imageManifest: c.web2.manifest, imageTag: 'copy' });
    const signature = JSON.parse(c.web2.manifest);
    await c.send('PutImage', {
      repositoryName: 'web',
      imageManifest: JSON.stringify({ ...signature, subject: { mediaType: c.web2.mediaType, digest: c.web2.imageDigest, size: c.web2.manifest.length } }),
    });

    const result = await c.client.images.findSimilar('web', 'v2');

    expect(result).toMatchObject({ repositoryName: 'web', imageDigest: c.web2.imageDigest, imageTags: ['v2', 'latest'], layers: 5 });
    // The exact copy first, then everything on node:20 (the index counts its platforms' layers together);
    // nothing from python or without a base, no platform manifest on its own, no referrer, not itself.
    // Equal shares rank by Jaccard similarity: 3 of 4 + 5 - 3 layers before 3 of 5 + 5 - 3.
    expect(rows(result)).toEqual(['mirror:copy 5/5', 'api:v1 3/4', 'web:v1 3/5', 'web:v3 3/7', 'api:multi 3/10']);
    expect(result.similar[0]!.similarity).toBe(1);
    expect(result.similar[2]!.similarity).toBeCloseTo(3 / 7);
    expect(result.similar[2]).toMatchObject({ registryId: '123456789012', imageDigest: c.web1.imageDigest, severityCounts: {} });
    expect(result.similar[2]!.imagePushedAt).toBeInstanceOf(Date);
  });

  it('limit and repositories narrow the search; scan summaries come along', async () => {
    const c = catalogue();
    c.registry.withScanFindings('api', 'v1', { critical: 1, high: 2 });
    const top = await c.client.images.findSimilar('web', 'v2', { limit: 2 });
    expect(top.similar).toHaveLength(2);
    const onlyApi = await c.client.images.findSimilar('web', 'v2', { repositories: ['api'] });
    expect(rows(onlyApi)).toEqual(['api:v1 3/4', 'web:v1 3/5', 'web:v3 3/7', 'api:multi 3/10']);
    expect(onlyApi.similar.find((s) => s.repositoryName === 'api' && s.imageTags.includes('v1'))?.severityCounts).toEqual({ CRITICAL: 1, HIGH: 2 });
    const fresh = catalogue();
    const scoped = await fresh.client.images.findSimilar('worker', 'v1', { repositories: ['worker'] });
    expect(rows(scoped)).toEqual(['worker:v2 3/5']);
    expect(fresh.ops({ operation: 'DescribeRepositories' })).toEqual([]);
  });

  it('fetches each manifest once per client, and sees new images and moved tags on the next search', async () => {
    const c = catalogue();
    await c.client.images.findSimilar('web', 'v1');
    // One request per repository: web, api, worker, tools.
    expect(c.ops({ operation: 'BatchGetImage' })).toHaveLength(4);
    c.registry.clearOperationHistory();
    c.registry.addImage('worker', { tags: ['v3', 'latest'], base: 'node:20' });
    const again = await c.client.images.findSimilar('web', 'v1');
    expect(c.ops({ operation: 'BatchGetImage' })).toEqual(['BatchGetImage']);
    expect(rows(again)).toContain('worker:v3,latest 3/5');
  });

  it('uses the vector memory given to createClient, keyed by registry, repository and digest', async () => {
    const memory = new InMemoryVectorMemory();
    const c = catalogue({ client: { vectorMemory: memory } });
    await c.client.images.findSimilar('tools', 'v1');
    // Every image but the index's two platform manifests, each once.
    expect(memory.size).toBe(8);
    const [self] = await memory.searchSimilar(new Array(imageEmbeddingDimensions).fill(1), 100).then((all) => all.filter((m) => m.key.includes('web@')));
    expect(self?.key).toMatch(/^123456789012\/web@sha256:[0-9a-f]{64}$/);
    expect(Object.keys(self?.metadata ?? {}).sort()).toEqual([
      'imageDigest',
      'imagePushedAt',
      'imageTags',
      'layerDigests',
      'registryId',
      'repositoryName',
      'severityCounts',
    ]);
  });

  it('an entry the store refuses is left out and reported to telemetry; the search goes on', async () => {
    const errors: unknown[] = [];
    const inner = new InMemoryVectorMemory();
    const flaky: VectorMemory = {
      store: (key, embedding, metadata) => (key.includes('/api@') ? Promise.reject(new Error('down')) : inner.store(key, embedding, metadata)),
      searchSimilar: (embedding, limit) => inner.searchSimilar(embedding, limit),
    };
    const c = catalogue({ client: { vectorMemory: flaky, telemetry: { onVectorMemoryError: (e) => errors.push(e) } } });
    const result = await c.client.images.findSimilar('web', 'v2');
    expect(rows(result)).toEqual(['web:v1 3/5', 'web:v3 3/7']);
    expect(errors).toHaveLength(2);
  });

  it('an image that is not there is ImageNotFound; bad input is refused before any request', async () => {
    const c = catalogue();
    expect(await rejection(c.client.images.findSimilar('web', 'v9'))).toMatchObject({ kind: 'ImageNotFound' });
    expect(await rejection(c.client.images.findSimilar('nope', 'v1'))).toMatchObject({ kind: 'RepositoryNotFound' });
    c.registry.clearOperationHistory();
    expect(await rejection(c.client.images.findSimilar('web', 'v1', { limit: 0 }))).toMatchObject({ kind: 'InvalidParameter', field: 'limit' });
    expect(await rejection(c.client.images.findSimilar('web', 'v1', { repositories: ['Bad Name'] }))).toMatchObject({
      kind: 'InvalidParameter',
      field: 'repositories[0]',
    });
    expect(await rejection(c.client.images.findSimilar('web', 'bad tag'))).toMatchObject({ kind: 'InvalidParameter' });
    expect(c.ops()).toEqual([]);
  });
});
