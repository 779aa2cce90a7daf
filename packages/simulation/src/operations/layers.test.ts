import { createHash } from 'node:crypto';
import { ManualClock } from '@ecrkit/core-types';
import { expect, test } from 'vitest';
import { createSimulatedTransport } from '../createSimulatedTransport.js';
import type { RegistryCall } from '../RegistryCall.js';
import { SimulatedRegistry, type BlobLocation } from '../SimulatedRegistry.js';
import { failing } from '../../test/support/operationCalls.js';

const region = 'us-east-1';
const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function setup(options: { lenient?: boolean; uploadIdleMs?: number } = {}) {
  const clock = new ManualClock();
  const registry = new SimulatedRegistry({ clock, ...options }).withRepository('app');
  const transport = createSimulatedTransport(registry);
  const send = (operation: string, input: unknown, extra: { blobUrl?: RegistryCall['blobUrl'] } = {}) =>
    extra.blobUrl
      ? (registry.execute({ api: 'ecr', operation, input, region, face: 'http', blobUrl: extra.blobUrl }) as Promise<Record<string, any>>)
      : (transport.send({ api: 'ecr', operation, input, region } as never) as Promise<Record<string, any>>);
  const fail = failing(send);
  return { registry, clock, send, fail };
}

test('a multi-part upload checks byte ranges and the digest, then serves the blob', async () => {
  const { registry, send, fail } = setup();
  const part1 = new Uint8Array(5 * 1024 * 1024).fill(7);
  const part2 = new Uint8Array([1, 2, 3]);
  const whole = new Uint8Array(Buffer.concat([part1, part2]));
  const { uploadId, partSize } = await send('InitiateLayerUpload', { repositoryName: 'app' });
  expect(uploadId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(partSize).toBeGreaterThan(0);
  const first = await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: 0, partLastByte: part1.length - 1, layerPartBlob: part1 });
  expect(first.lastByteReceived).toBe(part1.length - 1);
  const gap = await fail('UploadLayerPart', {
    repositoryName: 'app',
    uploadId,
    partFirstByte: part1.length + 1,
    partLastByte: part1.length + 3,
    layerPartBlob: part2,
  });
  expect(gap).toMatchObject({ awsCode: 'InvalidLayerPartException', kind: 'InvalidLayerPart' });
  const short = await fail('UploadLayerPart', {
    repositoryName: 'app',
    uploadId,
    partFirstByte: part1.length,
    partLastByte: part1.length + 9,
    layerPartBlob: part2,
  });
  expect(short.awsCode).toBe('InvalidLayerPartException');
  await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: part1.length, partLastByte: whole.length - 1, layerPartBlob: part2 });
  const done = await send('CompleteLayerUpload', { repositoryName: 'app', uploadId, layerDigests: [sha(whole)] });
  expect(done).toEqual({ registryId: '123456789012', repositoryName: 'app', uploadId, layerDigest: sha(whole) });

  const check = await send('BatchCheckLayerAvailability', { repositoryName: 'app', layerDigests: [sha(whole), `sha256:${'0'.repeat(64)}`, 'nope'] });
  expect(check.layers).toEqual([{ layerDigest: sha(whole), layerAvailability: 'AVAILABLE', layerSize: whole.length }]);
  expect(check.failures).toEqual([
    { layerDigest: `sha256:${'0'.repeat(64)}`, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer' },
    { layerDigest: 'nope', failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' },
  ]);

  const { downloadUrl } = await send('GetDownloadUrlForLayer', { repositoryName: 'app', layerDigest: sha(whole) });
  expect(downloadUrl.startsWith('data:application/octet-stream;base64,')).toBe(true);
  const fetched = new Uint8Array(await (await fetch(downloadUrl)).arrayBuffer());
  expect(sha(fetched)).toBe(sha(whole));
  const blobUrl = (l: BlobLocation) => `face:${l.accountId}|${l.region}|${l.repositoryName}|${l.digest}`;
  const served = await send('GetDownloadUrlForLayer', { repositoryName: 'app', layerDigest: sha(whole) }, { blobUrl });
  expect(served.downloadUrl).toBe(`face:123456789012|us-east-1|app|${sha(whole)}`);
  expect(sha(registry.readBlob({ accountId: '123456789012', region, repositoryName: 'app', digest: sha(whole) })!)).toBe(sha(whole));
  expect(registry.readBlob({ accountId: '123456789012', region, repositoryName: 'other', digest: sha(whole) })).toBeUndefined();
});

test('completion errors: wrong digest, empty upload, unknown upload, existing layer, small parts', async () => {
  const { send, fail } = setup();
  const bytes = new Uint8Array([9, 9, 9]);
  const put = async () => {
    const { uploadId } = await send('InitiateLayerUpload', { repositoryName: 'app' });
    await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes });
    return uploadId as string;
  };
  expect((await fail('CompleteLayerUpload', { repositoryName: 'app', uploadId: await put(), layerDigests: [`sha256:${'1'.repeat(64)}`] })).awsCode).toBe(
    'InvalidLayerException',
  );
  const { uploadId: empty } = await send('InitiateLayerUpload', { repositoryName: 'app' });
  expect((await fail('CompleteLayerUpload', { repositoryName: 'app', uploadId: empty, layerDigests: [sha(bytes)] })).awsCode).toBe('EmptyUploadException');
  const unknown = '11111111-2222-4333-8444-555555555555';
  expect(
    (await fail('UploadLayerPart', { repositoryName: 'app', uploadId: unknown, partFirstByte: 0, partLastByte: 0, layerPartBlob: new Uint8Array(1) })).awsCode,
  ).toBe('UploadNotFoundException');
  await send('CompleteLayerUpload', { repositoryName: 'app', uploadId: await put(), layerDigests: [sha(bytes)] });
  expect((await fail('CompleteLayerUpload', { repositoryName: 'app', uploadId: await put(), layerDigests: [sha(bytes)] })).awsCode).toBe(
    'LayerAlreadyExistsException',
  );
  const { uploadId } = await send('InitiateLayerUpload', { repositoryName: 'app' });
  await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: 0, partLastByte: 0, layerPartBlob: new Uint8Array([1]) });
  await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: 1, partLastByte: 1, layerPartBlob: new Uint8Array([2]) });
  expect((await fail('CompleteLayerUpload', { repositoryName: 'app', uploadId, layerDigests: [sha(new Uint8Array([1, 2]))] })).awsCode).toBe(
    'LayerPartTooSmallException',
  );
  expect((await fail('GetDownloadUrlForLayer', { repositoryName: 'app', layerDigest: `sha256:${'2'.repeat(64)}` })).awsCode).toBe('LayersNotFoundException');
  expect(
    (await fail('UploadLayerPart', { repositoryName: 'app', uploadId: 'not-a-uuid', partFirstByte: 0, partLastByte: 0, layerPartBlob: new Uint8Array(1) }))
      .field,
  ).toBe('uploadId');
});

test('lenient mode accepts small multi-part uploads', async () => {
  const { send } = setup({ lenient: true });
  const { uploadId } = await send('InitiateLayerUpload', { repositoryName: 'app' });
  await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: 0, partLastByte: 0, layerPartBlob: new Uint8Array([1]) });
  await send('UploadLayerPart', { repositoryName: 'app', uploadId, partFirstByte: 1, partLastByte: 1, layerPartBlob: new Uint8Array([2]) });
  const done = await send('CompleteLayerUpload', { repositoryName: 'app', uploadId, layerDigests: [sha(new Uint8Array([1, 2]))] });
  expect(done.layerDigest).toBe(sha(new Uint8Array([1, 2])));
});

test('blobs the fluent API generates are real gzipped tars whose digests match', async () => {
  const { registry, send } = setup();
  const added = registry.addImage('app', { layers: 2 });
  const manifest = JSON.parse(added.manifest);
  for (const d of [manifest.config, ...manifest.layers]) {
    const { downloadUrl } = await send('GetDownloadUrlForLayer', { repositoryName: 'app', layerDigest: d.digest });
    const bytes = new Uint8Array(await (await fetch(downloadUrl)).arrayBuffer());
    expect(sha(bytes)).toBe(d.digest);
    expect(bytes.length).toBe(d.size);
  }
  const { gunzipSync } = await import('node:zlib');
  const layer = registry.readBlob({ accountId: '123456789012', region, repositoryName: 'app', digest: manifest.layers[0].digest })!;
  const tar = gunzipSync(layer);
  expect(tar.subarray(257, 262).toString('ascii')).toBe('ustar');
  const config = JSON.parse(
    Buffer.from(registry.readBlob({ accountId: '123456789012', region, repositoryName: 'app', digest: manifest.config.digest })!).toString(),
  );
  expect(config.rootfs.diff_ids[0]).toBe(sha(tar));
});

test('an upload idle for uploadIdleMs expires when the next one starts; using it restarts its idle time', async () => {
  const { clock, send, fail } = setup({ uploadIdleMs: 60_000 });
  const part = (uploadId: string, first: number) =>
    ({ repositoryName: 'app', uploadId, partFirstByte: first, partLastByte: first + 2, layerPartBlob: new Uint8Array([first, 2, 3]) }) as const;
  const { uploadId: used } = await send('InitiateLayerUpload', { repositoryName: 'app' });
  const { uploadId: idle } = await send('InitiateLayerUpload', { repositoryName: 'app' });
  await clock.advance(59_999);
  await send('UploadLayerPart', part(used, 0));
  await clock.advance(1);
  // `idle` has been idle for 60 s, `used` for 1 ms: the next upload to start expires only `idle`.
  await send('InitiateLayerUpload', { repositoryName: 'app' });
  expect(await fail('UploadLayerPart', part(idle, 0))).toMatchObject({ awsCode: 'UploadNotFoundException' });
  await send('UploadLayerPart', part(used, 3));
  await clock.advance(60_000);
  expect(await fail('CompleteLayerUpload', { repositoryName: 'app', uploadId: used, layerDigests: [sha(new Uint8Array([0, 2, 3, 3, 2, 3]))] })).toMatchObject({
    awsCode: 'UploadNotFoundException',
  });
  expect(() => new SimulatedRegistry({ uploadIdleMs: 0 })).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'uploadIdleMs' }));
});
