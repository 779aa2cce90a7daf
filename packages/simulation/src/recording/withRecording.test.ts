import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcrError, ManualClock, SecretString, isEcrError, type Transport, type TransportRequest } from '@ecrkit/core-types';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileRecorder } from './FileRecorder.js';
import { MemoryRecorder } from './MemoryRecorder.js';
import { withRecording } from './withRecording.js';

const token = Buffer.from('AWS:super-secret-password').toString('base64');
const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] });

/** A transport with fixed answers, so the decorator is tested on its own. */
const fixed: Transport = {
  async send(request: TransportRequest) {
    switch (request.operation) {
      case 'GetAuthorizationToken':
        return {
          authorizationData: [
            { authorizationToken: token, expiresAt: new Date(Date.UTC(2026, 0, 1, 12)), proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com' },
          ],
        };
      case 'BatchGetImage':
        return { images: [{ repositoryName: 'web', imageId: { imageTag: 'v1' }, imageManifest: manifest }], failures: [] };
      case 'DescribeRepositories':
        throw new EcrError({
          kind: 'RepositoryNotFound',
          awsCode: 'RepositoryNotFoundException',
          statusCode: 400,
          message: "The repository with name 'x' does not exist",
        });
      default:
        return { echoed: request.input };
    }
  },
} as Transport;

describe('withRecording', () => {
  test('records request and response, redacting the authorization token and tagging dates', async () => {
    const recorder = new MemoryRecorder();
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const transport = withRecording(fixed, recorder, { clock });
    const output = await transport.send({ api: 'ecr', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' });
    expect(output.authorizationData?.[0]?.authorizationToken).toBe(token);
    expect(recorder.entries).toEqual([
      {
        api: 'ecr',
        operation: 'GetAuthorizationToken',
        region: 'us-east-1',
        input: {},
        output: {
          authorizationData: [
            {
              authorizationToken: '[redacted]',
              expiresAt: { $date: '2026-01-01T12:00:00.000Z' },
              proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
            },
          ],
        },
        at: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(recorder.entries)).not.toContain(token);
  });

  test('manifests are kept byte-exact (they are not secrets); layer bytes become a digest marker', async () => {
    const recorder = new MemoryRecorder();
    const transport = withRecording(fixed, recorder);
    await transport.send({ api: 'ecr', operation: 'BatchGetImage', input: { repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] }, region: 'us-east-1' });
    await transport.send({
      api: 'ecr',
      operation: 'UploadLayerPart',
      input: { repositoryName: 'web', uploadId: 'u', partFirstByte: 0, partLastByte: 2, layerPartBlob: new Uint8Array([1, 2, 3]) },
      region: 'us-east-1',
    });
    const image = (recorder.entries[0]!.output as { images: { imageManifest: unknown }[] }).images[0]!;
    expect(image.imageManifest).toBe(manifest);
    expect((recorder.entries[1]!.input as { layerPartBlob: unknown }).layerPartBlob).toEqual({
      $redacted: 'blob',
      sha256: `sha256:${(await import('node:crypto'))
        .createHash('sha256')
        .update(new Uint8Array([1, 2, 3]))
        .digest('hex')}`,
      length: 3,
    });
  });

  test('the credential parts of a pre-signed URL are redacted, the rest of the URL kept', async () => {
    const recorder = new MemoryRecorder();
    const url =
      'https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/layer?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIACANARY%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Security-Token=CANARY%2Fsession%2Btoken&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd';
    const presigning: Transport = { send: async () => ({ downloadUrl: url, layerDigest: 'sha256:aa' }) } as unknown as Transport;
    await withRecording(presigning, recorder).send({
      api: 'ecr',
      operation: 'GetDownloadUrlForLayer',
      input: { repositoryName: 'web', layerDigest: 'sha256:aa' },
      region: 'us-east-1',
    });
    const recorded = (recorder.entries[0]!.output as { downloadUrl: string }).downloadUrl;
    expect(recorded).toBe(
      'https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/layer?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[redacted]&X-Amz-Date=20260101T000000Z&X-Amz-Security-Token=[redacted]&X-Amz-SignedHeaders=host&X-Amz-Signature=[redacted]',
    );
  });

  test('SecretString values and secret-named fields never reach the recorder', async () => {
    const recorder = new MemoryRecorder();
    const transport = withRecording(fixed, recorder);
    await transport.send({
      api: 'ecr',
      operation: 'CreatePullThroughCacheRule',
      input: {
        ecrRepositoryPrefix: 'p',
        upstreamRegistryUrl: 'u',
        nested: { password: 'hunter2', anything: new SecretString('s3cr3t'), sessionToken: 'tok' },
      } as never,
      region: 'us-east-1',
    });
    const text = JSON.stringify(recorder.entries);
    expect(text).not.toMatch(/hunter2|s3cr3t|"tok"/);
    expect(recorder.entries[0]!.output).toEqual({
      echoed: { ecrRepositoryPrefix: 'p', upstreamRegistryUrl: 'u', nested: { password: '[redacted]', anything: '[redacted]', sessionToken: '[redacted]' } },
    });
  });

  test('failures are recorded with kind, code, status and message, and rethrown unchanged', async () => {
    const recorder = new MemoryRecorder();
    const transport = withRecording(fixed, recorder);
    const err = await transport
      .send({ api: 'ecr', operation: 'DescribeRepositories', input: { repositoryNames: ['x'] }, region: 'eu-west-1' })
      .catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('RepositoryNotFound');
    expect(recorder.entries[0]).toMatchObject({
      operation: 'DescribeRepositories',
      region: 'eu-west-1',
      error: { kind: 'RepositoryNotFound', awsCode: 'RepositoryNotFoundException', statusCode: 400, message: "The repository with name 'x' does not exist" },
    });
    expect(recorder.entries[0]).not.toHaveProperty('output');
  });

  test('a recorder that fails turns the call into an EcrError', async () => {
    const transport = withRecording(fixed, {
      record() {
        throw new Error('disk full');
      },
    });
    const err = await transport.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(isEcrError(err) && err.message).toBe('Recording the call failed');
  });
});

describe('FileRecorder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecrkit-rec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('appends one JSON line per call, in call order, even when calls overlap', async () => {
    const path = join(dir, 'calls.jsonl');
    const recorder = new FileRecorder(path);
    const transport = withRecording(fixed, recorder);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => transport.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: `r${i}` }, region: 'us-east-1' })),
    );
    await recorder.flush();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { input: { repositoryName: string } }).input.repositoryName)).toEqual(
      Array.from({ length: 20 }, (_, i) => `r${i}`),
    );
  });

  test('append: false starts the file afresh; the constructor touches nothing', async () => {
    const path = join(dir, 'calls.jsonl');
    await withRecording(fixed, new FileRecorder(path)).send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'a' }, region: 'us-east-1' });
    const fresh = new FileRecorder(path, { append: false });
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
    await withRecording(fixed, fresh).send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'b' }, region: 'us-east-1' });
    await withRecording(fixed, fresh).send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'c' }, region: 'us-east-1' });
    const names = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { input: { repositoryName: string } }).input.repositoryName);
    expect(names).toEqual(['b', 'c']);
  });
});
