import { connect } from 'node:net';
import { ecrOperations, ecrPublicOperations } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { SimulatedRegistry } from '../src/index.js';
import { startSimulationServer, type SimulationServer } from '../src/server/index.js';

// The server survives any byte sequence and any header set a client sends: every exchange ends
// in a well-formed HTTP response or a clean close, the process never sees an unhandled error,
// and the server keeps serving.

let server: SimulationServer;
let registry: SimulatedRegistry;

beforeAll(async () => {
  registry = new SimulatedRegistry({ seed: 5 }).withImage('app', { tags: ['v1', 'v2'] }).withImage('app', { tags: [] });
  server = await startSimulationServer({ registry, maxBodyBytes: 64 * 1024 });
});
afterAll(() => server.close());

const targets = [...Object.values(ecrOperations), ...Object.values(ecrPublicOperations)].map((spec) => spec.target);

/** Write raw bytes, half-close, and collect whatever comes back until the server closes. */
function exchange(bytes: Uint8Array | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(Buffer.concat(chunks)) : reject(err)));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.setTimeout(10_000, () => reject(new Error('no answer and no close within 10 s')));
    socket.end(bytes);
  });
}

/** A response is either nothing (clean close) or starts with a status line and, if framed by length, carries that many bytes. */
function expectWellFormed(response: Buffer): number | undefined {
  if (response.length === 0) return undefined;
  const text = response.toString('latin1');
  const match = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/.exec(text);
  expect(match, text.slice(0, 200)).not.toBeNull();
  const headEnd = text.indexOf('\r\n\r\n');
  expect(headEnd).toBeGreaterThan(0);
  const length = /\r\ncontent-length: (\d+)\r\n/i.exec(text.slice(0, headEnd + 2));
  if (length) expect(response.length - (headEnd + 4)).toBeGreaterThanOrEqual(Number(length[1]));
  return Number(match![1]);
}

function rawRequest(headers: [string, string][], body: Uint8Array | string, contentLength?: number): Buffer {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const head = [
    'POST / HTTP/1.1',
    'Host: 127.0.0.1',
    ...headers.map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${contentLength ?? bodyBytes.length}`,
    'Connection: close',
    '',
    '',
  ];
  return Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), bodyBytes]);
}

async function stillServes(): Promise<void> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.ListImages' },
    body: '{"repositoryName":"app"}',
  });
  expect(response.status).toBe(200);
}

// Inputs shaped like the API's (known field names, random values) reach deep into the handlers.
const fieldNames = [
  'repositoryName',
  'registryId',
  'imageIds',
  'imageTag',
  'imageDigest',
  'maxResults',
  'nextToken',
  'filter',
  'imageManifest',
  'layerDigests',
  'uploadId',
  'partFirstByte',
  'partLastByte',
  'layerPartBlob',
  'tags',
  'resourceArn',
  'lifecyclePolicyText',
  'policyText',
  'force',
  'imageId',
  'catalogData',
  'repositoryNames',
  'acceptedMediaTypes',
  'replicationConfiguration',
  'scanType',
  'rules',
];
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('app', 'v1', `sha256:${'0'.repeat(64)}`, '', 'AQID', -1, 0, 1e308, 1001),
  fc.array(fc.record({ imageTag: fc.constantFrom('v1', 'v2', 'x', ''), imageDigest: fc.string() }, { requiredKeys: [] }), { maxLength: 3 }),
);
const shapedInput = fc.dictionary(fc.constantFrom(...fieldNames), value, { maxKeys: 6 });

describe('robustness of the HTTP face', () => {
  test.prop(
    [
      fc.constantFrom(...targets),
      fc.oneof(
        shapedInput.map((i) => JSON.stringify(i)),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 300 }),
      ),
    ],
    {
      numRuns: 400,
    },
  )('random JSON and text bodies to every operation get a JSON answer, never a 5xx', async (target, body) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, body });
    const text = await response.text();
    expect(response.status, `${target} ${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
    const json = JSON.parse(text) as Record<string, unknown>;
    if (response.status !== 200) expect(typeof json.__type === 'string' && typeof json.message === 'string').toBe(true);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ maxLength: 80 })), { maxLength: 8 }),
      fc.option(fc.constantFrom(...targets, 'x', '', '.', 'AmazonEC2ContainerRegistry_V20150921.'), { nil: undefined }),
      fc.uint8Array({ maxLength: 200 }),
    ],
    { numRuns: 300 },
  )('random header names and values (any characters) get a well-formed answer', async (headers, target, body) => {
    const all: [string, string][] = target === undefined ? headers : [...headers, ['X-Amz-Target', target]];
    expectWellFormed(await exchange(rawRequest(all, body)));
  });

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 500 })], { numRuns: 200 })(
    'arbitrary bytes instead of HTTP get a 400 or a clean close',
    async (bytes) => {
      const status = expectWellFormed(await exchange(bytes));
      if (status !== undefined) expect(status).toBeGreaterThanOrEqual(400);
    },
  );

  test.prop([fc.constantFrom(...targets), fc.string({ maxLength: 100 }), fc.integer({ min: 1, max: 10_000 })], { numRuns: 150 })(
    'truncated requests (Content-Length larger than the body, then close) end cleanly',
    async (target, body, extra) => {
      const bytes = Buffer.byteLength(body);
      const response = await exchange(rawRequest([['X-Amz-Target', target]], body, bytes + extra));
      expectWellFormed(response);
    },
  );

  test.prop([fc.integer({ min: 1, max: 300 })], { numRuns: 50 })('requests cut inside the headers end cleanly', async (cut) => {
    const full = rawRequest([['X-Amz-Target', 'AmazonEC2ContainerRegistry_V20150921.ListImages']], '{"repositoryName":"app"}');
    expectWellFormed(await exchange(full.subarray(0, Math.min(cut, full.length - 1))));
  });

  test('oversized headers and bodies are refused with 431 and 413', async () => {
    expect(expectWellFormed(await exchange(rawRequest([['X-Big', 'a'.repeat(64 * 1024)]], '{}')))).toBe(431);
    expect(expectWellFormed(await exchange(rawRequest([['X-Amz-Target', 'AmazonEC2ContainerRegistry_V20150921.ListImages']], 'x'.repeat(70 * 1024))))).toBe(
      413,
    );
  });

  test('after all of that the server still serves, with its state intact', async () => {
    await stillServes();
    const listed = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.ListImages' },
      body: '{"repositoryName":"app"}',
    });
    const ids = ((await listed.json()) as { imageIds: { imageTag?: string }[] }).imageIds;
    expect(ids.map((i) => i.imageTag ?? '').sort()).toEqual(['', 'v1', 'v2']);
  });
});
