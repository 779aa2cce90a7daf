import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEcrError } from '@ecrkit/core-types';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RecordedCall } from './Recorder.js';
import { ReplayTransport } from './ReplayTransport.js';

const at = '2026-01-01T00:00:00.000Z';
const entries: RecordedCall[] = [
  {
    api: 'ecr',
    operation: 'ListImages',
    region: 'us-east-1',
    input: { repositoryName: 'web' },
    output: { imageIds: [{ imageTag: 'v1' }], nextToken: 't1' },
    at,
  },
  {
    api: 'ecr',
    operation: 'ListImages',
    region: 'us-east-1',
    input: { repositoryName: 'web', nextToken: 't1' },
    output: { imageIds: [{ imageTag: 'v2' }] },
    at,
  },
  {
    api: 'ecr',
    operation: 'DescribeImages',
    region: 'us-east-1',
    input: { repositoryName: 'web' },
    output: { imageDetails: [{ imageDigest: 'sha256:aa', imagePushedAt: { $date: '2025-12-31T00:00:00.000Z' } }] },
    at,
  },
  {
    api: 'ecr',
    operation: 'DescribeRepositories',
    region: 'us-east-1',
    input: { repositoryNames: ['gone'] },
    error: { kind: 'RepositoryNotFound', awsCode: 'RepositoryNotFoundException', statusCode: 400, message: "The repository with name 'gone' does not exist" },
    at,
  },
  {
    api: 'ecr',
    operation: 'BatchGetImage',
    region: 'us-east-1',
    input: { repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] },
    output: { images: [{ imageManifest: { $redacted: 'manifest', sha256: 'sha256:bb', length: 10 } }], failures: [] },
    at,
  },
];

async function failure(promise: Promise<unknown>): Promise<{ kind: string; awsCode?: string; message: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isEcrError(err)) throw new Error(`expected an EcrError, got ${String(err)}`);
  return { kind: err.kind, awsCode: err.awsCode, message: err.message };
}

describe('ReplayTransport (strict)', () => {
  test('answers in recorded order, restoring dates, errors and the manifest placeholders of older recordings', async () => {
    const replay = ReplayTransport.fromEntries(entries, { mode: 'strict' });
    expect(await replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' })).toEqual({
      imageIds: [{ imageTag: 'v1' }],
      nextToken: 't1',
    });
    await replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web', nextToken: 't1' }, region: 'us-east-1' });
    const described = await replay.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web' }, region: 'us-east-1' });
    expect(described.imageDetails?.[0]?.imagePushedAt).toEqual(new Date('2025-12-31T00:00:00.000Z'));
    expect(await failure(replay.send({ api: 'ecr', operation: 'DescribeRepositories', input: { repositoryNames: ['gone'] }, region: 'us-east-1' }))).toEqual({
      kind: 'RepositoryNotFound',
      awsCode: 'RepositoryNotFoundException',
      message: "The repository with name 'gone' does not exist",
    });
    const got = await replay.send({
      api: 'ecr',
      operation: 'BatchGetImage',
      input: { repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] },
      region: 'us-east-1',
    });
    expect(got.images?.[0]?.imageManifest).toBe('[redacted manifest sha256:bb length=10]');
    expect(await replay.remaining()).toBe(0);
    expect((await failure(replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' }))).message).toMatch(
      /all were answered; unexpected call #6/,
    );
  });

  test('the first unmatched request fails with a readable diff and does not advance', async () => {
    const replay = ReplayTransport.fromEntries(entries, { mode: 'strict' });
    const first = await failure(replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'api', maxResults: 5 }, region: 'us-east-1' }));
    expect(first.awsCode).toBe('ReplayMismatch');
    expect(first.message).toBe(
      'Replay (strict): call #1 does not match the recording:\n  input.maxResults: expected (absent), got 5\n  input.repositoryName: expected "web", got "api"',
    );
    const second = await failure(replay.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web' }, region: 'eu-west-1' }));
    expect(second.message).toContain('operation: expected ListImages, got DescribeImages');
    expect(second.message).toContain('region: expected us-east-1, got eu-west-1');
    await replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' });
  });

  test('the diff never shows a secret: inputs are redacted before comparing', async () => {
    const replay = ReplayTransport.fromEntries(
      [{ api: 'ecr', operation: 'GetAuthorizationToken', region: 'us-east-1', input: { password: '[redacted]', registryIds: ['1'] }, output: {}, at }],
      { mode: 'strict' },
    );
    const err = await failure(
      replay.send({ api: 'ecr', operation: 'GetAuthorizationToken', input: { password: 'hunter2', registryIds: ['2'] } as never, region: 'us-east-1' }),
    );
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toContain('input.registryIds[0]: expected "1", got "2"');
  });
});

describe('ReplayTransport: redacted authorization tokens', () => {
  test('come back as a fresh fake token each time, in ECR’s format (base64 AWS:<password>)', async () => {
    const recorded = [
      {
        api: 'ecr' as const,
        operation: 'GetAuthorizationToken',
        region: 'us-east-1',
        input: {},
        output: { authorizationData: [{ authorizationToken: '[redacted]', expiresAt: { $date: '2026-01-01T12:00:00.000Z' }, proxyEndpoint: 'https://h' }] },
        at,
      },
    ];
    const replay = ReplayTransport.fromEntries(recorded, { mode: 'loose' });
    const ask = async () =>
      (await replay.send({ api: 'ecr', operation: 'GetAuthorizationToken', input: {}, region: 'us-east-1' })).authorizationData?.[0]?.authorizationToken ?? '';
    const [first, second] = [await ask(), await ask()];
    for (const token of [first, second]) expect(Buffer.from(token, 'base64').toString('utf8')).toMatch(/^AWS:replayed-[0-9a-f]{48}$/);
    expect(first).not.toBe(second);
  });
});

describe('ReplayTransport (loose)', () => {
  test('matches by api, operation, region and key fields, ignoring other input', async () => {
    const replay = ReplayTransport.fromEntries(entries, { mode: 'loose' });
    const second = await replay.send({
      api: 'ecr',
      operation: 'ListImages',
      input: { repositoryName: 'web', nextToken: 't1', maxResults: 3 },
      region: 'us-east-1',
    });
    expect(second).toEqual({ imageIds: [{ imageTag: 'v2' }] });
    const first = await replay.send({
      api: 'ecr',
      operation: 'ListImages',
      input: { repositoryName: 'web', filter: { tagStatus: 'ANY' } },
      region: 'us-east-1',
    });
    expect(first.nextToken).toBe('t1');
    // Used up: the last match repeats, so a polling loop keeps getting an answer.
    expect((await replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' })).nextToken).toBe('t1');
  });

  test('no match fails with the nearest candidates', async () => {
    const replay = ReplayTransport.fromEntries(entries, { mode: 'loose' });
    const err = await failure(replay.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'api' }, region: 'us-east-1' }));
    expect(err.message).toContain('no recorded call matches ecr:DescribeImages in us-east-1 {"repositoryName":"api"}');
    expect(err.message).toContain('repositoryName: expected "web", got "api"');
    const none = await failure(replay.send({ api: 'ecr', operation: 'PutImage', input: { repositoryName: 'web' }, region: 'us-east-1' } as never));
    expect(none.message).toContain('no recorded ecr:PutImage call at all');
  });
});

describe('ReplayTransport.fromFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecrkit-replay-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('reads the file on the first send, not before', async () => {
    const path = join(dir, 'later.jsonl');
    const replay = ReplayTransport.fromFile(path, { mode: 'strict' });
    await writeFile(path, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
    expect((await replay.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' })).nextToken).toBe('t1');
  });

  test('a missing file or a corrupt line fails the call with an EcrError', async () => {
    const missing = ReplayTransport.fromFile(join(dir, 'missing.jsonl'), { mode: 'strict' });
    expect((await failure(missing.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' }))).message).toMatch(
      /Cannot read the recording/,
    );
    const path = join(dir, 'corrupt.jsonl');
    await writeFile(path, `${JSON.stringify(entries[0])}\n{not json\n`);
    const corrupt = ReplayTransport.fromFile(path, { mode: 'strict' });
    expect((await failure(corrupt.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: 'web' }, region: 'us-east-1' }))).message).toBe(
      `${path}:2 is not valid JSON`,
    );
  });
});
