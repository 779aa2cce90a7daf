import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, SecretString, isEcrError, type Transport } from '@ecrkit/core-types';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileRecorder, ReplayTransport, SimulatedRegistry, createSimulatedTransport, withRecording } from '../src/index.js';

// Recordings made against the simulation replay identically (secrets and manifests aside).

type Call = { api: 'ecr' | 'ecr-public'; operation: string; input: unknown; region: string };

const scenario: Call[] = [
  { api: 'ecr', operation: 'CreateRepository', input: { repositoryName: 'web' }, region: 'us-east-1' },
  { api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' },
  { api: 'ecr', operation: 'ListImages', input: { repositoryName: 'app', maxResults: 2 }, region: 'us-east-1' },
  { api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'app' }, region: 'us-east-1' },
  { api: 'ecr', operation: 'BatchGetImage', input: { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }, { imageTag: 'gone' }] }, region: 'us-east-1' },
  { api: 'ecr', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' },
  { api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'missing' }, region: 'us-east-1' },
  { api: 'ecr', operation: 'DescribeImageScanFindings', input: { repositoryName: 'app', imageId: { imageTag: 'v1' } }, region: 'us-east-1' },
  { api: 'ecr', operation: 'BatchDeleteImage', input: { repositoryName: 'app', imageIds: [{ imageTag: 'v2' }] }, region: 'us-east-1' },
  { api: 'ecr-public', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' },
];

function registry(): SimulatedRegistry {
  return new SimulatedRegistry({ clock: new ManualClock(Date.UTC(2026, 0, 1)), seed: 3 })
    .withImage('app', { tags: ['v1'] })
    .withImage('app', { tags: ['v2'] })
    .withImage('app', { tags: ['v3'], platforms: ['linux/amd64', 'linux/arm64'] })
    .withScanFindings('app', 'v1', { high: 2, low: 1 });
}

async function play(transport: Transport, calls: Call[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const call of calls) {
    try {
      results.push({ output: await transport.send(call as never) });
    } catch (err) {
      if (!isEcrError(err)) throw err;
      results.push({ error: { kind: err.kind, awsCode: err.awsCode, statusCode: err.statusCode, message: err.message } });
    }
  }
  return results;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-record-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('record against the simulation, replay from the file', () => {
  test('strict replay returns what the simulation returned: manifests byte-exact, tokens fresh fakes', async () => {
    const path = join(dir, 'calls.jsonl');
    const recorder = new FileRecorder(path);
    const live = await play(withRecording(createSimulatedTransport(registry()), recorder, { clock: new ManualClock(Date.UTC(2026, 0, 1)) }), scenario);
    await recorder.flush();

    const text = await readFile(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(scenario.length);
    const liveAuth = live[5] as { output: { authorizationData: { authorizationToken: string }[] } };
    const token = liveAuth.output.authorizationData[0]!.authorizationToken;
    const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);

    const replayed = await play(ReplayTransport.fromFile(path, { mode: 'strict' }), scenario);
    // Everything but the two tokens is identical, manifests and Dates included.
    const expected = structuredClone(live) as typeof live;
    const batch = expected[4] as { output: { images: { imageId: { imageDigest: string }; imageManifest: string }[] } };
    expect(batch.output.images).toHaveLength(1);
    expect(text).toContain(JSON.stringify(batch.output.images[0]!.imageManifest));
    const replayedToken = (replayed[5] as typeof liveAuth).output.authorizationData[0]!.authorizationToken;
    expect(Buffer.from(replayedToken, 'base64').toString('utf8')).toMatch(/^AWS:replayed-/);
    (expected[5] as typeof liveAuth).output.authorizationData[0]!.authorizationToken = replayedToken;
    const publicToken = (results: unknown[]) => (results[9] as { output: { authorizationData: { authorizationToken: string } } }).output.authorizationData;
    expect(publicToken(replayed).authorizationToken).not.toBe(publicToken(live).authorizationToken);
    publicToken(expected).authorizationToken = publicToken(replayed).authorizationToken;
    expect(replayed).toEqual(expected);
    expect((replayed[6] as { error: { awsCode: string } }).error.awsCode).toBe('RepositoryNotFoundException');
  });

  test('loose replay answers the same calls in another order', async () => {
    const path = join(dir, 'calls.jsonl');
    const recorder = new FileRecorder(path);
    const live = await play(withRecording(createSimulatedTransport(registry()), recorder), scenario);
    await recorder.flush();
    const order = [3, 2, 7, 1, 0];
    const replayed = await play(
      ReplayTransport.fromFile(path, { mode: 'loose' }),
      order.map((i) => scenario[i]!),
    );
    expect(replayed).toEqual(order.map((i) => live[i]));
  });

  test('strict replay stops at the first call that differs from the recording', async () => {
    const path = join(dir, 'calls.jsonl');
    const recorder = new FileRecorder(path);
    await play(withRecording(createSimulatedTransport(registry()), recorder), scenario.slice(0, 3));
    await recorder.flush();
    const replay = ReplayTransport.fromFile(path, { mode: 'strict' });
    await replay.send(scenario[0] as never);
    const err = await replay
      .send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'app', maxResults: 2 }, region: 'us-east-1' })
      .catch((e: unknown) => e);
    expect(isEcrError(err) && err.message).toBe(
      'Replay (strict): call #2 does not match the recording:\n  operation: expected DescribeRepositories, got ListImages\n  input.repositoryName: expected (absent), got "app"',
    );
  });
});

describe('canary secrets never reach a recording', () => {
  // Planted where secrets travel: the authorization token (and the password inside it), a
  // pre-signed download URL's session token, credential and signature, a SecretString and
  // secret-named fields in an input. The file must hold none of them in any encoding.
  const password = 'CANARY-PASSWORD-d41d8cd98f00b204';
  const token = Buffer.from(`AWS:${password}`).toString('base64');
  const sessionToken = 'CANARY/SESSION+TOKEN=e9800998ecf8427e';
  const accessKey = 'ASIACANARYACCESSKEY1';
  const signature = 'ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a7ca9a';
  const secretKey = 'CANARY-SECRET-KEY-0000000000000000000000';
  const canaries = [password, token, sessionToken, encodeURIComponent(sessionToken), accessKey, signature, secretKey];

  /** The simulation, with the canaries planted where real ECR would put secrets. */
  function planted(next: Transport): Transport {
    return {
      async send(request) {
        const output = (await next.send(request)) as Record<string, unknown>;
        if (request.operation === 'GetAuthorizationToken' && Array.isArray(output.authorizationData)) {
          return { ...output, authorizationData: output.authorizationData.map((d: object) => ({ ...d, authorizationToken: token })) } as never;
        }
        if (request.operation === 'GetDownloadUrlForLayer') {
          const query = `X-Amz-Credential=${accessKey}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${encodeURIComponent(sessionToken)}&X-Amz-Signature=${signature}`;
          return { ...output, downloadUrl: `https://layers.example.amazonaws.com/blob?X-Amz-Algorithm=AWS4-HMAC-SHA256&${query}` } as never;
        }
        return output as never;
      },
    };
  }

  test('the recording file holds no canary, raw, base64 or URL-encoded', async () => {
    const path = join(dir, 'calls.jsonl');
    const recorder = new FileRecorder(path);
    const r = registry();
    const transport = withRecording(planted(createSimulatedTransport(r)), recorder);
    const [image] = (
      await transport.send({ api: 'ecr', operation: 'BatchGetImage', input: { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }, region: 'us-east-1' })
    ).images!;
    const layer = (JSON.parse(image!.imageManifest!) as { layers: { digest: string }[] }).layers[0]!.digest;
    await transport.send({ api: 'ecr', operation: 'GetDownloadUrlForLayer', input: { repositoryName: 'app', layerDigest: layer }, region: 'us-east-1' });
    await transport.send({ api: 'ecr', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' });
    await transport.send({ api: 'ecr-public', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' });
    await transport
      .send({
        api: 'ecr',
        operation: 'CreatePullThroughCacheRule',
        input: { ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'quay.io', secret: new SecretString(secretKey), secretAccessKey: secretKey } as never,
        region: 'us-east-1',
      })
      .catch(() => undefined);
    await recorder.flush();
    const text = await readFile(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(5);
    for (const canary of canaries) expect(text, canary).not.toContain(canary);
    // What is not a secret stays: the manifest, byte for byte.
    const recorded = JSON.parse(text.split('\n')[0]!) as { output: { images: { imageManifest: string }[] } };
    expect(recorded.output.images[0]!.imageManifest).toBe(image!.imageManifest);
  });
});
