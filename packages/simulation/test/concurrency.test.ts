import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SimulatedRegistry, type AddedImage } from '../src/index.js';
import { startSimulationServer, type SimulationServer } from '../src/server/index.js';

// 50 clients re-tag (PutImage) and untag (BatchDeleteImage) a shared set of tags at the same
// time over HTTP. No tag may be lost or duplicated: afterwards every tag points at exactly one
// image, and the state is exactly what the registry's operation history implies.

const clients = 50;
const opsPerClient = 16;
const tags = ['latest', 'stable', 'canary', 'blue', 'green', 'prod'];

let server: SimulationServer;
let registry: SimulatedRegistry;
let images: AddedImage[];

beforeAll(async () => {
  registry = new SimulatedRegistry({ seed: 11 });
  images = Array.from({ length: 5 }, (_, i) => registry.addImage('shared', { tags: [`base-${i}`] }));
  registry.clearOperationHistory();
  // A random 0-2 ms pause inside each call lets requests overtake each other in the registry.
  registry.withLatencyInjection({ operation: ['PutImage', 'BatchDeleteImage'], ms: 0, jitterMs: 2 });
  server = await startSimulationServer({ registry });
});
afterAll(() => server.close());

/** A small deterministic PRNG per client, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function call(operation: string, input: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('concurrent mutating clients', () => {
  test('never lose or duplicate a tag, and the final state equals the history replayed', async () => {
    const answered = { put: 0, putRefused: 0, untag: 0 };
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        const random = prng(client + 1);
        for (let op = 0; op < opsPerClient; op++) {
          const tag = tags[Math.floor(random() * tags.length)]!;
          if (random() < 0.65) {
            const image = images[Math.floor(random() * images.length)]!;
            const r = await call('PutImage', { repositoryName: 'shared', imageManifest: image.manifest, imageDigest: image.imageDigest, imageTag: tag });
            if (r.status === 200) {
              answered.put++;
              expect((r.body.image as { imageId: { imageDigest: string } }).imageId.imageDigest).toBe(image.imageDigest);
            } else {
              // Putting a tag where it already is: the one refusal ECR gives here.
              expect(r.body.__type).toBe('ImageAlreadyExistsException');
              answered.putRefused++;
            }
          } else {
            const r = await call('BatchDeleteImage', { repositoryName: 'shared', imageIds: [{ imageTag: tag }] });
            expect(r.status).toBe(200);
            answered.untag++;
          }
        }
      }),
    );

    // Every request was answered, and the history holds each of them exactly once.
    const history = registry.getOperationHistory({ face: 'http' });
    expect(history).toHaveLength(clients * opsPerClient);
    expect(history.filter((h) => h.operation === 'PutImage' && h.outcome === 'success')).toHaveLength(answered.put);
    expect(history.filter((h) => h.operation === 'PutImage' && h.outcome !== 'success')).toHaveLength(answered.putRefused);
    expect(history.filter((h) => h.operation === 'BatchDeleteImage')).toHaveLength(answered.untag);

    // Replay the history on a tiny model: tag -> digest.
    const model = new Map<string, string>(images.map((image, i) => [`base-${i}`, image.imageDigest]));
    for (const entry of history) {
      const input = entry.input as { imageTag?: string; imageDigest?: string; imageIds?: { imageTag: string }[] };
      if (entry.operation === 'PutImage' && entry.outcome === 'success') model.set(input.imageTag!, input.imageDigest!);
      if (entry.operation === 'BatchDeleteImage' && entry.outcome === 'success') for (const id of input.imageIds ?? []) model.delete(id.imageTag);
    }

    const described = await call('DescribeImages', { repositoryName: 'shared', maxResults: 1000 });
    const details = described.body.imageDetails as { imageDigest: string; imageTags?: string[] }[];
    const actual = new Map<string, string>();
    for (const detail of details) {
      for (const tag of detail.imageTags ?? []) {
        expect(actual.has(tag), `tag ${tag} on two images`).toBe(false);
        actual.set(tag, detail.imageDigest);
      }
    }
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...model].sort()));
    // Untagging an image's last tag deletes it (ECR's BatchDeleteImage by tag); nothing else disappears.
    expect(new Set(details.map((d) => d.imageDigest))).toEqual(new Set(model.values()));
    expect(answered.put + answered.untag).toBeGreaterThan(clients * opsPerClient * 0.5);
  });
});
