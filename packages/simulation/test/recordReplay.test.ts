import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, isEcrError, type Transport } from '@ecrkit/core-types';
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
  test('strict replay returns what the simulation returned; tokens and manifests come back redacted', async () => {
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
    expect(text).not.toContain('schemaVersion');

    const replayed = await play(ReplayTransport.fromFile(path, { mode: 'strict' }), scenario);
    // Everything but the two redacted fields is identical, Dates included.
    const expected = structuredClone(live) as typeof live;
    const batch = expected[4] as { output: { images: { imageId: { imageDigest: string }; imageManifest: string }[] } };
    for (const image of batch.output.images) {
      image.imageManifest = `[redacted manifest ${image.imageId.imageDigest} length=${Buffer.byteLength(image.imageManifest)}]`;
    }
    (expected[5] as typeof liveAuth).output.authorizationData[0]!.authorizationToken = '[redacted]';
    const publicAuth = expected[9] as { output: { authorizationData: { authorizationToken: string } } };
    publicAuth.output.authorizationData.authorizationToken = '[redacted]';
    expect(replayed).toEqual(expected);
    expect(batch.output.images).toHaveLength(1);
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
